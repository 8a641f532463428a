"""The Findings page: the findings table, the editor, identifiers, and their undo commands."""
