"""Side by side: the chosen practice next to what the catalog links to it in the other models (a Security
Management practice next to its CMMI-SVC and CERT-RMM counterparts, and back), with their current values per
unit and at OU level, goal ratings and capability levels, and the evidence they share.

Values come from the grid model (live ratings and cells), so the panel follows every edit.

Signals:
    jump_requested(str, str, str): show this model, process area and item (practice or goal code) in the grid.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.domain.palette import (
    CAPABILITY_COLOURS,
    GOAL_COLOURS,
    JUDGMENT_COLOUR,
    VALUE_COLOURS,
    text_colour,
)
from app.domain.plan import PaKey
from app.services.grid import LinkedItem, RowKind, SideBySide, place_name, short_code
from app.ui.characterize.grid_model import GridModel

EMPTY_FILL = "#eceff1"
MUTED = "#607d8b"
_SECTIONS = {0: "Linked to this practice", 1: "Linked to its goal", 2: "Linked to its whole process area"}


def _chip(text: str, fill: str | None) -> str:
    colour = fill or EMPTY_FILL
    return (
        f'<span style="background-color:{colour}; color:{text_colour(colour)};">'
        f"&nbsp;<b>{_nb(text or '—')}</b>&nbsp;</span>"
    )


def _nb(text: str) -> str:
    """Keep a label on one line: the browser wraps between labels, never inside one."""
    return escape(text).replace(" ", "&nbsp;")


def _rank(item: LinkedItem) -> int:
    return 0 if item.via == "practice" else 1 if item.via.startswith("goal") else 2


def _muted(text: str) -> str:
    return f'<span style="color:{MUTED};">{text}</span>'


class SideBySidePanel(QWidget):
    jump_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side: SideBySide | None = None
        self.heading = QLabel()
        self.heading.setObjectName("sideBySideHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.browser = QTextBrowser()
        self.browser.setObjectName("sideBySide")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._anchor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.browser, 1)
        self.show_side(None, None)

    @property
    def items(self) -> tuple[LinkedItem, ...]:
        return self.side.items if self.side else ()

    def text(self) -> str:
        return self.browser.toPlainText()

    def show_side(self, side: SideBySide | None, model: GridModel | None) -> None:
        self.side = side
        if side is None or model is None:
            self.heading.setText("Side by side")
            self.browser.setHtml(
                _muted("Select a practice (or a goal) in the grid to see the practices other models link to it.")
            )
            return
        what = short_code(side.pa, side.practice or side.goal)
        self.heading.setText(f"{place_name(side.model, side.pa)} {what}  {side.title}")
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(self._html(side, model))
        self.browser.verticalScrollBar().setValue(scroll)

    # --- rendering ------------------------------------------------------------------------------------

    def _html(self, side: SideBySide, model: GridModel) -> str:
        parts = ["<p>", _muted("This " + ("practice" if side.practice else "goal") + ":"), "<br>"]
        if side.practice is not None:
            parts.append(self._practice_values(model, side.model, side.pa, side.practice))
        else:
            parts.append(self._goal_values(model, side.model, side.pa, side.goal))
        parts.append("</p>")
        if not side.items:
            parts.append(_muted("<p>The catalog links nothing in the other rated models to it.</p>"))
        section = -1
        # In scope first: those can be compared; the rest only say that they exist.
        ordered = sorted(enumerate(side.items), key=lambda pair: (_rank(pair[1]), not pair[1].in_scope))
        for number, item in ordered:
            if _rank(item) != section:
                section = _rank(item)
                parts.append(f'<h4 style="margin-top:10px; margin-bottom:2px;">{_SECTIONS[section]}</h4>')
            parts.append(self._item(number, item, model))
        return "".join(parts)

    def _item(self, number: int, item: LinkedItem, model: GridModel) -> str:
        code = short_code(item.pa, item.item) if item.item else ""
        name = f"{place_name(item.model, item.pa)} {code}".strip()
        head = f'<a href="goto:{number}"><b>{escape(name)}</b></a> {escape(item.title)}'
        ours = "this practice" if item.via == "practice" else f"its {item.via}"
        # Links read "source <relation> target": "this practice detailed-by VAR SG1.SP2".
        sentence = f"{ours} {item.relation} {name}" if item.outgoing else f"{name} {item.relation} {ours}"
        if not item.in_scope:
            note = _muted("Not in scope · " + escape(sentence))
            return f'<p style="margin-top:2px; margin-bottom:6px;">{head}<br>{note}</p>'
        why = f": <i>{escape(item.rationale)}</i>" if item.rationale else ""
        lines = [head, _muted(escape(sentence[0].upper() + sentence[1:]) + why)]
        if item.kind is RowKind.PRACTICE and item.item:
            lines.append(self._practice_values(model, item.model, item.pa, item.item))
        elif item.kind is RowKind.GOAL and item.item:
            lines.append(self._goal_values(model, item.model, item.pa, item.item))
        else:
            lines.append(self._pa_values(model, item.model, item.pa))
        if item.shared:
            shared = ", ".join(f"<i>{escape(s.label[:80])}</i> ({s.kind})" for s in item.shared)
            lines.append(f"Shared evidence: {shared}")
        else:
            lines.append(_muted("No shared evidence."))
        return '<p style="margin-top:4px; margin-bottom:8px;">' + "<br>".join(lines) + "</p>"

    def _practice_values(self, model: GridModel, m: str, pa: str, practice: str) -> str:
        result = model.practice_result(m, pa, practice)
        if result is None:
            return _muted("Not rated in this appraisal.")
        rollup = result.rollup
        if rollup.judgment_needed:
            letters = "/".join(rollup.allowed)
            ou = f"OU&nbsp;{_chip('judge ' + letters, JUDGMENT_COLOUR)}"
        else:
            ou = f"OU&nbsp;{_chip(result.ou or '', VALUE_COLOURS.get(result.ou or ''))}"
        row_index = model.practice_row(m, pa, practice)
        units = []
        for inst in result.instantiations:
            counts = ""
            column = next((i for i, u in enumerate(model.units) if u.name == inst.unit), None)
            if row_index is not None and column is not None:
                cell = model.cell(row_index, column)
                if cell is not None:
                    counts = "&nbsp;" + _muted(f"{cell.artifacts}/{cell.affirmations}")
            value = inst.value or ""
            units.append(f"{_nb(inst.unit)}&nbsp;{_chip(value, VALUE_COLOURS.get(value))}{counts}")
        return "&nbsp;&nbsp; ".join([f"<b>{ou}</b>", *units])

    def _goal_values(self, model: GridModel, m: str, pa: str, goal: str) -> str:
        result = model.goal_result(m, pa, goal)
        if result is None:
            return _muted("Not rated in this appraisal.")
        parts = [f"<b>{_chip(result.rating.value, GOAL_COLOURS.get(result.rating.value))}</b>"]
        for practice in result.practices:
            value = practice.ou or ""
            parts.append(f"{_nb(short_code(pa, practice.code))}&nbsp;{_chip(value, VALUE_COLOURS.get(value))}")
        return "&nbsp;&nbsp; ".join(parts)

    def _pa_values(self, model: GridModel, m: str, pa: str) -> str:
        result = model.pa_result(PaKey(m, pa))
        if result is None:
            return _muted("Not rated in this appraisal.")
        level = result.capability.level
        fill = CAPABILITY_COLOURS.get(level) if level is not None else GOAL_COLOURS["Not Rated"]
        parts = [f"<b>{_chip(f'CL {level}' if level is not None else 'CL —', fill)}</b>"]
        for goal in result.goals:
            parts.append(
                f"{_nb(short_code(pa, goal.code))}&nbsp;{_chip(goal.rating.value, GOAL_COLOURS.get(goal.rating.value))}"
            )
        return "&nbsp;&nbsp; ".join(parts)

    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("goto:"):
            number = text[len("goto:") :]
            if number.isdigit() and int(number) < len(self.items):
                item = self.items[int(number)]
                self.jump_requested.emit(item.model, item.pa, item.item or "")
