"""Painting one grid cell: its value in colour, evidence counts underneath, and small corner marks.

Marks: a blue corner for a review flag, a red corner for a value that breaks a characterization rule, an orange
outline for an OU cell waiting for the team's judgment, and a dot in the colour of the tool's proposal where it
differs from the team's value.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
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
_MAX_PICTURES = 2000
"""About 20 MB of cell pictures at the most; a grid at size L shows fewer than a hundred looks."""


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
    """Each cell is drawn once per look into a small picture that every cell of that look reuses: a large grid
    shows a few dozen looks, and a screen of cells repaints after every keystroke (drawing each cell anew was
    most of that)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pictures: dict[tuple[object, ...], QPixmap] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        look = index.data(LOOK_ROLE)
        if not isinstance(look, CellLook):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        fonts = _fonts(option.font)
        ratio = painter.device().devicePixelRatioF()
        # The hatch of an absent cell lines up with its neighbours' (Qt's patterns repeat every 8 pixels).
        phase = (rect.x() % 8, rect.y() % 8) if look.absent else (0, 0)
        key = (look, rect.width(), rect.height(), ratio, id(fonts), phase)
        picture = self._pictures.get(key)
        if picture is None:
            picture = self._draw(look, rect, ratio, fonts, phase)
            if len(self._pictures) >= _MAX_PICTURES:
                self._pictures.clear()
            self._pictures[key] = picture
        painter.drawPixmap(rect.topLeft(), picture)
        if option.state & _SELECTED:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(_colour(SELECTION), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5))
            painter.restore()

    def _draw(
        self, look: CellLook, cell: QRect, ratio: float, fonts: tuple[QFont, QFont], phase: tuple[int, int]
    ) -> QPixmap:
        picture = QPixmap(round(cell.width() * ratio), round(cell.height() * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        rect = QRect(0, 0, cell.width(), cell.height())
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrushOrigin(-phase[0], -phase[1])
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
        self._texts(painter, rect, look, fonts)
        self._marks(painter, rect, look)
        painter.end()
        return picture

    def _texts(self, painter: QPainter, rect: QRect, look: CellLook, fonts: tuple[QFont, QFont]) -> None:
        if look.fill is not None:
            colour = _text_colour(look.fill)
        elif look.heading is not None:
            colour = HEADING_TEXT[look.heading]
        else:
            colour = "#263238"
        main, small = fonts
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
