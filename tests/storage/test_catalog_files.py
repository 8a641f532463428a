"""The model library on real files: built-in catalog, import (YAML and Excel), export, and every refusal."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.domain.catalog import ModelKind
from app.domain.catalog_format import CatalogError
from app.domain.model_reader import parse_model
from app.storage import catalog_files, resources
from app.storage.catalog_files import (
    CatalogFileError,
    export_model,
    import_model_file,
    installed_catalog,
    library_dir,
    model_to_yaml,
    write_excel_template,
)
from app.storage.errors import KnownError
from app.storage.model_xlsx import read_model_xlsx
from app.storage.output_files import OutputTarget
from app.storage.yaml_source import load_yaml

ACME = """\
format: appraisal-desk/model-v1
model:
  key: ACME-SEC
  version: '1.0'
  name: ACME security practices
  kind: model
  generic_goals_from: CMMI-SVC
  categories: [Operations]
  max_capability_level: 3
process_areas:
  - acronym: BKP
    name: Backup and Restore
    category: Operations
    specific_goals:
      - id: SG1
        title: Back Up Essential Data
        practices:
          - {id: SP1.1, title: Identify Essential Data}
          - {id: SP1.2, title: Perform Backups}
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (hidden ones too) with its bytes: what 'nothing changed' means."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def library() -> Path:
    """The test's private library (conftest points APPRAISAL_DESK_HOME at a fresh folder) with one model in it."""
    folder = library_dir()
    assert str(folder).startswith(os.environ["APPRAISAL_DESK_HOME"])
    return folder


@pytest.fixture
def seeded(library: Path, tmp_path: Path) -> Path:
    """The library after one successful import, so refusals are checked against existing content."""
    source = tmp_path / "acme.yaml"
    source.write_text(ACME, encoding="utf-8")
    import_model_file(source)
    return library


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the built-in catalog and the library folder -----------------------------------------------------------


def test_library_folder_follows_appraisal_desk_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APPRAISAL_DESK_HOME", str(tmp_path / "elsewhere"))
    assert library_dir() == tmp_path / "elsewhere" / "models"
    monkeypatch.delenv("APPRAISAL_DESK_HOME")
    assert library_dir() == Path.home() / ".local" / "share" / "appraisal-desk" / "models"


def test_installed_catalog_without_user_models_is_the_built_in_catalog(library: Path) -> None:
    catalog = installed_catalog()
    assert [m.ident for m in catalog.models] == ["CERT-RMM 1.1-2", "CMMI-SVC 1.3", "SM 1.0", "ISO27001 2005"]
    assert [m.kind for m in catalog.models][-2:] == [ModelKind.PSEUDO_PA, ModelKind.REFERENCE]
    assert len(catalog.links) > 40
    assert not library.exists()  # reading the library never creates it


# --- importing YAML ----------------------------------------------------------------------------------------


def test_importing_a_yaml_model_adds_it_to_the_library_in_canonical_form(library: Path, tmp_path: Path) -> None:
    model = import_model_file(write(tmp_path, "acme.yaml", ACME))
    assert model.ident == "ACME-SEC 1.0"
    stored = library / "ACME-SEC@1.0.yaml"
    assert sorted(snapshot(library)) == ["ACME-SEC@1.0.yaml"]
    assert parse_model(load_yaml(stored.read_text(encoding="utf-8"), source="s"), source="s") == model
    catalog = installed_catalog()
    assert catalog.model("ACME-SEC") == model
    assert [g.code for g in catalog.generic_goals_for(model)] == ["GG1", "GG2", "GG3"]


def test_importing_the_same_model_again_changes_nothing(seeded: Path, tmp_path: Path) -> None:
    before = snapshot(seeded)
    assert import_model_file(write(tmp_path, "again.yaml", ACME)).ident == "ACME-SEC 1.0"
    assert snapshot(seeded) == before


def test_a_changed_model_with_an_installed_version_is_refused(seeded: Path, tmp_path: Path) -> None:
    before = snapshot(seeded)
    changed = ACME.replace("Perform Backups", "Perform Nightly Backups")
    with pytest.raises(CatalogFileError) as caught:
        import_model_file(write(tmp_path, "changed.yaml", changed))
    assert "ACME-SEC 1.0 is already in your model library with different content" in str(caught.value)
    assert "needs a new version" in str(caught.value)
    assert snapshot(seeded) == before


def test_the_version_is_compared_without_case_so_files_cannot_collide(seeded: Path, tmp_path: Path) -> None:
    before = snapshot(seeded)
    other = ACME.replace("key: ACME-SEC", "key: acme-sec").replace("Perform Backups", "Other")
    with pytest.raises(CatalogFileError, match=r"ACME-SEC 1\.0 is already in your model library"):
        import_model_file(write(tmp_path, "case.yaml", other))
    assert snapshot(seeded) == before


def test_a_new_version_sits_beside_the_older_one(seeded: Path, tmp_path: Path) -> None:
    newer = ACME.replace("version: '1.0'", "version: '1.1'").replace("Perform Backups", "Perform Nightly Backups")
    import_model_file(write(tmp_path, "newer.yaml", newer))
    assert sorted(snapshot(seeded)) == ["ACME-SEC@1.0.yaml", "ACME-SEC@1.1.yaml"]
    versions = [m.version for m in installed_catalog().models if m.key == "ACME-SEC"]
    assert versions == ["1.0", "1.1"]


def test_a_changed_copy_of_a_built_in_model_is_refused(library: Path, tmp_path: Path) -> None:
    svc = catalog_files.builtin_catalog().model("CMMI-SVC")
    assert svc is not None
    text = model_to_yaml(svc).replace("title: Resolve Incidents", "title: Resolve Incidents Quickly")
    with pytest.raises(CatalogFileError, match=r"CMMI-SVC 1\.3 is built into Appraisal Desk with different content"):
        import_model_file(write(tmp_path, "svc.yaml", text))
    assert snapshot(library) == {}


def test_generic_goals_from_an_uninstalled_model_is_refused(library: Path, tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError) as caught:
        import_model_file(
            write(tmp_path, "acme.yaml", ACME.replace("generic_goals_from: CMMI-SVC", "generic_goals_from: CMMI-DEV"))
        )
    assert caught.value.headline == "acme.yaml does not fit the installed models; nothing was imported"
    assert "generic_goals_from: no model 'CMMI-DEV' is installed" in str(caught.value)
    assert snapshot(library) == {}


MALFORMED_YAML: dict[str, tuple[Callable[[str], str], str]] = {
    "yaml syntax": (lambda t: t.replace("  kind: model", "  kind: [model"), "acme.yaml, line 7: not valid YAML"),
    "unknown format": (lambda t: t.replace("model-v1", "model-v9"), "acme.yaml, line 1: unknown format 'appraisal-desk/model-v9'"),
    "duplicate id": (lambda t: t.replace("SP1.2, title", "SP1.1, title"), "acme.yaml, line 19: ACME-SEC 1.0 / BKP / SG1 / SP1.1: duplicate goal or practice ID 'SP1.1' (first at line 18)"),
    "missing title": (lambda t: t.replace("{id: SP1.2, title: Perform Backups}", "{id: SP1.2}"), "acme.yaml, line 19: ACME-SEC 1.0 / BKP / SG1 / SP1.2: 'title' is missing"),
    "unknown parent": (lambda t: t.replace("{id: SP1.2,", "{id: SP2.2,"), "acme.yaml, line 19: ACME-SEC 1.0 / BKP / SG1 / SP2.2: practice 'SP2.2' is numbered for goal 2 but stands under SG1"),
    "bad kind": (lambda t: t.replace("kind: model", "kind: framework"), "acme.yaml, line 6: ACME-SEC 1.0: 'kind' must be one of"),
    "bad level": (lambda t: t.replace("max_capability_level: 3", "max_capability_level: 6"), "acme.yaml, line 9: ACME-SEC 1.0: 'max_capability_level' must be a whole number from 1 to 5, found 6"),
    "empty file": (lambda _t: "", "acme.yaml: a model file must be a YAML mapping"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED_YAML))
def test_each_malformed_yaml_model_gets_its_precise_error_and_changes_nothing(
    case: str, seeded: Path, tmp_path: Path
) -> None:
    mutate, expected = MALFORMED_YAML[case]
    before = snapshot(seeded)
    with pytest.raises(CatalogFileError) as caught:
        import_model_file(write(tmp_path, "acme.yaml", mutate(ACME)))
    assert expected in str(caught.value)
    assert isinstance(caught.value, KnownError) and isinstance(caught.value, CatalogError)
    assert snapshot(seeded) == before


def test_unreadable_and_unsupported_files_are_refused(library: Path, tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="does not exist"):
        import_model_file(tmp_path / "missing.yaml")
    with pytest.raises(CatalogFileError, match=r"reads models from \.yaml, \.yml or \.xlsx files"):
        import_model_file(write(tmp_path, "model.json", "{}"))
    bad_bytes = tmp_path / "latin.yaml"
    bad_bytes.write_bytes("name: caf\xe9".encode("latin-1"))
    with pytest.raises(CatalogFileError, match="cannot read"):
        import_model_file(bad_bytes)
    assert snapshot(library) == {}


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.storage.catalog_files.os.replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        import_model_file(write(tmp_path, "acme.yaml", ACME))
    assert snapshot(library) == {}


def test_a_broken_file_in_the_library_is_named(seeded: Path) -> None:
    (seeded / "hand-edited.yaml").write_text("format: appraisal-desk/model-v1\nmodel: {}\n", encoding="utf-8")
    # Skipped with a warning naming it, so one bad file never stops the app; `models check` lists it.
    installed_catalog()
    [(path, problem)] = catalog_files.library_problems()
    assert path == seeded / "hand-edited.yaml"
    assert re.search(r"hand-edited\.yaml, line 2: model: 'key' is missing", problem)


# --- export ------------------------------------------------------------------------------------------------


def test_export_then_import_gives_back_the_same_model(library: Path, tmp_path: Path) -> None:
    sm = catalog_files.builtin_catalog().model("SM")
    assert sm is not None
    exported = tmp_path / "sm.yaml"
    export_model(sm, exported)
    assert exported.read_text(encoding="utf-8").startswith("# Security Management")
    assert import_model_file(exported) == sm  # identical to the built-in one: nothing to write
    assert snapshot(library) == {}
    renamed = exported.read_text(encoding="utf-8").replace("version: '1.0'", "version: 1.0-acme")
    imported = import_model_file(write(tmp_path, "sm-acme.yaml", renamed))
    assert imported.version == "1.0-acme" and imported.process_areas == sm.process_areas
    assert sorted(snapshot(library)) == ["SM@1.0-acme.yaml"]


# --- Excel -------------------------------------------------------------------------------------------------


def test_the_excel_template_is_a_valid_example_model(library: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    write_excel_template(template)
    book = load_workbook(template)
    assert book.sheetnames == ["Model", "Practices", "Help"]
    model = import_model_file(template)
    assert (model.key, model.version, model.max_capability_level) == ("EXAMPLE", "0.1", 2)
    assert [g.code for g in model.generic_goals] == ["GG1", "GG2"]
    (area,) = model.process_areas
    assert [(g.code, [p.code for p in g.practices]) for g in area.goals] == [
        ("SG1", ["SP1.1", "SP1.2"]),
        ("SG2", ["SP2.1"]),
    ]
    first = area.practice("SP1.1")
    assert first is not None and [i.text for i in first.informative] == [
        "List the data stores of each service.",
        "Agree the recovery point objective with the data owner.",
    ]
    assert area.practice("SP2.1").unverified
    assert sorted(snapshot(library)) == ["EXAMPLE@0.1.yaml"]


def edited_template(tmp_path: Path, edit: Callable[[Any, Any], object]) -> Path:
    path = tmp_path / "custom.xlsx"
    write_excel_template(path)
    book = load_workbook(path)
    edit(book["Model"], book["Practices"])
    book.save(path)
    return path


def test_an_excel_model_reads_into_the_same_model_as_its_yaml(library: Path, tmp_path: Path) -> None:
    path = edited_template(tmp_path, lambda _m, _p: None)
    model = parse_model(read_model_xlsx(path), source=path.name)
    assert parse_model(load_yaml(model_to_yaml(model), source="y"), source="y") == model


MALFORMED_XLSX: dict[str, tuple[Callable[[Any, Any], object], str]] = {
    "duplicate practice": (lambda _m, p: p.__setitem__("H6", "SP1.1"), "sheet 'Practices', row 6, column H (practice ID): EXAMPLE 0.1 / BKP / SG1 / SP1.1: duplicate goal or practice ID 'SP1.1' (first at sheet 'Practices', row 5, column H (practice ID))"),
    "missing title": (lambda _m, p: p.__setitem__("I6", None), "sheet 'Practices', row 6, column I (practice title): EXAMPLE 0.1 / BKP / SG1 / SP1.2: 'title' is missing"),
    "bad goal kind": (lambda _m, p: p.__setitem__("G6", "special"), "sheet 'Practices', row 6, column G (goal kind): goal kind must be specific or generic, found 'special'"),
    "bad unverified": (lambda _m, p: p.__setitem__("L7", "maybe"), "sheet 'Practices', row 7, column L (unverified): write yes or no, found 'maybe'"),
    "contradicting pa": (lambda _m, p: p.__setitem__("C6", "Support"), "sheet 'Practices', row 6, column C (category): 'Support' contradicts 'Operations' given on row 5"),
    "pa on generic row": (lambda _m, p: p.__setitem__("A3", "BKP"), "sheet 'Practices', row 3, column A (PA acronym): a generic goal applies to every process area"),
    "unknown parent": (lambda _m, p: p.__setitem__("C5", "Finance"), "sheet 'Practices', row 5, column C (category): EXAMPLE 0.1 / BKP: category 'Finance' is not one of the model's categories: Operations"),
    "numbered for another goal": (lambda _m, p: p.__setitem__("H7", "SP1.3"), "sheet 'Practices', row 7, column H (practice ID): EXAMPLE 0.1 / BKP / SG2 / SP1.3: practice 'SP1.3' is numbered for goal 1 but stands under SG2"),
    "bad level": (lambda _m, p: (p.__setitem__("D5", "high"), None)[1], "sheet 'Practices', row 5, column D (maturity level): EXAMPLE 0.1 / BKP: 'maturity_level' must be a whole number from 2 to 5, found 'high'"),
    "bad model kind": (lambda m, _p: m.__setitem__("B5", "framework"), "sheet 'Model', row 5, column B (kind): EXAMPLE 0.1: 'kind' must be one of"),
    "unknown model field": (lambda m, _p: m.__setitem__("A12", "owner"), "sheet 'Model', row 12, column A: unknown field 'owner'"),
    "unknown column": (lambda _m, p: p.__setitem__("M1", "comments"), "sheet 'Practices', row 1, column M: unknown column 'comments'"),
    "missing column": (lambda _m, p: p.__setitem__("J1", None), "sheet 'Practices', row 1: the column 'statement' is missing"),
    "missing sheet": (lambda _m, p: setattr(p, "title", "Rows"), "the workbook has no sheet 'Practices' (sheets: Model, Rows, Help)"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED_XLSX))
def test_each_malformed_excel_model_names_sheet_row_and_column_and_changes_nothing(
    case: str, seeded: Path, tmp_path: Path
) -> None:
    edit, expected = MALFORMED_XLSX[case]
    path = edited_template(tmp_path, edit)
    before = snapshot(seeded)
    with pytest.raises(CatalogFileError) as caught:
        import_model_file(path)
    assert f"custom.xlsx, {expected}" in str(caught.value) or f"custom.xlsx: {expected}" in str(caught.value)
    assert snapshot(seeded) == before


def test_a_file_that_is_not_a_workbook_is_refused(seeded: Path, tmp_path: Path) -> None:
    before = snapshot(seeded)
    with pytest.raises(CatalogFileError, match=r"fake\.xlsx: cannot be read as an Excel workbook"):
        import_model_file(write(tmp_path, "fake.xlsx", "not a zip"))
    assert snapshot(seeded) == before


def test_the_template_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"previous")
    monkeypatch.setattr(os, "replace", lambda *_a: (_ for _ in ()).throw(OSError("interrupted")))
    with pytest.raises(KnownError, match="interrupted"):
        write_excel_template(OutputTarget(target, overwrite=True))
    assert snapshot(tmp_path) == {"t.xlsx": b"previous"}


# --- locating the shipped folders --------------------------------------------------------------------------


def test_resources_are_found_in_the_source_tree() -> None:
    assert (resources.resources_dir() / "models" / "links.yaml").is_file()
    assert (resources.migrations_dir() / "env.py").is_file()


def test_a_wheel_s_bundled_folder_wins_over_a_stranger_s_folder_beside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "app"
    (package / "_bundled" / "resources").mkdir(parents=True)
    (tmp_path / "site-packages" / "resources").mkdir()  # some other distribution's folder
    assert resources.locate("resources", package_dir=package, frozen_root="") == package / "_bundled" / "resources"


@pytest.mark.parametrize("layout", ["resources", "app/_bundled/resources"])
def test_a_frozen_build_finds_its_folder_under_meipass(tmp_path: Path, layout: str) -> None:
    (tmp_path / "bundle" / layout).mkdir(parents=True)
    found = resources.locate(
        "resources", package_dir=tmp_path / "nowhere" / "app", frozen_root=str(tmp_path / "bundle")
    )
    assert found == tmp_path / "bundle" / layout


def test_a_frozen_build_is_detected_through_sys_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "migrations").mkdir()
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources.migrations_dir() == tmp_path / "migrations"


def test_a_missing_folder_says_the_install_is_incomplete(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="its 'resources' folder is missing"):
        resources.locate("resources", package_dir=tmp_path / "app", frozen_root="")
