"""The model browser's tree: models > categories > process areas > goals > practices."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from app.domain.catalog import Catalog, Goal, Model, ModelKind, Practice, ProcessArea, Ref, shown_title
from app.ui.common.filtering import refilter

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
UNVERIFIED = QColor("#9a5b00")


class NodeKind(StrEnum):
    """What a row of the catalog tree stands for."""

    MODEL = "model"
    CATEGORY = "category"
    """A process-area category, or the generic goals' heading: a heading, not an item of the model."""
    PA = "pa"
    GOAL = "goal"
    GENERIC = "generic"
    """A generic goal."""
    PRACTICE = "practice"


@dataclass(frozen=True)
class CatalogNode:
    """What a tree row stands for; `ref` addresses it the way cross-model links do."""

    kind: NodeKind
    model: Model
    pa: ProcessArea | None = None
    goal: Goal | None = None
    practice: Practice | None = None

    @property
    def ref(self) -> Ref | None:
        if self.pa is None:
            return None
        item = self.practice.code if self.practice else self.goal.code if self.goal else None
        return Ref(self.model.key, self.pa.acronym, item)


def _item(text: str, node: CatalogNode, search: str, *, unverified: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(node, NODE_ROLE)
    item.setData(search.casefold(), SEARCH_ROLE)
    if unverified:
        item.setForeground(QBrush(UNVERIFIED))
        item.setToolTip("The reference could not confirm this title; verify it against the licensed model.")
    return item


def _goal_item(model: Model, pa: ProcessArea | None, goal: Goal, kind: NodeKind) -> QStandardItem:
    goal_item = _item(
        f"{goal.code}  {shown_title(goal)}",
        CatalogNode(kind, model, pa, goal),
        f"{goal.code} {goal.title}",
        unverified=goal.unverified,
    )
    for practice in goal.practices:
        goal_item.appendRow(
            _item(
                f"{practice.code}  {shown_title(practice)}",
                CatalogNode(NodeKind.PRACTICE, model, pa, goal, practice),
                f"{pa.acronym if pa else ''} {practice.code} {practice.title} {practice.statement or ''}",
                unverified=practice.unverified,
            )
        )
    return goal_item


def build_tree(catalog: Catalog) -> QStandardItemModel:
    tree = QStandardItemModel()
    tree.setHorizontalHeaderLabels(["Model"])
    for model in catalog.models:
        label = f"{model.name}  ({model.key} {model.version})"
        if model.kind is ModelKind.REFERENCE:
            label += "  — reference standard, not rated"
        elif model.kind is ModelKind.PSEUDO_PA:
            label += f"  — pseudo process area, rated with {model.generic_goals_from} generic goals"
        model_item = _item(label, CatalogNode(NodeKind.MODEL, model), f"{model.key} {model.name}")
        categories: dict[str, QStandardItem] = {}
        for pa in model.process_areas:
            parent = categories.get(pa.category)
            if parent is None:
                parent = _item(pa.category or "Process areas", CatalogNode(NodeKind.CATEGORY, model), pa.category)
                categories[pa.category] = parent
                model_item.appendRow(parent)
            extra = []
            if pa.maturity_level:
                extra.append(f"ML{pa.maturity_level}")
            if pa.addition:
                extra.append("addition")
            if pa.aliases:
                extra.append("formerly " + ", ".join(pa.aliases))
            suffix = f"  [{'; '.join(extra)}]" if extra else ""
            pa_item = _item(
                f"{pa.acronym}  {shown_title(pa)}{suffix}",
                CatalogNode(NodeKind.PA, model, pa),
                f"{pa.acronym} {pa.name} {' '.join(pa.aliases)}",
                unverified=pa.unverified,
            )
            for goal in pa.goals:
                pa_item.appendRow(_goal_item(model, pa, goal, NodeKind.GOAL))
            parent.appendRow(pa_item)
        if model.generic_goals:
            generic = _item("Generic goals and practices", CatalogNode(NodeKind.CATEGORY, model), "generic")
            for goal in model.generic_goals:
                generic.appendRow(_goal_item(model, None, goal, NodeKind.GENERIC))
            model_item.appendRow(generic)
        tree.appendRow(model_item)
    return tree


class CatalogFilter(QSortFilterProxyModel):
    """Keeps rows whose ID, title or statement contains every typed word, with their ancestors."""

    def __init__(self) -> None:
        super().__init__()
        self.setRecursiveFilteringEnabled(True)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        words = text.casefold().split()
        refilter(self, lambda: setattr(self, "_words", words))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        haystack = str(index.data(SEARCH_ROLE) or "")
        return all(word in haystack for word in self._words)
