"""Models: browse the models this appraisal is rated against (or the installed library), with links."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalog import Catalog, CrossLink, Ref
from app.ui.catalog.catalog_tree import NODE_ROLE, CatalogFilter, CatalogNode, NodeKind, build_tree
from app.ui.common.errors import show_error
from app.ui.common.page import Page
from app.ui.shell.document import Change
from app.ui.shell.tasks import Task

APPRAISAL, LIBRARY = "appraisal", "library"


class ModelsPage(Page):
    title = "Models"
    shortcut = "Ctrl+8"

    def __init__(
        self,
        library: Callable[[], Catalog] | None = None,
        importer: Callable[[Path], str] | None = None,
        template_writer: Callable[[Path], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._importer = importer
        self._template_writer = template_writer
        self.catalog: Catalog | None = None

        self.source = QComboBox()
        self.source.setObjectName("modelSource")
        self.source.addItem("Models in this appraisal", APPRAISAL)
        if library is not None:
            self.source.addItem("Installed model library", LIBRARY)
        self.source.currentIndexChanged.connect(self.refresh)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("modelFilter")
        self.filter_edit.setPlaceholderText('Filter by ID or title, e.g. "ESP1.2" or "threat"')
        self.filter_edit.setClearButtonEnabled(True)
        self.import_button = QPushButton("Import model…")
        self.import_button.setToolTip("Add a custom model (YAML or Excel) to the library; see docs/model-format.md")
        self.import_button.clicked.connect(self._import)
        self.template_button = QPushButton("Excel template…")
        self.template_button.clicked.connect(self._write_template)
        for button in (self.import_button, self.template_button):
            button.setVisible(importer is not None)

        self.proxy = CatalogFilter()
        self.tree = QTreeView()
        self.tree.setObjectName("modelTree")
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.filter_edit.textChanged.connect(self._filter)

        self.detail = QTextBrowser()
        self.detail.setObjectName("modelDetail")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(
            "Choose a process area, goal or practice on the left to read its statement, informative material and "
            "the practices linked to it in other models. Type in the filter to find one by ID or title."
        )
        self.detail.anchorClicked.connect(self._follow)
        self.status = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.source)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.template_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setSizes([560, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def wants(self, kinds: set[Change]) -> bool:
        return Change.MODELS in kinds

    def refresh(self) -> None:
        mode = self.source.currentData()
        catalog: Catalog | None
        if mode == LIBRARY and self._library is not None:
            catalog = self._library()
        else:
            catalog = self.document.workspace.catalog() if self.document is not None else None
        self.show_catalog(catalog)

    def show_catalog(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        tree = build_tree(catalog) if catalog else build_tree(Catalog(()))
        self.proxy.setSourceModel(tree)
        self.tree.expandToDepth(0)
        self.detail.clear()
        if catalog is not None:
            practices = sum(len(g.practices) for m in catalog.models for pa in m.process_areas for g in pa.goals)
            unverified = sum(
                1
                for m in catalog.models
                for pa in m.process_areas
                for g in pa.goals
                for p in g.practices
                if p.unverified
            )
            self.status.setText(
                f"{len(catalog.models)} models, {sum(len(m.process_areas) for m in catalog.models)} process areas, "
                f"{practices} specific practices ({unverified} titles unverified), "
                f"{len(catalog.links)} cross-model links"
            )

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self.tree.expandAll()
        else:
            self.tree.collapseAll()
            self.tree.expandToDepth(0)

    # --- detail ----------------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = current.data(NODE_ROLE)
        if isinstance(node, CatalogNode):
            self.detail.setHtml(self._describe(node))

    def _describe(self, node: CatalogNode) -> str:
        e = html.escape
        model = node.model
        parts: list[str] = []
        if node.practice is not None:
            p = node.practice
            where = f"{node.pa.acronym} " if node.pa else ""
            parts.append(f"<h3>{e(where + p.code)} {e(p.title)}</h3>")
            parts.append(f"<p><i>{e(model.name)} — goal {e(node.goal.code if node.goal else '')}</i></p>")
            if p.unverified:
                parts.append(_unverified_note())
            if p.statement:
                parts.append(f"<p><b>Statement.</b> {e(p.statement)}</p>")
            if p.informative:
                kinds: dict[str, list[str]] = {}
                for item in p.informative:
                    kinds.setdefault(item.kind, []).append(item.text)
                for kind, texts in kinds.items():
                    heading = kind.replace("_", " ").capitalize() + ("s" if not kind.endswith("s") else "")
                    items = "".join(f"<li>{e(t)}</li>" for t in texts)
                    parts.append(f"<p><b>{e(heading)}</b></p><ol>{items}</ol>")
            if p.note:
                parts.append(f"<p><i>{e(p.note)}</i></p>")
        elif node.goal is not None:
            g = node.goal
            label = "Generic goal" if node.kind is NodeKind.GENERIC else "Specific goal"
            parts.append(f"<h3>{e(g.code)} {e(g.title)}</h3><p><i>{label} of {e(model.name)}</i></p>")
            if g.unverified:
                parts.append(_unverified_note())
            if g.statement:
                parts.append(f"<p>{e(g.statement)}</p>")
            parts.append("<ul>" + "".join(f"<li>{e(p.code)} {e(p.title)}</li>" for p in g.practices) + "</ul>")
        elif node.pa is not None:
            pa = node.pa
            parts.append(f"<h3>{e(pa.acronym)} — {e(pa.name)}</h3>")
            facts = [f"Category: {e(pa.category)}"]
            if pa.maturity_level:
                facts.append(f"maturity level {pa.maturity_level}")
            if pa.addition:
                facts.append("an optional addition")
            if pa.aliases:
                facts.append("formerly " + e(", ".join(pa.aliases)))
            parts.append(f"<p>{'; '.join(facts)}.</p>")
            if pa.purpose:
                parts.append(f"<p>{e(pa.purpose)}</p>")
            goals = sum(1 for _ in pa.goals)
            practices = sum(len(g.practices) for g in pa.goals)
            parts.append(f"<p>{goals} specific goals, {practices} specific practices.</p>")
        else:
            parts.append(f"<h3>{e(model.name)}</h3><p>{e(model.key)} version {e(model.version)}</p>")
            if model.description:
                parts.append(f"<p>{e(model.description)}</p>")
            if model.source:
                parts.append(f"<p><small>Source: {e(model.source)}</small></p>")
        ref = node.ref
        if ref is not None and self.catalog is not None:
            parts.append(self._links_html(ref))
        return "".join(parts)

    def _links_html(self, ref: Ref) -> str:
        assert self.catalog is not None
        lines: list[str] = []
        for link, other, outgoing in _links_touching(self.catalog, ref):
            target = self._label(other)
            href = f"ref:{other.model}|{other.pa}|{other.item or ''}"
            verb = link.relation if outgoing else f"{link.relation} (from)"
            lines.append(
                f"<li><a href='{html.escape(href)}'>{html.escape(target)}</a> — {html.escape(verb)}; "
                f"{html.escape(link.rationale)} <small>[{link.provenance.value}]</small></li>"
            )
        if not lines:
            return ""
        return "<p><b>Linked in other models</b></p><ul>" + "".join(lines) + "</ul>"

    def _label(self, ref: Ref) -> str:
        assert self.catalog is not None
        model = self.catalog.model(ref.model)
        pa = model.process_area(ref.pa) if model else None
        title = ""
        if pa is not None and ref.item:
            practice = pa.practice(ref.item)
            goal = next((g for g in pa.goals if g.code == ref.item), None)
            title = practice.title if practice else goal.title if goal else ""
        elif pa is not None:
            title = pa.name
        return f"{ref} {title}".strip()

    def _follow(self, url: QUrl) -> None:
        if url.scheme() != "ref":
            return
        model, pa, item = ([*url.path().split("|"), "", ""])[:3]
        self.select(Ref(model, pa, item or None))

    def select(self, ref: Ref) -> bool:
        """Select the tree row for `ref` (clearing the filter if it hides it); False when not present."""
        self.catch_up()  # a page not shown yet reads its catalog first
        if self.filter_edit.text():
            self.filter_edit.clear()
        tree = self.proxy.sourceModel()
        stack = [tree.index(r, 0) for r in range(tree.rowCount())]
        while stack:
            index = stack.pop()
            node = index.data(NODE_ROLE)
            if isinstance(node, CatalogNode) and node.ref == ref and node.kind is not NodeKind.CATEGORY:
                view_index = self.proxy.mapFromSource(index)
                self.tree.scrollTo(view_index)
                self.tree.setCurrentIndex(view_index)
                return True
            stack.extend(tree.index(r, 0, index) for r in range(tree.rowCount(index)))
        return False

    # --- library ---------------------------------------------------------------------------------------

    def _import(self) -> None:
        importer = self._importer
        if importer is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a model", str(Path.home()), "Model files (*.yaml *.yml *.xlsx)"
        )
        if not chosen:
            return
        path = Path(chosen)
        task: Task[str] = Task(lambda _progress: importer(path), label=f"Importing {path.name}")
        task.on_success(self._imported).on_failure(self._import_failed)
        if self.document is not None:
            self.document.start(task)
        else:
            task.fn(lambda *_a: None)

    def _import_failed(self, exc: BaseException) -> None:
        show_error(self, exc, title="Import a model")

    def _imported(self, ident: str) -> None:
        self.status.setText(f"Imported {ident} into the model library.")
        index = self.source.findData(LIBRARY)
        if index >= 0:
            self.source.setCurrentIndex(index)
        self.refresh()

    def _write_template(self) -> None:
        writer = self._template_writer
        if writer is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Excel model template", str(Path.home() / "model-template.xlsx"), "Excel (*.xlsx)"
        )
        if chosen:
            try:
                writer(Path(chosen))
            except Exception as exc:
                show_error(self, exc, title="Excel model template")
                return
            self.status.setText(f"Wrote the template to {chosen}.")


def _unverified_note() -> str:
    return (
        "<p style='color:#9a5b00'><b>Unverified title.</b> The reference could not confirm it; "
        "check it against the licensed model before relying on it.</p>"
    )


def _links_touching(catalog: Catalog, ref: Ref) -> list[tuple[CrossLink, Ref, bool]]:
    """Links from or to `ref`; a practice also shows the links of its process area."""
    found: list[tuple[CrossLink, Ref, bool]] = []
    pa_level = Ref(ref.model, ref.pa, None)
    for link in catalog.links:
        if link.source in (ref, pa_level) and (link.source == ref or ref.item is None):
            found.append((link, link.target, True))
        elif link.target in (ref, pa_level) and (link.target == ref or ref.item is None):
            found.append((link, link.source, False))
    if ref.item is not None:
        for link in catalog.links:
            if link.source == pa_level:
                found.append((link, link.target, True))
            elif link.target == pa_level:
                found.append((link, link.source, False))
    return found
