"""The coverage matrix as a table: rated practices (grouped under their process area) down the side, sampled
units across, evidence counts in the cells, and the coverage rules' gaps marked where they apply."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.rating.coverage import CoverageGap
from app.services.coverage import CoverageMatrix
from app.ui.common.filtering import refilter

GAP_ROLE = Qt.ItemDataRole.UserRole + 1
"""The gaps (list of CoverageGap) found at a cell or, on the vertical header, at a row."""

GAP_BACKGROUND = QColor("#f6d3d6")
GAP_TEXT = QColor("#a11d2b")
NOT_IMPLEMENTED = QColor("#e9ebee")
COVERED = QColor("#e2f0e5")
PA_ROW = QColor("#f3f4f6")
HEADER_WIDTH = 14


Key = tuple[str | None, str | None, str | None, str | None]


class CoverageTable(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.matrix = CoverageMatrix((), ())
        self.gaps: tuple[CoverageGap, ...] = ()
        self._cell_gaps: dict[tuple[int, int], list[CoverageGap]] = {}
        self._row_gaps: dict[int, list[CoverageGap]] = {}
        self._unit_gaps: dict[int, list[CoverageGap]] = {}
        self.unplaced: list[CoverageGap] = []
        """Gaps about no single row (the sampling rules B1 and B2)."""

    def set_data(self, matrix: CoverageMatrix, gaps: tuple[CoverageGap, ...]) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.gaps = gaps
        self._place_gaps()
        self.endResetModel()

    def _place_gaps(self) -> None:
        self._cell_gaps, self._row_gaps, self._unit_gaps, self.unplaced = {}, {}, {}, []
        rows = {(r.model, r.pa, r.practice): n for n, r in enumerate(self.matrix.rows)}
        units = {u.name: n for n, u in enumerate(self.matrix.units)}
        for gap in self.gaps:
            row = rows.get((gap.model or "", gap.pa or "", gap.practice)) if gap.pa else None
            column = units.get(gap.unit) if gap.unit else None
            if row is not None and column is not None:
                self._cell_gaps.setdefault((row, column), []).append(gap)
            elif row is not None:
                self._row_gaps.setdefault(row, []).append(gap)
            elif column is not None:
                self._unit_gaps.setdefault(column, []).append(gap)
            else:
                self.unplaced.append(gap)

    def place_of(self, gap: CoverageGap) -> tuple[int, int | None] | None:
        """(row, column) where a gap is marked (column None: the row's header), or None when it has no row."""
        for (row, column), found in self._cell_gaps.items():
            if gap in found:
                return row, column
        for row, found in self._row_gaps.items():
            if gap in found:
                return row, None
        return None

    def cell_gaps(self, row: int, column: int) -> list[CoverageGap]:
        return self._cell_gaps.get((row, column), [])

    def row_has_gaps(self, row: int) -> bool:
        return row in self._row_gaps or any(r == row for r, _ in self._cell_gaps)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.units)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal:
            return self._unit_header(section, role)
        if not 0 <= section < len(self.matrix.rows):
            return None
        row = self.matrix.rows[section]
        gaps = self._row_gaps.get(section, [])
        if role == Qt.ItemDataRole.DisplayRole:
            label = f"{row.pa}  {row.pa_name}" if row.is_pa else f"    {row.practice}  {row.title}"
            return f"⚠ {label.strip()}" if gaps else label
        if role == Qt.ItemDataRole.FontRole and row.is_pa:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and gaps:
            return QBrush(GAP_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            what = f"{row.model} {row.pa} " + (row.pa_name if row.is_pa else f"{row.practice} {row.title}")
            return "\n".join([what, *(g.missing for g in gaps)])
        if role == GAP_ROLE:
            return gaps
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _unit_header(self, section: int, role: int) -> object:
        if not 0 <= section < len(self.matrix.units):
            return None
        unit = self.matrix.units[section]
        gaps = self._unit_gaps.get(section, [])
        if role == Qt.ItemDataRole.DisplayRole:
            # Unit names are long and the columns narrow: wrap onto two lines instead of eliding.
            lines = textwrap.wrap(unit.name, HEADER_WIDTH) or [unit.name]
            text = "\n".join([lines[0], " ".join(lines[1:])]) if len(lines) > 1 else lines[0]
            return f"⚠ {text}" if gaps else text
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = "support function" if unit.kind == "support_function" else "basic unit"
            return "\n".join([f"{unit.name} ({kind})", *(g.missing for g in gaps)])
        if role == Qt.ItemDataRole.ForegroundRole and gaps:
            return QBrush(GAP_TEXT)
        if role == GAP_ROLE:
            return gaps
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.matrix.rows[index.row()]
        cell = row.cells[index.column()]
        gaps = self._cell_gaps.get((index.row(), index.column()), [])
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return ""
            return cell.text or ("—" if row.is_pa else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            if gaps:
                return QBrush(GAP_BACKGROUND)
            if cell is None:
                return QBrush(NOT_IMPLEMENTED)
            if row.is_pa:
                return QBrush(PA_ROW)
            if cell.artifacts and cell.affirmations:
                return QBrush(COVERED)
            return None
        if role == Qt.ItemDataRole.FontRole and row.is_pa:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            unit = self.matrix.units[index.column()]
            where = f"{row.pa} {row.practice or ''} in {unit.name}".replace("  ", " ")
            if cell is None:
                return f"{unit.name} does not implement {row.pa}."
            return "\n".join([f"{where}: {cell.description}", *(g.missing for g in gaps)])
        if role == GAP_ROLE:
            return gaps
        return None


class CoverageFilter(QSortFilterProxyModel):
    """Keeps the rows whose process area or practice holds every typed word, optionally only those with gaps.

    A process area's own row stays whenever one of its practices does, so every practice keeps its heading.
    """

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._gaps_only = False
        self._keep: set[int] | None = None

    def set_filter(self, text: str, gaps_only: bool) -> None:
        def change() -> None:
            self._words = text.casefold().split()
            self._gaps_only = gaps_only
            self._keep = None

        refilter(self, change)

    def setSourceModel(self, model: CoverageTable) -> None:  # type: ignore[override]
        super().setSourceModel(model)
        # Before the proxy re-filters a reset source, forget the rows kept for the old one.
        model.modelAboutToBeReset.connect(self._forget)

    def _forget(self) -> None:
        self._keep = None

    def _kept(self) -> set[int]:
        if self._keep is not None:
            return self._keep
        model = self.sourceModel()
        assert isinstance(model, CoverageTable)
        keep: set[int] = set()
        heading: int | None = None
        for n, row in enumerate(model.matrix.rows):
            if row.is_pa:
                heading = n
            haystack = f"{row.model} {row.pa} {row.pa_name} {row.practice or ''} {row.title}".casefold()
            if not all(word in haystack for word in self._words):
                continue
            if self._gaps_only and not model.row_has_gaps(n):
                continue
            keep.add(n)
            if heading is not None:
                keep.add(heading)
        self._keep = keep
        return keep

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words and not self._gaps_only:
            return True
        return source_row in self._kept()
