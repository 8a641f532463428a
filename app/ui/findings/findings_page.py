"""Findings: strengths, weaknesses and improvement opportunities per process area, goal or practice, moved from
preliminary to validated to final, with non-attribution flags shown where a name occurs. Every edit is an
undoable command (kinds "findings")."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import findings as fs
from app.services.findings import FindingTarget
from app.services.history import Subject, finding_subject
from app.ui.common import prompts
from app.ui.common.local_keys import LocalKeys, on_delete_key, tab_chain
from app.ui.common.page import Page
from app.ui.common.remote_marks import RowMarks
from app.ui.common.row_table import ID_ROLE, select_row
from app.ui.findings import commands
from app.ui.findings.finding_editor import FindingEditor, pa_key, split_pa_key
from app.ui.findings.findings_table import (
    ABOUT,
    ANY,
    FLAGS,
    KIND,
    NO_PA,
    NUMBER,
    STATUS,
    TEXT,
    FindingsFilter,
    FindingsTable,
)
from app.ui.findings.identifiers_dialog import IdentifiersDialog
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import Change

AUTOSAVE_MS = 1500


class FindingsPage(Page):
    title = "Findings"
    shortcut = "Ctrl+6"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_shown: int | None = None
        self._saving = False
        """An edit is being stored: the refresh it causes shows the stored finding afresh."""
        self._restoring = False
        """The selection is being moved back by the page itself, not by the user."""
        self._stale = False

        self.pa_filter = QComboBox()
        self.pa_filter.setObjectName("findingsPaFilter")
        self.pa_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("All kinds", ANY)
        for kind in fs.KINDS:
            self.kind_filter.addItem(fs.KIND_LABELS[kind] + "s", kind)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", ANY)
        for status in fs.STATUSES:
            self.status_filter.addItem(status.capitalize(), status)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter by words… (Ctrl+F)")
        self.text_filter.setClearButtonEnabled(True)
        for combo in (self.pa_filter, self.kind_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _index: self._filter())
        self.text_filter.textChanged.connect(lambda _text: self._filter())
        self.new_button = QPushButton("New finding")
        self.new_button.setToolTip("Write a new finding about the chosen process area (Ctrl+N)")
        self.new_button.clicked.connect(self.new_finding)
        self.identifiers_button = QPushButton("Identifiers…")
        self.identifiers_button.setObjectName("identifiersButton")
        self.identifiers_button.setToolTip(
            "Nicknames, e-mail handles, team names: what else identifies someone, withheld like a name"
        )
        self.identifiers_button.clicked.connect(self.edit_identifiers)

        self.editor = FindingEditor()
        self.editor.save_requested.connect(self.save)
        # A finding being reworded is stored shortly after the typing stops, so a crash loses seconds, not text.
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self._autosave)
        self.editor.edited.connect(self._edited)
        self.editor.discard_requested.connect(self.discard)
        self.editor.status_requested.connect(self.set_status)
        self.editor.delete_requested.connect(self.delete_current)
        self.editor.review_requested.connect(self.review_span)
        self.editor.unreview_requested.connect(self.remove_review)

        self.model = FindingsTable()
        self.proxy = FindingsFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("findingsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in ((NUMBER, 44), (KIND, 168), (STATUS, 90), (ABOUT, 130), (FLAGS, 230)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._current_changed())
        self.table.activated.connect(lambda _index: self.editor.text.setFocus())
        self.offer_history_on(self.table)
        self.empty_hint = QLabel("No findings yet. Press Ctrl+N to write the first one.")
        self.empty_hint.setStyleSheet("color: #555; padding: 6px;")
        self.count_label = QLabel()

        bar = QHBoxLayout()
        for label, widget in (
            ("Process area", self.pa_filter),
            ("Kind", self.kind_filter),
            ("Status", self.status_filter),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.identifiers_button)
        bar.addWidget(self.new_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty_hint)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([330, 260])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        keys = LocalKeys(self)
        keys.add("Ctrl+N", self.new_finding)
        keys.add("Ctrl+Return", self.save)
        keys.add("Ctrl+F", self.text_filter.setFocus)
        keys.add("Ctrl+Shift+V", lambda: self.set_status("validated"))
        on_delete_key(self.table, self.delete_current)
        editor = self.editor
        tab_chain(
            self.pa_filter, self.kind_filter, self.status_filter, self.text_filter, self.new_button, self.table,
            editor.kind, editor.pa, editor.goal, editor.practice, editor.text, editor.save_button,
        )  # fmt: skip
        self._fill_pa_filter(())

    # --- showing --------------------------------------------------------------------------------------

    def wants(self, kinds: set[Change]) -> bool:
        # Participants (interviews) and units or the plan's unit-specific flag (plan) change the flags.
        return bool(kinds & {Change.FINDINGS, Change.INTERVIEWS, Change.PLAN, Change.DATA})

    def set_remote_marks(self, marks: RowMarks) -> None:
        """Findings a colleague just changed on a team server, marked in the list (app/ui/common/remote_marks.py)."""
        self.model.marks.update(marks)

    def refresh(self) -> None:
        if self.document is None:
            self._stale = False
            self.model.set_rows([])
            self.editor.set_context((), None)
            self.editor.show_finding(None)
            self._fill_pa_filter(())
            self._update_counts()
            return
        if not self.isVisible():
            # Brought up to date when shown: notes typed on the Interviews page must not wait for this page.
            self._stale = True
            return
        self._stale = False
        self._load()

    def _load(self) -> None:
        if self.document is None:
            return
        keep = self.current_id() or self._last_shown
        ws = self.document.workspace
        choices = fs.target_choices(ws)
        self._fill_pa_filter(choices)
        self.editor.set_context(choices, fs.attribution_scanner(ws))
        writing_new = self.editor.is_new and not self._saving
        self.model.set_rows(list(fs.list_findings(ws)))
        self._update_counts()
        if writing_new:
            return  # a change elsewhere must not throw away the finding being written
        if keep is None or not self.select(keep):
            self._show_current()

    def _fill_pa_filter(self, choices: tuple[fs.PaChoice, ...]) -> None:
        current = self.pa_filter.currentData()
        self.pa_filter.blockSignals(True)
        self.pa_filter.clear()
        self.pa_filter.addItem("All", ANY)
        self.pa_filter.addItem("Organization-wide", NO_PA)
        for choice in choices:
            self.pa_filter.addItem(f"{choice.pa} ({choice.model})", pa_key(choice.model, choice.pa))
        index = self.pa_filter.findData(current) if current is not None else 0
        self.pa_filter.setCurrentIndex(max(0, index))
        self.pa_filter.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        self.proxy.set_filter(
            pa=self._pa_filter_value(),
            kind=self.kind_filter.currentData() or ANY,
            status=self.status_filter.currentData() or ANY,
            text=self.text_filter.text(),
        )
        self._update_counts()

    def _pa_filter_value(self) -> tuple[str, str] | str:
        data = self.pa_filter.currentData() or ANY
        return split_pa_key(data) if data not in (ANY, NO_PA) else data

    def _update_counts(self) -> None:
        rows = self.model.rows
        flagged = sum(1 for r in rows if r.flagged)
        shown = self.proxy.rowCount()
        text = f"{shown} of {len(rows)} finding(s) shown" if shown != len(rows) else f"{len(rows)} finding(s)"
        by_status = [f"{sum(1 for r in rows if r.status == s)} {s}" for s in fs.STATUSES]
        text += " · " + ", ".join(by_status)
        if flagged:
            text += f" · ⚠ {flagged} name a person or unit"
        self.count_label.setText(text)
        self.empty_hint.setVisible(not rows and self.document is not None)
        self.new_button.setEnabled(self.document is not None)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(ID_ROLE)
        return int(value) if value is not None else None

    def select(self, finding_id: int) -> bool:
        """Select a finding (clearing filters that hide it); False when it is not in the appraisal."""
        row = self.model.row_of(finding_id)
        if row is None:
            return False
        select_row(self.table, self.proxy, row, self._clear_filters)
        self._show_current()
        return True

    def _clear_filters(self) -> None:
        for combo in (self.pa_filter, self.kind_filter, self.status_filter):
            combo.setCurrentIndex(0)
        self.text_filter.clear()

    def show_item(self, kind: str, item_id: int) -> bool:
        """Select a finding (kind "finding"), e.g. for a search hit."""
        if kind != "finding":
            return False
        if self._stale:
            self._stale = False
            self._load()
        return self.select(item_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _current_changed(self) -> None:
        if self._restoring:
            return
        finding_id = self.current_id()
        shown = self.editor.finding.id if self.editor.finding is not None else None
        if finding_id != shown and self.editor.dirty() and not self._saving and not self._commit_editor():
            # The edits were refused: stay on the finding being edited so that what was typed stays on screen.
            self._restoring = True
            try:
                if shown is None or not self.select(shown):
                    self.table.selectionModel().clearCurrentIndex()
            finally:
                self._restoring = False
            return
        self._show_current()

    def history_subject(self) -> Subject | None:
        finding_id = self.current_id()
        if finding_id is None:
            return None
        return finding_subject(finding_id, str(self.table.currentIndex().siblingAtColumn(NUMBER).data()))

    def _show_current(self) -> None:
        self.subject_changed.emit()
        finding_id = self.current_id()
        info = next((r for r in self.model.rows if r.id == finding_id), None)
        editing = self.editor.finding
        same = info is not None and editing is not None and editing.id == info.id
        if same and info is not None and not self._saving and self.editor.dirty():
            self.editor.keep_typing(info)  # a change elsewhere must not throw away what is being typed
            return
        self.editor.show_finding(info)
        if info is not None:
            self._last_shown = info.id

    # --- edits ----------------------------------------------------------------------------------------

    def _execute(self, command: ServiceCommand) -> bool:
        return execute(self, self.document, command)

    def new_finding(self) -> None:
        """Start writing a new finding, about the process area chosen in the filter or the one shown."""
        if self.document is None:
            return
        if self.editor.dirty() and not self._commit_editor():
            return
        current = self.editor.finding
        pa = self._pa_filter_value()
        target = FindingTarget()
        if isinstance(pa, tuple):
            target = FindingTarget(*pa)
        elif current is not None and pa != NO_PA:
            target = FindingTarget(current.target.model, current.target.pa)
        self._deselect()
        self.editor.new_finding(target, self.kind_filter.currentData() or "weakness")

    def _deselect(self) -> None:
        """No finding selected, without the selection change saving or loading the editor."""
        self._restoring = True
        try:
            self.table.selectionModel().clearCurrentIndex()
            self.table.clearSelection()
        finally:
            self._restoring = False

    def review_span(self, start: int, end: int) -> None:
        """Mark a flagged span of the finding shown "reviewed: not an attribution" (undoable)."""
        info = self.editor.finding
        if self.document is not None and info is not None and not self.editor.dirty():
            self._execute(commands.ReviewSpan(self.document, info.id, start, end))

    def remove_review(self, mark_id: int) -> None:
        if self.document is not None and self.editor.finding is not None:
            self._execute(commands.RemoveReview(self.document, mark_id))

    def edit_identifiers(self) -> None:
        if self.document is None:
            return
        dialog = IdentifiersDialog(self.document, self)
        dialog.exec()

    def new_finding_about(self, target: FindingTarget) -> None:
        """Start writing a new weakness about `target` (an Unsatisfied goal the sponsor edition needs explained)."""
        if self.document is None or (self.editor.dirty() and not self._commit_editor()):
            return
        self._deselect()
        self.editor.new_finding(target, "weakness")

    def save(self) -> None:
        self.autosave.stop()
        if self.editor.dirty():
            self._commit_editor()

    def _edited(self) -> None:
        if not self.editor.is_new:
            self.autosave.start()

    def _autosave(self) -> None:
        if self.document is not None and not self.editor.is_new and self.editor.fields().text.strip():
            self.save()

    def _commit_editor(self) -> bool:
        """Store the editor's finding (add it when new); False when refused (the editor keeps the text)."""
        if self.document is None:
            return False
        fields = self.editor.fields()
        shown = self.editor.finding
        self._saving = True
        try:
            if self.editor.is_new:
                command = commands.AddFinding(self.document, fields)
                if not self._execute(command):
                    return False
                if command.finding_id is not None:
                    self.select(command.finding_id)
                return True
            if shown is None:
                return False
            return self._execute(commands.edit_finding(self.document, shown.id, shown.fields, fields))
        finally:
            self._saving = False

    def discard(self) -> None:
        if self.editor.finding is not None:
            self.editor.show_finding(self.editor.finding)
        elif self._last_shown is None or not self.select(self._last_shown):
            self.editor.show_finding(None)

    def set_status(self, status: str) -> None:
        if self.editor.finding is None or self.document is None:
            return
        if self.editor.dirty() and not self._commit_editor():
            return
        shown = self.editor.finding
        if shown is None or shown.status == status:
            return
        self._execute(commands.set_status(self.document, shown.id, shown.status, status))

    def delete_current(self) -> None:
        shown = self.editor.finding
        if shown is None or self.document is None:
            return
        if not prompts.confirm(self, f"Delete finding #{shown.id} ({shown.status})?"):
            return
        self._execute(commands.delete_findings(self.document, [shown.id]))
