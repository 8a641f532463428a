"""Report templates…: which Word template each edition's report uses, with Choose… and Use the shipped one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.report import Edition
from app.services import report_exports
from app.ui.outputs.export_dialog import KINDS

if TYPE_CHECKING:
    from app.ui.outputs.report_actions import ReportActions


class TemplatesDialog(QDialog):
    """Which Word template each edition's report uses, with Choose… and Use the shipped one."""

    def __init__(self, actions: ReportActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = actions
        self.setWindowTitle("Report templates")
        self.setObjectName("reportTemplatesDialog")
        self.setMinimumWidth(560)
        grid = QGridLayout()
        self.labels: dict[Edition, QLabel] = {}
        self.choose_buttons: dict[Edition, QPushButton] = {}
        self.reset_buttons: dict[Edition, QPushButton] = {}
        for row, edition in enumerate(Edition):
            grid.addWidget(QLabel(f"<b>{edition.label}</b>"), row, 0)
            label = QLabel()
            label.setObjectName(f"{edition.value}TemplateName")
            self.labels[edition] = label
            grid.addWidget(label, row, 1)
            choose = QPushButton("Choose…")
            choose.clicked.connect(lambda _c=False, e=edition: self._choose(e))
            reset = QPushButton("Use the shipped one")
            reset.clicked.connect(lambda _c=False, e=edition: self._reset(e))
            self.choose_buttons[edition], self.reset_buttons[edition] = choose, reset
            grid.addWidget(choose, row, 2)
            grid.addWidget(reset, row, 3)
        grid.setColumnStretch(1, 1)
        note = QLabel(
            "A template is a Word document with fields such as {{ appraisal.name }}; it is checked before it is "
            "kept, and kept inside the appraisal file. The fields are listed in docs/report-templates.md."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        document = self.reports.window.document
        if document is None:
            return
        for edition, label in self.labels.items():
            info = report_exports.template_info(document.workspace, edition)
            label.setText("the shipped template" if info.shipped else info.file_name)
            self.reset_buttons[edition].setEnabled(not info.shipped)

    def _choose(self, edition: Edition) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a report template", str(self.reports.window.settings.last_folder()), KINDS["docx"][1]
        )
        if chosen:
            self.reports.use_template(edition, Path(chosen))
            self.refresh()

    def _reset(self, edition: Edition) -> None:
        self.reports.use_template(edition, None)
        self.refresh()
