"""Ask for an artifact kept where it lives: a path on a shared drive or a web address."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.common.dialog_size import fit_dialog


class ReferenceDialog(QDialog):
    def __init__(self, start_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an artifact by reference")
        self.setObjectName("referenceDialog")
        self._start = start_folder
        explain = QLabel(
            "The document stays where it is; the appraisal remembers where. For a file, its size and "
            "fingerprint (SHA-256) are recorded, so the register shows when it changes on disk."
        )
        explain.setWordWrap(True)
        self.location = QLineEdit()
        self.location.setObjectName("referenceLocation")
        self.location.setPlaceholderText(r"\\server\share\Policy.pdf  or  https://intranet/wiki/Page")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(browse)
        label = QLabel("&Path or web address")
        label.setBuddy(self.location)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add")
        self.ok_button.setEnabled(False)
        self.location.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(buttons)
        fit_dialog(self, 620)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose the referenced file", str(self._start))
        if chosen:
            self.location.setText(chosen)

    def value(self) -> str:
        return self.location.text().strip()
