"""Painting one grid cell: its value in colour, evidence counts underneath, and small corner marks.

Marks: a blue corner for a review flag, a red corner for a value that breaks a characterization rule, an orange
outline for an OU cell waiting for the team's judgment, and a dot in the colour of the tool's proposal where it
differs from the team's value.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.domain.palette import JUDGMENT_COLOUR, REVIEW_COLOUR, VALUE_COLOURS, text_colour
from app.ui.characterize.grid_table import HEADING_FILLS, HEADING_TEXT, LOOK_ROLE, CellLook

PROBLEM_COLOUR = "#c62828"
ABSENT_FILL = "#f4f6f7"
NO_EVIDENCE_TEXT = "#c62828"
MUTED_TEXT = "#607d8b"
SELECTION = "#0d47a1"

_CENTRED = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
_ABOVE_SUB = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
_SELECTED = QStyle.StateFlag.State_Selected


@cache
def _colour(name: str) -> QColor:
    """One QColor a colour: a screen of cells repaints after every keystroke, and parsing "#rrggbb" each time
    was a good part of it."""
    return QColor(name)


@cache
def _text_colour(fill: str) -> str:
    return text_colour(fill)


@cache
def _hatch() -> QBrush:
    return QBrush(_colour("#dfe4e7"), Qt.BrushStyle.BDiagPattern)


_FONTS: list[tuple[QFont, tuple[QFont, QFont]]] = []


def _fonts(base: QFont) -> tuple[QFont, QFont]:
    """The value's bold font and the evidence counts' smaller one, made once for the view's font."""
    for known, made in _FONTS:
        if known == base:
            return made
    main = QFont(base)
    main.setBold(True)
    small = QFont(base)
    small.setPointSizeF(max(base.pointSizeF() - 1.5, 6.5))
    _FONTS.append((QFont(base), (main, small)))
    return main, small


class CellDelegate(QStyledItemDelegate):
    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        look = index.data(LOOK_ROLE)
        if not isinstance(look, CellLook):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if look.heading is not None:
            painter.fillRect(rect, _colour(HEADING_FILLS[look.heading]))
        elif look.absent:
            painter.fillRect(rect, _colour(ABSENT_FILL))
            painter.fillRect(rect, _hatch())
        else:
            painter.fillRect(rect, _colour("#ffffff"))
        if look.fill is not None:
            chip = QRectF(rect).adjusted(4, 3, -4, -3)
            path = QPainterPath()
            path.addRoundedRect(chip, 4, 4)
            painter.fillPath(path, _colour(look.fill))
        self._texts(painter, rect, look, option)
        self._marks(painter, rect, look)
        state = option.state
        if state & _SELECTED:
            pen = QPen(_colour(SELECTION), 2.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.restore()

    def _texts(self, painter: QPainter, rect: QRect, look: CellLook, option: QStyleOptionViewItem) -> None:
        if look.fill is not None:
            colour = _text_colour(look.fill)
        elif look.heading is not None:
            colour = HEADING_TEXT[look.heading]
        else:
            colour = "#263238"
        main, small = _fonts(option.font)
        if look.sub:
            top = QRect(rect.left(), rect.top() + 2, rect.width(), rect.height() * 3 // 5 - 1)
            bottom = QRect(rect.left(), rect.top() + rect.height() * 3 // 5 - 3, rect.width(), rect.height() * 2 // 5)
        else:
            top, bottom = rect, QRect()
        if look.text:
            painter.setFont(main)
            painter.setPen(_colour(colour))
            painter.drawText(top, _ABOVE_SUB if look.sub else _CENTRED, look.text)
        if look.sub:
            painter.setFont(small)
            if look.fill is not None:
                painter.setPen(_colour(colour))
            else:
                painter.setPen(_colour(NO_EVIDENCE_TEXT if look.sub_alert else MUTED_TEXT))
            painter.drawText(bottom, _CENTRED, look.sub)

    def _marks(self, painter: QPainter, rect: QRect, look: CellLook) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        size = 9.0
        if look.flagged:
            right, top = float(rect.right()), float(rect.top())
            painter.setBrush(_colour(REVIEW_COLOUR))
            painter.drawPolygon(
                QPolygonF([QPointF(right - size - 2, top), QPointF(right, top), QPointF(right, top + size + 2)])
            )
        if look.problem:
            left, top = float(rect.left()), float(rect.top())
            painter.setBrush(_colour(PROBLEM_COLOUR))
            painter.drawPolygon(QPolygonF([QPointF(left, top), QPointF(left + size, top), QPointF(left, top + size)]))
        if look.proposal is not None:
            colour = VALUE_COLOURS.get(look.proposal, MUTED_TEXT)
            painter.setPen(QPen(_colour("#ffffff"), 1.2))
            painter.setBrush(_colour(colour))
            painter.drawEllipse(QPointF(rect.left() + 8.5, rect.bottom() - 7.5), 4.0, 4.0)
        if look.judgment:
            pen = QPen(_colour(JUDGMENT_COLOUR), 2.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(3, 3, -3, -3), 4, 4)
