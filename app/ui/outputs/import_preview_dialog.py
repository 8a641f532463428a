"""Shows what importing a workbook would change, and the conflicts, before anything is written."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.workbook_import import ImportPreview

CONFLICT_FILL = QColor("#f6d3d6")
COLUMNS = ("Cell", "Field", "Now in the appraisal", "In the workbook", "Where")
SHOWN = 160


def _shown(value: str | None) -> str:
    if not value:
        return "(empty)"
    flat = " ".join(value.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


class ImportPreviewDialog(QDialog):
    """Apply is offered only when there is something to apply, and with conflicts only once they are accepted."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(f"Import {preview.path.name}")
        self.resize(1000, 560)
        changes, conflicts = preview.changes, preview.conflicts

        self.summary = QLabel(self._summary())
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("importChanges")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        rows = [(change, f) for change in changes for f in change.fields]
        self.table.setRowCount(len(rows))
        for r, (change, f) in enumerate(rows):
            values = (change.label, f.label, _shown(f.before), _shown(f.after), f"{change.sheet}!{f.ref}")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if f.conflict:
                    item.setBackground(QBrush(CONFLICT_FILL))
                    item.setToolTip("Also changed in the appraisal since the workbook was exported")
                elif c in (2, 3):
                    item.setToolTip(f.before if c == 2 and f.before else (f.after or ""))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((190, 120, 280, 280, 90)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)

        self.accept_conflicts = QCheckBox(
            f"Let the workbook's values win for the {len(conflicts)} conflicting cell"
            f"{'s' if len(conflicts) != 1 else ''} (shaded red)"
        )
        self.accept_conflicts.setObjectName("acceptConflicts")
        self.accept_conflicts.setVisible(bool(conflicts))
        self.accept_conflicts.toggled.connect(self._update)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply changes", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyImport")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.accept_conflicts)
        layout.addWidget(self.buttons)
        self._update()

    def _summary(self) -> str:
        p = self.preview
        if p.empty:
            return (
                f"<b>Nothing to import.</b> The workbook matches the appraisal ({p.unchanged} cells checked; "
                f"exported {p.exported_when})."
            )
        cells = len(p.changes)
        conflicts = len(p.conflicts)
        text = (
            f"<b>{cells} cell{'s' if cells != 1 else ''} change</b>; {p.unchanged} unchanged "
            f"(exported {p.exported_when}). Nothing is written until you apply; the whole import is then one step "
            "you can undo."
        )
        if conflicts:
            text += (
                f"<br><span style='color:#a11d2b'><b>{conflicts} conflict{'s' if conflicts != 1 else ''}:</b> "
                "these cells were also changed in the appraisal since the export.</span>"
            )
        return text

    def _update(self, _checked: bool = False) -> None:
        blocked = bool(self.preview.conflicts) and not self.accept_conflicts.isChecked()
        self.apply_button.setEnabled(not self.preview.empty and not blocked)
        self.apply_button.setToolTip("Accept the conflicts first" if blocked else "")

    def conflicts_accepted(self) -> bool:
        return self.accept_conflicts.isChecked()
