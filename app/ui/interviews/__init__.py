"""The Interviews page: sessions, their affirmations and notes, and their undo commands."""
