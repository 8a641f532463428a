"""Link evidence to practices: practices (any model in scope) × units, with adequacy, in one step.

Checking a practice that the model catalog links to practices in other models (SM ESP1.2 → CMMI-SVC IRP
SP1.1, CERT-RMM ...) offers those as extra checkboxes, so one pass links the same evidence everywhere it
counts. Combinations a unit does not implement are skipped (and listed) or, with skipping off, explained.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from itertools import product

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence import (
    ADEQUACY,
    LinkTarget,
    PracticeOption,
    PracticeRef,
    UnitOption,
    link_problems,
    linked_practices_for,
    practice_options,
    unit_options,
)
from app.services.workspace import Workspace

OPTION_ROLE = Qt.ItemDataRole.UserRole + 1
ADEQUACY_LABELS = {"adequate": "Adequate", "inadequate": "Inadequate", "not_assessed": "Not assessed yet"}


def unit_label(unit: UnitOption) -> str:
    if unit.kind == "support_function":
        areas = ", ".join(pa for _model, pa in unit.process_areas or ()) or "no process areas"
        return f"{unit.name}  (support function: {areas})"
    if unit.process_areas is not None:
        return f"{unit.name}  (basic unit: {', '.join(pa for _m, pa in unit.process_areas) or 'no process areas'})"
    return unit.name


class _PracticeTree(QTreeWidget):
    """Enter toggles the current practice, like Space, so the whole dialog works from the keyboard."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None and not event.modifiers():
            checked = item.checkState(0) == Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)


class LinkDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        subject: str,
        *,
        default_units: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Link to practices")
        self.setObjectName("linkDialog")
        self.resize(940, 620)
        self.options = practice_options(workspace)
        self.units = unit_options(workspace)
        self._offered: dict[PracticeRef, QCheckBox] = {}

        heading = QLabel(f"<b>{html.escape(subject)}</b> supports these practices in these units:")
        heading.setWordWrap(True)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("practiceFilter")
        self.filter_edit.setPlaceholderText('Filter by ID or title, e.g. "ESP1.2", "IRP SP1", "threat"')
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.returnPressed.connect(self._focus_first_practice)
        self.tree = _PracticeTree()
        self.tree.setObjectName("practiceTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Practice", "Title", "Model"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for option in self.options:
            item = QTreeWidgetItem([f"{option.pa} {option.practice}", option.title, option.model])
            item.setData(0, OPTION_ROLE, option)
            item.setToolTip(1, option.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
        self.tree.itemChanged.connect(self._practices_changed)

        self.also_box = QGroupBox("Also linked in other models (from the model catalog)")
        self.also_box.setObjectName("alsoLinked")
        self.also_layout = QVBoxLayout(self.also_box)
        self.also_box.setVisible(False)

        practices_box = QGroupBox("&Practices")
        practices_layout = QVBoxLayout(practices_box)
        practices_layout.addWidget(self.filter_edit)
        practices_layout.addWidget(self.tree, 1)
        practices_layout.addWidget(self.also_box)

        self.unit_list = QListWidget()
        self.unit_list.setObjectName("unitList")
        for unit in self.units:
            unit_item = QListWidgetItem(unit_label(unit))
            unit_item.setData(OPTION_ROLE, unit)
            unit_item.setFlags(unit_item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            wanted = unit.id in default_units or (len(self.units) == 1 and not default_units)
            unit_item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.unit_list.addItem(unit_item)
        self.unit_list.itemChanged.connect(self._update_summary)
        self.skip_box = QCheckBox("&Skip units that do not implement the practice's process area")
        self.skip_box.setChecked(True)
        self.skip_box.toggled.connect(self._update_summary)
        units_box = QGroupBox("&Units")
        units_layout = QVBoxLayout(units_box)
        units_layout.addWidget(self.unit_list, 1)
        units_layout.addWidget(self.skip_box)
        self.skip_box.setToolTip("A support function implements only the process areas the plan lists for it.")

        self.adequacy = QComboBox()
        for key in ADEQUACY:
            self.adequacy.addItem(ADEQUACY_LABELS[key], key)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional: why it is (in)adequate, page or section")
        form = QHBoxLayout()
        adequacy_label = QLabel("&Adequacy")
        adequacy_label.setBuddy(self.adequacy)
        note_label = QLabel("N&ote")
        note_label.setBuddy(self.note)
        form.addWidget(adequacy_label)
        form.addWidget(self.adequacy)
        form.addSpacing(12)
        form.addWidget(note_label)
        form.addWidget(self.note, 1)

        self.summary = QLabel()
        self.summary.setObjectName("linkSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("&Link", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addWidget(practices_box, 5)
        columns.addWidget(units_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(columns, 1)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.filter_edit, self.tree)
        self.setTabOrder(self.tree, self.unit_list)
        self.setTabOrder(self.unit_list, self.skip_box)
        self.setTabOrder(self.skip_box, self.adequacy)
        self.setTabOrder(self.adequacy, self.note)
        self.filter_edit.setFocus()
        self._update_summary()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the filter jumps to the list (it must not link yet); Ctrl+Enter links from anywhere.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                if self.ok_button.isEnabled():
                    self.accept()
                return
            if self.focusWidget() is self.filter_edit:
                return
        super().keyPressEvent(event)

    # --- choosing -------------------------------------------------------------------------------------

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for item in self._items():
            option: PracticeOption = item.data(0, OPTION_ROLE)
            haystack = f"{option.model} {option.pa} {option.practice} {option.title}".casefold()
            item.setHidden(not all(w in haystack for w in words))

    def _focus_first_practice(self) -> None:
        visible = [item for item in self._items() if not item.isHidden()]
        if visible:
            self.tree.setCurrentItem(visible[0])
            self.tree.setFocus()

    def check_practice(self, ref: PracticeRef, checked: bool = True) -> bool:
        """Check (or uncheck) a practice in the list; False when it is not offered."""
        for item in self._items():
            if item.data(0, OPTION_ROLE).ref == ref:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return True
        return False

    def check_unit(self, unit_id: int, checked: bool = True) -> None:
        for row in range(self.unit_list.count()):
            item = self.unit_list.item(row)
            if item.data(OPTION_ROLE).id == unit_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def offered(self) -> dict[PracticeRef, QCheckBox]:
        """The cross-model practices offered for the checked ones, by practice."""
        return dict(self._offered)

    def _checked_options(self) -> list[PracticeOption]:
        return [item.data(0, OPTION_ROLE) for item in self._items() if item.checkState(0) == Qt.CheckState.Checked]

    def _practices_changed(self) -> None:
        checked = self._checked_options()
        chosen = {o.ref for o in checked}
        wanted: dict[PracticeRef, tuple[PracticeOption, str]] = {}
        for option in checked:
            for linked in linked_practices_for(self.workspace, option.model, option.pa, option.practice):
                if linked.option.ref not in chosen and linked.option.ref not in wanted:
                    wanted[linked.option.ref] = (linked.option, f"{linked.relation} {option.pa} {option.practice}")
        was_checked = {ref for ref, box in self._offered.items() if box.isChecked()}
        for box in self._offered.values():
            self.also_layout.removeWidget(box)
            box.deleteLater()
        self._offered = {}
        for ref, (option, why) in wanted.items():
            box = QCheckBox(f"{option.model} {option.pa} {option.practice} {option.title}  ({why})")
            box.setChecked(ref in was_checked)
            box.toggled.connect(self._update_summary)
            self.also_layout.addWidget(box)
            self._offered[ref] = box
        self.also_box.setVisible(bool(self._offered))
        self._update_summary()

    # --- result ---------------------------------------------------------------------------------------

    def practices(self) -> list[PracticeOption]:
        chosen = self._checked_options()
        by_ref = {o.ref: o for o in self.options}
        chosen += [by_ref[ref] for ref, box in self._offered.items() if box.isChecked() and ref in by_ref]
        return chosen

    def chosen_units(self) -> list[UnitOption]:
        items = [self.unit_list.item(row) for row in range(self.unit_list.count())]
        return [item.data(OPTION_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked]

    def _combinations(self) -> tuple[list[LinkTarget], list[str]]:
        targets: list[LinkTarget] = []
        skipped: list[str] = []
        for option, unit in product(self.practices(), self.chosen_units()):
            if self.skip_box.isChecked() and not unit.implements(option.model, option.pa):
                skipped.append(f"{unit.name} × {option.pa} {option.practice}")
                continue
            targets.append(LinkTarget.of(option.ref, unit.id))
        return targets, skipped

    def targets(self) -> list[LinkTarget]:
        return self._combinations()[0]

    def adequacy_key(self) -> str:
        return str(self.adequacy.currentData())

    def note_text(self) -> str:
        return self.note.text().strip()

    def _update_summary(self) -> None:
        practices, units = self.practices(), self.chosen_units()
        targets, skipped = self._combinations()
        problems = link_problems(self.workspace, targets) if targets else ()
        lines: list[str] = []
        if not practices or not units:
            lines.append("Check at least one practice and one unit.")
        else:
            lines.append(
                f"Will link {len(practices)} practice(s) × {len(units)} unit(s): <b>{len(targets)} link(s)</b>."
            )
        if skipped:
            lines.append("Skipped (the unit does not implement it): " + html.escape(", ".join(skipped)) + ".")
        if problems:
            lines.append("<span style='color:#b00020'>" + html.escape(" ".join(problems)) + "</span>")
        self.summary.setText("<br>".join(lines))
        self.ok_button.setEnabled(bool(targets) and not problems)
