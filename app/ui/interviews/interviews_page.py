"""Interviews: sessions, the session record (the only place names appear), live notes saved as you type,
and affirmations entered and tagged to practices × units while the interview runs."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QHideEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services import evidence as ev
from app.services import interviews as iv
from app.services.errors import KnownError
from app.services.evidence import EvidenceSource, LinkTarget
from app.services.interviews import ParticipantInfo, SessionFields
from app.ui.common import prompts
from app.ui.common.errors import show_error
from app.ui.common.local_keys import LocalKeys, on_delete_key, tab_chain
from app.ui.common.page import Page
from app.ui.common.remote_marks import MARK_FILL, RowMarks, mark_tip, marked_by, with_mark
from app.ui.evidence import commands as evidence_commands
from app.ui.evidence.link_dialog import LinkDialog
from app.ui.interviews import commands as ic
from app.ui.interviews.affirmation_entry import AffirmationEntry
from app.ui.interviews.affirmation_table import AffirmationTable
from app.ui.interviews.notes_editor import NotesEditor
from app.ui.interviews.session_record import SessionRecord
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import Change, Document

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LISTED_ROLE = Qt.ItemDataRole.UserRole + 2
"""A session's line as listed, before any mark of a colleague's change."""


class InterviewsPage(Page):
    title = "Interviews"
    shortcut = "Ctrl+3"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_id: int | None = None
        self._entry_session: int | None = None
        """The session the tag entry was last set up for (its checked units belong to it)."""
        self._loading = False
        self._marks: dict[tuple[str, int], str] = {}

        self.sessions = QListWidget()
        self.sessions.setObjectName("sessionList")
        self.sessions.setWordWrap(True)
        self.sessions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sessions.setStyleSheet("QListWidget#sessionList::item { padding: 4px 2px; }")
        self.sessions.currentItemChanged.connect(lambda *_: self._session_chosen())
        self.new_button = QPushButton("&New session")
        self.new_button.setToolTip("Add a session (Ctrl+N)")
        self.new_button.clicked.connect(self.new_session)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected session (Del in the list)")
        self.delete_button.clicked.connect(self.delete_session)
        left = QGroupBox("Sessions")
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.sessions, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)

        self.record = SessionRecord()
        self.record.fields_edited.connect(self._fields_edited)
        self.record.participant_added.connect(self._participant_added)
        self.record.participant_edited.connect(self._participant_edited)
        self.record.participants_removed.connect(self._participants_removed)

        self.notes = NotesEditor()
        self.notes.saver = self._save_notes
        self.notes.reader = self._stored_notes
        self.affirmations = AffirmationTable()
        self.affirmations.text_edited.connect(self._affirmation_edited)
        self.entry = AffirmationEntry()
        self.entry.submitted.connect(self.add_affirmation)
        self.tag_button = QPushButton("&Tag…")
        self.tag_button.setToolTip("Tag the selected affirmation to more practices × units (Ctrl+L)")
        self.tag_button.clicked.connect(self.tag_selected)
        self.untag_button = QPushButton("Remove tags")
        self.untag_button.clicked.connect(self.untag_selected)
        self.delete_affirmation_button = QPushButton("Delete")
        self.delete_affirmation_button.setToolTip("Delete the selected affirmation (Del in the list)")
        self.delete_affirmation_button.clicked.connect(self.delete_affirmation)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.tag_button, self.untag_button, self.delete_affirmation_button):
            row.addWidget(button)
        said_box = QGroupBox("Affirmations")
        said_layout = QVBoxLayout(said_box)
        said_layout.addWidget(self.affirmations, 1)
        said_layout.addLayout(row)
        said_layout.addWidget(self.entry)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.notes)
        lower.addWidget(said_box)
        lower.setSizes([380, 560])
        lower.setChildrenCollapsible(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.record)
        right_layout.addWidget(lower, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([210, 970])
        split.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(split)
        self._keys()
        r, e = self.record, self.entry
        tab_chain(
            self.sessions, self.new_button, self.delete_button,
            r.code, r.kind, r.held_at, r.unit, r.roles, r.person_name, r.person_role, r.add_person,
            r.participants, r.remove_person, self.notes.edit,
            e.text, e.picker, e.units_button, e.add_button, e.clear_tags_button,
            self.affirmations, self.tag_button, self.untag_button, self.delete_affirmation_button,
        )  # fmt: skip

    def _keys(self) -> None:
        keys = LocalKeys(self)
        keys.add("Ctrl+N", self.new_session)
        keys.add("Ctrl+E", self.entry.text.setFocus)
        keys.add("Ctrl+T", self.entry.picker.setFocus)
        keys.add("Ctrl+L", self.tag_selected)
        on_delete_key(self.sessions, self.delete_session)
        on_delete_key(self.affirmations, self.delete_affirmation)
        on_delete_key(self.record.participants, self.record.remove_selected_people)

    # --- showing --------------------------------------------------------------------------------------

    def set_document(self, document: Document | None) -> None:
        self.notes.flush()
        self.session_id = None
        super().set_document(document)

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & {Change.INTERVIEWS, Change.EVIDENCE, Change.PLAN})

    def set_remote_marks(self, marks: RowMarks) -> None:
        """Sessions and affirmations a colleague just changed on a team server, marked where they are listed."""
        self._marks = dict(marks)
        self._mark_sessions()
        self.affirmations.mark(marked_by(self._marks, "affirmation"))

    def _mark_sessions(self) -> None:
        by = marked_by(self._marks, "interview_session")
        for row in range(self.sessions.count()):
            item = self.sessions.item(row)
            if item is None:
                continue
            who = by.get(int(item.data(ID_ROLE)))
            item.setText(with_mark(str(item.data(LISTED_ROLE)), who))
            item.setBackground(QBrush(MARK_FILL) if who else QBrush())
            item.setToolTip(mark_tip(who) if who else "")

    def refresh(self) -> None:
        self.notes.flush()
        self._loading = True
        try:
            self.sessions.clear()
            if self.document is None:
                self.session_id = None
            else:
                for info in iv.list_sessions(self.document.workspace):
                    when = info.held_at.strftime("%a %d %b %H:%M") if info.held_at else "not scheduled"
                    said = f"{info.affirmation_count} affirmation" + ("" if info.affirmation_count == 1 else "s")
                    details = " · ".join(x for x in (when, info.unit, said) if x)
                    listed = f"{info.code} · {info.kind.capitalize()}\n{details}"
                    item = QListWidgetItem(listed)
                    item.setData(ID_ROLE, info.id)
                    item.setData(LISTED_ROLE, listed)
                    self.sessions.addItem(item)
            self._mark_sessions()
        finally:
            self._loading = False
        if not self.select_session(self.session_id) and self.sessions.count():
            self.sessions.setCurrentRow(0)
        item = self.sessions.currentItem()
        self.session_id = int(item.data(ID_ROLE)) if item is not None else None
        self._show_session()

    def select_session(self, session_id: int | None) -> bool:
        for row in range(self.sessions.count()):
            item = self.sessions.item(row)
            if item is not None and item.data(ID_ROLE) == session_id:
                self.sessions.setCurrentRow(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                return True
        return False

    def show_item(self, kind: str, item_id: int) -> bool:
        """Select a session ("session") or an affirmation in its session ("affirmation"), e.g. for a search hit."""
        if self.document is None:
            return False
        if kind == "session":
            return self.select_session(item_id)
        if kind != "affirmation":
            return False
        try:
            said = iv.get_affirmation(self.document.workspace, item_id)
        except KnownError:
            return False
        return self.select_session(said.session_id) and self.affirmations.select_id(item_id)

    def _session_chosen(self) -> None:
        if self._loading:
            return
        self.notes.flush()
        item = self.sessions.currentItem()
        self.session_id = int(item.data(ID_ROLE)) if item is not None else None
        self._show_session()

    def _show_session(self) -> None:
        ws = self.document.workspace if self.document is not None else None
        info = iv.get_session(ws, self.session_id) if ws is not None and self.session_id is not None else None
        units = ev.unit_options(ws) if ws is not None else ()
        people = iv.session_participants(ws, info.id) if ws is not None and info is not None else ()
        self.record.show_session(info, people, units)
        self.notes.load(info.id if info is not None else None, info.notes if info is not None else "")
        self.affirmations.fill(iv.list_affirmations(ws, info.id) if ws is not None and info is not None else ())
        options = ev.practice_options(ws) if ws is not None else ()
        # A session about no particular unit (a group interview, a demonstration) checks none for its tags.
        default = [info.unit_id] if info is not None and info.unit_id else []
        same = self._entry_session == self.session_id
        self._entry_session = self.session_id
        self.entry.set_context(options, units, default, same_session=same)
        for widget in (self.entry, self.tag_button, self.untag_button, self.delete_affirmation_button):
            widget.setEnabled(info is not None)
        self.delete_button.setEnabled(info is not None)
        self.new_button.setEnabled(ws is not None)

    def _save_notes(self, session_id: int, text: str, expected: str) -> None:
        if self.document is not None:
            iv.set_session_notes(self.document.workspace, session_id, text, expected=expected)
            self.document.saved.emit()

    def _stored_notes(self, session_id: int) -> str:
        return iv.get_session(self.document.workspace, session_id).notes if self.document is not None else ""

    def flush_notes(self) -> None:
        """Save notes typed but not yet saved (also done on every pause, focus change and session change)."""
        self.notes.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        self.notes.flush()
        super().hideEvent(event)

    # --- commands -------------------------------------------------------------------------------------

    def _execute(self, command: ServiceCommand) -> bool:
        done = execute(self, self.document, command)
        if not done:
            self.refresh()  # show the file's values again in place of the refused edit
        return done

    def new_session(self) -> None:
        if self.document is None:
            return
        ws = self.document.workspace
        taken = {s.code for s in iv.list_sessions(ws)}
        code = next(f"S{n}" for n in range(1, len(taken) + 2) if f"S{n}" not in taken)
        now = datetime.now().replace(second=0, microsecond=0)
        try:
            new_id = iv.create_session(ws, SessionFields(code, "interview", now))
        except KnownError as exc:
            show_error(self, exc)
            return
        self.session_id = new_id
        self._execute(ic.added_session(self.document, new_id, code))
        self.record.code.setFocus()
        self.record.code.selectAll()

    def delete_session(self) -> None:
        info = self.record.info
        if info is None or self.document is None:
            return
        if not prompts.confirm(self, f"Delete session {info.code} with its notes, participants and affirmations?"):
            return
        self._execute(ic.delete_session(self.document, info.id, info.code))

    def _fields_edited(self, before: SessionFields, after: SessionFields) -> None:
        if self.document is not None and self.session_id is not None:
            self._execute(ic.edit_session(self.document, self.session_id, before, after))

    def _participant_added(self, name: str, role: str) -> None:
        if self.document is None or self.session_id is None:
            return
        ws = self.document.workspace
        try:
            new_id = iv.add_participant(ws, self.session_id, name, role)
        except KnownError as exc:
            show_error(self, exc)
            return
        self._execute(ic.added_participant(self.document, new_id))

    def _participant_edited(self, before: ParticipantInfo, name: str, role: str) -> None:
        if self.document is not None:
            self._execute(ic.edit_participant(self.document, before, name, role))

    def _participants_removed(self, ids: list[int]) -> None:
        what = "this participant" if len(ids) == 1 else f"these {len(ids)} participants"
        if self.document is not None and prompts.confirm(self, f"Remove {what} from the session?"):
            self._execute(ic.remove_participants(self.document, ids))

    def add_affirmation(self, text: str, tags: list[LinkTarget]) -> bool:
        if self.document is None or self.session_id is None:
            return False
        ws = self.document.workspace
        try:
            new_id = iv.add_affirmation(ws, self.session_id, text, tags)
        except KnownError as exc:
            show_error(self, exc)
            return False
        self._execute(ic.added_affirmation(self.document, new_id))
        self.entry.accepted()
        return True

    def selected_affirmation(self) -> int | None:
        return self.affirmations.selected_id()

    def _affirmation_edited(self, aid: int, before: str, after: str) -> None:
        if self.document is not None:
            self._execute(ic.edit_affirmation(self.document, aid, before, after))

    def delete_affirmation(self) -> None:
        aid = self.selected_affirmation()
        if aid is None or self.document is None:
            return
        if prompts.confirm(self, "Delete the selected affirmation and its tags?"):
            self._execute(ic.delete_affirmation(self.document, aid))

    def tag_selected(self) -> None:
        aid = self.selected_affirmation()
        if aid is None or self.document is None:
            return
        ws = self.document.workspace
        said = iv.get_affirmation(ws, aid)
        unit = self.record.info.unit_id if self.record.info is not None else None
        dialog = LinkDialog(ws, f"“{said.text[:80]}”", default_units=[unit] if unit else [], parent=self)
        if dialog.exec() != LinkDialog.DialogCode.Accepted:
            return
        targets, adequacy, note = dialog.targets(), dialog.adequacy_key(), dialog.note_text()
        if not targets:
            return
        source = EvidenceSource.of_affirmation(aid)
        self._execute(evidence_commands.link(self.document, source, targets, adequacy, note, *ic.TAG_KINDS))

    def untag_selected(self) -> None:
        aid = self.selected_affirmation()
        if aid is None or self.document is None:
            return
        ws = self.document.workspace
        ids = [t.id for t in iv.get_affirmation(ws, aid).tags]
        if ids:
            self._execute(evidence_commands.unlink(self.document, ids, *ic.TAG_KINDS))
