"""Reading a practice-characterization workbook back: what it says it was exported from, and what it holds now.

Everything that makes the file untrustworthy is refused here with a KnownError that says where: not a
workbook, not one of ours, a sheet renamed or deleted, columns moved, rows re-keyed, duplicated or deleted, a
value that is not a characterization. Sorting and filtering rows is fine: rows are found by their key
(goal, practice, unit), never by position.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from app.domain.rating.scales import Scale
from app.domain.report import cell_text
from app.storage import workbook_layout as lay
from app.storage.errors import KnownError

MAX_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 12
CellKey = tuple[str, str, str, str]
"""(sheet, goal, practice, unit)."""


@dataclass(frozen=True, slots=True)
class ExportedCell:
    """What the manifest says one instantiation held when it was exported."""

    sheet: str
    model: str
    pa: str
    goal: str
    practice: str
    unit: str
    value: str | None
    digests: tuple[str, str, str]
    """Of weaknesses, strengths and notes ("-" for an empty text)."""
    updated_at: str


@dataclass(frozen=True, slots=True)
class WorkbookCell:
    """One instantiation row as the workbook holds it now: the four editable fields, canonical, with their cells."""

    key: CellKey
    row: int
    value: str | None
    weaknesses: str
    strengths: str
    notes: str
    refs: dict[str, str]
    """Field name -> cell reference ("K12")."""


@dataclass(frozen=True, slots=True)
class WorkbookContents:
    appraisal_id: int
    fingerprint: str
    appraisal_name: str
    edition: str
    scale: str
    exported_at: str
    sheets: tuple[tuple[str, str, str], ...]
    """(sheet title, model, PA) of each process-area sheet."""
    exported: dict[CellKey, ExportedCell]
    cells: tuple[WorkbookCell, ...]


def _problem_list(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    return "\n  ".join(shown) + (f"\n  … and {more} more" if more > 0 else "")


def _text(value: Any) -> str:
    """A cell's content as text, whatever type Excel stored it as."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _open(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise KnownError(f"{path.name} is {size // (1024 * 1024)} MB: too large to be an exported workbook.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise KnownError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise KnownError(f"{path} is a folder, not a workbook.") from None
    except OSError as exc:
        raise KnownError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise KnownError(f"{path.name} is not an Excel workbook (.xlsx): it may be damaged or another kind of file.")
    try:
        # A file object, not the path: openpyxl would refuse a workbook renamed without its .xlsx suffix.
        # Formulas as formulas (not their cached results): an edited cell holding one is refused, not guessed.
        from openpyxl import load_workbook  # imported when a workbook is read: the window starts without it

        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except KnownError:
        raise
    except Exception as exc:
        raise KnownError(f"{path.name} is damaged and cannot be read as a workbook ({type(exc).__name__}).") from None


class Formula(str):
    """A cell holding a formula (its text, "=..."), told apart from a typed text that starts with "="."""


def _value(cell: dict[str, Any]) -> Any:
    value = cell["value"]
    if cell["data_type"] == "f":
        return Formula(value if isinstance(value, str) else str(value))
    return value


def _rows(ws: Any, min_row: int = 1) -> Iterable[tuple[int, tuple[Any, ...]]]:
    """The rows that hold cells, numbered, as tuples of values from column A, read from openpyxl's own sheet
    parser: `iter_rows` would first wrap each of some 300,000 cells (size L) in a cell object, and pad the
    empty rows, which hold nothing to import."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number < min_row or not cells:
                continue
            values: list[Any] = [None] * cells[-1]["column"]
            for cell in cells:
                values[cell["column"] - 1] = _value(cell)
            yield number, tuple(values)


class _Manifest:
    def __init__(self, wb: Any, name: str) -> None:
        if lay.MANIFEST not in wb.sheetnames:
            raise KnownError(
                f"{name} was not exported by Appraisal Desk (it has no {lay.MANIFEST} sheet), or that sheet was "
                "deleted; export the workbook again from the appraisal."
            )
        meta: dict[str, Any] = {}
        table: list[tuple[Any, ...]] = []
        in_table = False
        for _number, row in _rows(wb[lay.MANIFEST]):
            cells = (*row, *([None] * len(lay.MANIFEST_COLUMNS)))[: len(lay.MANIFEST_COLUMNS)]
            if in_table:
                table.append(cells)
            elif tuple(_text(c) for c in cells) == lay.MANIFEST_COLUMNS:
                in_table = True
            elif cells[0] is not None:
                meta[_text(cells[0])] = cells[1]
        damaged = f"The {lay.MANIFEST} sheet of {name} is damaged; export the workbook again from the appraisal."
        if meta.get("format") != lay.FORMAT_NAME or not in_table:
            raise KnownError(damaged)
        if meta.get("version") != lay.FORMAT_VERSION:
            raise KnownError(
                f"{name} uses workbook format {meta.get('version')!r}; this version of Appraisal Desk reads format "
                f"{lay.FORMAT_VERSION}. Export it again from the appraisal."
            )
        try:
            self.appraisal_id = int(meta["appraisal_id"])
            self.fingerprint = _text(meta["fingerprint"])
            self.appraisal_name = _text(meta.get("appraisal"))
            self.edition = _text(meta["edition"])
            self.scale = Scale(_text(meta["scale"]))
            self.exported_at = _text(meta.get("exported_at"))
            sheets = json.loads(_text(meta["sheets"]))
            self.sheets = tuple((str(t), str(m), str(p)) for t, m, p in sheets)
        except (KeyError, ValueError, TypeError):
            raise KnownError(damaged) from None
        where = {title: (model, pa) for title, model, pa in self.sheets}
        self.cells: dict[CellKey, ExportedCell] = {}
        for sheet, goal, practice, unit, state in table:
            if sheet is None and goal is None:
                continue
            unpacked = lay.unpack_state(_text(state))
            key = (_text(sheet), _text(goal), _text(practice), _text(unit))
            if unpacked is None or key[0] not in where or key in self.cells:
                raise KnownError(damaged)
            value, digests, updated_at = unpacked
            model, pa = where[key[0]]
            self.cells[key] = ExportedCell(key[0], model, pa, key[1], key[2], key[3], value, digests, updated_at)


def _check_header(title: str, header: tuple[Any, ...]) -> dict[str, int]:
    found = tuple(_text(c).strip() for c in header)
    while found and not found[-1]:
        found = found[:-1]
    if found != lay.TEAM_COLUMNS:
        raise KnownError(
            f"The columns of sheet '{title}' were moved, renamed, added or deleted, so its cells cannot be read "
            f"safely. Row {lay.HEADER_ROW} should read: {', '.join(lay.TEAM_COLUMNS)}. Undo the change (or export "
            "again) and import once more."
        )
    return {name: index for index, name in enumerate(lay.TEAM_COLUMNS)}


def _sheet_cells(
    ws: Any, title: str, exported: dict[CellKey, ExportedCell], scale: Scale, problems: list[str]
) -> list[WorkbookCell]:
    header: tuple[Any, ...] = ()
    for number, row in _rows(ws):
        if number == lay.HEADER_ROW:
            header = row
            break
    column = _check_header(title, header)
    width = len(lay.TEAM_COLUMNS)
    seen: dict[CellKey, int] = {}
    cells: list[WorkbookCell] = []
    allowed = ", ".join(scale.values)
    for number, raw in _rows(ws, lay.FIRST_DATA_ROW):
        row = (*raw, *([None] * width))[:width]
        if all(v is None or _text(v).strip() == "" for v in row):
            continue
        goal, practice, unit = (_text(row[column[name]]).strip() for name in lay.KEY_COLUMNS)
        if unit == lay.OU_LABEL:
            continue
        key = (title, goal, practice, unit)
        if key not in exported:
            problems.append(
                f"Sheet '{title}' row {number}: {goal} {practice} for unit '{unit}' was not exported in this "
                "workbook (were the Goal, Practice or Unit cells changed, or rows added?)"
            )
            continue
        if key in seen:
            problems.append(f"Sheet '{title}' rows {seen[key]} and {number} are both {goal} {practice} for '{unit}'")
            continue
        seen[key] = number
        refs = {field: f"{lay.column_letter(column[name] + 1)}{number}" for name, field in lay.EDITABLE_COLUMNS.items()}
        formulas = [
            f"Sheet '{title}' cell {refs[field]} holds a formula ({row[column[name]]}); the import takes typed "
            "values only, so its result would be lost: replace the formula with the value itself"
            for name, field in lay.EDITABLE_COLUMNS.items()
            if isinstance(row[column[name]], Formula)
        ]
        if formulas:
            problems.extend(formulas)
            continue
        raw_value = row[column["Characterization"]]
        value: str | None = None
        if raw_value is not None and _text(raw_value).strip():
            try:
                if not isinstance(raw_value, str):
                    raise ValueError
                value = scale.parse(raw_value).value
            except ValueError:
                problems.append(
                    f"Sheet '{title}' cell {refs['value']}: {_text(raw_value)!r} is not a characterization "
                    f"({allowed}, or empty)"
                )
                continue
        cells.append(
            WorkbookCell(
                key,
                number,
                value,
                cell_text(_text(row[column["Weaknesses"]])),
                cell_text(_text(row[column["Strengths"]])),
                cell_text(_text(row[column["Notes"]])),
                refs,
            )
        )
    for key in exported:
        if key[0] == title and key not in seen:
            problems.append(f"Sheet '{title}': the row of {key[1]} {key[2]} for unit '{key[3]}' is missing (deleted?)")
    return cells


def read_workbook(path: Path) -> WorkbookContents:
    """The workbook's identity, its exported state and its current cells; KnownError if it cannot be trusted."""
    wb = _open(path)
    try:
        return _read(wb, path.name)
    except KnownError:
        raise
    except Exception as exc:
        # A damaged part (bad XML, a broken shared string) surfaces while rows are read.
        raise KnownError(f"{path.name} is damaged and cannot be read as a workbook ({type(exc).__name__}).") from None
    finally:
        wb.close()


def _read(wb: Any, name: str) -> WorkbookContents:
    manifest = _Manifest(wb, name)
    if manifest.edition != "team":
        raise KnownError(
            f"{name} is a {manifest.edition} edition: it holds ratings, not the team's characterizations, so there "
            "is nothing to import. Import a team edition."
        )
    missing = [title for title, _m, _p in manifest.sheets if title not in wb.sheetnames]
    if missing:
        raise KnownError(
            f"{name} lacks the sheet{'s' if len(missing) > 1 else ''} {', '.join(repr(t) for t in missing)} "
            "(renamed or deleted), so it cannot be imported safely. Restore the sheet's name, or export again."
        )
    problems: list[str] = []
    cells: list[WorkbookCell] = []
    for title, _model, _pa in manifest.sheets:
        cells.extend(_sheet_cells(wb[title], title, manifest.cells, manifest.scale, problems))
    if problems:
        raise KnownError(
            f"{name} has cells Appraisal Desk cannot import; nothing was imported:\n  {_problem_list(problems)}"
        )
    return WorkbookContents(
        manifest.appraisal_id,
        manifest.fingerprint,
        manifest.appraisal_name,
        manifest.edition,
        manifest.scale.value,
        manifest.exported_at,
        manifest.sheets,
        manifest.cells,
        tuple(cells),
    )
