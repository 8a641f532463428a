"""The Evidence page: the artifact register, its table and panel, linking evidence to practices,
and its undo commands."""
