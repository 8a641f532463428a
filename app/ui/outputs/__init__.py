"""File menu work on whole files: workbook and PDF exports, the workbook import,
the Word report, briefing and record."""
