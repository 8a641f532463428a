"""The record of one interview session: code, kind, time, unit, roles, and the participants.

Non-attribution: this is the only widget that shows participant names; it reads them with
`session_participants` for the one session on screen. Edits are reported as signals; the page turns them
into undoable commands.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence import UnitOption
from app.services.interviews import SESSION_KINDS, ParticipantInfo, SessionFields, SessionInfo

NO_TIME = QDateTime(QDate(1900, 1, 1), QTime(0, 0))
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SessionRecord(QWidget):
    """Signals:
    fields_edited(SessionFields before, SessionFields after)
    participant_added(str name, str role)
    participant_edited(ParticipantInfo before, str name, str role)
    participants_removed(list[int])
    """

    fields_edited = Signal(object, object)
    participant_added = Signal(str, str)
    participant_edited = Signal(object, str, str)
    participants_removed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: SessionInfo | None = None
        self.people: tuple[ParticipantInfo, ...] = ()
        self._loading = False

        self.code = QLineEdit()
        self.code.setObjectName("sessionCode")
        self.kind = QComboBox()
        for kind in SESSION_KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.held_at = QDateTimeEdit()
        self.held_at.setCalendarPopup(True)
        self.held_at.setMinimumDateTime(NO_TIME)
        self.held_at.setSpecialValueText("not scheduled")
        self.held_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.unit = QComboBox()
        self.unit.setObjectName("sessionUnit")
        self.roles = QLineEdit()
        self.roles.setObjectName("sessionRoles")
        self.roles.setPlaceholderText("Roles present, e.g. service manager, two analysts (no names)")
        grid = QGridLayout()
        # Two pairs per row keeps the record narrow enough to sit beside the participants at 1366 px.
        for index, (text, widget) in enumerate(
            (("C&ode", self.code), ("&Kind", self.kind), ("&When", self.held_at), ("U&nit", self.unit))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, index // 2, (index % 2) * 2)
            grid.addWidget(widget, index // 2, (index % 2) * 2 + 1)
        roles_label = QLabel("&Roles")
        roles_label.setBuddy(self.roles)
        grid.addWidget(roles_label, 2, 0)
        grid.addWidget(self.roles, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        session_box = QGroupBox("Session")
        session_box.setLayout(grid)

        self.participants = QTableWidget(0, 2)
        self.participants.setObjectName("participants")
        self.participants.setHorizontalHeaderLabels(["Name", "Role"])
        self.participants.verticalHeader().setVisible(False)
        self.participants.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.participants.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.participants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participants.setMaximumHeight(4 * (self.fontMetrics().height() + 8) + 4)
        self.participants.itemChanged.connect(self._participant_changed)
        self.person_name = QLineEdit()
        self.person_name.setObjectName("participantName")
        self.person_name.setPlaceholderText("Name")
        self.person_role = QLineEdit()
        self.person_role.setPlaceholderText("Role")
        self.add_person = QPushButton("Add &participant")
        self.add_person.clicked.connect(self._add_person)
        self.person_role.returnPressed.connect(self._add_person)
        self.person_name.returnPressed.connect(self.person_role.setFocus)
        self.remove_person = QPushButton("Remove")
        self.remove_person.setToolTip("Remove the selected participants (Del in the list)")
        self.remove_person.clicked.connect(self.remove_selected_people)
        entry = QHBoxLayout()
        entry.addWidget(self.person_name, 2)
        entry.addWidget(self.person_role, 2)
        entry.addWidget(self.add_person)
        entry.addWidget(self.remove_person)
        people_box = QGroupBox("Participants (names appear only here)")
        people_box.setToolTip("For non-attribution, names never appear in lists, search, exports or reports.")
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.participants)
        people_layout.addLayout(entry)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(session_box, 3)
        layout.addWidget(people_box, 2)

        self.code.editingFinished.connect(self.commit)
        self.roles.editingFinished.connect(self.commit)
        self.kind.activated.connect(self.commit)
        self.unit.activated.connect(self.commit)
        self.held_at.editingFinished.connect(self.commit)
        self.held_at.dateTimeChanged.connect(self._time_picked)
        self.show_session(None, (), ())

    def show_session(
        self, info: SessionInfo | None, people: tuple[ParticipantInfo, ...], units: tuple[UnitOption, ...]
    ) -> None:
        same = self.info is not None and info is not None and self.info.id == info.id
        self.info, self.people = info, people
        self._loading = True
        try:
            self.unit.clear()
            self.unit.addItem("— none —", None)
            for unit in units:
                self.unit.addItem(unit.name, unit.id)
            editors: tuple[QWidget, ...] = (self.code, self.kind, self.held_at, self.unit, self.roles)
            for widget in (*editors, self.participants, self.person_name, self.person_role, self.add_person):
                widget.setEnabled(info is not None)
            self.remove_person.setEnabled(info is not None)
            if info is None:
                self.code.clear()
                self.roles.clear()
                self.held_at.setDateTime(NO_TIME)
                self.participants.setRowCount(0)
                return
            if not (same and self.code.hasFocus()):
                self.code.setText(info.code)
            if not (same and self.roles.hasFocus()):
                self.roles.setText(info.participant_roles)
            self.kind.setCurrentIndex(max(self.kind.findData(info.kind), 0))
            self.unit.setCurrentIndex(max(self.unit.findData(info.unit_id), 0) if info.unit_id else 0)
            self.held_at.setDateTime(_qt_time(info.held_at))
            self.participants.setRowCount(len(people))
            for row, person in enumerate(people):
                name = QTableWidgetItem(person.name)
                name.setData(ID_ROLE, person.id)
                self.participants.setItem(row, 0, name)
                self.participants.setItem(row, 1, QTableWidgetItem(person.role))
        finally:
            self._loading = False

    def edited_fields(self) -> SessionFields | None:
        if self.info is None:
            return None
        unit = self.unit.currentData()
        return SessionFields(
            code=self.code.text().strip(),
            kind=str(self.kind.currentData()),
            held_at=_py_time(self.held_at.dateTime()),
            unit_id=int(unit) if unit is not None else None,
            participant_roles=self.roles.text().strip(),
        )

    def commit(self) -> None:
        if self._loading or self.info is None:
            return
        after = self.edited_fields()
        if after is not None and after != self.info.fields:
            self.fields_edited.emit(self.info.fields, after)

    def _time_picked(self) -> None:
        if not self.held_at.hasFocus():
            self.commit()

    def _add_person(self) -> None:
        name = self.person_name.text().strip()
        if not name or self.info is None:
            self.person_name.setFocus()
            return
        self.participant_added.emit(name, self.person_role.text().strip())
        self.person_name.clear()
        self.person_role.clear()
        self.person_name.setFocus()

    def _participant_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row = item.row()
        name_item, role_item = self.participants.item(row, 0), self.participants.item(row, 1)
        if name_item is None or role_item is None or row >= len(self.people):
            return
        before = self.people[row]
        name, role = name_item.text().strip(), role_item.text().strip()
        if (name, role) != (before.name, before.role):
            self.participant_edited.emit(before, name, role)

    def remove_selected_people(self) -> None:
        rows = sorted({index.row() for index in self.participants.selectedIndexes()})
        ids = [self.people[row].id for row in rows if row < len(self.people)]
        if ids:
            self.participants_removed.emit(ids)


def _qt_time(value: datetime | None) -> QDateTime:
    if value is None:
        return NO_TIME
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def _py_time(value: QDateTime) -> datetime | None:
    if value <= NO_TIME:
        return None
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
