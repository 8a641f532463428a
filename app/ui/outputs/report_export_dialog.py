"""The export dialog for the final outputs: the Word report, the briefing and the record, with "Make a draft"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFormLayout, QWidget

from app.domain.report import Edition
from app.ui.outputs.export_dialog import FOLDER_KINDS, ExportChoice, ExportDialog

EDITION_HINTS = {
    Edition.TEAM: "Team edition: the goals' reasons and overrides too. Participants' names are withheld.",
    Edition.SPONSOR: "Sponsor edition: ratings and validated findings for the organizational unit; findings that "
    "name someone are withheld.",
}
HINTS = {
    "docx": "The appraisal report in Word, from the appraisal's own template or the shipped one "
    "(File › Report templates…). ",
    "pptx": "The final findings briefing: scope, capability chart, a slide per process area, next steps. "
    "The team edition adds the goals' reasons as speaker notes. ",
    "record": "The disclosure statement (Word and PDF), record.json and one CSV per table, written into the "
    "folder below. It holds per-unit values, with every participant's name withheld.",
}


class ReportExportDialog(ExportDialog):
    def __init__(self, kind: str, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(kind, default_path, parent)
        self.setObjectName("reportExportDialog")
        self.draft = QCheckBox("Make a draft if the appraisal is not ready (marked DRAFT)")
        self.draft.setObjectName("draftChoice")
        self.draft.setToolTip(
            "Without it, the export is refused while a team judgment is pending or a finding is not validated"
        )
        form = self.findChild(QFormLayout)
        assert form is not None
        form.addRow("", self.draft)
        if kind in FOLDER_KINDS:
            form.setRowVisible(0, False)  # the record is the team edition's data: no choice to make
        self.team.toggled.connect(self._kind_hint)
        self._kind_hint()

    def _kind_hint(self, _checked: bool = False) -> None:
        edition = "" if self.kind in FOLDER_KINDS else EDITION_HINTS[self.edition()]
        self.hint.setText(HINTS[self.kind] + edition)

    def choice(self) -> ExportChoice:
        return replace(super().choice(), draft=self.draft.isChecked())
