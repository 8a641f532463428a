"""The editor of one finding: kind, what it is about (process area, goal, practice in scope), its text, its
status buttons, and the non-attribution warning, checked as the user types."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.findings import (
    KIND_LABELS,
    KINDS,
    FindingFields,
    FindingFlag,
    FindingInfo,
    FindingScanner,
    FindingTarget,
    PaChoice,
    location_of,
)

HIGHLIGHT = QColor("#ffd6d6")


def pa_key(model: str, pa: str) -> str:
    """A process area as combo-box data (a plain string: Qt hands tuples back as lists)."""
    return f"{model}\t{pa}"


def split_pa_key(key: str) -> tuple[str, str]:
    model, _, pa = key.partition("\t")
    return model, pa


WARNING_STYLE = "color: #a11d2b; background: #fdeeee; border: 1px solid #e8b4b8; border-radius: 3px; padding: 6px;"


class FindingEditor(QWidget):
    """Signals:
    save_requested(): the user asked to store the edits (or add the new finding).
    status_requested(str): the user asked to move the finding to this status.
    discard_requested(): the user asked to drop the edits and show the stored finding again.
    delete_requested(): the user asked to delete the finding.
    review_requested(int, int): the user marked the flagged span (start, end) "reviewed: not an attribution".
    unreview_requested(int): the user took back the review mark with this id.
    """

    save_requested = Signal()
    edited = Signal()
    status_requested = Signal(str)
    discard_requested = Signal()
    delete_requested = Signal()
    review_requested = Signal(int, int)
    unreview_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding: FindingInfo | None = None
        self.choices: tuple[PaChoice, ...] = ()
        self.scanner: FindingScanner | None = None
        self.flags: tuple[FindingFlag, ...] = ()
        """Flags not yet reviewed, in the text as it is on screen."""
        self.reviewed: tuple[FindingFlag, ...] = ()
        self._loaded = FindingFields("weakness", "")
        self._loading = False
        self._active = False
        """A finding, or a new one, is being shown (otherwise the editor is blank and disabled)."""

        self.heading = QLabel()
        self.heading.setObjectName("findingHeading")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.pa = QComboBox()
        self.goal = QComboBox()
        self.practice = QComboBox()
        for combo in (self.pa, self.goal, self.practice):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
        self.pa.currentIndexChanged.connect(lambda _index: self._pa_changed())
        self.goal.currentIndexChanged.connect(lambda _index: self._goal_changed())
        self.text = QPlainTextEdit()
        self.text.setObjectName("findingText")
        self.text.setPlaceholderText(
            "What the team found, about the organizational unit — never naming a person or, unless the plan "
            "allows it, a unit."
        )
        self.text.textChanged.connect(self._text_changed)
        self.warning = QLabel()
        self.warning.setObjectName("attributionWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.hide()
        self.flag_list = QListWidget()
        self.flag_list.setObjectName("attributionFlags")
        self.flag_list.setMaximumHeight(96)
        self.flag_list.setWordWrap(True)
        self.flag_list.currentRowChanged.connect(lambda _row: self._update_review_buttons())
        self.flag_list.itemActivated.connect(lambda _item: self._select_flag_span())
        self.review_button = QPushButton("Reviewed: not an attribution")
        self.review_button.setObjectName("reviewFlagButton")
        self.review_button.setToolTip(
            "The highlighted words do not point at a person or unit here (a common noun, say); the mark keeps "
            "your name and the time, and lapses if the text changes"
        )
        self.review_button.clicked.connect(self._review_clicked)
        self.unreview_button = QPushButton("Remove review")
        self.unreview_button.clicked.connect(self._unreview_clicked)
        self.flag_box = QWidget()
        flag_layout = QVBoxLayout(self.flag_box)
        flag_layout.setContentsMargins(0, 0, 0, 0)
        flag_layout.addWidget(self.flag_list)
        flag_buttons = QHBoxLayout()
        flag_buttons.addStretch(1)
        flag_buttons.addWidget(self.unreview_button)
        flag_buttons.addWidget(self.review_button)
        flag_layout.addLayout(flag_buttons)
        self.flag_box.hide()

        self.save_button = QPushButton("Save now")
        self.save_button.setToolTip(
            "Edits are stored a moment after you stop typing; this stores them now (Ctrl+Return)"
        )
        self.save_button.clicked.connect(self.save_requested)
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.clicked.connect(self.discard_requested)
        self.status_label = QLabel()
        self.validate_button = QPushButton("Mark validated")
        self.validate_button.setToolTip("The organization has confirmed it (Ctrl+Shift+V)")
        self.validate_button.clicked.connect(lambda: self.status_requested.emit("validated"))
        self.finalize_button = QPushButton("Mark final")
        self.finalize_button.clicked.connect(lambda: self.status_requested.emit("final"))
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.setToolTip("Move it back one step")
        self.reopen_button.clicked.connect(self._reopen)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_requested)

        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Process area", self.pa)
        form.addRow("Goal", self.goal)
        form.addRow("Practice", self.practice)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        form.addRow("Status", status)
        steps = QHBoxLayout()
        for button in (self.validate_button, self.finalize_button, self.reopen_button):
            steps.addWidget(button)
        steps.addStretch(1)
        form.addRow("", steps)
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addLayout(form)
        left.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addWidget(QLabel("Finding"))
        right.addWidget(self.text, 1)
        right.addWidget(self.warning)
        right.addWidget(self.flag_box)
        right.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        for combo in (self.kind, self.pa, self.goal, self.practice):
            combo.currentIndexChanged.connect(lambda _index: self._update_buttons())
        self.show_finding(None)

    # --- what it shows --------------------------------------------------------------------------------

    def set_context(self, choices: tuple[PaChoice, ...], scanner: FindingScanner | None) -> None:
        """The scope's targets and the names to warn about; the edits in progress are kept."""
        fields = self.fields()
        self.choices = choices
        self.scanner = scanner
        self._loading = True
        self.pa.clear()
        self.pa.addItem("Organizational unit (no process area)", None)
        for choice in choices:
            self.pa.addItem(f"{choice.pa} — {choice.name}", pa_key(choice.model, choice.pa))
            self.pa.setItemData(
                self.pa.count() - 1, f"{choice.model} {choice.pa} {choice.name}", Qt.ItemDataRole.ToolTipRole
            )
        self._loading = False
        self._set_target(fields.target)
        self._check_text()

    def show_finding(self, info: FindingInfo | None) -> None:
        """Show a stored finding (None: nothing chosen)."""
        self.finding = info
        fields = info.fields if info is not None else FindingFields("weakness", "")
        self._load(fields)
        if info is None:
            self.heading.setText("Choose a finding, or press Ctrl+N to write a new one.")
        else:
            self.heading.setText(f"<b>Finding #{info.id}</b>")
        self._active = info is not None
        self.setEnabled(self._active)
        self._update_buttons()

    def new_finding(self, target: FindingTarget, kind: str = "weakness") -> None:
        """Start writing a new finding about `target`."""
        self.finding = None
        self._load(FindingFields(kind, "", target))
        self.heading.setText("<b>New finding</b>")
        self._active = True
        self.setEnabled(True)
        self._update_buttons()
        self.text.setFocus()

    def keep_typing(self, info: FindingInfo) -> None:
        """The stored finding changed (its status, say) while edits are in progress: keep the edits."""
        self.finding = info
        self._loaded = info.fields
        self._update_buttons()

    @property
    def is_new(self) -> bool:
        return self.finding is None and self._active

    def fields(self) -> FindingFields:
        return FindingFields(self.kind.currentData() or "weakness", self.text.toPlainText(), self._target())

    def dirty(self) -> bool:
        if not self._active:
            return False
        fields = self.fields()
        if self.is_new:
            return bool(fields.text.strip())
        return (fields.kind, fields.text.strip(), fields.target) != (
            self._loaded.kind,
            self._loaded.text.strip(),
            self._loaded.target,
        )

    def _load(self, fields: FindingFields) -> None:
        self._loaded = fields
        self._loading = True
        self.kind.setCurrentIndex(max(0, self.kind.findData(fields.kind)))
        self._set_target(fields.target)
        self.text.setPlainText(fields.text)
        self._loading = False
        self._check_text()

    # --- targets --------------------------------------------------------------------------------------

    def _target(self) -> FindingTarget:
        key = self.pa.currentData()
        if not key:
            return FindingTarget()
        model, pa = split_pa_key(key)
        return FindingTarget(model, pa, self.goal.currentData(), self.practice.currentData())

    def _set_target(self, target: FindingTarget) -> None:
        loading, self._loading = self._loading, True
        key = pa_key(target.model or "", target.pa) if target.pa is not None else None
        index = self.pa.findData(key) if key is not None else 0
        if index < 0:
            # A finding about a process area since dropped from the scope still shows what it is about.
            self.pa.addItem(f"{target.pa} (no longer in scope)", key)
            index = self.pa.count() - 1
        self.pa.setCurrentIndex(index)
        self._fill_goals(target.goal)
        self._fill_practices(target.practice)
        self._loading = loading

    def _choice(self) -> PaChoice | None:
        key = self.pa.currentData()
        return next((c for c in self.choices if pa_key(c.model, c.pa) == key), None) if key else None

    def _fill_goals(self, selected: str | None) -> None:
        self.goal.blockSignals(True)
        self.goal.clear()
        choice = self._choice()
        self.goal.addItem("Whole process area" if self.pa.currentData() else "—", None)
        for goal in choice.goals if choice else ():
            self.goal.addItem(f"{goal.code} — {goal.title}", goal.code)
        if selected is not None and self.goal.findData(selected) < 0:
            self.goal.addItem(selected, selected)
        self.goal.setCurrentIndex(max(0, self.goal.findData(selected)) if selected else 0)
        self.goal.setEnabled(self.pa.currentData() is not None)
        self.goal.blockSignals(False)

    def _fill_practices(self, selected: str | None) -> None:
        self.practice.blockSignals(True)
        self.practice.clear()
        choice = self._choice()
        goal = choice.goal(self.goal.currentData()) if choice and self.goal.currentData() else None
        self.practice.addItem("Whole goal" if self.goal.currentData() else "—", None)
        for practice in goal.practices if goal else ():
            self.practice.addItem(f"{practice.code} — {practice.title}", practice.code)
        if selected is not None and self.practice.findData(selected) < 0:
            self.practice.addItem(selected, selected)
        self.practice.setCurrentIndex(max(0, self.practice.findData(selected)) if selected else 0)
        self.practice.setEnabled(self.goal.currentData() is not None)
        self.practice.blockSignals(False)

    def _pa_changed(self) -> None:
        if not self._loading:
            self._fill_goals(None)
            self._fill_practices(None)

    def _goal_changed(self) -> None:
        if not self._loading:
            self._fill_practices(None)

    # --- status and warnings --------------------------------------------------------------------------

    def _reopen(self) -> None:
        if self.finding is not None and self.finding.status != "preliminary":
            self.status_requested.emit("preliminary" if self.finding.status == "validated" else "validated")

    def _text_changed(self) -> None:
        if not self._loading:
            self._check_text()
            self._update_buttons()
            self.edited.emit()

    def _check_text(self) -> None:
        text = self.text.toPlainText()
        location = location_of(self.kind.currentData() or "weakness", self.finding.id if self.finding else 0)
        finding_id = self.finding.id if self.finding else None
        every = self.scanner.all_flags(location, text, finding_id) if self.scanner is not None and text else ()
        self.flags = tuple(f for f in every if not f.reviewed)
        self.reviewed = tuple(f for f in every if f.reviewed)
        if self.flags:
            count = len(self.flags)
            where = "one place" if count == 1 else f"{count} places"
            self.warning.setText(
                f"⚠ This finding may identify someone in {where}, highlighted and listed below. Non-attribution: "
                "reword it, or mark each place reviewed as not an attribution, before it is validated or shown to "
                "the organization."
            )
        self.warning.setVisible(bool(self.flags))
        self._fill_flag_list()
        selections = []
        for flag in self.flags:
            for start, end in flag.spans:
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                char = QTextCharFormat()
                char.setBackground(HIGHLIGHT)
                char.setFontUnderline(True)
                char.setUnderlineColor(QColor("#a11d2b"))
                selection.cursor = cursor
                selection.format = char
                selections.append(selection)
        self.text.setExtraSelections(selections)

    def _fill_flag_list(self) -> None:
        self.flag_list.clear()
        for flag in (*self.flags, *self.reviewed):
            if flag.reviewed and flag.reviewed_at is not None:
                when = flag.reviewed_at.strftime("%Y-%m-%d %H:%M")
                who = flag.reviewed_by or "unknown"
                label = f"✓ Reviewed, not an attribution: “{flag.term}” ({who}, {when}): “{flag.excerpt}”"
            else:
                label = f"⚠ {flag.description[0].upper()}{flag.description[1:]}: “{flag.excerpt}”"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, flag)
            self.flag_list.addItem(item)
        self.flag_box.setVisible(self.flag_list.count() > 0)
        if self.flag_list.count():
            self.flag_list.setCurrentRow(0)
        self._update_review_buttons()

    def current_flag(self) -> FindingFlag | None:
        item = self.flag_list.currentItem()
        flag = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return flag if isinstance(flag, FindingFlag) else None

    def _update_review_buttons(self) -> None:
        flag = self.current_flag()
        # A mark is kept against the stored text: edits in progress are saved first.
        stored = self.finding is not None and not self.dirty()
        self.review_button.setEnabled(stored and flag is not None and not flag.reviewed)
        self.unreview_button.setEnabled(stored and flag is not None and flag.reviewed)
        if self.finding is not None and self.dirty() and flag is not None:
            self.review_button.setToolTip("Save the edits first: a review mark holds for the text as stored")

    def _select_flag_span(self) -> None:
        flag = self.current_flag()
        if flag is not None:
            cursor = self.text.textCursor()
            cursor.setPosition(flag.span[0])
            cursor.setPosition(flag.span[1], QTextCursor.MoveMode.KeepAnchor)
            self.text.setTextCursor(cursor)
            self.text.setFocus()

    def _review_clicked(self) -> None:
        flag = self.current_flag()
        if flag is not None and not flag.reviewed:
            self.review_requested.emit(*flag.span)

    def _unreview_clicked(self) -> None:
        flag = self.current_flag()
        if flag is not None and flag.review_id is not None:
            self.unreview_requested.emit(flag.review_id)

    def _update_buttons(self) -> None:
        if self._loading:
            return
        info = self.finding
        status = info.status if info is not None else "preliminary"
        self.status_label.setText(status.capitalize() if info is not None else "Preliminary (once added)")
        stored = info is not None
        self.validate_button.setEnabled(stored and status == "preliminary")
        self.finalize_button.setEnabled(stored and status == "validated")
        self.reopen_button.setEnabled(stored and status != "preliminary")
        self.delete_button.setEnabled(stored)
        dirty = self.dirty()
        self.save_button.setText("Add finding" if self.is_new else "Save now")
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty or self.is_new)
        self._update_review_buttons()
