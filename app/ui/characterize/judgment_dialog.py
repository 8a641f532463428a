"""Choosing a value that needs a reason: the team's OU judgment, a goal-rating override, a review comment.

OK stays disabled until a choice is made and, where one is required, a rationale is written. Choosing the
"clear" option (value None) needs no rationale.

The rationale follows the value: text written while one value was chosen belongs to that value, so choosing
another value shows that value's own rationale (empty at first) and OK needs one for the value now chosen;
going back brings the earlier text back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

Choice = tuple[str | None, str]
"""(value, label with an & mnemonic); value None clears the decision."""


class RationaleDialog(QDialog):
    def __init__(
        self,
        title: str,
        heading: str,
        explanation: str,
        choices: Sequence[Choice],
        chosen: str | None = None,
        rationale: str = "",
        *,
        prompt: str = "&Rationale (why the team chose this; it goes into the appraisal record)",
        required: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rationaleDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._required = required
        self._rationales: dict[str | None, str] = {}
        self._shown: str | None = chosen
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #455a64;")
        self.group = QButtonGroup(self)
        self.buttons: dict[str | None, QRadioButton] = {}
        box = QGroupBox("&Value")
        box_layout = QVBoxLayout(box)
        for value, label in choices:
            button = QRadioButton(label)
            self.buttons[value] = button
            self.group.addButton(button)
            box_layout.addWidget(button)
            button.toggled.connect(self._value_changed)
        box.setVisible(bool(choices))
        self.rationale = QPlainTextEdit(rationale)
        self.rationale.setObjectName("rationale")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setMinimumHeight(90)
        self.rationale.textChanged.connect(self._update)
        prompt_label = QLabel(prompt)
        prompt_label.setBuddy(self.rationale)
        prompt_label.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #b71c1c;")
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        self.ok_button = ok
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if explanation:
            layout.addWidget(self.explanation)
        layout.addWidget(box)
        layout.addWidget(prompt_label)
        layout.addWidget(self.rationale, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.box)
        self._rationales[chosen] = rationale
        if chosen in self.buttons:
            self.buttons[chosen].setChecked(True)
        elif len(self.buttons) == 1:
            next(iter(self.buttons.values())).setChecked(True)
        self.rationale.setFocus()
        self._update()

    def choose(self, value: str | None) -> None:
        self.buttons[value].setChecked(True)

    def value(self) -> str | None:
        return next((value for value, button in self.buttons.items() if button.isChecked()), None)

    def rationale_text(self) -> str:
        return self.rationale.toPlainText().strip()

    def _value_changed(self, checked: bool) -> None:
        if not checked:
            return
        value = self.value()
        if value != self._shown:
            # The text written for the value shown before stays with it; this value brings its own.
            self._rationales[self._shown] = self.rationale.toPlainText()
            self._shown = value
            self.rationale.setPlainText(self._rationales.get(value, ""))
        self.rationale.setEnabled(not (bool(self.buttons) and value is None))
        self._update()

    def _chosen(self) -> bool:
        return not self.buttons or any(button.isChecked() for button in self.buttons.values())

    def _update(self) -> None:
        clearing = bool(self.buttons) and self._chosen() and self.value() is None
        missing = self._required and not clearing and not self.rationale_text()
        if not self._chosen():
            self.hint.setText("Choose a value.")
        elif missing:
            self.hint.setText("Write the rationale: the team must be able to say why.")
        else:
            self.hint.setText("")
        self.ok_button.setEnabled(self._chosen() and not missing)
