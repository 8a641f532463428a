"""File › Mini-team package… and File › Merge mini-team package…, and the banner of an open package.

`install_package_actions(window)` is called once by the composition root. Splitting, previewing and applying a
merge run on the worker thread with a progress dialog; the review panel shows the preview and nothing is written
until the lead applies it, in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QSizePolicy, QToolBar

from app.services.appraisals import SUFFIX
from app.services.package_origin import package_origin
from app.ui.shell.document import Change, Document
from app.ui.shell.menu_work import MenuWork

if TYPE_CHECKING:
    from app.services.package_merge import MergePreview, MergeResult
    from app.services.package_origin import PackageOrigin
    from app.services.packages import SplitResult
    from app.services.workspace import Workspace
    from app.ui.packages.split_package_dialog import SplitChoice
    from app.ui.shell.main_window import MainWindow

# The merge, its review panel and the split's dialog are imported when the person asks for them, not at start.

MERGED_KINDS = (
    Change.EVIDENCE,
    Change.INTERVIEWS,
    Change.CHARACTERIZATION,
    Change.JUDGMENT,
    Change.FINDINGS,
    Change.RATINGS,
    Change.DATA,
)
"""What a merge may change: every page that shows package data refreshes."""


class PackageActions(MenuWork):
    """Signals:
    split_done(SplitResult): a package was written.
    review_shown(MergeReviewDialog): the review panel is on screen.
    merged(MergeResult): a merge was applied.
    failed(str): a split or merge was refused or failed; the text is what the user was told.
    """

    split_done = Signal(object)
    review_shown = Signal(object)
    merged = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "packageProgress", "Still working on the last package; try again shortly.")
        self.origin: PackageOrigin | None = None
        self.split_action = self._action("Mini-team &package…", "splitPackageAction", self.split)
        self.split_action.setStatusTip("Write a package for one mini-team to work in offline")
        self.merge_action = self._action("&Merge mini-team package…", "mergePackageAction", self.choose_package)
        self.merge_action.setStatusTip("Bring a mini-team's package back: review every change, then apply")
        self._add_to_file_menu((self.split_action, self.merge_action))

        self.banner = QLabel()
        self.banner.setObjectName("packageBanner")
        self.banner.setMinimumWidth(200)
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.banner.setStyleSheet("background: #fff4ce; color: #4a3b00; padding: 4px 10px; font-weight: bold;")
        self.banner_bar = QToolBar("Mini-team package")
        self.banner_bar.setObjectName("packageBannerBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.addWidget(self.banner)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        window.document_opened.connect(self._opened)
        window.document_closed.connect(self._closed)
        self._closed()

    # --- the banner ----------------------------------------------------------------------------------------

    def _opened(self, document: Document) -> None:
        self.origin = package_origin(document.workspace)
        is_package = self.origin is not None
        for action in (self.split_action, self.merge_action):
            action.setEnabled(not is_package)
            action.setToolTip(
                "Open the lead's appraisal to do this; this file is a mini-team package" if is_package else ""
            )
        note = ""
        if self.origin is not None:
            self.banner.setText(self.origin.banner)
            self.banner.setToolTip(self.origin.banner)
            note = f"mini-team package for {self.origin.mini_team}"
        self.banner_bar.setVisible(is_package)
        if note != self.window.title_note:  # the title was just written without it: one query less at open
            self.window.title_note = note
            self.window._update_titles()

    def _closed(self) -> None:
        self.origin = None
        self.window.title_note = ""
        self.banner_bar.setVisible(False)
        for action in (self.split_action, self.merge_action):
            action.setEnabled(False)

    # --- splitting -----------------------------------------------------------------------------------------

    def split(self) -> None:
        document = self.window.document
        if document is None or self.busy():
            return
        from app.services import packages
        from app.ui.packages.split_package_dialog import SplitPackageDialog

        ws = document.workspace
        stem = ws.path.stem if ws.path is not None else "appraisal"
        dialog = SplitPackageDialog(packages.mini_team_names(ws), self.window.settings.last_folder(), stem, self.window)
        if dialog.exec() != SplitPackageDialog.DialogCode.Accepted:
            return
        self.start_split(dialog.choice())

    def start_split(self, choice: SplitChoice) -> None:
        document = self.window.document
        if document is None or self.busy():
            return
        from app.services import packages

        self.worker.run(
            document,
            lambda ws, _p: packages.split(ws, choice.mini_team, choice.path, passphrase=choice.passphrase),
            f"Writing the package for {choice.mini_team}",
            self._split_done,
            lambda exc: self._failed(exc, "Mini-team package"),
        )

    def _split_done(self, result: SplitResult) -> None:
        self.window.settings.set_last_folder(result.path.parent)
        self.window.statusBar().showMessage(
            f"Wrote the package for {result.mini_team} to {result.path} ({', '.join(result.process_areas)}; "
            f"{result.cells} cells, {result.artifacts} artifacts). Give it to the mini-team.",
            15000,
        )
        self.split_done.emit(result)

    # --- merging -------------------------------------------------------------------------------------------

    def choose_package(self) -> None:
        if self.window.document is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self.window,
            "Merge mini-team package",
            str(self.window.settings.last_folder()),
            f"Mini-team package (*{SUFFIX});;All files (*)",
        )
        if chosen:
            self.start_preview(Path(chosen))

    def start_preview(self, path: Path) -> None:
        """Compare the package with this file on the worker thread, then show the review panel."""
        document = self.window.document
        if document is None or self.busy():
            return
        from app.services import package_merge, security
        from app.ui.shell.passphrase_dialog import ask_to_unlock

        passphrase: str | None = None
        if security.file_is_encrypted(path):
            passphrase = ask_to_unlock(self.window, path)
            if passphrase is None:
                return
        self.worker.run(
            document,
            lambda ws, _p: package_merge.preview(ws, path, passphrase=passphrase),
            f"Reading {path.name}",
            lambda preview: self._review(document, preview, passphrase),
            lambda exc: self._failed(exc, "Merge mini-team package"),
        )

    def _review(self, document: Document, preview: MergePreview, passphrase: str | None) -> None:
        if preview.empty:
            text = "\n".join([*preview.status_lines, "Nothing to merge: this appraisal already holds all of it."])
            QMessageBox.information(self.window, "Merge mini-team package", text)
            self.window.statusBar().showMessage("Nothing to merge from that package.", 8000)
            return
        from app.ui.packages.merge_review_dialog import MergeReviewDialog

        dialog = MergeReviewDialog(preview, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.start_apply(document, preview, dialog.choices(), passphrase))
        dialog.open()
        self.review_shown.emit(dialog)

    def start_apply(
        self, document: Document, preview: MergePreview, take: dict[str, Any], passphrase: str | None
    ) -> None:
        if document is not self.window.document or self.busy():
            return
        from app.services import backups, package_merge

        def merge(ws: Workspace, _progress: object) -> MergeResult:
            # Edit › Undo takes the merge back; the backup is there too, for a lead who closes the file first.
            backups.take_backup(ws, label=f"before merging {preview.package_path.name}")
            return package_merge.apply(ws, preview, take, passphrase=passphrase)

        self.worker.run(
            document,
            merge,
            f"Merging {preview.package_path.name}",
            lambda result: self._merged(document, preview, result),
            lambda exc: self._failed(exc, "Merge mini-team package"),
        )

    def _merged(self, document: Document, preview: MergePreview, result: MergeResult) -> None:
        from app.services import merge_undo
        from app.ui.shell.commands import ServiceCommand, done_on_worker

        ws = document.workspace
        redo = done_on_worker(lambda: merge_undo.redo_merge(ws, result))
        if result.undoable:
            document.execute(
                ServiceCommand(
                    document,
                    result.label,
                    redo,
                    lambda: merge_undo.undo_merge(ws, result),
                    *MERGED_KINDS,
                )
            )  # pushing it refreshes the pages
        else:
            document.notify(*MERGED_KINDS)
        self.window.statusBar().showMessage(
            f"Merged {result.written} change(s) from the {preview.mini_team} package in one transaction; "
            f"{result.kept_lead} kept as this file had them; {result.log_entries} history entr(ies) added. "
            + (
                "Edit › Undo takes it back."
                if result.undoable
                else "A backup of the state before it is in File › Backups…."
            ),
            15000,
        )
        self.merged.emit(result)


def install_package_actions(window: MainWindow) -> PackageActions:
    """Add File › Mini-team package… and Merge mini-team package…, and the package banner, to `window`."""
    return PackageActions(window)
