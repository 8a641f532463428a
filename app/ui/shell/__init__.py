"""The window's shell: the main window and its start page, the open document with its undo stack,
the worker thread, settings, search and go-to."""
