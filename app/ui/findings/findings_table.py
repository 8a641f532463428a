"""Findings as a table: one row per finding, sortable, filtered by process area, kind, status and words."""

from __future__ import annotations

from types import MappingProxyType

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.findings import KIND_LABELS, STATUSES, FindingInfo
from app.ui.common.filtering import refilter
from app.ui.common.row_table import SORT_ROLE, RowTable

COLUMNS = ("#", "Kind", "Status", "About", "Finding", "Non-attribution")
NUMBER, KIND, STATUS, ABOUT, TEXT, FLAGS = range(len(COLUMNS))
KIND_COLOURS = {"strength": QColor("#1e6b34"), "weakness": QColor("#a11d2b"), "improvement": QColor("#1f4e8c")}
FLAG_COLOUR = QColor("#a11d2b")
ORGANIZATION_WIDE = "Organization-wide"

ANY = ""
"""Filter value that keeps every row."""
NO_PA = "-"
"""Process-area filter value for organization-wide findings."""


def about(info: FindingInfo) -> str:
    return info.target.label or ORGANIZATION_WIDE


def flag_text(info: FindingInfo) -> str:
    if not info.flags:
        return f"✓ {len(info.reviewed)} reviewed" if info.reviewed else ""
    return "⚠ " + "; ".join(dict.fromkeys(f"{flag.term} ({flag.kind})" for flag in info.flags))


class FindingsTable(RowTable[FindingInfo]):
    columns = COLUMNS
    column_tips = MappingProxyType(
        {FLAGS: "Participant or unit names found in the text (method-rules §9, non-attribution)"}
    )
    mark_entity = "finding"
    mark_column = TEXT

    def sort_key(self, row: FindingInfo, column: int) -> object:
        if column == NUMBER:
            return row.id
        if column == STATUS:
            return STATUSES.index(row.status)
        return self.text(row, column).casefold()

    def role_data(self, row: FindingInfo, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == KIND:
                return QBrush(KIND_COLOURS.get(row.kind, QColor("black")))
            if column == FLAGS:
                return QBrush(FLAG_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TEXT:
                return f"<p>{_esc(row.text)}</p>"
            if column == FLAGS and row.flags:
                return "<br>".join(f"{_esc(f.description)}: “{_esc(f.excerpt)}”" for f in row.flags)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: FindingInfo, column: int) -> str:
        if column == NUMBER:
            return str(row.id)
        if column == KIND:
            return KIND_LABELS.get(row.kind, row.kind)
        if column == STATUS:
            return row.status.capitalize()
        if column == ABOUT:
            return about(row)
        if column == TEXT:
            return " ".join(row.text.split())
        return flag_text(row)


class FindingsFilter(QSortFilterProxyModel):
    """Keeps the findings of one process area (or organization-wide ones), kind and status holding every word."""

    def __init__(self) -> None:
        super().__init__()
        self.pa: tuple[str, str] | str = ANY
        """ANY, NO_PA, or the (model, PA) to keep."""
        self.kind = ANY
        self.status = ANY
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filter(
        self, *, pa: tuple[str, str] | str = ANY, kind: str = ANY, status: str = ANY, text: str = ""
    ) -> None:
        def change() -> None:
            self.pa, self.kind, self.status = pa, kind, status
            self._words = text.casefold().split()

        refilter(self, change)

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FindingsTable)
        row = model.rows[source_row]
        if self.kind and row.kind != self.kind:
            return False
        if self.status and row.status != self.status:
            return False
        if self.pa == NO_PA and row.target.pa is not None:
            return False
        if isinstance(self.pa, tuple) and (row.target.model, row.target.pa) != self.pa:
            return False
        haystack = f"{row.text} {about(row)} {KIND_LABELS.get(row.kind, '')}".casefold()
        return all(word in haystack for word in self._words)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
