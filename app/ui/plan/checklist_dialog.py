"""Choosing several things from a list with filter-as-you-type: process areas for the scope, a unit or a
mini-team, and the members of a mini-team."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.plan.fields import problem_label

CHOICE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    group: str = ""
    detail: str = ""
    search: str = ""
    """More words the filter matches (aliases, category)."""


class _FilterEdit(QLineEdit):
    """Down or Enter moves on to the list, so filtering and choosing need no mouse."""

    def __init__(self, on_leave: Callable[[], None]) -> None:
        super().__init__()
        self.on_leave = on_leave

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.on_leave()
            return
        super().keyPressEvent(event)


class ChecklistDialog(QDialog):
    """Check items (Space or click), filter by typing. Optionally: a name to type, and an "all" switch.

    `validate(name, chosen)` returns why the answer cannot be accepted ("" when it can).
    """

    def __init__(
        self,
        title: str,
        prompt: str,
        choices: Sequence[Choice],
        checked: Sequence[Any] = (),
        *,
        all_label: str = "",
        all_checked: bool = False,
        name_label: str = "",
        validate: Callable[[str, list[Any]], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("checklistDialog")
        self.resize(620, 560)
        self.validate = validate
        layout = QVBoxLayout(self)
        intro = QLabel(prompt)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.name = QLineEdit()
        self.name.setObjectName("choiceName")
        if name_label:
            form = QFormLayout()
            form.addRow(name_label, self.name)
            layout.addLayout(form)

        self.all = QCheckBox(all_label)
        self._offers_all = bool(all_label)
        self.all.setChecked(all_checked and self._offers_all)
        self.all.setVisible(self._offers_all)
        self.all.toggled.connect(self._all_toggled)
        layout.addWidget(self.all)

        self.filter = _FilterEdit(self._to_list)
        self.filter.setObjectName("choiceFilter")
        self.filter.setPlaceholderText("Filter: type part of an acronym or a name, e.g. “IRP” or “risk”")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._refilter)
        layout.addWidget(self.filter)

        self.tree = QTreeWidget()
        self.tree.setObjectName("choiceList")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.itemChanged.connect(lambda _item, _col: self._count())
        wanted = set(checked)
        groups: dict[str, QTreeWidgetItem] = {}
        # Every choice's item with its group heading (None when ungrouped), kept to filter without lookups.
        self.entries: list[tuple[QTreeWidgetItem, QTreeWidgetItem | None]] = []
        for choice in choices:
            head_item: QTreeWidgetItem | None = None
            if choice.group:
                if choice.group not in groups:
                    head = QTreeWidgetItem([choice.group])
                    head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = head.font(0)
                    font.setBold(True)
                    head.setFont(0, font)
                    self.tree.addTopLevelItem(head)
                    head.setFirstColumnSpanned(True)
                    groups[choice.group] = head
                head_item = groups[choice.group]
            item = QTreeWidgetItem([choice.label, choice.detail])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if choice.value in wanted else Qt.CheckState.Unchecked)
            item.setData(0, CHOICE_ROLE, choice)
            if head_item is None:
                self.tree.addTopLevelItem(item)
            else:
                head_item.addChild(item)
            self.entries.append((item, head_item))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        layout.addWidget(self.tree, 1)

        self.count = QLabel()
        self.check_shown = QPushButton("Check all shown")
        self.check_shown.clicked.connect(self._check_shown)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.check_shown, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.check_shown.setAutoDefault(False)
        bottom = QVBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self._all_toggled(self.all.isChecked())
        self._count()
        (self.name if name_label else self.filter).setFocus()

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for item, _head in self.entries]

    def _refilter(self, text: str) -> None:
        words = text.casefold().split()
        heads: dict[int, tuple[QTreeWidgetItem, bool]] = {}
        for item, head in self.entries:
            choice: Choice = item.data(0, CHOICE_ROLE)
            haystack = f"{choice.label} {choice.group} {choice.detail} {choice.search}".casefold()
            item.setHidden(not all(word in haystack for word in words))
            if head is not None:
                _, seen = heads.get(id(head), (head, False))
                heads[id(head)] = (head, seen or not item.isHidden())
        for head, any_shown in heads.values():
            head.setHidden(not any_shown)

    def _shown(self) -> list[QTreeWidgetItem]:
        return [item for item, head in self.entries if not item.isHidden() and (head is None or not head.isHidden())]

    def _to_list(self) -> None:
        shown = self._shown()
        if shown:
            self.tree.setCurrentItem(shown[0])
        self.tree.setFocus()

    def _check_shown(self) -> None:
        for item in self._shown():
            item.setCheckState(0, Qt.CheckState.Checked)

    def _all_toggled(self, checked: bool) -> None:
        for widget in (self.filter, self.tree, self.check_shown):
            widget.setEnabled(not checked)
        self._count()

    def _count(self) -> None:
        n = len(self.chosen())
        self.count.setText("Every one" if self.all_chosen() else f"{n} chosen")

    def chosen(self) -> list[Any]:
        """The checked values, in the order offered."""
        return [
            item.data(0, CHOICE_ROLE).value for item in self._items() if item.checkState(0) == Qt.CheckState.Checked
        ]

    def all_chosen(self) -> bool:
        return self._offers_all and self.all.isChecked()

    def check(self, value: Any, checked: bool = True) -> None:
        for item in self._items():
            if item.data(0, CHOICE_ROLE).value == value:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def accept(self) -> None:
        if self.validate is not None:
            problem = self.validate(self.name.text(), self.chosen())
            if problem:
                self.problem.setText(problem)
                self.problem.show()
                return
        super().accept()
