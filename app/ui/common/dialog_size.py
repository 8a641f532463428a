"""How big a dialog opens: the size it asks for, but never larger than the window it belongs to (at the
minimum window size of 1000x640 a larger dialog would run off a small screen), and never shorter than its
wrapped texts need at the width it gets (a top-level widget's height does not follow its width by itself)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog


def fit_dialog(dialog: QDialog, width: int, height: int = 0) -> None:
    """Call once the dialog's layout is complete."""
    owner = dialog.parentWidget()
    if owner is not None:
        room = owner.window().size()
    else:
        screen = dialog.screen() or QApplication.primaryScreen()
        room = screen.availableGeometry().size()
    layout = dialog.layout()
    width = min(max(width, dialog.minimumWidth()), room.width())
    if layout is not None:
        layout.activate()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        height = max(height, needed, layout.totalMinimumSize().height())
    dialog.resize(width, min(height, room.height()))
