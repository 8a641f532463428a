"""Use cases for the model library: what is installed, importing and exporting models."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.catalog import Catalog, Model, count_unverified
from app.storage import catalog_files
from app.storage.errors import KnownError
from app.storage.output_files import output_target


@dataclass(frozen=True, slots=True)
class InstalledModel:
    key: str
    version: str
    name: str
    kind: str
    process_areas: int
    builtin: bool
    unverified: int = 0
    """Titles its source could not confirm (marked wherever they are shown)."""

    @property
    def ident(self) -> str:
        return f"{self.key}@{self.version}"


def installed_catalog() -> Catalog:
    """Built-in models plus the user's imported ones (every version)."""
    return catalog_files.installed_catalog()


def installed_models() -> list[InstalledModel]:
    builtin = set(catalog_files.builtin_catalog().models)
    return [
        InstalledModel(m.key, m.version, m.name, m.kind.value, len(m.process_areas), m in builtin, count_unverified(m))
        for m in installed_catalog().models
    ]


def find_model(ident: str) -> Model:
    """A model by `KEY` (its newest version when several are installed) or `KEY@VERSION`, case-insensitive."""
    key, _, version = ident.partition("@")
    matches = [
        m
        for m in installed_catalog().models
        if m.key.casefold() == key.casefold() and (not version or m.version.casefold() == version.casefold())
    ]
    if not matches:
        known = ", ".join(f"{m.key}@{m.version}" for m in installed_catalog().models)
        raise KnownError(f"No installed model is called {ident!r}. Installed: {known}.")
    return matches[-1]


def import_model(path: Path) -> Model:
    """Validate and add a model file (YAML or the Excel template) to the library; nothing is written on error."""
    return catalog_files.import_model_file(path)


def export_model(ident: str, path: Path | None, *, overwrite: bool = False) -> str:
    """Write a model as YAML to `path` (a new file, or an existing one with `overwrite`; never over an
    appraisal), or return the YAML text when `path` is None."""
    model = find_model(ident)
    if path is None:
        return catalog_files.model_to_yaml(model, header=catalog_files.export_header(model))
    try:
        catalog_files.export_model(model, output_target(path, overwrite=overwrite))
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}") from None
    return ""


def write_template(path: Path, *, overwrite: bool = False) -> None:
    """Write the Excel template for a custom model: a new file, or an existing one with `overwrite`."""
    try:
        catalog_files.write_excel_template(output_target(path, overwrite=overwrite))
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}") from None
