"""Asks for the team's rating of a goal and why it departs from the computed one; OK needs a rationale."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.characterize import GOAL_RATINGS


class GoalOverrideDialog(QDialog):
    def __init__(
        self,
        goal: str,
        computed: str,
        current: str | None = None,
        rationale: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override goal rating")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"<b>{goal}</b><br>By the rules this goal is <b>{computed}</b>. The team's rating replaces it; "
            "the rationale is kept with the ratings and shown wherever the rating is."
        )
        intro.setWordWrap(True)
        self.rating = QComboBox()
        self.rating.setObjectName("overrideRating")
        for rating in GOAL_RATINGS:
            self.rating.addItem(rating)
        default = current or ("Unsatisfied" if computed == "Satisfied" else "Satisfied")
        self.rating.setCurrentText(default)
        self.rationale = QPlainTextEdit(rationale)
        self.rationale.setObjectName("overrideRationale")
        self.rationale.setPlaceholderText(
            "Why the team departs from the rules, e.g. the weakness it judged significant (required)"
        )
        self.rationale.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Team rating", self.rating)
        form.addRow("Rationale", self.rationale)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.rationale.toPlainText().strip()))
        ok.setToolTip("" if ok.isEnabled() else "Write the rationale first")

    def value(self) -> tuple[str, str]:
        return self.rating.currentText(), self.rationale.toPlainText().strip()
