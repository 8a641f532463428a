"""What a key, a paste or a double-click does to the grid's cells: set, fill or clear values as one undoable
edit each, open a cell's detail, and mark a cell for review. The OU column's decisions are the team's
(`team_decisions.py`); the page says what happened and follows the edit (`CharacterizePage.note_edit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QDialog

from app.services import characterize as ch
from app.services import decisions, grid, grid_cell
from app.services.characterize import CellKey
from app.services.errors import KnownError
from app.services.grid import RowKind
from app.ui.characterize import commands
from app.ui.characterize.detail_dialog import CellDetailDialog
from app.ui.characterize.fast_entry import (
    PastePreviewDialog,
    describe_fill,
    next_cell,
    plan_paste,
    selected_unit_cells,
)
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.common.errors import show_error

if TYPE_CHECKING:
    from app.ui.characterize.characterize_page import CharacterizePage


class CellEdits:
    """The grid's cell edits, for one page."""

    def __init__(self, page: CharacterizePage) -> None:
        self.page = page

    def letter(self, index: QModelIndex, text: str) -> None:
        if index.column() == self.page.model.ou_column and text.upper() == "R":
            self.page.decisions.reconfirm(self.page.model.row(index.row()))
            return
        value = self.page.model.scale.from_key(text)
        if value is None:
            keys = ", ".join(info.key for info in self.page.model.scale.infos)
            self.page.say(f"{text.upper()} is not a value: type {keys} ({self.page.model.scale.display_name}).")
            return
        row = self.page.model.row(index.row())
        selected = selected_unit_cells(self.page.view, self.page.model)
        if len(selected) > 1:
            self.fill(selected, value.value)
            return
        if index.column() == self.page.model.ou_column:
            if row.kind is RowKind.PRACTICE:
                self.page.decisions.judge(row, value.value)
            return
        key = self.page.model.key_at(index)
        if key is not None and self.set_value(key, value.value):
            self._advance(index)

    def _advance(self, index: QModelIndex) -> None:
        following = next_cell(self.page.view, self.page.model, index, self.page.advance)
        if following.isValid():
            self.page.view.setCurrentIndex(following)
            self.page.view.scrollTo(following, QAbstractItemView.ScrollHint.EnsureVisible)

    def fill(self, keys: Sequence[CellKey], value: str | None) -> bool:
        """Set (or clear) the value of several cells as one undoable edit; their texts are kept."""
        if self.page.document is None or not keys:
            return False
        befores = ch.get_cells(self.page.document.workspace, keys)
        afters = {k: replace(state, value=value) for k, state in befores.items() if state.value != value}
        if not afters:
            return True
        self.page.say("")
        text = describe_fill(list(afters), value) if value else f"Clear {len(afters)} cells"
        before_changed = {k: befores[k] for k in afters}
        return self.page.execute_edit(
            commands.set_cells(self.page.document, before_changed, afters, text, self.page.note_edit)
        )

    def paste(self, index: QModelIndex | None = None) -> bool:
        """Paste a block copied from a spreadsheet from the current cell: preview, then one undoable edit."""
        start = index if index is not None else self.page.view.currentIndex()
        if self.page.document is None or not start.isValid():
            return False
        text = QGuiApplication.clipboard().text()
        plan = plan_paste(self.page.view, self.page.model, start, text)
        dialog = PastePreviewDialog(plan, self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted or plan.problems or not plan.changes:
            return False
        keys = [c.key for c in plan.changes]
        befores = ch.get_cells(self.page.document.workspace, keys)
        afters = {c.key: replace(befores[c.key], value=c.after) for c in plan.changes}
        self.page.say("")
        text_done = f"Paste {len(afters)} value(s)"
        return self.page.execute_edit(
            commands.set_cells(self.page.document, befores, afters, text_done, self.page.note_edit)
        )

    def set_value(self, key: CellKey, value: str | None) -> bool:
        """Set (or with None clear) one cell's value as one undoable edit; its texts are kept."""
        if self.page.document is None:
            return False
        try:
            before = ch.get_cell(self.page.document.workspace, key)
        except KnownError as exc:  # a team server out of reach: said, nothing changed
            show_error(self.page, exc)
            return False
        if before.value == value:
            return True
        self.page.say("")
        # What the person saw: on a team server a colleague may have changed the cell since the grid showed it,
        # and the service then refuses the edit, saying who (the cell reloads).
        index = self.page.model.index_of(key)
        shown = self.page.model.cell(index.row(), index.column()) if index.isValid() else None
        seen = replace(before, value=shown.value) if shown is not None else before
        return self.page.execute_edit(
            commands.set_cell(self.page.document, key, seen, replace(before, value=value), self.page.note_edit)
        )

    def clear(self, index: QModelIndex) -> None:
        selected = selected_unit_cells(self.page.view, self.page.model)
        if len(selected) > 1:
            self.fill(selected, None)
            return
        row = self.page.model.row(index.row())
        if index.column() != self.page.model.ou_column:
            key = self.page.model.key_at(index)
            if key is not None:
                self.set_value(key, None)
            return
        if self.page.document is None:
            return
        if row.kind is RowKind.PRACTICE:
            before = decisions.ou_decisions(self.page.document.workspace).get((row.model, row.pa, row.practice))
            if before is not None:
                self.page.execute_edit(
                    commands.set_ou_decision(self.page.document, row.key(""), None, "", before, self.page.note_edit)
                )
        elif row.kind is RowKind.GOAL:
            override = self.page.decisions.stored_override(row)
            if override is not None:
                command = commands.set_goal_override(
                    self.page.document, row.model, row.pa, row.goal, None, "", override, self.page.note_edit
                )
                self.page.execute_edit(command)

    def open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.page.model.row(index.row())
        if index.column() == self.page.model.ou_column:
            if row.kind is RowKind.PRACTICE:
                self.page.decisions.judge(row, None)
            elif row.kind is RowKind.GOAL:
                self.page.decisions.override_goal(row)
            return
        key = self.page.model.key_at(index)
        if key is not None:
            self.open_detail(key)

    def open_detail(self, key: CellKey) -> None:
        if self.page.document is None:
            return
        detail = grid_cell.cell_detail(self.page.document.workspace, key)
        result = self.page.model.instantiation(key.model, key.pa, key.practice, key.unit)
        dialog = CellDetailDialog(detail, self.page.model.scale, result, self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        after = dialog.state()
        if after != detail.state:
            self.page.execute_edit(commands.set_cell(self.page.document, key, detail.state, after, self.page.note_edit))

    def toggle_review(self) -> None:
        """Mark the current cell for review with a comment (Ctrl+M), or remove its mark."""
        index = self.page.view.currentIndex()
        key = self.page.model.key_at(index)
        cell = self.page.model.cell(index.row(), index.column()) if index.isValid() else None
        if key is None or cell is None or self.page.document is None:
            self.page.say("Select a unit's cell to mark it for review.")
            return
        before = (cell.review_flag, cell.review_comment)
        if cell.review_flag:
            self.page.execute_edit(
                commands.set_review_flag(self.page.document, key, False, "", before, self.page.note_edit)
            )
            return
        dialog = RationaleDialog(
            "Mark for review",
            f"{grid.place_name(key.model, key.pa)} {key.practice} in {key.unit}",
            "The review list collects marked cells for the team's next consolidation.",
            (),
            prompt="&Comment for the team",
            required=False,
            parent=self.page,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            comment = dialog.rationale_text()
            self.page.execute_edit(
                commands.set_review_flag(self.page.document, key, True, comment, before, self.page.note_edit)
            )
