"""Use cases for the model library: what is installed, importing and exporting models."""

from __future__ import annotations

from app.domain.catalog import Catalog
from app.storage import catalog_files


def installed_catalog() -> Catalog:
    """Built-in models plus the user's imported ones (every version)."""
    return catalog_files.installed_catalog()
