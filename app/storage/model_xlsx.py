"""Custom models from Excel: the template a user fills in, and reading it back as model-format data.

The workbook has a "Model" sheet (field | value rows) and a "Practices" sheet (one row per practice, see
`COLUMNS`). Reading only rebuilds the nested data of `docs/model-format.md`; `parse_model` validates it. Every
mapping it builds knows its cells (`cell_of`), so each problem names sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.catalog_format import MODEL_FORMAT, CatalogError
from app.domain.located import Problem

MODEL_SHEET = "Model"
PRACTICES_SHEET = "Practices"

# (field as written in column A of the Model sheet, key in the model section, help text)
MODEL_ROWS: tuple[tuple[str, str, str], ...] = (
    ("key", "key", "Stable identifier across versions, e.g. ACME-SEC (letters, digits, . _ - +)"),
    ("version", "version", "e.g. 1.0 (kept as text, so 1.10 stays 1.10)"),
    ("name", "name", "Full name shown in the model browser"),
    ("kind", "kind", "model | pseudo-process-area | reference"),
    ("generic goals from", "generic_goals_from", "Key of the model whose generic goals rate this one (pseudo PA)"),
    ("categories", "categories", "One per line; empty = the categories of the Practices sheet, in order"),
    ("has maturity levels", "has_maturity_levels", "yes | no; empty = yes when a row gives a maturity level"),
    ("max capability level", "max_capability_level", "1-5 (0 for a reference standard); empty = 3"),
    ("source", "source", "Where the content comes from (optional)"),
    ("description", "description", "A short description (optional)"),
)

# (column header, field name used below, help text)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("PA acronym", "pa", "e.g. IRP; empty on generic goal rows"),
    ("PA name", "pa_name", "Needed on the PA's first row; later rows may leave it empty"),
    ("category", "category", "The PA's category (first row of the PA)"),
    ("maturity level", "maturity_level", "2-5 when the model has maturity levels (first row of the PA)"),
    ("goal ID", "goal", "e.g. SG1 or GG2"),
    ("goal title", "goal_title", "Needed on the goal's first row"),
    ("goal kind", "goal_kind", "specific (default) | generic"),
    ("practice ID", "practice", "e.g. SP1.1 or GP2.1"),
    ("practice title", "practice_title", "The practice's short title"),
    ("statement", "statement", "The practice statement (optional)"),
    ("subpractices", "subpractices", "One per line (optional)"),
    ("unverified", "unverified", "yes when the title is not confirmed against the model (default no)"),
)
_PA_COLUMNS = ("pa", "pa_name", "category", "maturity_level")
_YES = {"yes", "y", "true", "x", "1"}
_NO = {"no", "n", "false", "0", ""}


class Located(dict[str, Any]):
    """A mapping read from a sheet; `cell_of(key)` names the cell each field came from."""

    def __init__(self, where: str, cells: dict[str, str] | None = None, first_row: int = 0) -> None:
        super().__init__()
        self.where = where
        self.cells = dict(cells or {})
        self.first_row = first_row

    def cell_of(self, key: object) -> str:
        return self.cells.get(key, self.where) if isinstance(key, str) else self.where


def _norm(text: object) -> str:
    """Header and field names compare without case, punctuation in parentheses, or repeated spaces."""
    plain = re.sub(r"\(.*?\)", " ", str(text or "")).replace("_", " ")
    return " ".join(plain.split()).casefold()


def _text(value: object) -> str | None:
    """A cell as text: numbers as written (1.3, not 1.3000000000000003), empty cells as None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


@dataclass
class _Sheets:
    """Reading state: the file's name for messages and every problem found so far."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, "", message, cell=where))


def read_model_xlsx(path: Path) -> dict[str, Any]:
    """The model in a workbook as model-format data. Raises CatalogError naming sheet, row and column."""
    sheets = _Sheets(path.name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise CatalogError(
            [Problem(path.name, "", f"cannot be read as an Excel workbook (.xlsx): {exc}")],
            f"{path.name} is not a valid model workbook; nothing was loaded",
        ) from None
    try:
        by_name = {name.casefold(): book[name] for name in book.sheetnames}
        model_ws = by_name.get(MODEL_SHEET.casefold())
        practices_ws = by_name.get(PRACTICES_SHEET.casefold())
        for name, ws in ((MODEL_SHEET, model_ws), (PRACTICES_SHEET, practices_ws)):
            if ws is None:
                sheets.problem("", f"the workbook has no sheet {name!r} (sheets: {', '.join(book.sheetnames)})")
        if model_ws is None or practices_ws is None:
            _raise(sheets)
        head = _model_sheet(sheets, model_ws)
        data = _practices_sheet(sheets, practices_ws, head)
    finally:
        book.close()
    if sheets.problems:
        _raise(sheets)
    return data


def _raise(sheets: _Sheets) -> None:
    raise CatalogError(sheets.problems, f"{sheets.source} is not a valid model workbook; nothing was loaded")


def _model_sheet(sheets: _Sheets, ws: Any) -> Located:
    fields = {_norm(label): key for label, key, _help in MODEL_ROWS}
    head = Located(f"sheet {MODEL_SHEET!r}")
    seen: dict[str, int] = {}
    for row_no, row in enumerate(ws.iter_rows(values_only=True), start=1):
        label, value = [*row, None, None][:2]
        name = _norm(label)
        if not name or (row_no == 1 and name == "field"):
            continue
        where = f"sheet {MODEL_SHEET!r}, row {row_no}"
        key = fields.get(name)
        if key is None:
            known = ", ".join(label for label, _k, _h in MODEL_ROWS)
            sheets.problem(f"{where}, column A", f"unknown field {label!r}; expected one of: {known}")
            continue
        if key in seen:
            sheets.problem(f"{where}, column A", f"field {label!r} is given twice (also row {seen[key]})")
            continue
        seen[key] = row_no
        cell = f"{where}, column B ({label})"
        head.cells[key] = cell
        converted = _model_value(sheets, key, value, cell)
        if converted is not None:
            head[key] = converted
    return head


def _model_value(sheets: _Sheets, key: str, value: object, cell: str) -> object:
    if key == "categories":
        text = _text(value)
        return [line.strip() for line in text.splitlines() if line.strip()] if text else None
    if key == "has_maturity_levels":
        return _yes_no(sheets, value, cell)
    if key == "max_capability_level":
        return _number(value)
    return _text(value)


def _yes_no(sheets: _Sheets, value: object, cell: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = (_text(value) or "").casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    sheets.problem(cell, f"write yes or no, found {value!r}")
    return None


def _number(value: object) -> object:
    """Whole numbers as int; anything else is passed on so the model check reports it at its cell."""
    text = _text(value)
    if text is None:
        return None
    return int(text) if text.isdigit() else text


def _header(sheets: _Sheets, ws: Any) -> dict[str, int]:
    """Column index of each known header; columns may come in any order, unknown ones are reported."""
    wanted = {_norm(title): name for title, name, _help in COLUMNS}
    found: dict[str, int] = {}
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    for index, title in enumerate(first):
        name = _norm(title)
        if not name:
            continue
        letter = get_column_letter(index + 1)
        where = f"sheet {PRACTICES_SHEET!r}, row 1, column {letter}"
        if name not in wanted:
            known = ", ".join(t for t, _n, _h in COLUMNS)
            sheets.problem(where, f"unknown column {title!r}; expected: {known}")
        elif wanted[name] in found:
            sheets.problem(where, f"column {title!r} appears twice")
        else:
            found[wanted[name]] = index
    for title, name, _help in COLUMNS:
        if name not in found:
            sheets.problem(f"sheet {PRACTICES_SHEET!r}, row 1", f"the column {title!r} is missing")
    return found


@dataclass
class _Row:
    """One practice row: its values by field name and the cell label of each field."""

    number: int
    values: dict[str, object]
    cells: dict[str, str]

    def text(self, name: str) -> str | None:
        return _text(self.values.get(name))


def _rows(ws: Any, columns: dict[str, int]) -> list[_Row]:
    titles = {name: title for title, name, _h in COLUMNS}
    rows: list[_Row] = []
    for number, raw in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = list(raw)
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        if all(_text(v) is None for v in values.values()):
            continue  # blank rows separate groups; they carry nothing
        labels = {
            name: f"sheet {PRACTICES_SHEET!r}, row {number}, column {get_column_letter(i + 1)} ({titles[name]})"
            for name, i in columns.items()
        }
        rows.append(_Row(number, values, labels))
    return rows


def _practices_sheet(sheets: _Sheets, ws: Any, head: Located) -> Located:
    columns = _header(sheets, ws)
    top = Located(f"sheet {PRACTICES_SHEET!r}")
    top["format"] = MODEL_FORMAT
    top["model"] = head
    if len(columns) < len(COLUMNS):
        return top
    areas: dict[str, Located] = {}
    area_goals: dict[str, dict[str, Located]] = {}
    generic: dict[str, Located] = {}
    for row in _rows(ws, columns):
        kind = _goal_kind(sheets, row)
        if kind is None:
            continue
        if kind == "generic":
            filled = [n for n in _PA_COLUMNS if row.text(n) is not None]
            if filled:
                sheets.problem(row.cells[filled[0]], "a generic goal applies to every process area; leave this empty")
                continue
            goal = _goal(sheets, row, generic)
        else:
            acronym = row.text("pa")
            if acronym is None:
                sheets.problem(row.cells["pa"], "the PA acronym is missing (needed on specific goal rows)")
                continue
            _area(sheets, row, areas, acronym)
            goal = _goal(sheets, row, area_goals.setdefault(acronym, {}))
        if goal is not None:
            goal["practices"].append(_practice(sheets, row))
    for acronym, area in areas.items():
        area["specific_goals"] = list(area_goals.get(acronym, {}).values())
    if generic:
        top["generic_goals"] = list(generic.values())
    top["process_areas"] = list(areas.values())
    _derive_model_fields(head, areas)
    return top


def _goal_kind(sheets: _Sheets, row: _Row) -> str | None:
    kind = (row.text("goal_kind") or "specific").casefold()
    if kind not in ("specific", "generic"):
        sheets.problem(
            row.cells["goal_kind"], f"goal kind must be specific or generic, found {row.text('goal_kind')!r}"
        )
        return None
    return kind


def _same(sheets: _Sheets, row: _Row, name: str, target: Located, key: str, value: object, first: int) -> None:
    """Later rows of a PA or goal may leave its columns empty, but may not contradict the first value."""
    if value is None:
        return
    if key not in target:
        target[key] = value
        target.cells[key] = row.cells[name]
    elif target[key] != value:
        sheets.problem(row.cells[name], f"{value!r} contradicts {target[key]!r} given on row {first}")


def _area(sheets: _Sheets, row: _Row, areas: dict[str, Located], acronym: str) -> None:
    area = areas.get(acronym)
    if area is None:
        area = Located(f"sheet {PRACTICES_SHEET!r}, row {row.number}", {"acronym": row.cells["pa"]}, row.number)
        area["acronym"] = acronym
        areas[acronym] = area
    first = area.first_row
    _same(sheets, row, "pa_name", area, "name", row.text("pa_name"), first)
    _same(sheets, row, "category", area, "category", row.text("category"), first)
    _same(sheets, row, "maturity_level", area, "maturity_level", _number(row.values.get("maturity_level")), first)


def _goal(sheets: _Sheets, row: _Row, scope: dict[str, Located]) -> Located | None:
    """The goal this row's practice belongs to, created on its first row (goals are keyed within their scope)."""
    code = row.text("goal")
    if code is None:
        sheets.problem(row.cells["goal"], "the goal ID is missing")
        return None
    goal = scope.get(code)
    if goal is None:
        goal = Located(f"sheet {PRACTICES_SHEET!r}, row {row.number}", {"id": row.cells["goal"]}, row.number)
        goal["id"] = code
        goal["practices"] = []
        scope[code] = goal
    _same(sheets, row, "goal_title", goal, "title", row.text("goal_title"), goal.first_row)
    return goal


def _practice(sheets: _Sheets, row: _Row) -> Located:
    practice = Located(
        f"sheet {PRACTICES_SHEET!r}, row {row.number}",
        {
            "id": row.cells["practice"],
            "title": row.cells["practice_title"],
            "statement": row.cells["statement"],
            "informative": row.cells["subpractices"],
            "unverified": row.cells["unverified"],
        },
    )
    for key, name in (("id", "practice"), ("title", "practice_title"), ("statement", "statement")):
        value = row.text(name)
        if value is not None:
            practice[key] = value
    if _yes_no(sheets, row.values.get("unverified"), row.cells["unverified"]):
        practice["unverified"] = True
    lines = [line.strip() for line in (row.text("subpractices") or "").splitlines() if line.strip()]
    if lines:
        practice["informative"] = [_subpractice(line, row.cells["subpractices"]) for line in lines]
    return practice


def _subpractice(text: str, cell: str) -> Located:
    item = Located(cell)
    item.update(kind="subpractice", text=text)
    return item


def _derive_model_fields(head: Located, areas: dict[str, Located]) -> None:
    """Fill what the Model sheet may leave out: categories in order of use, maturity levels when any PA has one."""
    if "categories" not in head:
        used: list[str] = []
        for area in areas.values():
            category = area.get("category")
            if isinstance(category, str) and category not in used:
                used.append(category)
        head["categories"] = used
    if "has_maturity_levels" not in head:
        head["has_maturity_levels"] = any(area.get("maturity_level") is not None for area in areas.values())


# --- the template -------------------------------------------------------------------------------------

_EXAMPLE_MODEL: dict[str, str | int] = {
    "key": "EXAMPLE",
    "version": "0.1",
    "name": "Example model (replace these rows with your own)",
    "kind": "model",
    "categories": "Operations",
    "has maturity levels": "no",
    "max capability level": 2,
    "source": "Written by the appraisal team",
}
_EXAMPLE_ROWS: tuple[tuple[str, ...], ...] = (
    ("", "", "", "", "GG1", "Achieve Specific Goals", "generic", "GP1.1", "Perform Specific Practices", "", "", ""),
    ("", "", "", "", "GG2", "Institutionalize a Managed Process", "generic", "GP2.1", "Establish a Policy", "", "", ""),
    ("", "", "", "", "GG2", "", "generic", "GP2.2", "Plan the Process", "", "", ""),
    (
        "BKP",
        "Backup and Restore",
        "Operations",
        "",
        "SG1",
        "Back Up Essential Data",
        "specific",
        "SP1.1",
        "Identify Essential Data",
        "Identify and maintain the list of data that must survive the loss of a site.",
        "List the data stores of each service.\nAgree the recovery point objective with the data owner.",
        "no",
    ),
    ("BKP", "", "", "", "SG1", "", "specific", "SP1.2", "Perform Backups", "", "", "no"),
    ("BKP", "", "", "", "SG2", "Restore Data", "specific", "SP2.1", "Test Restores", "", "", "yes"),
)


def write_excel_template(target: Path | IO[bytes]) -> None:
    """A workbook with both sheets, their help, and a small valid example model to overwrite."""
    book = Workbook()
    model_ws = book.active
    assert model_ws is not None
    model_ws.title = MODEL_SHEET
    _heading(model_ws, ("field", "value", "help"))
    for number, (label, _key, help_text) in enumerate(MODEL_ROWS, start=2):
        model_ws.cell(number, 1, label)
        value = model_ws.cell(number, 2, _EXAMPLE_MODEL.get(label))
        value.number_format = "@"  # text, so a version such as 1.10 is not turned into the number 1.1
        value.alignment = Alignment(wrap_text=True, vertical="top")
        model_ws.cell(number, 3, help_text)
    for letter, width in (("A", 22), ("B", 50), ("C", 80)):
        model_ws.column_dimensions[letter].width = width

    ws = book.create_sheet(PRACTICES_SHEET)
    _heading(ws, tuple(title for title, _n, _h in COLUMNS))
    for example in _EXAMPLE_ROWS:
        ws.append([text or None for text in example])
    widths = (10, 30, 22, 8, 8, 36, 10, 10, 40, 60, 60, 10)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    kinds = DataValidation(type="list", formula1='"specific,generic"', allow_blank=True)
    flags = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    ws.add_data_validation(kinds)
    ws.add_data_validation(flags)
    kinds.add("G2:G5000")
    flags.add("L2:L5000")

    help_ws = book.create_sheet("Help")
    _heading(help_ws, ("column", "meaning"))
    for title, _name, help_text in COLUMNS:
        help_ws.append([title, help_text])
    help_ws.append([])
    help_ws.append(["", "One row per practice. Generic goal rows leave the PA columns empty."])
    help_ws.append(["", "See docs/model-format.md ('The Excel layout') for the rules."])
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 90
    book.save(target)


def _heading(ws: Any, titles: tuple[str, ...]) -> None:
    ws.append(list(titles))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    ws.freeze_panes = "A2"
