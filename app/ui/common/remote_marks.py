"""Rows a colleague just changed on a team server, marked where the page shows them (as the grid marks cells).

The window's live follower (app/ui/shell/live_follow.py) hands every page the rows others changed in the last
seconds, as {(change log entity, row id): login}; a page keeps those of its own kind and shows them with a fill and
"by NAME" beside the row's name, until the marks expire.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor

RowMarks = Mapping[tuple[str, int], str]
MARK_FILL = QColor("#fde9a9")
"""A warm fill that reads as "just now", apart from the value and status colours."""


def marked_by(marks: RowMarks, entity: str) -> dict[int, str]:
    """The marks of one kind of row (a change log entity: finding, artifact, …), by row id."""
    return {row_id: who for (kind, row_id), who in marks.items() if kind == entity}


def with_mark(text: str, who: str | None) -> str:
    return f"{text} · by {who}" if who else text


def mark_tip(who: str) -> str:
    return f"Just changed by {who}"


class MarkedRows:
    """For a table model: the rows of its kind others just changed, and what the views show for them."""

    def __init__(self, model: QAbstractItemModel, entity: str) -> None:
        self._model = model
        self.entity = entity
        self.by: dict[int, str] = {}

    def update(self, marks: RowMarks) -> None:
        by = marked_by(marks, self.entity)
        if by == self.by:
            return
        self.by = by
        rows, columns = self._model.rowCount(), self._model.columnCount()
        if rows and columns:
            self._model.dataChanged.emit(self._model.index(0, 0), self._model.index(rows - 1, columns - 1))

    def data(self, row_id: int, role: int) -> object:
        """The fill of a marked row (None: not marked, or another role)."""
        if role == Qt.ItemDataRole.BackgroundRole and row_id in self.by:
            return QBrush(MARK_FILL)
        return None
