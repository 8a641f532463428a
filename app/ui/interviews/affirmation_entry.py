"""Quick entry of affirmations while the interview runs: type what was said, tag practices, Enter.

Tags are practices × the checked units (the session's unit by default). A unit that does not implement a
tagged practice's process area is skipped for it, and the line under the entry says so before adding.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence import LinkTarget, PracticeOption, UnitOption
from app.ui.interviews.practice_picker import PracticePicker


class _TextLine(QLineEdit):
    """Ctrl+Enter adds from here too (Enter alone already does)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            return
        super().keyPressEvent(event)


class AffirmationEntry(QWidget):
    """Signals: submitted(str, list[LinkTarget]): add this affirmation with these tags."""

    submitted = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pending: list[PracticeOption] = []
        self.units: tuple[UnitOption, ...] = ()
        self._unit_actions: list[tuple[QAction, UnitOption]] = []

        self.text = _TextLine()
        self.text.setObjectName("affirmationText")
        self.text.setPlaceholderText("Type what was affirmed, then Enter (Ctrl+E)")
        self.text.returnPressed.connect(self.submit)
        self.picker = PracticePicker()
        self.picker.picked.connect(self.add_tag)
        self.picker.unresolved.connect(self._say)
        self.picker.remove_last.connect(self.remove_last_tag)
        self.picker.returnPressed.connect(self._enter_in_picker)
        self.units_button = QToolButton()
        self.units_button.setObjectName("tagUnits")
        self.units_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.units_button.setToolTip("The units the tags apply to")
        self.units_menu = QMenu(self.units_button)
        self.units_button.setMenu(self.units_menu)
        self.add_button = QPushButton("&Add")
        self.add_button.setToolTip("Add the affirmation with its tags (Enter)")
        self.add_button.clicked.connect(self.submit)
        self.tags_label = QLabel()
        self.tags_label.setObjectName("pendingTags")
        self.tags_label.setWordWrap(True)
        self.clear_tags_button = QToolButton()
        self.clear_tags_button.setText("Clear tags")
        self.clear_tags_button.clicked.connect(self.clear_tags)

        row = QHBoxLayout()
        row.addWidget(self.picker, 3)
        row.addWidget(self.units_button)
        row.addWidget(self.add_button)
        tags_row = QHBoxLayout()
        tags_row.addWidget(self.tags_label, 1)
        tags_row.addWidget(self.clear_tags_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addLayout(tags_row)
        self.setTabOrder(self.text, self.picker)
        self.setTabOrder(self.picker, self.units_button)
        self.setTabOrder(self.units_button, self.add_button)
        self._show_tags()

    def set_context(
        self,
        options: tuple[PracticeOption, ...],
        units: tuple[UnitOption, ...],
        default_units: Sequence[int],
        *,
        same_session: bool = False,
    ) -> None:
        """The practices and units to offer, and the units checked to begin with (the session's unit). Shown
        again for the same session, the units the person checked stay checked; another session starts afresh."""
        checked = {unit.id for action, unit in self._unit_actions if action.isChecked()}
        keep = same_session and bool(checked) and self.units == units
        self.picker.set_options(options)
        self.units = units
        self.units_menu.clear()
        self._unit_actions = []
        for unit in units:
            action = self.units_menu.addAction(unit.name)
            action.setCheckable(True)
            # A session about no particular unit checks none: the tags' units are chosen, never guessed.
            action.setChecked(unit.id in (checked if keep else set(default_units)))
            action.toggled.connect(self._show_tags)
            self._unit_actions.append((action, unit))
        known = {o.ref for o in options}
        self.pending = [o for o in self.pending if o.ref in known]
        self._show_tags()

    def check_units(self, unit_ids: Sequence[int]) -> None:
        for action, unit in self._unit_actions:
            action.setChecked(unit.id in unit_ids)

    def chosen_units(self) -> list[UnitOption]:
        return [unit for action, unit in self._unit_actions if action.isChecked()]

    def add_tag(self, option: PracticeOption) -> None:
        if option.ref not in {o.ref for o in self.pending}:
            self.pending.append(option)
        self._show_tags()

    def remove_last_tag(self) -> None:
        if self.pending:
            self.pending.pop()
        self._show_tags()

    def clear_tags(self) -> None:
        self.pending = []
        self._show_tags()

    def targets(self) -> tuple[list[LinkTarget], list[str]]:
        """Tags as practice × unit targets, and the combinations skipped (unit does not implement the PA)."""
        targets: list[LinkTarget] = []
        skipped: list[str] = []
        for option in self.pending:
            for unit in self.chosen_units():
                if unit.implements(option.model, option.pa):
                    targets.append(LinkTarget.of(option.ref, unit.id))
                else:
                    skipped.append(f"{unit.name} does not implement {option.pa}")
        return targets, skipped

    def _show_tags(self) -> None:
        units = self.chosen_units()
        self.units_button.setText("Units: " + (", ".join(u.name for u in units) or "none") + " ")
        if not self.pending:
            self.tags_label.setText(
                "<span style='color:#555'>No tags yet: type a practice above and press Enter (Ctrl+T).</span>"
            )
        else:
            tags = " ".join(f"<b>[{o.pa} {o.practice}]</b>" for o in self.pending)
            _targets, skipped = self.targets()
            note = f" <span style='color:#a34700'>({'; '.join(skipped)})</span>" if skipped else ""
            self.tags_label.setText(f"Tags: {tags}{note}")
        self.clear_tags_button.setEnabled(bool(self.pending))

    def _say(self, message: str) -> None:
        self.tags_label.setText(f"<span style='color:#b00020'>{message}</span>")

    def _enter_in_picker(self) -> None:
        # Enter in the empty tag field adds the affirmation, so typing flows: text, tags, Enter.
        if not self.picker.text().strip():
            self.submit()

    def submit(self) -> None:
        text = self.text.text().strip()
        if not text:
            self.text.setFocus()
            return
        if self.pending and not self.chosen_units():
            self._say("Choose the units these tags apply to (the Units button), then press Enter again.")
            self.units_button.setFocus()
            return
        targets, _skipped = self.targets()
        self.submitted.emit(text, targets)

    def accepted(self) -> None:
        """The affirmation was added: clear the entry for the next one (units stay as chosen)."""
        self.text.clear()
        self.clear_tags()
        self.text.setFocus()
