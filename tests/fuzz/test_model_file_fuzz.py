"""Fuzzing model files (YAML and the Excel template): every file is imported or refused with located problems,
and a refused file leaves the model library exactly as it was (a successful one leaves it loadable)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.domain.catalog import Model
from app.storage.catalog_files import (
    HOME_ENV,
    CatalogFileError,
    import_model_file,
    installed_catalog,
    library_dir,
    model_to_yaml,
)
from app.storage.model_xlsx import write_excel_template
from tests.fuzz.mutations import JUNK, examples, mutated

FUZZ = settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _template() -> bytes:
    out = io.BytesIO()
    write_excel_template(out)
    return out.getvalue()


@functools.cache
def _valid_yaml_data() -> Any:
    with _home(), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.xlsx"
        path.write_bytes(_template())
        model = import_model_file(path)
    return yaml.safe_load(model_to_yaml(model))


@contextlib.contextmanager
def _home() -> Iterator[Path]:
    """A private, empty model library for one example (hypothesis runs many examples per test function)."""
    before = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory() as home:
        os.environ[HOME_ENV] = home
        try:
            yield Path(home)
        finally:
            if before is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = before


def _library() -> dict[str, str]:
    folder = library_dir()
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _import(name: str, content: bytes, *, seed_library: bool = True) -> Model | None:
    """Import `content` as the model file `name` into a fresh library holding one model already; None when
    refused (with located problems and the library unchanged, asserted here)."""
    with _home(), tempfile.TemporaryDirectory() as folder:
        if seed_library:
            seed = Path(folder) / "seed.xlsx"
            seed.write_bytes(_template())
            import_model_file(seed)
        before = _library()
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            model = import_model_file(path)
        except CatalogFileError as exc:
            assert exc.problems, "a refusal must list its problems"
            for problem in exc.problems:
                assert problem.source and problem.message, problem
                assert "object at 0x" not in problem.message and "Traceback" not in problem.message, problem
            assert _library() == before, "a refused import changed the library"
            return None
        # Accepted: the library gained at most this model and still loads as a whole.
        assert set(_library()) - set(before) <= {f"{model.key}@{model.version}.yaml"}
        assert model in installed_catalog().models
        return model


# --- YAML ----------------------------------------------------------------------------------------------------


def test_the_valid_yaml_imports() -> None:
    data = dict(_valid_yaml_data())
    data["model"] = {**data["model"], "key": "FUZZ"}
    assert _import("fuzz.yaml", yaml.safe_dump(data).encode()) is not None


@FUZZ
@given(mutated(_valid_yaml_data()))
def test_a_damaged_yaml_model_is_imported_or_refused_clearly(data: Any) -> None:
    _import("model.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"))


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_any_text_as_a_yaml_model_is_refused_clearly(text: str) -> None:
    _import("model.yaml", text.encode("utf-8", "surrogatepass"), seed_library=False)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_as_a_yaml_model_are_refused_clearly(content: bytes) -> None:
    _import("model.yml", content, seed_library=False)


# --- Excel ---------------------------------------------------------------------------------------------------

CELL_VALUE = (
    st.none()
    | st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)  # what a cell can hold
    | st.integers(-5, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1))
    | st.sampled_from(["=1/0", "=A1", "specific", "generic", "yes", "no", "GG2", "SP1.1", "BKP", "model", "2", "1.10"])
)


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    book = load_workbook(io.BytesIO(_template()))
    for _ in range(draw(st.integers(1, 6))):
        ws = book[draw(st.sampled_from(book.sheetnames))]
        action = draw(st.sampled_from(["cell", "cell", "cell", "delete_row", "insert_row", "rename", "drop_sheet"]))
        row = draw(st.integers(1, max(ws.max_row, 1) + 1))
        if action == "cell":
            ws.cell(row, draw(st.integers(1, 13)), draw(CELL_VALUE))
        elif action == "delete_row":
            ws.delete_rows(row)
        elif action == "insert_row":
            ws.insert_rows(row)
        elif action == "rename":
            ws.title = (
                draw(
                    st.sampled_from(["Model", "Practices", "model", "Sheet", "Practices "]).filter(
                        lambda title: title not in book.sheetnames
                    )
                )
                if len(book.sheetnames) < 5
                else ws.title
            )
        elif action == "drop_sheet" and len(book.sheetnames) > 1:
            book.remove(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_workbooks())
def test_a_damaged_workbook_is_imported_or_refused_clearly(content: bytes) -> None:
    model = _import("model.xlsx", content, seed_library=False)
    if model is not None:
        assert model.process_areas


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_truncated_or_corrupted_workbook_is_refused_clearly(data: st.DataObject) -> None:
    content = bytearray(_template())
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(0, len(content) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 20))):
            content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    _import("model.xlsx", bytes(content), seed_library=False)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"]),
        st.binary(max_size=200) | JUNK.map(lambda v: str(v).encode()),
        max_size=3,
    )
)
def test_a_zip_that_is_no_workbook_is_refused_clearly(members: dict[str, bytes]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    assert _import("model.xlsx", out.getvalue(), seed_library=False) is None
