"""A line edit that picks a practice as you type: "IRP SP1.1", "esp1.2" or part of a title, with completion.

Enter picks the practice the text names (or the only one it matches); choosing from the completion list picks
that one. Backspace in the empty field asks to drop the last picked practice.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.services.evidence import PracticeOption


def option_label(option: PracticeOption) -> str:
    return f"{option.pa} {option.practice}  {option.title}  — {option.model}"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class PracticePicker(QLineEdit):
    """Signals:
    picked(PracticeOption): a practice was chosen.
    unresolved(str): the text names no practice, or several; the message says which.
    remove_last(): Backspace in the empty field.
    """

    picked = Signal(object)
    unresolved = Signal(str)
    remove_last = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicePicker")
        self.setPlaceholderText("Tag a practice: IRP SP1.1, ESP1.2 or part of a title, then Enter")
        self.setClearButtonEnabled(True)
        self.options: tuple[PracticeOption, ...] = ()
        self._by_label: dict[str, PracticeOption] = {}
        self._labels = QStringListModel(self)
        completer = QCompleter(self._labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self._chosen)  # the text overload: the label chosen
        self.setCompleter(completer)
        self.returnPressed.connect(self._enter)

    def set_options(self, options: tuple[PracticeOption, ...]) -> None:
        self.options = options
        self._by_label = {option_label(o): o for o in options}
        self._labels.setStringList(list(self._by_label))

    def resolve(self, text: str) -> list[PracticeOption]:
        """The practices `text` names: an exact "PA code" (or code) first, else every one it matches."""
        wanted = _norm(text)
        if not wanted:
            return []
        exact = [
            o
            for o in self.options
            if wanted in (_norm(f"{o.pa} {o.practice}"), _norm(f"{o.model} {o.pa} {o.practice}"))
        ]
        if exact:
            return exact
        by_code = [o for o in self.options if _norm(o.practice) == wanted]
        if by_code:
            return by_code
        return [o for o in self.options if wanted in _norm(option_label(o))]

    def _enter(self) -> None:
        text = self.text()
        if not text.strip() or text in self._by_label:
            # Empty, or the completion just chosen from the list (already picked by `_chosen`).
            return
        found = self.resolve(text)
        if len(found) == 1:
            self._pick(found[0])
        elif not found:
            self.unresolved.emit(f"No practice in this appraisal's scope matches “{text.strip()}”.")
        else:
            names = ", ".join(f"{o.pa} {o.practice}" for o in found[:6]) + ("…" if len(found) > 6 else "")
            self.unresolved.emit(f"“{text.strip()}” matches {len(found)} practices ({names}); be more precise.")

    def _chosen(self, label: str) -> None:
        option = self._by_label.get(label)
        if option is not None:
            self._pick(option)

    def _pick(self, option: PracticeOption) -> None:
        self.picked.emit(option)
        # The completer writes its text into the field after `activated`; clear once it is done.
        QTimer.singleShot(0, self.clear)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.remove_last.emit()
            return
        super().keyPressEvent(event)
