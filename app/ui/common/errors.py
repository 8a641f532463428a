"""Showing problems to the user in plain words."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.plan import PlanError
from app.services.errors import KnownError

log = logging.getLogger("app.ui")


def describe(exc: BaseException) -> tuple[str, str]:
    """A (headline, detail) pair for a failure; detail is empty for problems the user can act on."""
    if isinstance(exc, PlanError):
        return "The plan has problems", "\n".join(str(p) for p in exc.problems)
    if isinstance(exc, KnownError):
        return str(exc), ""
    return (
        "Something went wrong inside Appraisal Desk. Your saved work is safe; the last action was not applied.",
        "".join(traceback.format_exception(exc)),
    )


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Appraisal Desk") -> QMessageBox:
    headline, detail = describe(exc)
    if detail and not isinstance(exc, PlanError):
        log.error("unexpected error shown to the user", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, headline, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if detail:
        box.setDetailedText(detail)
    box.open()
    return box
