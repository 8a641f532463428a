"""What the window shows with no appraisal open: create, open, recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class StartPage(QWidget):
    """Signals:
    new_requested(), open_requested(), demo_requested(): the buttons.
    recent_chosen(Path): a recent file was activated.
    """

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>Appraisal Desk</h1>")
        subtitle = QLabel(
            "One safe file for the week on site: plan, evidence, interviews, characterizations and ratings "
            "for CMMI-SVC, CERT-RMM and Security Management. Every edit is saved as you make it."
        )
        subtitle.setWordWrap(True)
        self.new_button = QPushButton("New appraisal…")
        self.new_button.setObjectName("newButton")
        self.open_button = QPushButton("Open…")
        self.open_button.setObjectName("openButton")
        self.demo_button = QPushButton("Open the &demo appraisal")
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setToolTip("Olive Vehicle Insurance: a worked example with evidence and ratings")
        for button in (self.new_button, self.open_button, self.demo_button):
            button.setMinimumHeight(36)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)

        self.recent = QListWidget()
        self.recent.setObjectName("recentList")
        self.recent.itemActivated.connect(self._activated)
        self.recent_label = QLabel("<b>Recent files</b>")

        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(18)
        column.addWidget(self.recent_label)
        column.addWidget(self.recent, 1)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(820)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(holder, 4)
        outer.addStretch(1)
        outer.setContentsMargins(24, 24, 24, 24)

    def set_demo_available(self, available: bool) -> None:
        self.demo_button.setVisible(available)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.name}    —    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            if not path.exists():
                item.setText(f"{path.name}    —    {path.parent}  (missing)")
                item.setForeground(Qt.GlobalColor.gray)
            self.recent.addItem(item)
        if not paths:
            self.recent.addItem(QListWidgetItem("No recent files yet."))
            self.recent.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _activated(self, item: QListWidgetItem) -> None:
        value = item.data(Qt.ItemDataRole.UserRole)
        if value:
            self.recent_chosen.emit(Path(str(value)))
