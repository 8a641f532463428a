"""Opening an appraisal into the window: a new one, a file chosen or remembered, the demo, one on a team server;
the page that shows first reads its data while the file opens. Saving a copy of the open one as another file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from app.services import appraisals, security, team_server
from app.services.appraisals import SUFFIX
from app.services.workspace import Workspace
from app.ui.common.errors import show_error
from app.ui.shell.document import Document
from app.ui.shell.new_appraisal_dialog import NewAppraisalDialog
from app.ui.shell.passphrase_dialog import ask_to_unlock
from app.ui.shell.tasks import Task

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

FILE_FILTER = f"Appraisal (*{SUFFIX});;All files (*)"


class WindowOpening:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def new_appraisal(self) -> None:
        window = self.window
        dialog = NewAppraisalDialog(window.settings.last_folder(), window)
        if dialog.exec() != NewAppraisalDialog.DialogCode.Accepted:
            return
        path, name, plan_file, preset, passphrase = (
            dialog.file_path(),
            dialog.name.text().strip(),
            dialog.plan_path(),
            dialog.preset_key(),
            dialog.passphrase_value(),
        )
        provider, who = window.catalog_provider, window.user_name
        self._open_with(
            Task(
                lambda _p: appraisals.new_appraisal(
                    path,
                    provider(),
                    name=name or None,
                    plan_file=plan_file,
                    preset=preset,
                    who=who,
                    passphrase=passphrase,
                ),
                label=f"Creating {path.name}",
            ),
            path,
        )

    def choose_and_open(self) -> None:
        window = self.window
        chosen, _ = QFileDialog.getOpenFileName(
            window, "Open appraisal", str(window.settings.last_folder()), FILE_FILTER
        )
        if chosen:
            self.open_path(Path(chosen))

    def open_server(self, url: str) -> None:
        window = self.window
        if not window.close_document():
            return
        shown = team_server.shown(url)
        window.statusBar().showMessage(f"Connecting to {shown}…")
        task: Task[Workspace] = Task(lambda _p: appraisals.open_appraisal(url), label=f"Opening {shown}")
        task.on_success(self._opened).on_failure(lambda exc: window.report(exc, f"Cannot open {shown}"))
        window.runner.start(task)

    def open_path(self, path: Path) -> None:
        window = self.window
        path = path.expanduser()
        if window.document is not None and window.document.workspace.path == path.resolve():
            return
        who = window.user_name
        passphrase: str | None = None
        if security.file_is_encrypted(path):
            passphrase = ask_to_unlock(window, path)
            if passphrase is None:
                return
        first_read = getattr(type(window.page_list[self.first_row()]), "first_read", None)
        if not callable(first_read):
            self._open_with(
                Task(
                    lambda _p: appraisals.open_appraisal(path, who=who, passphrase=passphrase),
                    label=f"Opening {path.name}",
                ),
                path,
            )
            return
        # The page that shows first reads its data on the worker while SQLite checks every page of the file
        # beside it: the check is C, the read Python, so on two cores they overlap.
        first: list[object] = []

        def open_and_read(_progress: object) -> Workspace:
            workspace, data = appraisals.open_appraisal_reading(path, first_read, who=who, passphrase=passphrase)
            first.append(data)
            return workspace

        self._open_with(Task(open_and_read, label=f"Opening {path.name}"), path, first)

    def open_demo(self) -> None:
        factory = self.window.demo_factory
        if factory is None:
            return
        folder = self.window.settings.last_folder()
        target = folder / f"Olive Vehicle Insurance demo{SUFFIX}"
        n = 2
        while target.exists():
            target = folder / f"Olive Vehicle Insurance demo ({n}){SUFFIX}"
            n += 1
        self._open_with(Task(lambda _p: factory(target), label="Creating the demo appraisal"), target)

    def _open_with(self, task: Task[Workspace], path: Path, first: list[object] | None = None) -> None:
        window = self.window
        if not window.close_document():
            return
        window.statusBar().showMessage(task.label + "…")
        task.on_success(lambda workspace: self._opened(workspace, first[0] if first else None))
        task.on_failure(lambda exc: self._open_failed(exc, path))
        window.runner.start(task)

    def first_row(self) -> int:
        """The page that shows when an appraisal opens: the current one, else the one the lead left open."""
        window = self.window
        row = window.nav.currentRow()
        if row >= 0:
            return row
        remembered = window.settings.current_page()
        titles = [p.title for p in window.page_list]
        return titles.index(remembered) if remembered in titles else 0

    def _opened(self, workspace: Workspace, first_read: object = None) -> None:
        window = self.window
        window.statusBar().clearMessage()
        if workspace.path is not None:
            window.settings.add_recent_file(workspace.path)
            window.settings.set_last_folder(workspace.path.parent)
        document = Document(workspace, window.runner, window)
        document.first_read = first_read
        window.set_document(document)
        if workspace.store.migrated_from is not None:
            window.statusBar().showMessage(
                f"Upgraded {workspace.display_name} from schema {workspace.store.migrated_from}; "
                f"a backup of the original is at {workspace.store.backup_path}",
                15000,
            )

    def _open_failed(self, exc: BaseException, path: Path) -> None:
        self.window.statusBar().clearMessage()
        box = show_error(self.window, exc, title=f"Cannot open {path.name}")
        self.window.failed.emit(box.text())

    def save_copy_as(self) -> None:
        window = self.window
        if window.document is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            window, "Save a copy as", str(window.settings.last_folder()), FILE_FILTER
        )
        if not chosen:
            return
        target = Path(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)
        task: Task[None] = window.document.run(lambda ws, _p: appraisals.save_copy(ws, target), label="Saving a copy")
        task.on_success(lambda _r: window.statusBar().showMessage(f"Saved a copy as {target}", 8000))
        task.on_failure(lambda exc: window.report(exc, "Save a copy"))
        window.runner.start(task)
