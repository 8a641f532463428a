"""The Plan page's parts: one module per section, the editing logic, shared fields and tables."""
