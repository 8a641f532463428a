"""The merge review panel: every change a mini-team package brings, grouped by process area and practice, with
base, lead and package side by side; accept per item or per group; nothing is written until Apply.

Keyboard: arrows move, P takes the package's side and L keeps the lead's for the selected item or group (all its
items), N jumps to the next conflict still to settle, Ctrl+Enter applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.merge import RECORD, Side
from app.services.package_merge import MergeItem, MergePreview
from app.ui.common.dialog_size import fit_dialog

IDENT = Qt.ItemDataRole.UserRole
CONFLICT_BG = QBrush(QColor("#fde2e1"))
SETTLED_BG = QBrush(QColor("#e6f4ea"))
SHOWN = 60
COLUMNS = ("Where", "Field", "Base (at split)", "Lead (this file)", "Package", "Take")


def shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Mapping):
        label = value.get("title") or value.get("text") or value.get("value") or "present"
        return f"present: {' '.join(str(label).split())[:SHOWN]}"
    if isinstance(value, list):
        return f"{len(value)} file(s)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    flat = " ".join(str(value).split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


def _record_label(item: MergeItem) -> str:
    change = item.change
    if change.package is None:
        return "deleted in the package"
    if change.base is None:
        return "added in the package"
    return "whole item"


class MergeReviewDialog(QDialog):
    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Merge the {preview.mini_team} package")
        self.take: dict[str, Side | None] = {
            item.ident: (None if item.conflict else Side.PACKAGE) for item in preview.items
        }
        self._leaves: dict[str, QTreeWidgetItem] = {}

        header = QLabel("\n".join(preview.status_lines))
        header.setObjectName("mergeSummary")
        header.setWordWrap(True)
        older = preview.newer_merged is not None
        header.setStyleSheet("font-weight: bold; color: #a04000;" if older else "font-weight: bold;")
        keys = QLabel(
            "Keys: ↑↓ move · P take the package's side · L keep the lead's · N next conflict to settle · "
            "Ctrl+Enter apply. A choice on a process area or practice applies to everything under it."
        )
        keys.setObjectName("mergeKeys")
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #555;")

        self.tree = QTreeWidget()
        self.tree.setObjectName("mergeTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        head = self.tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((300, 130, 200, 200, 200, 90)):
            self.tree.setColumnWidth(column, width)
        self._fill()

        self.take_package = QPushButton("Take package (P)")
        self.take_package.clicked.connect(lambda: self.choose(Side.PACKAGE))
        self.keep_lead = QPushButton("Keep lead (L)")
        self.keep_lead.clicked.connect(lambda: self.choose(Side.LEAD))
        self.next_conflict = QPushButton("Next conflict (N)")
        self.next_conflict.clicked.connect(self.goto_next_conflict)
        row = QHBoxLayout()
        for button in (self.take_package, self.keep_lead, self.next_conflict):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        row.addStretch(1)
        self.state = QLabel()
        self.state.setObjectName("mergeState")
        row.addWidget(self.state)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setObjectName("applyMerge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(keys)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        fit_dialog(self, 1240, 680)

        for key, slot in (
            ("P", lambda: self.choose(Side.PACKAGE)),
            ("L", lambda: self.choose(Side.LEAD)),
            ("N", self.goto_next_conflict),
            ("Ctrl+Return", self._apply_if_ready),
            ("Ctrl+Enter", self._apply_if_ready),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._refresh()
        self.tree.setFocus()
        first = self._next_undecided(None) or self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    # --- building ------------------------------------------------------------------------------------------

    def _fill(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        subgroups: dict[tuple[str, str], QTreeWidgetItem] = {}
        bold = QFont()
        bold.setBold(True)
        for item in self.preview.items:
            group = groups.get(item.process_area)
            if group is None:
                group = QTreeWidgetItem([item.process_area])
                group.setFont(0, bold)
                self.tree.addTopLevelItem(group)
                groups[item.process_area] = group
            sub_key = (item.process_area, item.practice)
            parent = subgroups.get(sub_key)
            if parent is None:
                parent = QTreeWidgetItem([item.practice or "(whole process area)"])
                group.addChild(parent)
                subgroups[sub_key] = parent
            change = item.change
            where = " · ".join(p for p in (item.unit, item.what) if p)
            label = _record_label(item) if change.field == RECORD else item.field_label
            leaf = QTreeWidgetItem([where, label, shown(change.base), shown(change.lead), shown(change.package), ""])
            leaf.setData(0, IDENT, item.ident)
            for column, value in ((2, change.base), (3, change.lead), (4, change.package)):
                leaf.setToolTip(column, str(value) if value not in (None, "") else "(empty)")
            parent.addChild(leaf)
            self._leaves[item.ident] = leaf
        self.tree.expandAll()

    # --- choosing ------------------------------------------------------------------------------------------

    def _leaves_under(self, node: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        if node.data(0, IDENT):
            return [node]
        found: list[QTreeWidgetItem] = []
        for n in range(node.childCount()):
            child = node.child(n)
            if child is not None:
                found.extend(self._leaves_under(child))
        return found

    def choose(self, side: Side, node: QTreeWidgetItem | None = None) -> None:
        """Settle the selected item, or everything in the selected group, for `side`; then move on."""
        node = node or self.tree.currentItem()
        if node is None:
            return
        for leaf in self._leaves_under(node):
            self.take[str(leaf.data(0, IDENT))] = side
        self._refresh()
        nxt = self._next_undecided(node) if any(v is None for v in self.take.values()) else None
        if nxt is not None:
            self.tree.setCurrentItem(nxt)

    def _next_undecided(self, after: QTreeWidgetItem | None) -> QTreeWidgetItem | None:
        order = [leaf for leaf in self._leaves.values()]
        start = 0
        if after is not None and after.data(0, IDENT) in self.take:
            start = order.index(self._leaves[str(after.data(0, IDENT))]) + 1
        for leaf in order[start:] + order[:start]:
            if self.take[str(leaf.data(0, IDENT))] is None:
                return leaf
        return None

    def goto_next_conflict(self) -> None:
        leaf = self._next_undecided(self.tree.currentItem())
        if leaf is not None:
            self.tree.setCurrentItem(leaf)
            self.tree.scrollToItem(leaf)

    def _refresh(self) -> None:
        conflicts = {item.ident for item in self.preview.conflicts}
        for ident, leaf in self._leaves.items():
            side = self.take[ident]
            text = {None: "settle…", Side.PACKAGE: "Package", Side.LEAD: "Lead"}[side]
            leaf.setText(5, text)
            background = CONFLICT_BG if side is None else (SETTLED_BG if ident in conflicts else QBrush())
            for column in range(len(COLUMNS)):
                leaf.setBackground(column, background)
            font = leaf.font(5)
            font.setBold(side is not None)
            leaf.setFont(5, font)
            for column, winning in ((3, Side.LEAD), (4, Side.PACKAGE)):
                cell_font = leaf.font(column)
                cell_font.setBold(side is winning)
                leaf.setFont(column, cell_font)
        undecided = self.undecided()
        taken = sum(1 for side in self.take.values() if side is Side.PACKAGE)
        self.state.setText(
            f"{taken} of {len(self.take)} change(s) taken; "
            + (f"{undecided} conflict(s) still to settle" if undecided else "every conflict settled")
        )
        self.apply_button.setText(f"Apply {taken} change(s)")
        self.apply_button.setEnabled(undecided == 0 and (taken > 0 or self.preview.new_log_entries > 0))

    def undecided(self) -> int:
        return sum(1 for side in self.take.values() if side is None)

    def _apply_if_ready(self) -> None:
        if self.apply_button.isEnabled():
            self.accept()

    def choices(self) -> dict[str, Side]:
        return {ident: side for ident, side in self.take.items() if side is not None}
