"""Form fields of the Plan page: an input that turns red with its problem written below, and bindings that
tie an input to one plan field (validated as you type, written when valid)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import Plan, PlanProblem
from app.ui.plan.editor import Edit, PlanEditor

PROBLEM_COLOR = "#b3261e"
DEBOUNCE_MS = 400
"""How long typing must pause before a text field is checked and written."""


class _Outline(QFrame):
    """Paints a red outline around its input when there is a problem (a style sheet would restyle the input)."""

    def __init__(self, child: QWidget) -> None:
        super().__init__()
        self.problem = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.addWidget(child)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.problem:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(PROBLEM_COLOR), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)


def problem_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problem")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {PROBLEM_COLOR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class Field(QWidget):
    """An input with room for its problem: a red outline around it and the problem's text below it."""

    def __init__(self, input_widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = input_widget
        self.tip = input_widget.toolTip()
        """The input's own tooltip, shown again once its problem is fixed."""
        self.outline = _Outline(input_widget)
        self.problem = problem_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.outline)
        layout.addWidget(self.problem)

    def set_problem(self, text: str | None) -> None:
        if (text or "") == self.problem.text() and self.outline.problem == bool(text):
            return  # problems are re-announced after every edit; most fields are unchanged
        self.outline.problem = bool(text)
        self.outline.update()
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))
        # Screen readers announce the problem with the field.
        self.input.setAccessibleDescription(text or "")
        self.input.setToolTip(text or self.tip)

    def set_tip(self, tip: str) -> None:
        self.tip = tip
        if not self.problem_text():
            self.input.setToolTip(tip)

    def problem_text(self) -> str:
        return self.problem.text() if self.problem.isVisible() else ""


class Binding(QObject):
    """Ties one input to one plan field.

    `read` gets the field's value from a plan, `write` returns a plan with a new value. `parse` turns the
    input's text into a value and raises ValueError with a message when it cannot (a date like "2026-13-01").
    """

    def __init__(
        self,
        editor: PlanEditor,
        field: Field,
        key: str,
        text: str,
        read: Callable[[Plan], Any],
        write: Callable[[Plan, Any], Plan],
    ) -> None:
        super().__init__(field)
        self.editor = editor
        self.field = field
        self.key = key
        self.text = text
        self.read = read
        self.write = write
        self.local_problem = ""

    # Subclasses: the input's value, and showing a value in it.
    def value(self) -> Any:
        raise NotImplementedError

    def show(self, value: Any) -> None:
        raise NotImplementedError

    def same(self, shown: Any, value: Any) -> bool:
        return bool(shown == value)

    def load(self, plan: Plan, reset: bool) -> None:
        if reset:
            self.local_problem = ""
        elif self.local_problem:
            return  # keep what the user typed until it can be read
        try:
            shown = self.value()
        except ValueError:
            shown = object()
        value = self.read(plan)
        if not self.same(shown, value):
            self.field.input.blockSignals(True)
            try:
                self.show(value)
            finally:
                self.field.input.blockSignals(False)

    def commit(self) -> None:
        try:
            value = self.value()
        except ValueError as exc:
            self.local_problem = str(exc)
            self.field.set_problem(self.local_problem)
            self.editor.forget(self.key)
            return
        self.local_problem = ""
        write = self.write
        self.editor.propose(Edit(self.key, self.text, lambda plan: write(plan, value)))

    def show_problems(self, problems: Sequence[PlanProblem]) -> None:
        mine = [p.message for p in problems if _owns(self.key, p.field)]
        self.field.set_problem(self.local_problem or "\n".join(mine) or None)


def _owns(key: str, path: str) -> bool:
    return path == key or path.startswith((key + ".", key + "["))


class TextBinding(Binding):
    """A one-line or multi-line text field, written DEBOUNCE_MS after typing pauses or when focus leaves."""

    def __init__(self, *args: Any, parse: Callable[[str], Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parse = parse
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.commit)
        widget = self.field.input
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: self.timer.start())
            widget.editingFinished.connect(self.flush)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self.timer.start)
            widget.setTabChangesFocus(True)  # Tab moves on; a plan field never needs a tab character
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: ARG002 - Qt's signature
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def load(self, plan: Plan, reset: bool) -> None:
        if self.timer.isActive():
            if not reset:
                return  # the user is typing here: the text waits for its own pause, not another field's write
            self.timer.stop()  # undo/redo or another page changed the plan: what was typed gives way
        super().load(plan, reset)

    def flush(self) -> None:
        """Check and write now what is waiting for the pause (focus left, page closing)."""
        if self.timer.isActive():
            self.timer.stop()
            self.commit()

    def raw(self) -> str:
        widget = self.field.input
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()  # type: ignore[attr-defined]

    def value(self) -> Any:
        return self.parse(self.raw()) if self.parse else self.raw()

    def show(self, value: Any) -> None:
        text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
        widget = self.field.input
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)  # type: ignore[attr-defined]

    def same(self, shown: Any, value: Any) -> bool:
        # The file keeps text trimmed: "Claims " on screen is "Claims" stored, and must not be overwritten
        # while the user is still typing after the space.
        if isinstance(shown, str) and isinstance(value, str):
            return shown.strip() == value.strip()
        return bool(shown == value)


class ComboBinding(Binding):
    """A choice written as soon as it is made. The combo box shows the labels; the plan values stay here
    (not as Qt item data, so a value like None never crosses into Qt)."""

    def __init__(self, *args: Any, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        combo = self.field.input
        assert isinstance(combo, QComboBox)
        self.values = [value for _label, value in choices]
        for label, _value in choices:
            combo.addItem(label)
        combo.activated.connect(lambda _index: self.commit())

    def value(self) -> Any:
        combo = self.field.input
        assert isinstance(combo, QComboBox)
        return self.values[combo.currentIndex()] if 0 <= combo.currentIndex() < len(self.values) else None

    def show(self, value: Any) -> None:
        combo = self.field.input
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(self.values.index(value) if value in self.values else 0)


class CheckBinding(Binding):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        box = self.field.input
        assert isinstance(box, QCheckBox)
        box.toggled.connect(lambda _checked: self.commit())

    def value(self) -> Any:
        box = self.field.input
        assert isinstance(box, QCheckBox)
        return box.isChecked()

    def show(self, value: Any) -> None:
        box = self.field.input
        assert isinstance(box, QCheckBox)
        box.setChecked(bool(value))


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("Write the date as YYYY-MM-DD, e.g. 2026-11-30 (or leave it empty).") from None
