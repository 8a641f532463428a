"""The capability profile as a bar chart painted by hand: one row per process area, a bar up to the capability
level it reached, a marker at its target, and Not Rated or Not Applicable shown as such rather than as CL0."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.domain.palette import CAPABILITY_COLOURS, GOAL_COLOURS

# The shared rating palette, so the profile paints a level the way the grid and exports do.
AT_TARGET = QColor(GOAL_COLOURS["Satisfied"])
BELOW_TARGET = QColor(CAPABILITY_COLOURS[1])
NO_TARGET = QColor("#4f7cb8")
NOT_RATED = QColor(GOAL_COLOURS["Not Rated"])
TARGET_MARK = QColor("#1d2733")
GRID = QColor("#d9dde2")
MUTED = QColor("#5f6368")
SELECTED = QColor("#e6eef8")

ROW_HEIGHT = 26
"""The least height of a row; rows grow up to MAX_ROW_HEIGHT to fill the space they are given."""
MAX_ROW_HEIGHT = 36
HEADER_HEIGHT = 24
LEGEND_HEIGHT = 28
LABEL_WIDTH = 64
VALUE_WIDTH = 150
MARGIN = 8


class BarState(StrEnum):
    RATED = "rated"
    NOT_RATED = "not rated"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True, slots=True)
class CapabilityBar:
    """One process area of the profile."""

    model: str
    pa: str
    name: str
    state: BarState
    level: int | None
    """The capability level reached (RATED only)."""
    target: int | None
    so_far: int | None = None
    """For NOT_RATED: the last level whose goals are all rated and Satisfied."""
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.model, self.pa)

    @property
    def colour(self) -> QColor:
        if self.state is not BarState.RATED:
            return NOT_RATED
        if self.target is None:
            return NO_TARGET
        return AT_TARGET if (self.level or 0) >= self.target else BELOW_TARGET

    @property
    def value_text(self) -> str:
        if self.state is BarState.NOT_APPLICABLE:
            return "Not applicable"
        reached = f"CL{self.level}" if self.state is BarState.RATED else "Not Rated"
        return f"{reached} / target CL{self.target}" if self.target is not None else reached


class CapabilityChart(QWidget):
    """Signals:
    pa_clicked(tuple[str, str]): the (model, PA) of the row the user clicked.
    """

    pa_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[CapabilityBar, ...] = ()
        self.max_level = 3
        self.selected: tuple[str, str] | None = None
        self.setObjectName("capabilityChart")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.MinimumExpanding)
        self.setMinimumWidth(LABEL_WIDTH + VALUE_WIDTH + 160)

    def set_profile(self, bars: tuple[CapabilityBar, ...], max_level: int = 3) -> None:
        self.bars = bars
        self.max_level = max(1, max_level, *(b.target or 0 for b in bars))
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def set_selected(self, key: tuple[str, str] | None) -> None:
        self.selected = key
        self.update()

    def bar(self, model: str, pa: str) -> CapabilityBar | None:
        return next((b for b in self.bars if b.key == (model, pa)), None)

    def sizeHint(self) -> QSize:
        return QSize(460, HEADER_HEIGHT + ROW_HEIGHT * max(1, len(self.bars)) + LEGEND_HEIGHT + 2 * MARGIN)

    # --- geometry -------------------------------------------------------------------------------------

    @property
    def row_height(self) -> float:
        spare = self.height() - HEADER_HEIGHT - LEGEND_HEIGHT - 2 * MARGIN
        return max(ROW_HEIGHT, min(MAX_ROW_HEIGHT, spare / max(1, len(self.bars))))

    def _plot(self) -> QRectF:
        """The area the bars grow in (CL0 at its left edge, the top level at its right)."""
        left = MARGIN + LABEL_WIDTH
        width = max(60, self.width() - left - VALUE_WIDTH - MARGIN)
        return QRectF(left, MARGIN + HEADER_HEIGHT, width, self.row_height * len(self.bars))

    def _x(self, level: float) -> float:
        plot = self._plot()
        return plot.left() + plot.width() * level / self.max_level

    def _row_at(self, y: float) -> int | None:
        row = int((y - MARGIN - HEADER_HEIGHT) // self.row_height)
        return row if 0 <= row < len(self.bars) and y >= MARGIN + HEADER_HEIGHT else None

    # --- Qt overrides ---------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.bars:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No process areas in scope")
            painter.end()
            return
        self._paint_grid(painter)
        for row, bar in enumerate(self.bars):
            self._paint_row(painter, row, bar)
        self._paint_legend(painter)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.set_selected(self.bars[row].key)
            self.pa_clicked.emit(self.bars[row].key)
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self._row_at(event.pos().y())
            if row is None:
                QToolTip.hideText()
                event.ignore()
                return True
            bar = self.bars[row]
            tip = f"<b>{bar.model} {bar.pa}</b> {bar.name}<br>{bar.value_text}"
            if bar.note:
                tip += f"<br>{bar.note}"
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)

    # --- painting -------------------------------------------------------------------------------------

    def _paint_grid(self, painter: QPainter) -> None:
        plot = self._plot()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        painter.setFont(small)
        for level in range(self.max_level + 1):
            x = self._x(level)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(MUTED)
            label = QRectF(x - 24, MARGIN, 48, HEADER_HEIGHT - 4)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, f"CL{level}")
        painter.setFont(self.font())

    def _paint_row(self, painter: QPainter, row: int, bar: CapabilityBar) -> None:
        plot = self._plot()
        height = self.row_height
        top = plot.top() + row * height
        if bar.key == self.selected:
            painter.fillRect(QRectF(0, top, self.width(), height), SELECTED)
        label = QRectF(MARGIN, top, LABEL_WIDTH - 6, height)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(self.palette().text().color())
        painter.drawText(label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, bar.pa)
        painter.setFont(self.font())
        body = QRectF(plot.left(), top + height * 0.22, 0, height * 0.56)
        if bar.state is BarState.RATED:
            level = bar.level or 0
            body.setWidth(max(3.0, self._x(level) - plot.left()))
            painter.fillRect(body, bar.colour)
        elif bar.state is BarState.NOT_RATED:
            body.setWidth(max(3.0, self._x(self.max_level) - plot.left()))
            painter.setPen(QPen(NOT_RATED, 1, Qt.PenStyle.DashLine))
            painter.setBrush(QBrush(NOT_RATED, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(body)
            if bar.so_far:
                # What is already established, under the hatching: the goals of these levels are all Satisfied.
                done = QRectF(body.left(), body.top(), self._x(bar.so_far) - plot.left(), body.height())
                painter.fillRect(done, QColor(NOT_RATED.red(), NOT_RATED.green(), NOT_RATED.blue(), 140))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        if bar.target is not None and bar.state is not BarState.NOT_APPLICABLE:
            self._paint_target(painter, self._x(bar.target), top + height * 0.1, height * 0.8)
        value = QRectF(plot.right() + 10, top, VALUE_WIDTH - 10, height)
        text_font = QFont(self.font())
        if bar.state is not BarState.RATED:
            text_font.setItalic(True)
        painter.setFont(text_font)
        painter.setPen(MUTED if bar.state is not BarState.RATED else self.palette().text().color())
        painter.drawText(value, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, bar.value_text)
        painter.setFont(self.font())

    def _paint_target(self, painter: QPainter, x: float, top: float, height: float) -> None:
        painter.setPen(QPen(TARGET_MARK, 2))
        painter.drawLine(QPointF(x, top), QPointF(x, top + height))
        painter.setBrush(TARGET_MARK)
        diamond = QPolygonF([QPointF(x, top), QPointF(x + 4, top + 4), QPointF(x, top + 8), QPointF(x - 4, top + 4)])
        painter.drawPolygon(diamond)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_legend(self, painter: QPainter) -> None:
        y = self._plot().bottom() + 10
        x = float(MARGIN)
        items = (
            (AT_TARGET, Qt.BrushStyle.SolidPattern, "At target"),
            (BELOW_TARGET, Qt.BrushStyle.SolidPattern, "Below target"),
            (NOT_RATED, Qt.BrushStyle.BDiagPattern, "Not Rated"),
        )
        metrics = painter.fontMetrics()
        for colour, style, text in items:
            swatch = QRectF(x, y + 3, 14, 10)
            painter.setPen(QPen(colour, 1))
            painter.setBrush(QBrush(colour, style))
            painter.drawRect(swatch)
            painter.setPen(MUTED)
            painter.drawText(QPointF(x + 19, y + 12), text)
            x += 19 + metrics.horizontalAdvance(text) + 16
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._paint_target(painter, x + 4, y, 16)
        painter.setPen(MUTED)
        painter.drawText(QPointF(x + 14, y + 12), "Target level")
