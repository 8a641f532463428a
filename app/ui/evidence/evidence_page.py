"""Evidence: the register of artifacts, added by drag-and-drop or a file dialog, edited in a side panel,
linked to practices × units. Hashing and storing run on the worker thread with progress shown here; every
edit is an undoable command."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import evidence as ev
from app.services.errors import KnownError
from app.services.evidence import ArtifactMeta, EvidenceSource
from app.services.history import Subject, artifact_subject
from app.services.workspace import Workspace
from app.ui.common import prompts
from app.ui.common.errors import show_error
from app.ui.common.local_keys import LocalKeys, on_delete_key, tab_chain
from app.ui.common.page import Page
from app.ui.common.remote_marks import RowMarks
from app.ui.common.row_table import select_row
from app.ui.common.task_progress import TaskProgress
from app.ui.evidence import commands
from app.ui.evidence.artifact_panel import ArtifactPanel
from app.ui.evidence.artifact_table import (
    ArtifactFilter,
    ArtifactTable,
)
from app.ui.evidence.artifact_view import ArtifactTableView
from app.ui.evidence.link_dialog import LinkDialog
from app.ui.evidence.reference_dialog import ReferenceDialog
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import Change
from app.ui.shell.tasks import ProgressFn

T = TypeVar("T")


class EvidencePage(Page):
    title = "Evidence"
    shortcut = "Ctrl+2"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._temp: Path | None = None
        self.units: tuple[ev.UnitOption, ...] = ()
        self._last_shown: int | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("evidenceFilter")
        self.filter_edit.setPlaceholderText("Filter the register by title, type, unit, file… (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.model = ArtifactTable()
        self.proxy = ArtifactFilter()
        self.proxy.setSourceModel(self.model)
        self.filter_edit.textChanged.connect(self._filter)

        self.table = ArtifactTableView(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(self._edit_current)
        self.offer_history_on(self.table)
        self.empty_hint = QLabel("No evidence yet. Drop files anywhere on this page, or press Ctrl+N to choose them.")
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setStyleSheet("color: #555; padding: 6px;")
        self.count_label = QLabel()

        self.panel = ArtifactPanel()
        self.panel.meta_edited.connect(self._meta_edited)
        self.panel.unlink_requested.connect(self._unlink)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(420)

        self.tasks = TaskProgress()
        self.progress = self.tasks.bar
        self.message = QLabel()
        self.message.setObjectName("evidenceMessage")
        self._make_actions()

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        for action in (self.add_files_action, self.add_reference_action):
            bar.addWidget(self._button(action))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 480])
        split.setChildrenCollapsible(False)
        status = QHBoxLayout()
        status.addWidget(self.message, 1)
        status.addWidget(self.tasks, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(status)
        panel = self.panel
        tab_chain(
            self.filter_edit, self.table,
            panel.title, panel.type, panel.version, panel.provider, panel.effective, panel.description,
            panel.links, panel.unlink_button, panel.revisions,
        )  # fmt: skip

    def _make_actions(self) -> None:
        keys = LocalKeys(self)

        def make(text: str, slot: Callable[[], None], key: str = "", tip: str = "") -> QAction:
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False: slot())
            if key:
                keys.add(key, slot)
                action.setToolTip(f"{tip or text.rstrip('…')} ({QKeySequence(key).toString()})")
            return action

        self.add_files_action = make("&Add files…", self.choose_files, "Ctrl+N", "Store files in the appraisal")
        self.add_reference_action = make(
            "Add &reference…", self.add_reference, "Ctrl+Shift+N", "Reference a file or URL"
        )
        self.link_action = make("&Link to practices…", self.link_current, "Ctrl+L")
        self.revision_action = make("New re&vision…", self.new_revision, "Ctrl+R")
        self.open_action = make("&Open", self.open_current, "Ctrl+Shift+O", "Open the stored copy or the reference")
        self.save_action = make("Save copy &as…", self.save_copy)
        self.delete_action = make("&Delete", self.delete_selected)
        self.delete_action.setToolTip("Delete the selected artifacts (Del in the register)")
        keys.add("Ctrl+F", self._focus_filter)
        for action in (self.link_action, self.revision_action, self.open_action, self.save_action, self.delete_action):
            self.panel.add_action_button(self._button(action))
        self.panel.finish_actions()
        on_delete_key(self.table, self.delete_selected)
        on_delete_key(self.panel.links, lambda: self._unlink(self.panel.selected_link_ids()))

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # --- showing --------------------------------------------------------------------------------------

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & {Change.EVIDENCE, Change.PLAN})

    def set_remote_marks(self, marks: RowMarks) -> None:
        """Artifacts a colleague just changed on a team server, marked in the list (app/ui/common/remote_marks.py)."""
        self.model.marks.update(marks)

    def refresh(self) -> None:
        # An artifact that vanished (deleted, or its add undone) is selected again when redo brings it back.
        keep = self.current_id() or self._last_shown
        if self.document is None:
            self.model.set_rows([])
            self.units = ()
            self.panel.show_detail(None, ())
            self._update_counts()
            return
        ws = self.document.workspace
        self.units = ev.unit_options(ws)
        self.model.set_rows(list(ev.list_artifacts(ws)))
        self._update_counts()
        if keep is None or not self.select(keep):
            self._show_current()

    def _update_counts(self) -> None:
        rows = self.model.rows
        changed = sum(1 for r in rows if r.changed_on_disk)
        text = f"{len(rows)} artifact(s)"
        if changed:
            text += f" · ⚠ {changed} referenced file(s) changed or missing on disk"
        self.count_label.setText(text)
        self.empty_hint.setVisible(not rows and self.document is not None)
        has = self.current_id() is not None
        for action in (self.link_action, self.revision_action, self.open_action, self.save_action, self.delete_action):
            action.setEnabled(has)
        self.add_files_action.setEnabled(self.document is not None)
        self.add_reference_action.setEnabled(self.document is not None)

    def current_id(self) -> int | None:
        return self.table.current_id()

    def select(self, artifact_id: int) -> bool:
        row = self.model.row_of(artifact_id)
        if row is None:
            return False
        select_row(self.table, self.proxy, row, self.filter_edit.clear)
        self._show_current()
        return True

    def show_item(self, kind: str, item_id: int) -> bool:
        """Select an artifact (kind "artifact"), e.g. for a search hit; False when it is not here."""
        return kind == "artifact" and self.select(item_id)

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def history_subject(self) -> Subject | None:
        artifact_id = self.current_id()
        row = self.model.row_of(artifact_id) if artifact_id is not None else None
        return artifact_subject(self.model.rows[row].id, self.model.rows[row].title) if row is not None else None

    def _show_current(self) -> None:
        self.subject_changed.emit()
        self.panel.commit()
        artifact_id = self.current_id()
        detail = None
        if artifact_id is not None and self.document is not None:
            try:
                detail = ev.artifact_detail(self.document.workspace, artifact_id)
            except KnownError:
                detail = None
        self.panel.show_detail(detail, self.units)
        if detail is not None:
            self._last_shown = detail.summary.id
        self._update_counts()
        if detail is not None:
            self.save_action.setEnabled(detail.summary.stored)

    def _edit_current(self, _index: QModelIndex) -> None:
        self.panel.title.setFocus()
        self.panel.title.selectAll()

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # --- background work ------------------------------------------------------------------------------

    def _start(self, work: Callable[[Workspace, ProgressFn], T], label: str, done: Callable[[T], object]) -> None:
        if self.document is not None:
            self.tasks.run(self.document, work, label, done)

    def add_paths(self, paths: list[Path]) -> None:
        """Store these files as new artifacts, off the UI thread; one undo step for the lot."""
        files = [p for p in paths if p.is_file()]
        skipped = [p.name for p in paths if not p.is_file()]
        if skipped:
            show_error(self, KnownError(f"Only files can be added; skipped {', '.join(skipped)}."))
        if not files:
            return

        def work(ws: Workspace, progress: ProgressFn) -> tuple[list[int], list[str]]:
            ids: list[int] = []
            problems: list[str] = []
            for n, path in enumerate(files):

                def report(done: int, total: int, label: str, n: int = n) -> None:
                    progress(n * total + done, len(files) * total, f"Adding {label} ({n + 1} of {len(files)})")

                try:
                    ids.append(ev.add_artifact_from_file(ws, path, progress=report))
                except KnownError as exc:
                    problems.append(str(exc))
            return ids, problems

        self._start(work, f"Adding {len(files)} file(s)", self._added)

    def _added(self, result: tuple[list[int], list[str]]) -> None:
        ids, problems = result
        if ids and self.document is not None:
            self._execute(commands.added_artifacts(self.document, ids))
            self.select(ids[0])
        if problems:
            show_error(self, KnownError(" ".join(problems)), title="Adding files")

    def choose_files(self) -> None:
        if self.document is None:
            return
        chosen, _ = QFileDialog.getOpenFileNames(self, "Add evidence files", str(Path.home()))
        self.add_paths([Path(p) for p in chosen])

    def add_reference(self) -> None:
        if self.document is None:
            return
        dialog = ReferenceDialog(Path.home(), self)
        if dialog.exec() != ReferenceDialog.DialogCode.Accepted:
            return
        location = dialog.value()
        self._start(
            lambda ws, progress: [ev.add_artifact_by_reference(ws, location, progress=progress)],
            "Adding a reference",
            lambda ids: self._added((ids, [])),
        )

    # --- commands on the current artifact -------------------------------------------------------------

    def _execute(self, command: ServiceCommand) -> bool:
        done = execute(self, self.document, command)
        if not done:
            self.refresh()  # show the file's values again in place of the refused edit
        return done

    def _meta_edited(self, artifact_id: int, before: ArtifactMeta, after: ArtifactMeta) -> None:
        if self.document is not None:
            self._execute(commands.edit_artifact(self.document, artifact_id, before, after))

    def selected_ids(self) -> list[int]:
        return self.table.selected_ids()

    def delete_selected(self) -> None:
        current = self.current_id()
        ids = self.selected_ids() or ([current] if current is not None else [])
        if not ids or self.document is None:
            return
        names = [r.title for r in self.model.rows if r.id in ids]
        what = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} artifacts"
        if not prompts.confirm(self, f"Delete {what} from the register, with its revisions and links?"):
            return
        self._execute(commands.delete_artifacts(self.document, ids, what))

    def link_current(self) -> None:
        detail = self.panel.detail
        if detail is None or self.document is None:
            return
        ws = self.document.workspace
        provider = detail.meta.provided_by_unit_id
        dialog = LinkDialog(ws, detail.meta.title, default_units=[provider] if provider else [], parent=self)
        if dialog.exec() != LinkDialog.DialogCode.Accepted or not dialog.targets():
            return
        self.link(detail.summary.id, dialog.targets(), dialog.adequacy_key(), dialog.note_text())

    def link(self, artifact_id: int, targets: list[ev.LinkTarget], adequacy: str, note: str) -> bool:
        if self.document is None:
            return False
        source = EvidenceSource.of_artifact(artifact_id)
        return self._execute(commands.link(self.document, source, targets, adequacy, note))

    def _unlink(self, link_ids: list[int]) -> None:
        if link_ids and self.document is not None:
            self._execute(commands.unlink(self.document, link_ids))

    def new_revision(self) -> None:
        artifact_id = self.current_id()
        if artifact_id is None or self.document is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(self, "New revision of the document", str(Path.home()))
        if chosen:
            self.add_revision(artifact_id, Path(chosen))

    def add_revision(self, artifact_id: int, path: Path) -> None:
        def done(revision: int) -> None:
            if self.document is not None:
                self._execute(commands.added_revision(self.document, artifact_id, revision))

        self._start(lambda ws, p: ev.add_revision(ws, artifact_id, path, progress=p), f"Adding {path.name}", done)

    def open_current(self) -> None:
        detail = self.panel.detail
        if detail is None:
            return
        if not detail.summary.stored:
            where = detail.summary.location
            url = QUrl.fromLocalFile(where) if Path(where).exists() else QUrl(where)
            if not prompts.open_externally(url):
                show_error(self, KnownError(f"Could not open {where}."))
            return
        folder = self._temp_folder() / f"{detail.summary.id}-{len(detail.revisions)}"
        folder.mkdir(parents=True, exist_ok=True)
        artifact_id = detail.summary.id
        self._start(
            lambda ws, p: ev.save_revision(ws, artifact_id, folder, progress=p, overwrite=True),
            f"Opening {detail.meta.title}",
            lambda path: prompts.open_externally(QUrl.fromLocalFile(str(path))),
        )

    def _temp_folder(self) -> Path:
        """Where opened copies go; removed with the page (an app holding a copy open may keep it)."""
        if self._temp is None:
            folder = Path(tempfile.mkdtemp(prefix="appraisal-desk-"))
            self._temp = folder
            self.destroyed.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
        return self._temp

    def save_copy(self) -> None:
        detail = self.panel.detail
        if detail is None or not detail.revisions:
            return
        name = detail.revisions[-1].file_name
        chosen, _ = QFileDialog.getSaveFileName(self, "Save a copy of the document", str(Path.home() / name))
        if chosen:
            self.save_copy_to(detail.summary.id, Path(chosen))

    def save_copy_to(self, artifact_id: int, target: Path) -> None:
        self._start(
            # The file dialog asked before replacing an existing file.
            lambda ws, p: ev.save_revision(ws, artifact_id, target, progress=p, overwrite=True),
            f"Saving {target.name}",
            lambda path: self.message.setText(f"Saved a copy as {path}"),
        )

    # --- drag and drop --------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if self.document is not None and urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.add_paths(paths)
