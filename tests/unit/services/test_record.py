"""The appraisal record: the disclosure statement (DOCX and PDF) with the §6 fields, record.json valid against its
published schema, CSV columns exactly as documented, and no participant name in any file."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import jsonschema
import pytest
from pypdf import PdfReader

from app.domain.catalog import Catalog
from app.domain.record import TABLES, csv_value
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import report_exports
from app.services.report_exports import NotReady
from app.services.workspace import Workspace
from app.storage.record_files import record_file_names
from tests.unit.services.output_appraisal import PARTICIPANTS, make_output_appraisal
from tests.unit.services.ready_demo import make_ready_demo
from tests.unit.services.test_report_docx import names_of, xml_parts

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture(scope="module")
def record_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Workspace]]:
    root = tmp_path_factory.mktemp("record")
    ws = make_ready_demo(root / "demo.appraisal")
    report_exports.export_record(ws, root / "out")
    yield root / "out", ws
    ws.close()


def documented_columns() -> dict[str, list[str]]:
    text = (DOCS / "record-format.md").read_text(encoding="utf-8")
    tables: dict[str, list[str]] = {}
    for name, body in re.findall(r"^### `(\w+)\.csv`\n(.*?)(?=^### |\Z)", text, flags=re.MULTILINE | re.DOTALL):
        tables[name] = re.findall(r"^\| `(\w+)` \|", body, flags=re.MULTILINE)
    return tables


def all_texts(folder: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in folder.iterdir():
        if path.suffix == ".docx":
            texts.update({f"{path.name}:{part}": text for part, text in xml_parts(path).items()})
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            texts[path.name] = " ".join(p.extract_text() for p in reader.pages) + str(reader.metadata)
        else:
            texts[path.name] = path.read_text(encoding="utf-8-sig")
    return texts


def test_the_record_folder_holds_every_file(record_dir: tuple[Path, Workspace]) -> None:
    folder, _ws = record_dir
    assert sorted(p.name for p in folder.iterdir()) == sorted(record_file_names())


def test_record_json_validates_against_the_published_schema(record_dir: tuple[Path, Workspace]) -> None:
    folder, _ws = record_dir
    schema = json.loads((DOCS / "record-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())
    assert record["appraisal"]["id"] == "OVIG-2026-SVC-01"
    assert record["appraisal"]["valid_until"] == "2029-12-04"
    assert record["marking"] == DEFAULT_MARKINGS[Edition.TEAM]
    row = next(r for r in record["practices"] if (r["pa"], r["practice"]) == ("IRP", "SP3.1"))
    assert row["goal_rating"] == "Unsatisfied" and row["ou_characterization"] == "PI"
    assert re.fullmatch(r"(S\d+(; )?)*", row["affirmation_sources"])
    broken = dict(record)
    broken["practices"] = [{**row, "artifact_sufficiency": "plenty"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_csv_columns_match_the_docs_and_the_json(record_dir: tuple[Path, Workspace]) -> None:
    folder, _ws = record_dir
    documented = documented_columns()
    assert documented == {name: list(columns) for name, columns in TABLES.items()}
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    for table, columns in TABLES.items():
        with open(folder / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == list(columns)
        assert len(rows) - 1 == len(record[table])
    assert len(record["practices"]) > 1000


def test_the_disclosure_statement_has_the_section_6_fields(record_dir: tuple[Path, Workspace]) -> None:
    folder, _ws = record_dir
    document = docx.Document(str(folder / "disclosure-statement.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1  Identification",
        "2  Organizational unit and sampling",
        "3  Model scope",
        "4  Ratings",
        "5  Affirmation and signatures",
    ]
    identification = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert identification["Appraisal ID"] == "OVIG-2026-SVC-01"
    assert identification["Ratings valid until"] == "2029-12-04"
    assert identification["Method and version"].startswith("SCAMPI A")
    signatures = [r.cells[0].text for r in document.tables[-1].rows]
    assert signatures[:3] == ["Role", "Lead appraiser", "Sponsor"] and "Team member" in signatures
    assert document.sections[0].header.paragraphs[0].text == DEFAULT_MARKINGS[Edition.TEAM]
    pdf = PdfReader(folder / "disclosure-statement.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("Appraisal disclosure statement", "OVIG-2026-SVC-01", "Sampling factors", "Signature"):
        assert expected in text
    assert all(DEFAULT_MARKINGS[Edition.TEAM] in page.extract_text() for page in pdf.pages)


def test_no_participant_name_in_any_record_file(
    record_dir: tuple[Path, Workspace], tmp_path: Path, catalog: Catalog
) -> None:
    folder, ws = record_dir
    for where, text in all_texts(folder).items():
        for name in names_of(ws):
            assert name.casefold() not in text.casefold(), f"{name} leaked into {where}"
    named = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    try:
        with pytest.raises(NotReady):
            report_exports.export_record(named, tmp_path / "refused")
        assert not (tmp_path / "refused").exists()
        report_exports.export_record(named, tmp_path / "draft", draft=True)
        texts = all_texts(tmp_path / "draft")
        for where, text in texts.items():
            for name in PARTICIPANTS:
                assert name.casefold() not in text.casefold(), f"{name} leaked into {where}"
        assert "'=HYPERLINK" in texts["findings.csv"], "a formula-like text is defused in CSV"
    finally:
        named.close()


@pytest.mark.parametrize(
    ("value", "cell"),
    [(None, ""), (True, "yes"), (False, "no"), (["a", "b"], "a; b"), (3, "3"), ("=1+1", "'=1+1"), ("- x", "- x")],
)
def test_csv_values(value: object, cell: str) -> None:
    assert csv_value(value) == cell
