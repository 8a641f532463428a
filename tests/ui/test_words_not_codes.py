"""Words, not codes (issue 15): on every page of the demo, with its pending judgments, goal decisions, rule
breaks and findings, no rule name or other program identifier reaches the screen; the codes stay in tooltips."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QComboBox, QLabel, QWidget

from app.domain.rating.wording import RULES
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.ratings.goal_decision_dialog import goal_decision_dialog
from app.ui.shell.main_window import MainWindow

SHOUTED = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
"""PROPOSE_FULL, ROLLUP_V13_ANY_PI_OR_NI, SUFFICIENCY_ARTIFACT: how the program names things, not a person."""
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
"""ou_rationale, review_flag: a field's name."""
MOST_ROWS = 400


def codes_in(text: str) -> list[str]:
    found = [m.group(0) for m in SHOUTED.finditer(text)] + [m.group(0) for m in SNAKE.finditer(text)]
    found += [name for name in RULES if name in text]
    if "(seed)" in text:
        found.append("(seed)")
    return found


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list widget's model keeps its column count to itself: one
        return 1


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, budget: list[int]) -> Iterator[str]:
    for row in range(model.rowCount(parent)):
        if budget[0] <= 0:
            return
        budget[0] -= 1
        for column in range(_columns(model, parent)):
            value = model.index(row, column, parent).data(Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value
        child = model.index(row, 0, parent)
        if model.rowCount(child) > 0:
            yield from _model_texts(model, child, budget)


def screen_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for what a person reads in `root`: labels, buttons, combo items and list, table and tree
    cells (not tooltips, where the codes belong)."""
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root):
            yield label.objectName() or "label", label.text()
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root):
            yield button.objectName() or "button", button.text()
    for combo in root.findChildren(QComboBox):
        if combo.isVisibleTo(root):
            for i in range(combo.count()):
                yield combo.objectName() or "combo", combo.itemText(i)
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisibleTo(root) and model is not None:
            for text in _model_texts(model, QModelIndex(), [MOST_ROWS]):
                yield view.objectName() or type(view).__name__, text


def test_no_code_reaches_the_screen_on_any_page_of_the_demo(qtbot, demo_window: MainWindow) -> None:
    window = demo_window
    window.worklist_dock.show()
    found: list[str] = []
    for row, page in enumerate(window.page_list):
        window.show_page(row)
        if isinstance(page, CharacterizePage):
            qtbot.waitUntil(lambda p=page: bool(p.model.rows), timeout=30000)
        for _ in range(3):
            QApplication.processEvents()
        for where in (page, window.worklist_dock):
            found += [f"{page.title} › {w}: {c} in “{t[:80]}”" for w, t in screen_texts(where) for c in codes_in(t)]
    assert found == []


def test_the_goal_decision_explains_by_sentence_with_the_code_in_the_tooltip(demo_window: MainWindow) -> None:
    window = demo_window
    assert window.document is not None
    ratings = window.document.ratings()
    goals = [g for pa in ratings.process_areas for g in pa.goals]
    deciding = next(g for g in goals if g.judgment_needed)
    dialog = goal_decision_dialog("A goal", deciding, None, window)
    assert codes_in(dialog.explanation.text()) == []
    assert deciding.computed_rule.text.rstrip(".") in dialog.explanation.text()
    assert dialog.explanation.toolTip().startswith(deciding.computed_rule.name)
