"""The characterization grid as a table model: practice rows grouped under model, process-area and goal rows;
one column per unit, then the organizational unit (OU).

Cells come from `app.services.grid` (values, evidence counts, review flags); ratings (OU values, proposals,
goal ratings, capability levels) come from the window's live `RatingResult`. After an edit only the cells read
again and the process areas whose ratings changed are signalled with `dataChanged`; nothing is reset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.palette import CAPABILITY_COLOURS, GOAL_COLOURS, VALUE_COLOURS
from app.domain.plan import PaKey
from app.domain.rating.results import (
    GoalResult,
    InstantiationResult,
    PracticeResult,
    ProcessAreaResult,
    RatingResult,
)
from app.domain.rating.rules import ROLLUP_INVALID_VALUE
from app.domain.rating.scales import Scale
from app.services.characterize import CellKey
from app.services.grid import GridCell, GridData, GridRow, GridUnit, RowKind
from app.ui.characterize.grid_tooltips import cell_tooltip, ou_tooltip, row_tooltip

LOOK_ROLE = Qt.ItemDataRole.UserRole + 1
"""data() role answering a `CellLook`: everything the delegate paints."""

_USABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_SIZE_HINT = Qt.ItemDataRole.SizeHintRole
_ROW_HINT = QSize(190, 40)

HEADING_FILLS = {RowKind.MODEL: "#455a64", RowKind.PROCESS_AREA: "#cfd8dc", RowKind.GOAL: "#eceff1"}
HEADING_TEXT = {RowKind.MODEL: "#ffffff", RowKind.PROCESS_AREA: "#102027", RowKind.GOAL: "#263238"}
_INDENT = {RowKind.MODEL: "", RowKind.PROCESS_AREA: "", RowKind.GOAL: "  ", RowKind.PRACTICE: "      "}

Index = QModelIndex | QPersistentModelIndex


RATING_PENDING = "rating…"
"""What the OU column shows while the full rating runs on the worker thread."""


@dataclass(frozen=True, slots=True)
class CellLook:
    text: str = ""
    fill: str | None = None
    sub: str = ""
    """A second, small line: evidence counts, the allowed judgment values, a target level."""
    sub_alert: bool = False
    """The second line is a warning (no evidence at all)."""
    flagged: bool = False
    judgment: bool = False
    problem: bool = False
    proposal: str | None = None
    """The tool's proposal when it differs from the team's value (painted as a small dot of its colour)."""
    heading: RowKind | None = None
    absent: bool = False
    """The unit does not implement the process area: no instantiation."""


@dataclass(frozen=True, slots=True)
class _PaIndex:
    result: ProcessAreaResult
    practices: Mapping[str, PracticeResult]
    goals: Mapping[str, GoalResult]
    cells: Mapping[tuple[str, str], InstantiationResult]

    @classmethod
    def of(cls, result: ProcessAreaResult) -> _PaIndex:
        practices = {p.code: p for g in result.goals for p in g.practices}
        cells = {(p.code, i.unit): i for p in practices.values() for i in p.instantiations}
        return cls(result, practices, {g.code: g for g in result.goals}, cells)


class GridTable(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.scale = Scale.V13
        self.units: tuple[GridUnit, ...] = ()
        self.rows: list[GridRow] = []
        self.remote_marks: dict[CellKey, str] = {}
        self._ratings: RatingResult | None = None
        self._pas: dict[PaKey, _PaIndex] = {}
        self._spans: dict[PaKey, tuple[int, int]] = {}
        self._practice_rows: dict[tuple[str, str, str], int] = {}
        self._goal_rows: dict[tuple[str, str, str], int] = {}
        self._unit_columns: dict[str, int] = {}

    # --- loading --------------------------------------------------------------------------------------

    def set_data(self, data: GridData, ratings: RatingResult | None) -> None:
        """The grid's cells; `ratings` None while the full rating runs (the OU column says "rating…")."""
        self.beginResetModel()
        self.scale = data.scale
        self.units = data.units
        self.rows = list(data.rows)
        self._unit_columns = {u.name: i for i, u in enumerate(data.units)}
        self._practice_rows = {}
        self._goal_rows = {}
        self._spans = {}
        for i, row in enumerate(self.rows):
            if row.kind is RowKind.PRACTICE:
                self._practice_rows[(row.model, row.pa, row.practice)] = i
            elif row.kind is RowKind.GOAL:
                self._goal_rows[(row.model, row.pa, row.goal)] = i
            if row.kind is not RowKind.MODEL:
                first, _last = self._spans.get(row.pa_key, (i, i))
                self._spans[row.pa_key] = (first, i)
        self._ratings = ratings
        self._pas = {r.key: _PaIndex.of(r) for r in ratings.process_areas} if ratings is not None else {}
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.units, self.rows, self._ratings = (), [], None
        self._pas, self._spans, self._practice_rows, self._goal_rows, self._unit_columns = {}, {}, {}, {}, {}
        self.endResetModel()

    def update_cells(self, cells: Mapping[CellKey, GridCell]) -> bool:
        """Put re-read cells in place and repaint their rows. True when a cell marked for review (before or
        after) was among them: the review list, which shows those cells' values, is then out of date."""
        review_changed = False
        for key, cell in cells.items():
            row_index = self._practice_rows.get((key.model, key.pa, key.practice))
            column = self._unit_columns.get(key.unit)
            if row_index is None or column is None:
                continue
            row = self.rows[row_index]
            updated = list(row.cells)
            before = updated[column]
            review_changed |= (before is not None and before.review_flag) or cell.review_flag
            updated[column] = cell
            self.rows[row_index] = GridRow(
                row.kind,
                row.model,
                row.pa,
                row.goal,
                row.practice,
                row.title,
                row.generic,
                row.statement,
                tuple(updated),
            )
            self.dataChanged.emit(self.index(row_index, 0), self.index(row_index, self.columnCount() - 1))
        return review_changed

    def set_ratings(self, ratings: RatingResult) -> set[PaKey]:
        """Follow new ratings; repaints only the process areas whose result changed. Returns their keys."""
        self._ratings = ratings
        changed: set[PaKey] = set()
        for result in ratings.process_areas:
            known = self._pas.get(result.key)
            if known is not None and known.result is result:
                continue
            self._pas[result.key] = _PaIndex.of(result)
            changed.add(result.key)
        for key in changed:
            span = self._spans.get(key)
            if span is not None:
                self.dataChanged.emit(self.index(span[0], 0), self.index(span[1], self.columnCount() - 1))
        return changed

    # --- lookups for the page -------------------------------------------------------------------------

    @property
    def ou_column(self) -> int:
        return len(self.units)

    @property
    def ratings(self) -> RatingResult | None:
        return self._ratings

    def row(self, index: int) -> GridRow:
        return self.rows[index]

    def unit_of(self, column: int) -> str | None:
        return self.units[column].name if 0 <= column < len(self.units) else None

    def cell(self, row: int, column: int) -> GridCell | None:
        item = self.rows[row]
        return item.cells[column] if item.kind is RowKind.PRACTICE and 0 <= column < len(item.cells) else None

    def key_at(self, index: Index) -> CellKey | None:
        """The instantiation under a unit cell (None for the OU column, headings and absent cells)."""
        if not index.isValid() or self.cell(index.row(), index.column()) is None:
            return None
        unit = self.unit_of(index.column())
        return self.rows[index.row()].key(unit) if unit is not None else None

    def practice_row(self, model: str, pa: str, practice: str) -> int | None:
        return self._practice_rows.get((model, pa, practice))

    def goal_row(self, model: str, pa: str, goal: str) -> int | None:
        return self._goal_rows.get((model, pa, goal))

    def index_of(self, key: CellKey) -> QModelIndex:
        row = self.practice_row(key.model, key.pa, key.practice)
        column = self._unit_columns.get(key.unit)
        return self.index(row, column) if row is not None and column is not None else QModelIndex()

    def pa_rows(self, key: PaKey) -> tuple[int, int] | None:
        return self._spans.get(key)

    def pa_result(self, key: PaKey) -> ProcessAreaResult | None:
        found = self._pas.get(key)
        return found.result if found else None

    def practice_result(self, model: str, pa: str, practice: str) -> PracticeResult | None:
        found = self._pas.get(PaKey(model, pa))
        return found.practices.get(practice) if found else None

    def goal_result(self, model: str, pa: str, goal: str) -> GoalResult | None:
        found = self._pas.get(PaKey(model, pa))
        return found.goals.get(goal) if found else None

    def instantiation(self, model: str, pa: str, practice: str, unit: str) -> InstantiationResult | None:
        found = self._pas.get(PaKey(model, pa))
        return found.cells.get((practice, unit)) if found else None

    def needs_attention(self, row_index: int) -> bool:
        """No evidence, a judgment to make, a proposal that differs from the team's value, or a review mark."""
        row = self.rows[row_index]
        if row.kind is not RowKind.PRACTICE:
            return False
        result = self.practice_result(row.model, row.pa, row.practice)
        if result is not None and result.judgment_needed:
            return True
        for unit, cell in zip(self.units, row.cells, strict=True):
            if cell is None:
                continue
            if cell.review_flag or not cell.has_evidence:
                return True
            inst = self.instantiation(row.model, row.pa, row.practice, unit.name)
            if cell.value is not None and inst is not None and inst.proposal.value != cell.value:
                return True
        return False

    def flagged(self) -> list[tuple[CellKey, GridCell]]:
        """Cells marked for review, in grid order."""
        found = []
        for row in self.rows:
            if row.kind is not RowKind.PRACTICE:
                continue
            for unit, cell in zip(self.units, row.cells, strict=True):
                if cell is not None and cell.review_flag:
                    found.append((row.key(unit.name), cell))
        return found

    def practice_rows(self) -> Iterable[int]:
        return self._practice_rows.values()

    # --- Qt overrides ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() or not self.rows else len(self.units) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every painted cell: the flags are made once (combining Qt's flags in Python is slow).
        if not index.isValid():
            return _NO_FLAGS
        row = self.rows[index.row()]
        column = index.column()
        if column == len(self.units):  # the OU column
            return _USABLE if row.kind is RowKind.PRACTICE or row.kind is RowKind.GOAL else _NO_FLAGS
        # Headings and absent cells are not enabled, so the arrow keys step over them.
        if row.kind is not RowKind.PRACTICE or not 0 <= column < len(row.cells):
            return _NO_FLAGS
        return _USABLE if row.cells[column] is not None else _NO_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == LOOK_ROLE:
            look = self._look(index.row(), index.column())
            who = self._changed_by(index)
            return replace(look, sub=f"by {who}") if who else look
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._look(index.row(), index.column()).text
        if role == Qt.ItemDataRole.ToolTipRole:
            who = self._changed_by(index)
            tip = self._tooltip(index.row(), index.column())
            return f"Just changed by {who}\n{tip}" if who else tip
        return None

    def set_remote_marks(self, marks: Mapping[CellKey, str]) -> None:
        """Cells another person on the team server just changed, with who (app/ui/shell/live_follow.py)."""
        self.remote_marks = dict(marks)
        if self.rows:
            last = self.index(len(self.rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [LOOK_ROLE, Qt.ItemDataRole.ToolTipRole])

    def _changed_by(self, index: Index) -> str | None:
        if not self.remote_marks:
            return None
        key = self.key_at(index)
        return self.remote_marks.get(key) if key is not None else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._column_header(section, role)
        if not 0 <= section < len(self.rows):
            return None
        if role == _SIZE_HINT:
            # The titles' column has a set width and the rows set heights (grid_view.py): a hint spares Qt
            # measuring two hundred titles each time the grid is laid out (a model reset, a filter).
            return _ROW_HINT
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{_INDENT[row.kind]}{row.code}  {row.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and row.kind is not RowKind.PRACTICE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.kind in HEADING_FILLS:
            return heading_brushes()[0][row.kind]
        if role == Qt.ItemDataRole.ForegroundRole and row.kind in HEADING_TEXT:
            return heading_brushes()[1][row.kind]
        return None

    def _column_header(self, section: int, role: int) -> Any:
        if section == self.ou_column:
            if role == Qt.ItemDataRole.DisplayRole:
                return "OU"
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "Organizational unit: the practice rolled up from the units (goal rows: the goal rating; "
                    "process-area rows: the capability level)"
                )
            return None
        if not 0 <= section < len(self.units):
            return None
        unit = self.units[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _wrap(unit.name)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setPointSizeF(max(font.pointSizeF() - 1, 7.0))
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = "Support function" if unit.kind == "support_function" else "Basic unit"
            return f"{unit.name}\n{kind}" + (f"\n{unit.description}" if unit.description else "")
        return None

    # --- what a cell shows ----------------------------------------------------------------------------

    def _look(self, row_index: int, column: int) -> CellLook:
        row = self.rows[row_index]
        if column == self.ou_column:
            if self._ratings is None and row.kind is not RowKind.MODEL:
                return CellLook(text=RATING_PENDING, heading=None if row.kind is RowKind.PRACTICE else row.kind)
            if row.kind is RowKind.PRACTICE:
                return self._practice_ou_look(row)
            if row.kind is RowKind.GOAL:
                return self._goal_look(row)
            if row.kind is RowKind.PROCESS_AREA:
                return self._capability_look(row)
            return CellLook(heading=row.kind)
        if row.kind is not RowKind.PRACTICE:
            return CellLook(heading=row.kind)
        cell = row.cells[column]
        if cell is None:
            return CellLook(absent=True)
        inst = self.instantiation(row.model, row.pa, row.practice, self.units[column].name)
        differs = cell.value is not None and inst is not None and inst.proposal.value != cell.value
        return CellLook(
            text=cell.value or "",
            fill=VALUE_COLOURS.get(cell.value or ""),
            sub=f"{cell.artifacts}/{cell.affirmations}" + ("+" if cell.other_artifacts else ""),
            sub_alert=not cell.has_evidence,
            flagged=cell.review_flag,
            problem=bool(inst and inst.problems),
            proposal=inst.proposal.value if differs and inst is not None else None,
        )

    def _practice_ou_look(self, row: GridRow) -> CellLook:
        result = self.practice_result(row.model, row.pa, row.practice)
        if result is None:
            return CellLook()
        rollup = result.rollup
        if rollup.stale is not None and rollup.proposed is not None:
            return CellLook(text="stale", sub=f"{rollup.proposed.value}? R", judgment=True)
        if rollup.judgment_needed:
            letters = "/".join(self.scale.info(v).key for v in rollup.allowed)
            return CellLook(text="judge", sub=letters, judgment=True, problem=rollup.conflict is not None)
        if rollup.rule is ROLLUP_INVALID_VALUE:
            return CellLook(text="fix", sub="value rule", problem=True)
        sub = "team" if rollup.decision is not None else ""
        return CellLook(
            text=result.ou or "",
            fill=VALUE_COLOURS.get(result.ou or ""),
            sub=sub,
            judgment=rollup.requires_judgment and rollup.decision is None,
            problem=rollup.conflict is not None,
        )

    def _goal_look(self, row: GridRow) -> CellLook:
        result = self.goal_result(row.model, row.pa, row.goal)
        if result is None:
            return CellLook(heading=row.kind)
        if result.stale is not None and result.proposed is not None:
            return CellLook(text="stale", sub=f"{result.proposed.value}? R", judgment=True, heading=row.kind)
        if result.judgment_needed:
            return CellLook(
                text="decide", sub="significance", judgment=True, problem=result.conflict is not None, heading=row.kind
            )
        return CellLook(
            text=result.rating.value,
            fill=GOAL_COLOURS.get(result.rating.value),
            sub="team" if result.overridden else ("conflict" if result.conflict else ""),
            problem=result.conflict is not None,
            heading=row.kind,
        )

    def _capability_look(self, row: GridRow) -> CellLook:
        result = self.pa_result(row.pa_key)
        if result is None:
            return CellLook(heading=row.kind)
        level = result.capability.level
        target = result.target_capability_level
        fill = CAPABILITY_COLOURS.get(level, GOAL_COLOURS["Not Rated"]) if level is not None else None
        return CellLook(
            text=f"CL {level}" if level is not None else "CL —",
            fill=fill or GOAL_COLOURS["Not Rated"],
            sub=f"target {target}" if target is not None else "",
            heading=row.kind,
        )

    def _tooltip(self, row_index: int, column: int) -> str:
        row = self.rows[row_index]
        if column == self.ou_column:
            practice = self.practice_result(row.model, row.pa, row.practice)
            return ou_tooltip(row, practice, self.goal_result(row.model, row.pa, row.goal), self.pa_result(row.pa_key))
        unit = self.units[column].name
        inst = self.instantiation(row.model, row.pa, row.practice, unit)
        return cell_tooltip(row, unit, self.cell(row_index, column), inst, self.scale)


@cache
def heading_brushes() -> tuple[dict[RowKind, QBrush], dict[RowKind, QBrush]]:
    """The headings' fills and texts, made once: the first QBrush a process makes costs milliseconds (PySide
    sets the type up then), which the page spends before the grid's first paint rather than in it."""
    return (
        {kind: QBrush(QColor(fill)) for kind, fill in HEADING_FILLS.items()},
        {kind: QBrush(QColor(text)) for kind, text in HEADING_TEXT.items()},
    )


def _wrap(name: str, width: int = 11) -> str:
    """Unit names on up to three short lines, so narrow columns can hold them."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return "\n".join(lines)
