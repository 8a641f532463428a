"""Painting one grid cell: its value in colour, evidence counts underneath, and small corner marks.

Marks: a blue corner for a review flag, a red corner for a value that breaks a characterization rule, an orange
outline for an OU cell waiting for the team's judgment, and a dot in the colour of the tool's proposal where it
differs from the team's value.
"""

from __future__ import annotations

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
            painter.fillRect(rect, QColor(HEADING_FILLS[look.heading]))
        elif look.absent:
            painter.fillRect(rect, QColor(ABSENT_FILL))
            painter.fillRect(rect, QBrush(QColor("#dfe4e7"), Qt.BrushStyle.BDiagPattern))
        else:
            painter.fillRect(rect, QColor("#ffffff"))
        if look.fill is not None:
            chip = QRectF(rect).adjusted(4, 3, -4, -3)
            path = QPainterPath()
            path.addRoundedRect(chip, 4, 4)
            painter.fillPath(path, QColor(look.fill))
        self._texts(painter, rect, look, option)
        self._marks(painter, rect, look)
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            pen = QPen(QColor(SELECTION), 2.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.restore()

    def _texts(self, painter: QPainter, rect: QRect, look: CellLook, option: QStyleOptionViewItem) -> None:
        base: QFont = option.font
        if look.fill is not None:
            colour = text_colour(look.fill)
        elif look.heading is not None:
            colour = HEADING_TEXT[look.heading]
        else:
            colour = "#263238"
        main = QFont(base)
        main.setBold(True)
        if look.sub:
            top = QRect(rect.left(), rect.top() + 2, rect.width(), rect.height() * 3 // 5 - 1)
            bottom = QRect(rect.left(), rect.top() + rect.height() * 3 // 5 - 3, rect.width(), rect.height() * 2 // 5)
        else:
            top, bottom = rect, QRect()
        if look.text:
            painter.setFont(main)
            painter.setPen(QColor(colour))
            align = Qt.AlignmentFlag.AlignHCenter | (
                Qt.AlignmentFlag.AlignBottom if look.sub else Qt.AlignmentFlag.AlignVCenter
            )
            painter.drawText(top, int(align), look.text)
        if look.sub:
            small = QFont(base)
            small.setPointSizeF(max(base.pointSizeF() - 1.5, 6.5))
            painter.setFont(small)
            if look.fill is not None:
                painter.setPen(QColor(colour))
            else:
                painter.setPen(QColor(NO_EVIDENCE_TEXT if look.sub_alert else MUTED_TEXT))
            painter.drawText(bottom, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), look.sub)

    def _marks(self, painter: QPainter, rect: QRect, look: CellLook) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        size = 9.0
        if look.flagged:
            right, top = float(rect.right()), float(rect.top())
            painter.setBrush(QColor(REVIEW_COLOUR))
            painter.drawPolygon(
                QPolygonF([QPointF(right - size - 2, top), QPointF(right, top), QPointF(right, top + size + 2)])
            )
        if look.problem:
            left, top = float(rect.left()), float(rect.top())
            painter.setBrush(QColor(PROBLEM_COLOUR))
            painter.drawPolygon(QPolygonF([QPointF(left, top), QPointF(left + size, top), QPointF(left, top + size)]))
        if look.proposal is not None:
            colour = VALUE_COLOURS.get(look.proposal, MUTED_TEXT)
            painter.setPen(QPen(QColor("#ffffff"), 1.2))
            painter.setBrush(QColor(colour))
            painter.drawEllipse(QPointF(rect.left() + 8.5, rect.bottom() - 7.5), 4.0, 4.0)
        if look.judgment:
            pen = QPen(QColor(JUDGMENT_COLOUR), 2.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(3, 3, -3, -3), 4, 4)
