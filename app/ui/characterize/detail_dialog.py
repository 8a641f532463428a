"""One cell in full: the evidence linked to it, the tool's proposal and why, the team's value and texts.

The dialog edits a copy; OK hands back the new `CellState` and the page stores it as one undoable edit.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.rating.results import InstantiationResult
from app.domain.rating.scales import Scale
from app.services.characterize import CellState
from app.services.grid import place_name
from app.services.grid_cell import CellDetail

ADEQUACY_WORDS = {"adequate": "adequate", "inadequate": "inadequate", "not_assessed": "not assessed yet"}


def _text_edit(text: str, placeholder: str, name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(70)
    return edit


class CellDetailDialog(QDialog):
    def __init__(
        self, detail: CellDetail, scale: Scale, result: InstantiationResult | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cellDetailDialog")
        key = detail.key
        self.detail = detail
        self.setWindowTitle(f"{key.pa} {key.practice} in {key.unit}")
        self.resize(860, 600)
        state = detail.state
        heading = QLabel(f"{place_name(key.model, key.pa)} {key.practice}  {detail.title}  —  in {key.unit}")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        statement = QLabel(detail.statement)
        statement.setWordWrap(True)
        statement.setStyleSheet("color: #455a64;")
        statement.setVisible(bool(detail.statement))

        self.value = QComboBox()
        self.value.setObjectName("cellValue")
        self.value.addItem("— not characterized —", None)
        for info in scale.infos:
            self.value.addItem(f"{info.value}  {info.label}", info.value.value)
        self.value.setCurrentIndex(max(self.value.findData(state.value), 0))
        proposal = QLabel(result.proposal.reason if result else "No proposal: this cell is not rated.")
        proposal.setObjectName("proposal")
        proposal.setWordWrap(True)
        problems = QLabel("\n".join(f"⚠ {p}" for p in result.problems) if result else "")
        problems.setWordWrap(True)
        problems.setStyleSheet("color: #b71c1c;")
        problems.setVisible(bool(result and result.problems))
        self.consensus = QCheckBox("Mini-team &consensus reached")
        self.consensus.setChecked(state.consensus)
        value_form = QFormLayout()
        value_form.addRow("&Value", self.value)
        value_form.addRow("Proposal", proposal)
        value_form.addRow("", problems)
        value_form.addRow("", self.consensus)

        self.evidence = QListWidget()
        self.evidence.setObjectName("cellEvidence")
        self.evidence.setWordWrap(True)
        for item in detail.evidence:
            kind = "Artifact" if item.kind == "artifact" else "Affirmation"
            text = f"{kind}: {item.label}  ({ADEQUACY_WORDS.get(item.adequacy, item.adequacy)})"
            entry = QListWidgetItem(text)
            entry.setToolTip(text + (f"\n{item.note}" if item.note else ""))
            self.evidence.addItem(entry)
        if not detail.evidence:
            self.evidence.addItem(
                "No evidence linked yet: link artifacts on the Evidence page, affirmations on Interviews."
            )
        evidence_box = QGroupBox(f"Linked evidence ({len(detail.evidence)})")
        QVBoxLayout(evidence_box).addWidget(self.evidence)

        self.strengths = _text_edit(state.strengths, "Notable or exemplary implementation (optional)", "strengths")
        self.weaknesses = _text_edit(
            state.weaknesses, "What is missing or inadequate (needed for LI, PI, NI)", "weaknesses"
        )
        self.notes = _text_edit(state.notes, "The team's working notes", "notes")
        self.review = QCheckBox("&Marked for review")
        self.review.setChecked(state.review_flag)
        self.review_comment = QLineEdit(state.review_comment)
        self.review_comment.setPlaceholderText("What the team should look at")
        self.review.toggled.connect(self.review_comment.setEnabled)
        self.review_comment.setEnabled(state.review_flag)
        texts = QFormLayout()
        texts.addRow("&Strengths", self.strengths)
        texts.addRow("&Weaknesses", self.weaknesses)
        texts.addRow("&Notes", self.notes)
        texts.addRow(self.review)
        texts.addRow(self.review_comment)

        grid = QGridLayout()
        left = QVBoxLayout()
        left.addLayout(value_form)
        left.addWidget(evidence_box, 1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(texts, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(statement)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
        self.value.setFocus()

    def state(self) -> CellState:
        flagged = self.review.isChecked()
        return CellState(
            value=self.value.currentData(),
            strengths=self.strengths.toPlainText(),
            weaknesses=self.weaknesses.toPlainText(),
            notes=self.notes.toPlainText(),
            consensus=self.consensus.isChecked(),
            review_flag=flagged,
            review_comment=self.review_comment.text().strip() if flagged else "",
        )
