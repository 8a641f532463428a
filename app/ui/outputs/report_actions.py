"""File › Export Word report…, Export final findings briefing…, Export appraisal record… and Report templates….

The exports run on the worker thread with a progress dialog that can cancel them: the next progress report
stops the work, and since every file is written to a temporary name and renamed at the end, a cancelled export
leaves no half-written file. Choosing a report template is an undoable edit of the appraisal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal

from app.ui.shell.menu_work import MenuWork

if TYPE_CHECKING:
    from app.domain.report import Edition
    from app.services.report_exports import StoredTemplate
    from app.ui.outputs.export_dialog import ExportChoice
    from app.ui.shell.main_window import MainWindow

# The report writers and their dialogs are imported when the person asks for them, not at start.

Progress = Callable[[int, int, str], None]


def run_export(ws: Any, choice: ExportChoice, progress: Progress) -> Any:
    """The service call for `choice` (on the worker thread)."""
    from app.services import report_exports

    draft, overwrite = choice.draft, choice.overwrite
    if choice.kind == "docx":
        return report_exports.export_docx(
            ws, choice.path, choice.edition, choice.marking, draft=draft, overwrite=overwrite, progress=progress
        )
    if choice.kind == "pptx":
        return report_exports.export_pptx(
            ws, choice.path, choice.edition, choice.marking, draft=draft, overwrite=overwrite, progress=progress
        )
    return report_exports.export_record(
        ws, choice.path, choice.marking, draft=draft, overwrite=overwrite, progress=progress
    )


class ReportActions(MenuWork):
    """Signals:
    export_finished(object): an ExportResult (docx, pptx) or RecordResult (record) was written.
    failed(str): an export was refused or failed; the text is what the user was told.
    cancelled(): the user cancelled an export.
    """

    export_finished = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "reportProgress", "Still writing the last export; try again shortly.")
        self.actions = {
            "docx": self._action("Export Word &report…", "exportDocxAction", lambda: self.export("docx")),
            "pptx": self._action("Export final findings &briefing…", "exportPptxAction", lambda: self.export("pptx")),
            "record": self._action("Export appraisal re&cord…", "exportRecordAction", lambda: self.export("record")),
            "templates": self._action("Report &templates…", "reportTemplatesAction", self.choose_templates),
        }
        self.actions["docx"].setStatusTip("Write the appraisal report in Word, from a template")
        self.actions["pptx"].setStatusTip("Write the final findings briefing in PowerPoint")
        self.actions["record"].setStatusTip("Write the disclosure statement, record.json and CSV tables")
        self.actions["templates"].setStatusTip("Choose the Word template this appraisal's reports use")
        self._add_to_file_menu(list(self.actions.values()), separator=False)
        self._enable_while_open(list(self.actions.values()))

    # --- exporting -----------------------------------------------------------------------------------------

    def default_path(self, kind: str) -> Path:
        from app.domain.report import Edition
        from app.ui.outputs.export_dialog import FOLDER_KINDS, KINDS

        document = self.window.document
        stem = document.workspace.path.stem if document and document.workspace.path else "appraisal"
        if kind in FOLDER_KINDS:
            return self.window.settings.last_folder() / f"{stem} - record"
        return self.window.settings.last_folder() / f"{stem} - {Edition.TEAM.value}{KINDS[kind][2]}"

    def export(self, kind: str) -> None:
        if self.window.document is None:
            return
        from app.ui.outputs.report_export_dialog import ReportExportDialog

        dialog = ReportExportDialog(kind, self.default_path(kind), self.window)
        if dialog.exec() == ReportExportDialog.DialogCode.Accepted:
            self.start_export(dialog.choice())

    def start_export(self, choice: ExportChoice) -> None:
        """Write on the worker thread with progress and Cancel; `export_finished`, `failed` or `cancelled` follow."""
        document = self.window.document
        if document is None:
            return
        from app.ui.outputs.export_dialog import KINDS

        self.worker.run(
            document,
            lambda ws, progress: run_export(ws, choice, progress),
            f"Writing {choice.path.name}",
            self._exported,
            lambda exc: self._failed(exc, KINDS[choice.kind][0]),
            cancellable=True,
        )

    def request_cancel(self) -> None:
        self.worker.request_cancel()

    def _exported(self, result: Any) -> None:
        path = getattr(result, "path", None) or result.folder
        self.window.settings.set_last_folder(path.parent)
        self.window.statusBar().showMessage(f"Wrote {path}, marked “{result.marking}”", 10000)
        self.export_finished.emit(result)

    # --- templates -----------------------------------------------------------------------------------------

    def choose_templates(self) -> None:
        if self.window.document is None:
            return
        from app.ui.outputs.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def use_template(self, edition: Edition, path: Path | None) -> str | None:
        """Keep `path` (None: the shipped one) for `edition` as one undoable step; returns the refusal, if any."""
        document = self.window.document
        if document is None:
            return None
        from app.services import report_exports
        from app.services.errors import KnownError
        from app.ui.common.errors import show_error
        from app.ui.shell.commands import ServiceCommand
        from app.ui.shell.document import Change

        ws = document.workspace
        try:
            new = report_exports.read_checked_template(path) if path is not None else None
        except KnownError as exc:
            return show_error(self.window, exc, title="Report template").text()
        before = report_exports.stored_template(ws, edition)

        def put(template: StoredTemplate | None) -> None:
            if template is None:
                report_exports.clear_template(ws, edition)
            else:
                report_exports.keep_template(ws, edition, template)

        label = new.file_name if new else "the shipped template"
        command = ServiceCommand(
            document,
            f"use {label} for {edition.label.lower()} reports",
            lambda: put(new),
            lambda: put(before),
            Change.REPORTS,
        )
        document.execute(command)
        return None


def install_report_actions(window: MainWindow) -> ReportActions:
    """Add the report exports and Report templates… to `window`'s File menu."""
    return ReportActions(window)
