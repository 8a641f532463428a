"""Side by side: the chosen practice (or goal) and what the catalog links to it in the other models, as a table:
one row each, with the OU value and the value in every unit, the link in plain words, and the evidence they
share. A linked practice whose value differs from the chosen one's (FI beside PI) is highlighted.

Values come from the grid model (live ratings and cells), so the table follows every edit. The pane can be
widened (the splitter) or undocked into its own window (the button; closing the window docks it back).

Signals:
    jump_requested(str, str, str): show this model, process area and item (practice or goal code) in the grid.
    undock_requested(): the user asked to undock (or dock back) the pane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.palette import CAPABILITY_COLOURS, GOAL_COLOURS, JUDGMENT_COLOUR, VALUE_COLOURS
from app.domain.plan import PaKey
from app.services.grid import RowKind, place_name, short_code
from app.services.side_by_side import LinkedItem, SideBySide
from app.ui.characterize.grid_table import GridTable

MUTED = "#607d8b"
DISAGREE = "#c62828"
OUT_OF_SCOPE = "#90a4ae"

_WORDING: dict[str, tuple[str, str]] = {
    # relation: (how the linked item relates to the chosen one when the chosen one is the link's source,
    #            and when the linked item is the source)
    "detailed-by": ("details", "is detailed by"),
    "details": ("is detailed by", "details"),
    "extended-by": ("extends", "is extended by"),
    "extends": ("is extended by", "extends"),
    "derived-from": ("is the source of", "is derived from"),
    "supports": ("is supported by", "supports"),
    "uses": ("is used by", "uses"),
    "overlaps": ("overlaps", "overlaps"),
    "equivalent": ("is equivalent to", "is equivalent to"),
    "related-to": ("relates to", "relates to"),
}


def link_words(relation: str, outgoing: bool) -> str:
    """How the linked item relates to the chosen one, in plain words: "details", "is detailed by"…"""
    pair = _WORDING.get(relation)
    if pair is None:
        return "relates to"
    return pair[0] if outgoing else pair[1]


def _rank(item: LinkedItem) -> int:
    return 0 if item.via == "practice" else 1 if item.via.startswith("goal") else 2


class SideBySidePanel(QWidget):
    jump_requested = Signal(str, str, str)
    undock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side: SideBySide | None = None
        self.rows: list[LinkedItem | None] = []
        """What each table row shows (None: the chosen practice itself)."""
        self.heading = QLabel()
        self.heading.setObjectName("sideBySideHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.undock = QPushButton("&Undock")
        self.undock.setObjectName("sideBySideUndock")
        self.undock.setToolTip("Open side by side in its own window, as wide as you like (close it to dock it back)")
        self.undock.clicked.connect(self.undock_requested)
        self.table = QTableWidget()
        self.table.setObjectName("sideBySide")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setToolTip("Enter or double-click: show the linked practice in the grid")
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.note = QLabel()
        self.note.setObjectName("sideBySideNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED};")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.undock, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.show_side(None, None)

    @property
    def items(self) -> tuple[LinkedItem, ...]:
        return self.side.items if self.side else ()

    def text(self) -> str:
        """The table as plain text, row by row (for reading it back in tests and accessibility)."""
        lines = []
        for r in range(self.table.rowCount()):
            cells = (self.table.item(r, c) for c in range(self.table.columnCount()))
            lines.append(" ".join(c.text() for c in cells if c is not None and c.text()))
        return "\n".join([*lines, self.note.text()])

    def show_reading(self, target: tuple[str, str, str, str | None]) -> None:
        """What shows while the links of `target` (model, process area, goal, practice or None) are read."""
        self.show_side(None, None)
        model, pa, goal, practice = target
        self.heading.setText(f"{place_name(model, pa)} {short_code(pa, practice or goal)}")
        self.note.setText("Reading the linked practices…")

    def show_side(self, side: SideBySide | None, model: GridTable | None) -> None:
        self.side = side
        if side is None or model is None:
            self.heading.setText("Side by side")
            self.rows = []
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.note.setText("Select a practice (or a goal) in the grid to see the practices other models link to it.")
            return
        what = short_code(side.pa, side.practice or side.goal)
        self.heading.setText(f"{place_name(side.model, side.pa)} {what}  {side.title}")
        # In scope first (those can be compared), by how close the link is; the rest only say they exist.
        ordered = sorted(side.items, key=lambda item: (not item.in_scope, _rank(item)))
        self.rows = [None, *ordered]
        units = [u.name for u in model.units]
        self.table.setColumnCount(4 + len(units))
        self.table.setHorizontalHeaderLabels(["Practice", "Link", "OU", *units, "Shared"])
        self.table.setRowCount(len(self.rows))
        mine = self._values(model, side.model, side.pa, side.practice) if side.practice else {}
        for row, item in enumerate(self.rows):
            self._fill_row(row, item, model, units, mine)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()
        disagreements = sum(1 for r in range(self.table.rowCount()) if self._disagrees(r))
        links = len(side.items)
        if not links:
            self.note.setText("The catalog links nothing in the other rated models to it.")
        else:
            self.note.setText(
                f"{links} linked item{'s' if links != 1 else ''}"
                + (f"; {disagreements} disagree with this practice (highlighted)." if disagreements else ".")
            )

    def _disagrees(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return bool(item is not None and item.data(Qt.ItemDataRole.UserRole))

    def _values(self, model: GridTable, m: str, pa: str, practice: str) -> dict[str, str]:
        """A practice's values: "OU" and each unit's name."""
        result = model.practice_result(m, pa, practice)
        if result is None:
            return {}
        values: dict[str, str] = {i.unit: str(i.value) for i in result.instantiations if i.value}
        if result.ou:
            values["OU"] = str(result.ou)
        return values

    def _fill_row(
        self, row: int, item: LinkedItem | None, model: GridTable, units: list[str], mine: dict[str, str]
    ) -> None:
        side = self.side
        assert side is not None
        if item is None:
            code = short_code(side.pa, side.practice or side.goal)
            name, title, link, kind = f"{place_name(side.model, side.pa)} {code}", side.title, "(this one)", None
            target: tuple[str, str, str | None] = (side.model, side.pa, side.practice or side.goal)
            in_scope, shared_count, shared_tip = True, "", ""
        else:
            code = short_code(item.pa, item.item) if item.item else ""
            name = f"{place_name(item.model, item.pa)} {code}".strip()
            title, kind, target, in_scope = item.title, item.kind, (item.model, item.pa, item.item), item.in_scope
            ours = "this practice" if item.via == "practice" else f"its {item.via}"
            link = f"{link_words(item.relation, item.outgoing)} {ours}"
            shared_count = str(len(item.shared)) if in_scope else ""
            shared_tip = "\n".join(f"{s.label} ({s.kind})" for s in item.shared) or "No shared evidence"
        first = QTableWidgetItem(name)
        first.setToolTip(f"{name} {title}" + (f"\n{item.rationale}" if item is not None and item.rationale else ""))
        if item is None:
            font = QFont()
            font.setBold(True)
            first.setFont(font)
        self.table.setItem(row, 0, first)
        self.table.setItem(row, 1, QTableWidgetItem(link if in_scope else f"{link} (not in scope)"))
        values: dict[str, str] = {}
        fills: dict[str, str | None] = {}
        m, pa, code_full = target
        if in_scope and code_full and (kind is RowKind.PRACTICE or (item is None and side.practice)):
            values = self._values(model, m, pa, code_full)
            fills = {k: VALUE_COLOURS.get(v) for k, v in values.items()}
            result = model.practice_result(m, pa, code_full)
            if result is not None and result.rollup.judgment_needed:
                values["OU"], fills["OU"] = "judge " + "/".join(result.rollup.allowed), JUDGMENT_COLOUR
        elif in_scope and code_full and (kind is RowKind.GOAL or item is None):
            goal = model.goal_result(m, pa, code_full)
            if goal is not None:
                values["OU"], fills["OU"] = goal.rating.value, GOAL_COLOURS.get(goal.rating.value)
        elif in_scope and kind is RowKind.PROCESS_AREA:
            area = model.pa_result(PaKey(m, pa))
            if area is not None:
                level = area.capability.level
                values["OU"] = f"CL {level}" if level is not None else "CL —"
                fills["OU"] = CAPABILITY_COLOURS.get(level) if level is not None else GOAL_COLOURS["Not Rated"]
        disagree = False
        for offset, column in enumerate(["OU", *units]):
            text = values.get(column, "")
            cell = QTableWidgetItem(text)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            fill = fills.get(column)
            if fill:
                cell.setBackground(QBrush(QColor(fill)))
            theirs = mine.get(column)
            if item is not None and kind is RowKind.PRACTICE and text and theirs and text != theirs:
                disagree = True
                font = QFont()
                font.setBold(True)
                cell.setFont(font)
                cell.setForeground(QBrush(QColor(DISAGREE)))
                cell.setText(f"≠ {text}")
                cell.setToolTip(f"{name} is {text} here; this practice is {theirs}")
            self.table.setItem(row, 2 + offset, cell)
        shared = QTableWidgetItem(shared_count)
        shared.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        shared.setToolTip(shared_tip)
        self.table.setItem(row, 3 + len(units), shared)
        first.setData(Qt.ItemDataRole.UserRole, disagree)
        if not in_scope:
            for index in range(self.table.columnCount()):
                found = self.table.item(row, index)
                if found is not None:
                    found.setForeground(QBrush(QColor(OUT_OF_SCOPE)))

    def open_row(self, row: int) -> None:
        if 0 < row < len(self.rows):
            item = self.rows[row]
            if item is not None:
                self.jump_requested.emit(item.model, item.pa, item.item or "")
