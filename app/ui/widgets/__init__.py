"""Widgets shared by the evidence and interview pages."""
