"""Asks how to export: the edition, the confidentiality marking and where to write the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services.errors import OutputExistsError, OutputRefusedError
from app.services.exports import check_output
from app.services.report_exports import record_files_in

KINDS = {
    "xlsx": ("Export workbook", "Excel workbook (*.xlsx)", ".xlsx"),
    "pdf": ("Export PDF summary", "PDF document (*.pdf)", ".pdf"),
    "docx": ("Export Word report", "Word document (*.docx)", ".docx"),
    "pptx": ("Export final findings briefing", "PowerPoint presentation (*.pptx)", ".pptx"),
    "record": ("Export appraisal record", "", ""),
}
FOLDER_KINDS = ("record",)
"""Kinds written into a folder of files rather than one file."""
EDITION_HINTS = {
    Edition.TEAM: "Everything: each practice in each unit with its evidence, weaknesses and notes. "
    "Participants' names, roles one person holds and listed identifiers are withheld; interviews appear by session "
    "code. A team workbook can be imported back, names and all.",
    Edition.SPONSOR: "Ratings, goal ratings, validated findings with their status and the coverage statement for "
    "the organizational unit: no notes, rationales, evidence detail or per-unit values. Refused, with the list of "
    "what to fix, while a validated finding is still flagged or an Unsatisfied goal has no validated finding.",
}
MARKING_PRESETS = (
    DEFAULT_MARKINGS[Edition.TEAM],
    DEFAULT_MARKINGS[Edition.SPONSOR],
    "Confidential - not for distribution",
    "Internal use only",
)


@dataclass(frozen=True, slots=True)
class ExportChoice:
    kind: str
    """ "xlsx" or "pdf"."""
    path: Path
    edition: Edition
    marking: str
    draft: bool = False
    """Make it although the appraisal is not ready (docx, pptx, record); marked DRAFT."""
    overwrite: bool = False
    """The user agreed to replace the existing file at `path`."""


class ExportDialog(QDialog):
    def __init__(
        self, kind: str, default_path: Path, parent: QWidget | None = None, *, source: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        """The open appraisal: an export is never written over it."""
        self._overwrite = False
        title, self._filter, self._suffix = KINDS[kind]
        self.kind = kind
        self.setWindowTitle(title)
        self.setObjectName("exportDialog")
        self.setMinimumWidth(600)

        self.team = QRadioButton("Appraisal team")
        self.team.setObjectName("teamEdition")
        self.sponsor = QRadioButton("Sponsor")
        self.sponsor.setObjectName("sponsorEdition")
        self.team.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.team)
        group.addButton(self.sponsor)
        editions = QHBoxLayout()
        editions.addWidget(self.team)
        editions.addWidget(self.sponsor)
        editions.addStretch(1)
        self.hint = QLabel()
        self.hint.setObjectName("editionHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")

        self.marking = QComboBox()
        self.marking.setObjectName("markingChoice")
        self.marking.setEditable(True)
        self.marking.addItems(MARKING_PRESETS)
        self.marking.setToolTip("Printed on every sheet or page, in its header and footer")
        self._marking_touched = False
        self.marking.editTextChanged.connect(self._marking_edited)

        self.path = QLineEdit(str(default_path))
        self.path.setObjectName("exportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setObjectName("exportProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()

        form = QFormLayout()
        form.addRow("Edition", editions)
        form.addRow("", self.hint)
        form.addRow("Confidentiality marking", self.marking)
        form.addRow("Save as", where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.team.toggled.connect(self._edition_changed)
        self.path.textChanged.connect(self._update)
        self._edition_changed()

    def edition(self) -> Edition:
        return Edition.TEAM if self.team.isChecked() else Edition.SPONSOR

    def _marking_edited(self, _text: str) -> None:
        self._marking_touched = True

    def _edition_changed(self, _checked: bool = False) -> None:
        edition = self.edition()
        self.hint.setText(EDITION_HINTS[edition])
        if not self._marking_touched:
            # Follow the edition until the user chooses a marking of their own.
            self.marking.setCurrentText(DEFAULT_MARKINGS[edition])
            self._marking_touched = False
        path = Path(self.path.text().strip()) if self.path.text().strip() else None
        if path is not None:
            other = Edition.SPONSOR if edition is Edition.TEAM else Edition.TEAM
            stem = path.stem
            if stem.endswith(f" - {other.value}"):
                self.path.setText(str(path.with_name(f"{stem[: -len(other.value)]}{edition.value}{path.suffix}")))
        self._update()

    def _browse(self) -> None:
        if self.kind in FOLDER_KINDS:
            folder = QFileDialog.getExistingDirectory(self, self.windowTitle(), self.path.text())
            if folder:
                self.path.setText(folder)
            return
        chosen, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path.text(), self._filter)
        if chosen:
            self.path.setText(chosen)

    def _update(self) -> None:
        self.export_button.setEnabled(bool(self.path.text().strip()))
        self.problem.hide()

    def accept(self) -> None:
        """Export only where it is safe: never over an appraisal or the open file; over another file if asked."""
        path = self.choice().path
        self._overwrite = False
        if not self._suffix:
            # A folder (the appraisal record): its writer checks each file before writing any.
            in_the_way = record_files_in(path)
            if in_the_way and not self.confirm_replace(path, f"{len(in_the_way)} files of an earlier record"):
                return
            self._overwrite = bool(in_the_way)
            super().accept()
            return
        try:
            check_output(path, self.source)
        except OutputRefusedError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        except OutputExistsError:
            if not self.confirm_replace(path):
                return
            self._overwrite = True
        super().accept()

    def confirm_replace(self, path: Path, what: str = "") -> bool:
        shown = (
            f"{path.name} in {path.parent} already holds {what}"
            if what
            else f"{path.name} already exists in {path.parent}"
        )
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            f"{shown}.\n\nReplace it with the new export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choice(self) -> ExportChoice:
        path = Path(self.path.text().strip()).expanduser()
        if self._suffix and path.suffix.lower() != self._suffix:
            path = path.with_name(path.name + self._suffix)
        return ExportChoice(
            self.kind, path, self.edition(), self.marking.currentText().strip(), overwrite=self._overwrite
        )
