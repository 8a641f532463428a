"""Mini-team packages in the window: splitting one off, reviewing and applying a merge,
the banner of an open package."""
