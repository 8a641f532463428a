"""Going somewhere in the open appraisal: a worklist line, a search hit, a place typed in Go to (Ctrl+G).
The page that holds the item shows it; a cell, practice, goal or process area is shown in the Characterize
grid once its rows are read."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from app.domain.places import Place
from app.services.characterize import CellKey
from app.services.worklist import TargetKind, WorkTarget
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.shell.go_to_dialog import GoToDialog

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow


class WindowPlaces:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def open_target(self, target: WorkTarget) -> None:
        """Open a worklist line's place: a cell, a practice's or goal's rating, a process area, a finding."""
        if target.kind is TargetKind.FINDING:
            self.open_hit("finding", target.finding_id)
            return
        for row, page in enumerate(self.window.page_list):
            if isinstance(page, CharacterizePage):
                self.window.nav.setCurrentRow(row)
                page.catch_up()
                page.when_ready(partial(self._show_target, page, target))
                return

    def _show_target(self, page: CharacterizePage, target: WorkTarget) -> None:
        if target.kind is TargetKind.CELL:
            key = CellKey(target.model, target.pa, target.goal, target.practice, target.unit)
            if not page.select_cell(key):
                page.jump_to(target.model, target.pa, target.practice)
        else:
            page.jump_to(target.model, target.pa, target.practice or target.goal)

    def open_go_to(self) -> None:
        if self.window.document is None:
            return
        dialog = GoToDialog(self.window.search_box.places(), self.window)
        if dialog.exec() == GoToDialog.DialogCode.Accepted:
            place = dialog.chosen()
            if place is not None:
                self.go_to_place(place)

    def go_to_place(self, place: Place) -> None:
        """Show a practice, goal or process area in the Characterize grid."""
        for row, page in enumerate(self.window.page_list):
            if isinstance(page, CharacterizePage):
                self.window.nav.setCurrentRow(row)
                page.catch_up()
                page.when_ready(partial(page.show_place, place))
                return

    def open_hit(self, kind: str, item_id: int) -> None:
        """Show a search hit where it lives: the first page that knows the item selects it."""
        for row, kind_of_page in enumerate(self.window.page_list):
            if not callable(getattr(kind_of_page, "show_item", None)):
                continue
            page = self.window.built_page(row)
            show_item = page.show_item  # type: ignore[attr-defined]
            page.catch_up()
            if show_item(kind, item_id):
                self.window.nav.setCurrentRow(row)
                page.setFocus()
                return
        self.window.statusBar().showMessage("That item is no longer in the appraisal.", 5000)
