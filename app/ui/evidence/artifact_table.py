"""The evidence register as a table: one row per artifact, sortable, filtered as you type."""

from __future__ import annotations

from types import MappingProxyType

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.services.evidence import ArtifactSummary, DiskStatus
from app.ui.common.filtering import refilter
from app.ui.common.row_table import SORT_ROLE, RowTable

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("Title", "Type", "Version", "Unit", "Effective", "Revs", "Links", "Where")
TITLE, TYPE, VERSION, PROVIDER, EFFECTIVE, REVISIONS, LINKS, WHERE = range(len(COLUMNS))
WARNING = QColor("#a34700")

STATUS_TEXT = {
    DiskStatus.STORED: "stored in the appraisal",
    DiskStatus.UNCHANGED: "referenced",
    DiskStatus.CHANGED: "changed on disk",
    DiskStatus.MISSING: "missing on disk",
    DiskStatus.LINK: "web or other reference",
}


def describe_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB"):
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} GB"


class ArtifactTable(RowTable[ArtifactSummary]):
    columns = COLUMNS
    column_tips = MappingProxyType(
        {
            PROVIDER: "The unit that provided it",
            REVISIONS: "Revisions kept",
            LINKS: "Practice × unit links",
            WHERE: "Stored file or reference",
        }
    )
    other_tip = "Right-click to show or hide columns"
    mark_entity = "artifact"
    mark_column = TITLE

    def sort_key(self, row: ArtifactSummary, column: int) -> object:
        if column in (REVISIONS, LINKS):
            return row.revision_count if column == REVISIONS else row.link_count
        return self.text(row, column).casefold()

    def role_data(self, row: ArtifactSummary, column: int, role: int) -> object:
        if role == SEARCH_ROLE:
            return " ".join(self.text(row, c) for c in range(len(COLUMNS))).casefold()
        if role == Qt.ItemDataRole.ForegroundRole and column == WHERE and row.changed_on_disk:
            return QBrush(WARNING)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHERE:
                return f"{row.location}\n({STATUS_TEXT[row.disk_status]})"
            if column == TITLE:
                return row.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (REVISIONS, LINKS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: ArtifactSummary, column: int) -> str:
        if column == TITLE:
            return row.title
        if column == TYPE:
            return row.artifact_type
        if column == VERSION:
            return row.version_label
        if column == PROVIDER:
            return row.provided_by
        if column == EFFECTIVE:
            return row.effective_date.isoformat() if row.effective_date else ""
        if column == REVISIONS:
            return str(row.revision_count)
        if column == LINKS:
            return str(row.link_count)
        if row.disk_status in (DiskStatus.CHANGED, DiskStatus.MISSING):
            return f"⚠ {STATUS_TEXT[row.disk_status]}: {row.location}"
        if row.disk_status is DiskStatus.STORED:
            return f"{row.location} ({describe_size(row.size)})"
        return row.location


class ArtifactFilter(QSortFilterProxyModel):
    """Keeps rows whose text holds every typed word, in any column and any case."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        refilter(self, lambda: setattr(self, "_words", text.casefold().split()))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        haystack = model.index(source_row, 0, source_parent).data(SEARCH_ROLE) or ""
        return all(word in haystack for word in self._words)
