"""The model library on disk: the built-in catalogs, the user's imported models, and model files in and out.

Built-in models live in `resources/models/` (one YAML file per model plus `links.yaml`). Imported models live
in the user's library folder, one `KEY@VERSION.yaml` each, always in the canonical form of
`docs/model-format.md`. An import is checked whole before anything is written, and is written atomically.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import yaml

from app.domain.catalog import UNVERIFIED_NOTE, Catalog, CrossLink, Model, ModelKind, count_unverified
from app.domain.catalog_format import CatalogError
from app.domain.catalog_writer import links_to_data, model_to_data
from app.domain.links_reader import parse_links, validate_catalog
from app.domain.located import Problem
from app.domain.model_reader import parse_model
from app.storage import user_dirs
from app.storage.errors import KnownError
from app.storage.output_files import OutputTarget, write_atomically
from app.storage.resources import resources_dir
from app.storage.yaml_source import YamlSyntaxError, load_yaml

__all__ = [
    "CatalogFileError",
    "builtin_catalog",
    "export_model",
    "import_model_file",
    "installed_catalog",
    "library_dir",
    "links_to_yaml",
    "load_model_file",
    "model_to_yaml",
    "user_models",
    "write_excel_template",
]

HOME_ENV = user_dirs.HOME_ENV
LINKS_FILE = "links.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
_KIND_ORDER = {ModelKind.MODEL: 0, ModelKind.PSEUDO_PA: 1, ModelKind.REFERENCE: 2}


class CatalogFileError(CatalogError, KnownError):
    """A model file or the library is not valid; the user can act on it. Nothing was changed."""


def _file_error(exc: CatalogError) -> CatalogFileError:
    return CatalogFileError(exc.problems, exc.headline)


def _fail(source: str, message: str, path: str = "", headline: str | None = None) -> CatalogFileError:
    return CatalogFileError([Problem(source, path, message)], headline or f"{source}: nothing was imported")


# --- where things are -------------------------------------------------------------------------------------


def library_dir() -> Path:
    """The user's model library: `models/` in the user's data folder (app/storage/user_dirs.py)."""
    return user_dirs.data_dir() / "models"


def builtin_models_dir() -> Path:
    return resources_dir() / "models"


def library_file_name(model: Model) -> str:
    # '@' never occurs in a key or version, so the name cannot be shared by two different models.
    return f"{model.key}@{model.version}.yaml"


# --- reading ---------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(path.name, f"the file {path} does not exist", headline=f"Cannot read {path.name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path.name, f"cannot read {path}: {exc}", headline=f"Cannot read {path.name}") from None
    try:
        return load_yaml(text, source=path.name)
    except YamlSyntaxError as exc:
        raise CatalogFileError(
            [Problem(path.name, "", exc.problem, exc.line)], f"{path.name} is not valid YAML; nothing was loaded"
        ) from None


def load_model_file(path: Path) -> Model:
    """Read and validate one model file (.yaml/.yml in our format, or .xlsx in the template's layout)."""
    suffix = path.suffix.casefold()
    try:
        if suffix in YAML_SUFFIXES:
            return parse_model(_read_yaml(path), source=path.name)
        if suffix == ".xlsx":
            if not path.is_file():
                raise _fail(path.name, f"the file {path} does not exist", headline=f"Cannot read {path.name}")
            from app.storage.model_xlsx import read_model_xlsx  # openpyxl loads for a spreadsheet only

            return parse_model(read_model_xlsx(path), source=path.name)
    except CatalogFileError:
        raise
    except CatalogError as exc:
        raise _file_error(exc) from None
    raise _fail(path.name, "Appraisal Desk reads models from .yaml, .yml or .xlsx files")


@functools.cache
def builtin_catalog() -> Catalog:
    """The models shipped with the app and the links between them (read once; they never change at run time)."""
    folder = builtin_models_dir()
    models = [load_model_file(p) for p in sorted(folder.glob("*.yaml")) if p.name != LINKS_FILE]
    models.sort(key=lambda m: _KIND_ORDER[m.kind])
    try:
        links = parse_links(_read_yaml(folder / LINKS_FILE), source=LINKS_FILE, models=models)
        catalog = Catalog(tuple(models), links)
        validate_catalog(catalog, source="built-in models")
    except CatalogFileError:
        raise
    except CatalogError as exc:
        raise _file_error(exc) from None
    return catalog


def library_problems() -> list[tuple[Path, str]]:
    """Each file in the user's library that cannot be read as a model, with why (`models check`)."""
    return _read_library()[1]


def _read_library() -> tuple[list[Model], list[tuple[Path, str]]]:
    folder = library_dir()
    if not folder.is_dir():
        return [], []
    models: list[Model] = []
    problems: list[tuple[Path, str]] = []
    for path in sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".")):
        try:
            models.append(load_model_file(path))
        except KnownError as exc:
            problems.append((path, str(exc)))
    return models, problems


_warned: set[Path] = set()


def user_models() -> tuple[Model, ...]:
    """Every model in the user's library, sorted by key and version. A damaged file is skipped with a warning
    naming its full path (once per process), so one bad file never stops the models, `new` or `demo`."""
    models, problems = _read_library()
    for path, problem in problems:
        if path not in _warned:
            _warned.add(path)
            logging.getLogger("appraisal_desk").warning(
                "skipped the damaged model file %s (run `appraisal-desk models check`): %s", path, problem
            )
    return tuple(sorted(models, key=lambda m: (m.key, m.version)))


def installed_catalog() -> Catalog:
    """Built-in models plus the user's imported ones (every version), with the built-in links."""
    builtin = builtin_catalog()
    catalog = Catalog(builtin.models + user_models(), builtin.links)
    try:
        validate_catalog(catalog)
    except CatalogError as exc:
        raise _file_error(exc) from None
    return catalog


# --- writing ---------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Readable, stable YAML: nested lists indented, short leaf mappings on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        # PyYAML writes a list under a key without indenting it ("indentless"); indent it like any block.
        super().increase_indent(flow, False)


_FLOW_KEYS = {"id", "title", "unverified", "model", "pa", "item"}


def _represent_dict(dumper: _Dumper, data: dict[str, Any]) -> yaml.MappingNode:
    leaf = all(not isinstance(v, dict | list) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=leaf and set(data) <= _FLOW_KEYS)


_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes these Unicode line breaks raw and reads them back as plain line breaks, so text pasted from
    # a PDF would change on the way through the library; double quotes make the emitter escape them.
    style = '"' if any(ch in data for ch in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any], header: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()] if header.strip() else []
    return "\n".join(lines) + ("\n\n" if lines else "") + body


def model_to_yaml(model: Model, *, header: str = "") -> str:
    """The model as a file in our format; `header` becomes a comment block at the top."""
    return _dump(model_to_data(model), header)


def links_to_yaml(links: Iterable[CrossLink], *, header: str = "") -> str:
    """The links as a links file; `header` becomes a comment block at the top."""
    return _dump(links_to_data(links), header)


def _write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write through a temporary file beside `path`, then rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def export_header(model: Model) -> str:
    """The comment block of an exported model: what it is and how many titles are unverified."""
    header = f"{model.name}\nExported by Appraisal Desk ({model.ident})."
    unverified = count_unverified(model)
    if unverified:
        header += f"\n{unverified} titles carry unverified: true. {UNVERIFIED_NOTE}"
    return header


def export_model(model: Model, path: Path | OutputTarget) -> None:
    """Write the model as a YAML file in our format (atomically), e.g. to share or to edit and re-import."""
    text = model_to_yaml(model, header=export_header(model))
    write_atomically(path, lambda temp: temp.write_bytes(text.encode("utf-8")))


def write_excel_template(path: Path | OutputTarget) -> None:
    """The Excel template for a custom model (layout in docs/model-format.md), written atomically."""

    from app.storage.model_xlsx import write_excel_template as write_template

    def write(temp: Path) -> None:
        with open(temp, "wb") as handle:
            write_template(handle)

    write_atomically(path, write)


def _same_version(a: Model, b: Model) -> bool:
    return a.key.casefold() == b.key.casefold() and a.version.casefold() == b.version.casefold()


def import_model_file(path: Path) -> Model:
    """Validate a model file against the installed catalog, then add it to the user's library.

    Raises CatalogFileError (nothing written) on any problem. A changed model may not reuse an installed key
    and version; a new version is stored beside the older ones. Importing an identical model changes nothing.
    """
    model = load_model_file(path)
    installed = installed_catalog()
    builtin = builtin_catalog()
    clash = next((m for m in installed.models if _same_version(m, model)), None)
    if clash is not None:
        if clash == model:
            return clash
        where = "built into Appraisal Desk" if clash in builtin.models else "already in your model library"
        raise _fail(
            path.name,
            f"{clash.ident} is {where} with different content; a changed model needs a new version "
            f"(for example {model.version}-2) so appraisals rated against the old one keep their meaning",
            model.ident,
        )
    try:
        validate_catalog(Catalog((*installed.models, model), installed.links), source=path.name)
    except CatalogError as exc:
        headline = f"{path.name} does not fit the installed models; nothing was imported"
        raise CatalogFileError(exc.problems, headline) from None
    text = model_to_yaml(model, header=f"{model.name}\nImported by Appraisal Desk from {path.name}.")
    # The library must always load: prove the file reads back as this very model before it lands there.
    if parse_model(load_yaml(text, source=path.name), source=path.name) != model:
        raise RuntimeError(f"{model.ident} does not survive being written as YAML")
    _write_atomic(library_dir() / library_file_name(model), lambda handle: handle.write(text.encode("utf-8")))
    return model
