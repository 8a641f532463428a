"""The history of what is selected (a cell, a goal, a practice, a finding, an artifact) or of the whole
appraisal, read from the change log: when, who, what, the value before and after; filtered by person, kind of
change and dates. The log's own line stays in each row's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import history
from app.services.history import WHOLE_APPRAISAL, HistoryEntry, HistoryFilter, Subject
from app.ui.shell.document import Change, Document

COLUMNS = ("When", "Who", "What", "Before", "After")
_ANY_DAY = QDate(2000, 1, 1)


def _day_box(name: str) -> QDateEdit:
    box = QDateEdit()
    box.setObjectName(name)
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setMinimumDate(_ANY_DAY)
    box.setSpecialValueText("any day")
    box.setDate(_ANY_DAY)
    return box


class HistoryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.document: Document | None = None
        self.subject: Subject = WHOLE_APPRAISAL
        self.entries: list[HistoryEntry] = []
        self.heading = QLabel()
        self.heading.setObjectName("historyHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.whole = QCheckBox("&Whole appraisal")
        self.whole.setObjectName("historyWhole")
        self.whole.setToolTip("Show every change in the appraisal instead of the selection's")
        self.who = QComboBox()
        self.who.setObjectName("historyWho")
        self.kind = QComboBox()
        self.kind.setObjectName("historyKind")
        self.kind.addItem("All kinds", None)
        for kind in sorted(set(history.KINDS.values())):
            self.kind.addItem(kind, kind)
        self.since = _day_box("historySince")
        self.until = _day_box("historyUntil")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel()
        self.empty.setObjectName("historyEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555;")

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for column, (text, box) in enumerate((("&Person", self.who), ("&Kind", self.kind))):
            label = QLabel(text)
            label.setBuddy(box)
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(box, 0, 2 * column + 1)
        for column, (text, day) in enumerate((("&From", self.since), ("&To", self.until))):
            label = QLabel(text)
            label.setBuddy(day)
            filters.addWidget(label, 1, 2 * column)
            filters.addWidget(day, 1, 2 * column + 1)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.whole)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.whole.toggled.connect(lambda _on: self.reload())
        self.who.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.since.dateChanged.connect(lambda _d: self.reload())
        self.until.dateChanged.connect(lambda _d: self.reload())

    def set_document(self, document: Document | None) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._changed)
        self.document = document
        self.subject = WHOLE_APPRAISAL
        if document is not None:
            document.changed.connect(self._changed)
        if document is None or self.isVisible():
            self.reload()  # a hidden panel reads the change log when shown (the dock's visibility reloads it)

    def show_subject(self, subject: Subject | None) -> None:
        """Follow the selection (None: nothing selected, the whole appraisal is shown)."""
        self.subject = subject or WHOLE_APPRAISAL
        if self.isVisible():
            self.reload()

    def _changed(self, _kinds: set[Change]) -> None:
        if self.isVisible():
            self.reload()

    def filters(self) -> HistoryFilter:
        since, until = self.since.date(), self.until.date()
        return HistoryFilter(
            self.who.currentData(),
            self.kind.currentData(),
            since.toPython() if since != _ANY_DAY else None,  # type: ignore[arg-type]
            until.toPython() if until != _ANY_DAY else None,  # type: ignore[arg-type]
        )

    def reload(self) -> None:
        if self.document is None:
            self.entries = []
            self.heading.setText("History")
            self._fill()
            return
        self._fill_people()
        subject = WHOLE_APPRAISAL if self.whole.isChecked() else self.subject
        self.heading.setText(f"History of {subject.title}")
        self.entries = history.history(self.document.workspace, subject, self.filters())
        self._fill()

    def _fill_people(self) -> None:
        assert self.document is not None
        chosen = self.who.currentData()
        names = history.people(self.document.workspace)
        if [self.who.itemData(i) for i in range(1, self.who.count())] == names:
            return
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("Everyone", None)
        for name in names:
            self.who.addItem(name, name)
        self.who.setCurrentIndex(max(self.who.findData(chosen), 0))
        self.who.blockSignals(False)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            texts = (f"{entry.at:%Y-%m-%d %H:%M}", entry.who, entry.what, entry.old, entry.new)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{entry.kind}: {entry.detail}\n{entry.action} {entry.entity} {entry.entity_id or ''}")
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        filtered = self.filters() != HistoryFilter()
        self.empty.setText(
            ("No change matches these filters." if filtered else "No change recorded yet.") if not self.entries else ""
        )
        self.empty.setVisible(not self.entries)
