"""A section of the Plan page that edits one plan list as a table (scope, factors, subgroups, units, team).

Subclasses say what a row shows and which Edit a changed cell makes; this class fills the table, turns
cell changes into edits, keeps a draft row while a new row's name is typed, and marks problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import Plan, PlanProblem
from app.ui.plan.editor import Edit, Notice, PlanEditor
from app.ui.plan.fields import problem_label
from app.ui.plan.table import (
    IN_PLACE,
    ChoiceDelegate,
    Column,
    ColumnKind,
    NumberDelegate,
    PlanTable,
    TypingDelegate,
    quiet,
)
from app.ui.plan.wording import describe

HINT_COLOR = "#5f6368"
_EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
_FIXED = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_CHECK = _FIXED | Qt.ItemFlag.ItemIsUserCheckable


def section_body(box: QGroupBox) -> QWidget:
    """The widget a section lays its fields out in: the section's title is bold (the sections of a long form
    must stand out), its contents keep the normal font. A style sheet would also restyle the tables."""
    title = QFont(box.font())
    title.setBold(True)
    box.setFont(title)
    body = QWidget(box)
    normal = QFont(title)
    normal.setBold(False)
    body.setFont(normal)
    outer = QVBoxLayout(box)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(body)
    return body


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOR};")
    return label


class TableSection(QGroupBox):
    """Attributes:
    prefixes: the plan-file sections whose problems this table shows ("basic_units", ...).
    noun: what a row is, for buttons and undo steps ("basic unit").
    numbers: (lowest, highest) of each "number" column, by its field.
    """

    prefixes: tuple[str, ...] = ()
    noun = "row"
    numbers: dict[str, tuple[int, int]] = {}  # noqa: RUF012 - read-only per subclass

    def __init__(
        self,
        title: str,
        editor: PlanEditor,
        columns: list[Column],
        *,
        intro: str = "",
        add_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        body = section_body(self)
        self.editor = editor
        self.plan: Plan | None = None
        self.draft_row: int | None = None
        self._draft_base = 0
        self._focus: tuple[str, int] | None = None
        """The row (by name) and column to put the cursor on once the table shows the next plan."""
        self._values: dict[tuple[int, int], Any] = {}
        """The value each cell holds, as last shown or edited (reading it back from Qt is not needed)."""
        self._marked: set[tuple[int, int]] = set()
        self.table = PlanTable(columns)
        self.table.setObjectName(f"plan_{self.prefixes[0]}")
        self.table.setAccessibleName(title.replace("&", ""))
        self._typing = TypingDelegate(self._check_typing, self.table)
        self._choice = ChoiceDelegate(self._choices, self._value, self._committed, self.table)
        self._numbers: dict[tuple[int, int], NumberDelegate] = {}
        self._install_delegates()
        self.table.itemChanged.connect(self._item_changed)
        self.table.add_requested.connect(self.add)
        self.table.remove_requested.connect(self.remove_row)
        self.table.open_requested.connect(self.open_cell)
        self.table.editor_closed.connect(self._editor_closed)

        self.table.placeholder = f"None yet: press Enter or “{add_label or f'Add {self.noun}'}” to add one"
        self.add_button = QPushButton(add_label or f"Add {self.noun}")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip(f"Remove the selected {self.noun} (Del)")
        self.remove_button.clicked.connect(lambda: self.remove_row(self.table.currentRow()))
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.keys = hint_label("Enter adds a row · Del removes · F2 edits a cell")
        self.keys.setWordWrap(False)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.keys)
        self.problems = problem_label()

        layout = QVBoxLayout(body)
        if intro:
            layout.addWidget(hint_label(intro))
        layout.addWidget(self.table)
        layout.addLayout(self.buttons)
        layout.addWidget(self.problems)

    def set_columns(self, columns: list[Column]) -> None:
        if columns != self.table.columns:
            self.draft_row = None
            self._values.clear()
            self._marked.clear()
            self.table.set_columns(columns)
            self.table.clearContents()  # cells of a column whose kind changed start afresh
            self._install_delegates()

    def _install_delegates(self) -> None:
        for i, column in enumerate(self.table.columns):
            delegate: QStyledItemDelegate | None = None
            if column.kind == ColumnKind.TEXT:
                delegate = self._typing
            elif column.kind == ColumnKind.CHOICE:
                delegate = self._choice
            elif column.kind == ColumnKind.NUMBER:
                bounds = self.numbers[column.field]
                if bounds not in self._numbers:
                    self._numbers[bounds] = NumberDelegate(*bounds, self._value, self._committed, self.table)
                delegate = self._numbers[bounds]
            self.table.setItemDelegateForColumn(i, delegate)  # type: ignore[arg-type]

    # --- what subclasses say ---------------------------------------------------------------------------

    def items(self, plan: Plan) -> Sequence[Any]:
        raise NotImplementedError

    def row_path(self, plan: Plan, row: int) -> str:  # noqa: ARG002 - the units table numbers rows by kind
        """The plan-file path of a row, as problems name it ("scope[3]")."""
        return f"{self.prefixes[0]}[{row + 1}]"

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        """The text and value a cell shows (a check column's value is a bool)."""
        raise NotImplementedError

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        """The edit a changed cell makes."""
        raise NotImplementedError

    def added(self, values: list[Any]) -> Edit:
        """The edit that adds the draft row, from its cells' values (by column)."""
        raise NotImplementedError

    def draft_cells(self) -> list[tuple[str, Any]]:
        """What the cells of a new row start with (text, value), by column."""
        return [("", None) for _ in self.table.columns]

    def removed(self, plan: Plan, row: int) -> Edit:
        raise NotImplementedError

    def choices(self, plan: Plan, row: int, col: int) -> list[tuple[str, Any]]:  # noqa: ARG002
        """The (label, value) pairs of a "choice" cell."""
        return []

    def choose(self, plan: Plan, row: int, col: int, current: Any) -> tuple[str, Any] | None:  # noqa: ARG002
        """Run the chooser of a "dialog" cell; the new (text, value), or None when cancelled."""
        return None

    # --- showing ---------------------------------------------------------------------------------------

    def show_plan(self, plan: Plan, reset: bool) -> None:
        self.plan = plan
        items = self.items(plan)
        if reset or (self.draft_row is not None and len(items) != self._draft_base):
            self.draft_row = None  # added (or the plan changed under it)
        rows = len(items) + (1 if self.draft_row is not None else 0)
        table = self.table
        editing = table.state() == PlanTable.State.EditingState
        current = (table.currentRow(), table.currentColumn())
        with quiet(table):
            table.setRowCount(rows)
            self._values = {cell: v for cell, v in self._values.items() if cell[0] < rows}
            for row in range(len(items)):
                for col in range(table.columnCount()):
                    if editing and (row, col) == current:
                        continue  # never pull a cell from under the user's editor
                    self._fill(row, col, *self.cell(plan, row, col))
        table.fit_height()
        self.remove_button.setEnabled(rows > 0)
        if self._focus is not None:
            # Follow the row the user edited: a unit whose kind changed moves among the others.
            names = [getattr(item, "name", None) for item in items]
            name, col = self._focus
            if name in names:
                table.setCurrentCell(names.index(name), col)
                self._focus = None

    def _fill(self, row: int, col: int, text: str, value: Any) -> None:
        """Show a cell, touching only what changed (a refresh follows every edit; most cells stay put)."""
        kind = self.table.columns[col].kind
        item = self.table.item(row, col)
        fresh = item is None
        if item is None:
            item = QTableWidgetItem()
            if kind == ColumnKind.LABEL:
                item.setForeground(QBrush(QColor(HINT_COLOR)))
            self.table.setItem(row, col, item)
            self._values.pop((row, col), None)
        flags = _CHECK if kind == ColumnKind.CHECK else _EDITABLE if kind in IN_PLACE else _FIXED
        if item.flags() != flags:
            item.setFlags(flags)
        if kind == ColumnKind.CHECK:
            state = Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            # A new item has no check state yet (it would draw no box), though it reads as unchecked.
            if fresh or item.checkState() != state:
                item.setCheckState(state)
        self._values[(row, col)] = value
        if item.text() != text:
            item.setText(text)

    def show_problems(self, problems: Sequence[PlanProblem], notices: Sequence[Notice]) -> None:
        plan = self.plan
        if plan is None:
            return
        for row, col in self._marked:
            self.table.mark(row, col, "")
        self._marked.clear()
        lines = []
        for problem in problems:
            if problem.field.split("[")[0].split(".")[0] not in self.prefixes:
                continue
            found = self.locate(plan, problem.field)
            if found is not None:
                self.table.mark(*found, problem.message)
                self._marked.add(found)
            lines.append(describe(plan, problem))
        for notice in notices:
            lines.append(notice.text)
            if self.draft_row is not None:
                field = _row_field(notice.problem.field)
                cols = [c for c, column in enumerate(self.table.columns) if column.field == field]
                cell = (self.draft_row, cols[0] if cols else 0)
                self.table.mark(*cell, notice.problem.message)
                self._marked.add(cell)
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    @property
    def add_key(self) -> str:
        """The key of the edit that adds a row (its refusal is shown at the draft row)."""
        return f"{self.prefixes[0]}.add"

    @property
    def remove_key(self) -> str:
        return f"{self.prefixes[0]}.remove"

    def locate(self, plan: Plan, path: str) -> tuple[int, int] | None:
        """The cell a problem path names, or None when it names no row shown."""
        for row in range(len(self.items(plan))):
            base = self.row_path(plan, row)
            if path == base:
                return row, 0
            if path.startswith((base + ".", base + "[")):
                rest = path[len(base) + 1 :]
                for col, column in enumerate(self.table.columns):
                    if rest == column.field or rest.startswith((column.field + ".", column.field + "[")):
                        return row, col
                return row, 0
        return None

    # --- editing ---------------------------------------------------------------------------------------

    def _value(self, row: int, col: int) -> Any:
        return self._values.get((row, col))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        """A typed text or a toggled check box (choices, numbers and choosers report through _committed)."""
        row, col = item.row(), item.column()
        kind = self.table.columns[col].kind
        if kind == ColumnKind.CHECK:
            self._committed(row, col, "", item.checkState() == Qt.CheckState.Checked)
        elif kind == ColumnKind.TEXT:
            self._committed(row, col, item.text(), item.text())

    def _committed(self, row: int, col: int, text: str, value: Any) -> None:
        item = self.table.item(row, col)
        if item is not None and item.text() != text:
            with quiet(self.table):
                item.setText(text)
        self._values[(row, col)] = value
        # Written after the table finished committing the editor: the write reloads the rows.
        QTimer.singleShot(0, lambda: self._changed(row, col, value))

    def _changed(self, row: int, col: int, value: Any) -> None:
        plan = self.plan
        if plan is None:
            return
        if row == self.draft_row:
            self._propose_draft()
            return
        if row < len(self.items(plan)):
            edit = self.edit(plan, row, col, value)
            if edit is not None:
                name = str(value).strip() if col == 0 else getattr(self.items(plan)[row], "name", "")
                self._focus = (name, col) if name else None
                self.editor.propose(edit)

    def _check_typing(self, row: int, col: int, text: str) -> str:
        plan = self.plan
        if plan is None:
            return ""
        if row == self.draft_row:
            values = self.draft_values()
            values[col] = text
            edit: Edit | None = self.added(values)
        else:
            edit = self.edit(plan, row, col, text)
        if edit is None:
            return ""
        problems = self.editor.check(edit)
        if row == self.draft_row:
            field = self.table.columns[col].field
            mine = [p for p in problems if _row_field(p.field) == field and p.field.startswith(self.prefixes)]
        else:
            after = edit.change(plan)
            mine = [p for p in problems if self.locate(after, p.field) == (row, col)]
        return "\n".join(p.message for p in mine)

    def _choices(self, row: int, col: int) -> list[tuple[str, Any]]:
        return self.choices(self.plan, row, col) if self.plan is not None else []

    def add(self) -> None:
        """Start a new row: a draft, written once its cells make a valid row (its name is typed first)."""
        if self.plan is None:
            return
        table = self.table
        if self.draft_row is None:
            self._draft_base = len(self.items(self.plan))
            self.draft_row = table.rowCount()
            with quiet(table):
                table.setRowCount(self.draft_row + 1)
                for col, (text, value) in enumerate(self.draft_cells()):
                    self._fill(self.draft_row, col, text, value)
            table.fit_height()
        self._edit_draft(0)

    def _edit_draft(self, col: int) -> None:
        if self.draft_row is None:
            return
        table = self.table
        table.setFocus()
        table.setCurrentCell(self.draft_row, col)
        item = table.item(self.draft_row, col)
        if item is not None and table.columns[col].kind in IN_PLACE:
            table.editItem(item)

    def draft_values(self) -> list[Any]:
        """The draft row's values, by column."""
        values: list[Any] = []
        for col, column in enumerate(self.table.columns):
            item = self.table.item(self.draft_row or 0, col)
            if item is None:
                values.append(None)
            elif column.kind == ColumnKind.CHECK:
                values.append(item.checkState() == Qt.CheckState.Checked)
            elif column.kind == ColumnKind.TEXT:
                values.append(item.text())
            else:
                values.append(self._values.get((self.draft_row or 0, col)))
        return values

    def _propose_draft(self) -> None:
        values = self.draft_values()
        if not str(values[0] or "").strip():
            return
        self._focus = (str(values[0]).strip(), min(1, self.table.columnCount() - 1))
        if self.editor.propose(self.added(values)):
            return
        # Not yet a valid row: go to the first cell with a problem, ready to type.
        self._focus = None
        fields = [_row_field(n.problem.field) for n in self.editor.notices.get(self.add_key, [])]
        for col, column in enumerate(self.table.columns):
            if column.field in fields:
                self._edit_draft(col)
                return

    def open_cell(self, row: int, col: int) -> None:
        """Open the chooser of a "dialog" cell and take its answer like a typed value."""
        item = self.table.item(row, col)
        if self.plan is None or item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        answer = self.choose(self.plan, row, col, self._values.get((row, col)))
        if answer is not None:
            self._committed(row, col, *answer)

    def _editor_closed(self, row: int, col: int) -> None:
        if row == self.draft_row and col == 0:
            item = self.table.item(row, 0)
            if item is None or not item.text().strip():
                QTimer.singleShot(0, self._drop_draft)

    def _drop_draft(self) -> None:
        if self.draft_row is None or self.table.state() == PlanTable.State.EditingState:
            return
        self.draft_row = None
        self.editor.forget(self.add_key)
        if self.plan is not None:
            self.show_plan(self.plan, False)

    def remove_row(self, row: int) -> None:
        if self.plan is None or row < 0:
            return
        if row == self.draft_row:
            self._drop_draft()
            return
        if row < len(self.items(self.plan)):
            self.editor.propose(self.removed(self.plan, row))


def _row_field(path: str) -> str:
    """The field of a row a path names: "basic_units[4].process_areas[2]" → "process_areas"."""
    rest = path.split("].", 1)[1] if "]." in path else ""
    return rest.split(".")[0].split("[")[0]
