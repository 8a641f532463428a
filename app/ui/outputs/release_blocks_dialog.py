"""Why the sponsor edition was not written: one row per block (a flagged span of a finding meant for it, or an
Unsatisfied goal no validated finding explains), each with a link to where the lead fixes it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.services.release_gate import ReleaseBlock, ReleaseRefused


def block_link(block: ReleaseBlock) -> tuple[str, str]:
    """(href, link text) of the place a block is fixed."""
    if block.finding_id is not None:
        return f"finding:{block.finding_id}", f"Open finding #{block.finding_id}"
    return f"goal:{block.model}\t{block.pa}\t{block.goal}", f"Write a finding about {block.pa} {block.goal}"


class ReleaseBlocksDialog(QDialog):
    """Signals:
    place_requested(str): the user followed a block's link ("finding:12" or "goal:MODEL<TAB>PA<TAB>GOAL").
    """

    place_requested = Signal(str)

    def __init__(self, refused: ReleaseRefused, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("releaseBlocksDialog")
        self.setWindowTitle(f"{refused.edition.label} not written")
        self.resize(640, 420)
        count = len(refused.blocks)
        intro = QLabel(
            f"<b>The {html.escape(refused.edition.label.lower())} was not written:</b> "
            f"{count} thing{'s' if count != 1 else ''} meant for the sponsor still "
            f"need{'' if count != 1 else 's'} your attention. Nothing is left out silently: reword each flagged "
            "finding or mark the span reviewed as not an attribution, and explain every Unsatisfied goal with a "
            "validated finding; then export again."
        )
        intro.setWordWrap(True)
        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        self.rows: list[QLabel] = []
        for block in refused.blocks:
            href, text = block_link(block)
            at = f" (characters {block.span[0]}–{block.span[1]})" if block.span else ""
            shown = f"<br><i>“{html.escape(block.excerpt)}”</i>" if block.excerpt else ""
            label = QLabel(
                f"<b>{html.escape(block.where)}</b>{at}: {html.escape(block.reason)}{shown}"
                f"<br><a href='{html.escape(href)}'>{html.escape(text)}</a>"
            )
            label.setObjectName("releaseBlock")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            label.setStyleSheet("padding: 6px; border-bottom: 1px solid #ddd;")
            label.linkActivated.connect(self._follow)
            rows_layout.addWidget(label)
            self.rows.append(label)
        rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def _follow(self, href: str) -> None:
        self.place_requested.emit(href)
        self.accept()
