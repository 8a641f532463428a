"""Search across the appraisal from the toolbar: type, see hits in a popup, Enter or click to open one.

The popup is a QCompleter over the hits, so typing stays in the line edit while Up/Down move through them.
Searching waits for a short pause in typing. Participant names are not in the index, so never in hits.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.domain.places import Place, find_places
from app.services.places import rated_places
from app.services.search import MARK_END, MARK_START, SearchHit, search
from app.ui.shell.document import Change, Document

SEARCH_DELAY_MS = 250
Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
QUERY_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_LABELS = {
    "artifact": "Evidence",
    "session": "Session notes",
    "affirmation": "Affirmation",
    "characterization": "Characterization",
    "finding": "Finding",
    "place": "Go to",
}
PLACE_KIND = "place"
PLACE_HITS = 6


def _place_hit(row: int, place: Place) -> SearchHit:
    """A practice, goal or process area the query names, shown first among the hits."""
    return SearchHit(PLACE_KIND, row, "", f"Go to {place.label}", place.title, f"{place.kind.value} in the grid")


def _flat(text: str) -> str:
    # Line breaks inside notes would push a hit past its fixed row height onto the next one.
    return " ".join(text.split())


def hit_html(hit: SearchHit) -> str:
    snippet = html.escape(_flat(hit.snippet)).replace(MARK_START, "<b>").replace(MARK_END, "</b>")
    return (
        f"<b>{html.escape(_flat(hit.title))}</b> <span style='color:#666'>— {html.escape(_flat(hit.where))}</span>"
        f"<br><span style='color:#333'>{snippet}</span>"
    )


class HitList(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: tuple[SearchHit, ...] = ()
        self.query = ""

    def set_hits(self, query: str, hits: tuple[SearchHit, ...]) -> None:
        self.beginResetModel()
        self.query, self.hits = query, hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title} — {hit.where}: {hit.plain_snippet}"
        if role == QUERY_ROLE:
            # What the completer writes back into the line edit on a choice: the query, unchanged.
            return self.query
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{KIND_LABELS.get(hit.kind, hit.kind)} ({hit.field}) — {hit.where}"
        return None


class HitDelegate(QStyledItemDelegate):
    """Three lines per hit: title and where it lives, then up to two lines of snippet with matches in bold.

    Every row has the same height: QCompleter sizes its popup from the first row.
    """

    LINES = 3

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit = index.data(HIT_ROLE)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)
        rect: QRect = option.rect
        doc = QTextDocument()
        doc.setDocumentMargin(3)
        doc.setHtml(hit_html(hit))
        doc.setTextWidth(rect.width())
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRect(0, 0, rect.width(), rect.height()))
        doc.drawContents(painter, QRect(0, 0, rect.width(), rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, _index: Index) -> QSize:
        metrics = option.fontMetrics
        return QSize(200, self.LINES * metrics.lineSpacing() + 8)


class _QueryLine(QLineEdit):
    """Enter with the popup closed opens the best hit; Esc clears."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()


class SearchBox(QWidget):
    """Signals: hit_chosen(str kind, int id): open this item ("artifact", "session", "affirmation",
    "characterization" or "finding"; see app/services/search.py).
    place_chosen(Place): go to this practice, goal or process area (the query named it: "IRP SP3.1", "RSKM").
    """

    hit_chosen = Signal(str, int)
    place_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.edit = _QueryLine()
        self.edit.setObjectName("searchBox")
        self.edit.setPlaceholderText("Go to IRP SP3.1, or search evidence, notes, affirmations, findings…")
        self._places: tuple[Place, ...] | None = None
        self._place_hits: list[Place] = []
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(260)
        self.model = HitList()
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(QUERY_ROLE)
        self.completer.setMaxVisibleItems(8)
        self.completer.setWidget(self.edit)
        self.popup = QListView()
        self.popup.setObjectName("searchHits")
        self.popup.setMinimumWidth(560)
        self.popup.setUniformItemSizes(True)
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.completer.setPopup(self.popup)
        self.popup.setItemDelegate(HitDelegate(self.popup))
        # The index overload: several hits share the completion text (the query), the row tells them apart.
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.edit.textEdited.connect(lambda _text: self._timer.start())
        self.edit.enter_pressed.connect(self._enter)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setStyleSheet("color: #8d4b00; padding-left: 6px;")
        self.status.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        self.edit.textChanged.connect(lambda _text: self.status.hide())
        self.set_document(None)

    def set_document(self, document: Document | None) -> None:
        self._places = None
        if self.document is not None:
            self.document.changed.disconnect(self._data_changed)
        self.document = document
        if document is not None:
            document.changed.connect(self._data_changed)
        self.edit.setEnabled(document is not None)
        self.model.set_hits("", ())

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        return self.model.hits

    def run_search(self) -> tuple[SearchHit, ...]:
        """Search for the text now (typing does this after a pause) and show the hits."""
        self._timer.stop()
        query = self.edit.text()
        hits = search(self.document.workspace, query) if self.document is not None and query.strip() else ()
        self._place_hits = find_places(query, self.places())[:PLACE_HITS] if query.strip() else []
        hits = tuple(_place_hit(i, p) for i, p in enumerate(self._place_hits)) + hits
        self.model.set_hits(query, hits)
        if hits and self.edit.hasFocus():
            self.completer.complete(self.edit.rect())
        elif not hits:
            self.popup.hide()
        self.edit.setToolTip(f"{len(hits)} hit(s)" if query.strip() else "")
        self.status.setText(f"Nothing found for “{query.strip()}”" if query.strip() and not hits else "")
        self.status.setVisible(bool(self.status.text()))
        return hits

    def places(self) -> tuple[Place, ...]:
        """The appraisal's rated process areas, goals and practices (read once, again after a plan change)."""
        if self.document is None:
            return ()
        if self._places is None:
            self._places = rated_places(self.document.workspace)
        return self._places

    def choose(self, row: int) -> None:
        if 0 <= row < len(self.model.hits):
            hit = self.model.hits[row]
            self.popup.hide()
            if hit.kind == PLACE_KIND:
                self.place_chosen.emit(self._place_hits[hit.id])
            else:
                self.hit_chosen.emit(hit.kind, hit.id)

    def _activated(self, index: QModelIndex) -> None:
        self.choose(index.row())

    def _enter(self) -> None:
        # The line edit sees Enter before the completer: a highlighted hit is opened by the completer.
        if self.popup.isVisible() and self.popup.currentIndex().isValid():
            return
        # Enter before the pause that starts a search (fast typing): search now and open the best hit.
        if self._timer.isActive() or self.model.query != self.edit.text():
            self.run_search()
        if self.model.hits:
            self.choose(0)

    def _data_changed(self, kinds: set[Change]) -> None:
        if kinds & {Change.PLAN, Change.DATA}:
            self._places = None
        # Hits on screen may point at rows an edit or undo just removed: search again if the popup shows.
        if self.popup.isVisible():
            self.run_search()
