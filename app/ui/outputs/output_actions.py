"""File › Export workbook…, Export PDF summary… and Import workbook… for the main window.

`install_output_actions(window)` is called once by the composition root; what it adds is owned by the window
(Qt parent). Exports and the import's preview and apply run on the worker thread with a progress dialog; the
applied import is one step on the undo stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog

from app.ui.shell.menu_work import MenuWork

if TYPE_CHECKING:
    from app.domain.report import Edition
    from app.services.exports import ExportResult
    from app.services.workbook_import import AppliedImport, ImportPreview
    from app.ui.outputs.export_dialog import ExportChoice
    from app.ui.shell.document import Document
    from app.ui.shell.main_window import MainWindow

# The exports, the import and their dialogs are imported when the person asks for them, not at start.

INCREMENTAL_LIMIT = 200
"""Above this many imported cells the ratings are recomputed whole rather than cell by cell."""


class OutputActions(MenuWork):
    """Signals:
    export_finished(ExportResult): a file was written.
    preview_shown(ImportPreviewDialog): an import preview is on screen.
    import_applied(AppliedImport): the import was written (and pushed on the undo stack).
    failed(str): an export or import was refused or failed; the text is what the user was told.
    cancelled(): the person cancelled an export; nothing was written.
    blocks_shown(ReleaseBlocksDialog): an edition was refused; the dialog lists what blocks it.
    """

    export_finished = Signal(object)
    preview_shown = Signal(object)
    import_applied = Signal(object)
    blocks_shown = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "outputProgress", "Still working on the last export or import; try again shortly.")
        self.export_workbook_action = self._action("Export &workbook…", "exportWorkbookAction", self.export_workbook)
        self.export_workbook_action.setStatusTip("Write the practice-characterization workbook (Excel)")
        self.export_pdf_action = self._action("Export &PDF summary…", "exportPdfAction", self.export_pdf)
        self.export_pdf_action.setStatusTip("Write the appraisal summary as a PDF")
        self.import_workbook_action = self._action("&Import workbook…", "importWorkbookAction", self.import_workbook)
        self.import_workbook_action.setStatusTip("Bring back characterizations and notes from a team workbook")
        mine = (self.export_workbook_action, self.export_pdf_action, self.import_workbook_action)
        self._add_to_file_menu(mine)
        self._enable_while_open(mine)

    # --- exporting -----------------------------------------------------------------------------------------

    def default_path(self, kind: str, edition: Edition | None = None) -> Path:
        from app.domain.report import Edition
        from app.ui.outputs.export_dialog import KINDS

        edition = Edition.TEAM if edition is None else edition
        document = self.window.document
        stem = document.workspace.path.stem if document and document.workspace.path else "appraisal"
        return self.window.settings.last_folder() / f"{stem} - {edition.value}{KINDS[kind][2]}"

    def ask_export(self, kind: str) -> ExportChoice | None:
        from app.ui.outputs.export_dialog import ExportDialog

        document = self.window.document
        source = document.workspace.path if document is not None else None
        dialog = ExportDialog(kind, self.default_path(kind), self.window, source=source)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def export_workbook(self) -> None:
        choice = self.ask_export("xlsx") if self.window.document is not None else None
        if choice is not None:
            self.start_export(choice)

    def export_pdf(self) -> None:
        choice = self.ask_export("pdf") if self.window.document is not None else None
        if choice is not None:
            self.start_export(choice)

    def start_export(self, choice: ExportChoice) -> None:
        """Write the file on the worker thread, with progress; `export_finished` or `failed` tells how it went."""
        document = self.window.document
        if document is None or self.busy():
            return
        from app.services import exports
        from app.ui.outputs.export_dialog import KINDS

        write = exports.export_xlsx if choice.kind == "xlsx" else exports.export_pdf
        title = KINDS[choice.kind][0]
        self.worker.run(
            document,
            lambda ws, progress: write(
                ws, choice.path, choice.edition, choice.marking, progress, overwrite=choice.overwrite
            ),
            f"Writing {choice.path.name}",
            self._exported,
            lambda exc: self._failed(exc, title),
            cancellable=True,
        )

    def _exported(self, result: ExportResult) -> None:
        self.window.settings.set_last_folder(result.path.parent)
        self.window.statusBar().showMessage(f"Wrote {result.path} ({result.edition.label})", 10000)
        self.export_finished.emit(result)

    # --- importing -----------------------------------------------------------------------------------------

    def import_workbook(self) -> None:
        if self.window.document is None:
            return
        from app.ui.outputs.export_dialog import KINDS

        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Import workbook", str(self.window.settings.last_folder()), KINDS["xlsx"][1]
        )
        if chosen:
            self.start_preview(Path(chosen))

    def start_preview(self, path: Path) -> None:
        """Read and compare the workbook on the worker thread, then show the preview (nothing is written yet)."""
        document = self.window.document
        if document is None or self.busy():
            return
        from app.services import workbook_import

        self.worker.run(
            document,
            lambda ws, _progress: workbook_import.preview(ws, path),
            f"Reading {path.name}",
            lambda preview: self._show_preview(document, preview),
            lambda exc: self._failed(exc, "Import workbook"),
        )

    def _show_preview(self, document: Document, preview: ImportPreview) -> None:
        from app.ui.outputs.import_preview_dialog import ImportPreviewDialog

        dialog = ImportPreviewDialog(preview, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.start_apply(document, preview, dialog.conflicts_accepted()))
        dialog.open()
        self.preview_shown.emit(dialog)

    def start_apply(self, document: Document, preview: ImportPreview, accept_conflicts: bool) -> None:
        if document is not self.window.document or self.busy():
            return  # the appraisal was closed while the preview was open, or another job runs
        from app.services import workbook_import

        self.worker.run(
            document,
            lambda ws, _progress: workbook_import.apply(ws, preview, accept_conflicts=accept_conflicts),
            f"Importing {preview.path.name}",
            lambda applied: self._applied(document, preview, applied),
            lambda exc: self._failed(exc, "Import workbook"),
        )

    def _applied(self, document: Document, preview: ImportPreview, applied: AppliedImport) -> None:
        from app.services import workbook_import
        from app.ui.shell.commands import ServiceCommand, done_on_worker
        from app.ui.shell.document import Change, Touched

        ws = document.workspace
        redo = done_on_worker(lambda: workbook_import.write_cells(ws, applied.after, action="redo import"))

        def undo() -> None:
            workbook_import.write_cells(ws, applied.before, action="undo import")

        cells = applied.touched
        touched = Touched.of(cells=cells) if len(cells) <= INCREMENTAL_LIMIT else None
        count = len(applied.after)
        command = ServiceCommand(
            document,
            f"import of {count} cell{'s' if count != 1 else ''} from {preview.path.name}",
            redo,
            undo,
            Change.CHARACTERIZATION,
            touched=touched,
        )
        document.execute(command)
        self.window.statusBar().showMessage(
            f"Imported {count} cell{'s' if count != 1 else ''} from {preview.path.name}; Edit › Undo takes it back.",
            10000,
        )
        self.import_applied.emit(applied)

    # --- errors ------------------------------------------------------------------------------------------------

    def _failed(self, exc: BaseException, title: str) -> None:
        from app.services.release_gate import ReleaseRefused
        from app.ui.outputs.release_blocks_dialog import ReleaseBlocksDialog

        if isinstance(exc, ReleaseRefused):
            dialog = ReleaseBlocksDialog(exc, self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.place_requested.connect(self.go_to_block)
            dialog.open()
            self.blocks_shown.emit(dialog)
            self.failed.emit(str(exc))
            return
        super()._failed(exc, title)

    def go_to_block(self, href: str) -> None:
        """Show where a release block is fixed: the flagged finding, or a new finding about the goal."""
        kind, _, rest = href.partition(":")
        if kind == "finding":
            self.window.places.open_hit("finding", int(rest))
            return
        from app.services.findings import FindingTarget
        from app.ui.findings.findings_page import FindingsPage

        model, pa, goal = rest.split("\t")
        page = self.window.page(FindingsPage)
        self.window.show_page(self.window.page_list.index(page))
        page.catch_up()
        if isinstance(page, FindingsPage):
            page.new_finding_about(FindingTarget(model, pa, goal))


def install_output_actions(window: MainWindow) -> OutputActions:
    """Add File › Export workbook…, Export PDF summary… and Import workbook… to `window`."""
    return OutputActions(window)
