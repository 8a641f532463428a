"""The side panel of the Evidence page: one artifact's metadata (edited in place), where it is used, and
its revisions. Edits are reported as (before, after) pairs; the page turns them into undoable commands."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence import ARTIFACT_TYPES, ArtifactDetail, ArtifactMeta, UnitOption
from app.ui.evidence.artifact_table import STATUS_TEXT, describe_size
from app.ui.evidence.link_dialog import ADEQUACY_LABELS

NO_DATE = QDate(1900, 1, 1)
LINK_ROLE = Qt.ItemDataRole.UserRole + 1


def _readonly_table(headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setMinimumHeight(90)
    return table


class ArtifactPanel(QWidget):
    """Signals:
    meta_edited(int, ArtifactMeta, ArtifactMeta): the user changed a field (artifact id, before, after).
    unlink_requested(list[int]): remove these links.
    """

    meta_edited = Signal(int, object, object)
    unlink_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ArtifactDetail | None = None
        self._loading = False

        self.heading = QLabel()
        self.heading.setObjectName("artifactHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(4)

        self.title = QLineEdit()
        self.title.setObjectName("artifactTitle")
        self.type = QComboBox()
        self.type.setEditable(True)
        self.type.addItems(list(ARTIFACT_TYPES))
        self.version = QLineEdit()
        self.version.setPlaceholderText("e.g. v2.1, 2026-10")
        self.provider = QComboBox()
        self.effective = QDateEdit()
        self.effective.setCalendarPopup(True)
        self.effective.setMinimumDate(NO_DATE)
        self.effective.setSpecialValueText("not set")
        self.effective.setDisplayFormat("yyyy-MM-dd")
        self.description = QPlainTextEdit()
        self.description.setObjectName("artifactDescription")
        self.description.setPlaceholderText("What it shows, which sections matter")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(4 * self.fontMetrics().height() + 8)
        self.description.installEventFilter(self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Title", self.title)
        row = QHBoxLayout()
        row.addWidget(self.type, 1)
        version_label = QLabel("&Version")
        version_label.setBuddy(self.version)
        row.addWidget(version_label)
        row.addWidget(self.version, 1)
        form.addRow("T&ype", row)
        type_label = form.labelForField(row)
        if isinstance(type_label, QLabel):
            type_label.setBuddy(self.type)
        row2 = QHBoxLayout()
        row2.addWidget(self.provider, 1)
        effective_label = QLabel("E&ffective")
        effective_label.setBuddy(self.effective)
        row2.addWidget(effective_label)
        row2.addWidget(self.effective)
        form.addRow("Provided &by", row2)
        provider_label = form.labelForField(row2)
        if isinstance(provider_label, QLabel):
            provider_label.setBuddy(self.provider)
        form.addRow("&Description", self.description)

        self.links = _readonly_table(["Practice", "Unit", "Adequacy", "Note"], 3)
        self.links.setObjectName("whereUsed")
        self.links.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.unlink_button = QPushButton("&Unlink")
        self.unlink_button.setToolTip("Remove the selected links (Del in the list)")
        self.unlink_button.clicked.connect(self._unlink)
        self.links_box = QGroupBox("Used as evidence for")
        links_layout = QVBoxLayout(self.links_box)
        links_layout.addWidget(self.links)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.unlink_button)
        links_layout.addLayout(bar)

        self.revisions = _readonly_table(["Rev", "File", "Size", "Added", "SHA-256"], 1)
        self.revisions.setObjectName("revisions")
        self.revisions_box = QGroupBox("Revisions")
        QVBoxLayout(self.revisions_box).addWidget(self.revisions)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.actions_row)
        layout.addLayout(form)
        layout.addWidget(self.links_box, 1)
        layout.addWidget(self.revisions_box, 1)

        self.title.editingFinished.connect(self.commit)
        self.version.editingFinished.connect(self.commit)
        self.type.activated.connect(self.commit)
        line = self.type.lineEdit()
        if line is not None:
            line.editingFinished.connect(self.commit)
        self.provider.activated.connect(self.commit)
        self.effective.editingFinished.connect(self.commit)
        self.effective.dateChanged.connect(self._date_picked)
        self.show_detail(None, ())

    def add_action_button(self, button: QToolButton) -> None:
        self.actions_row.addWidget(button)

    def finish_actions(self) -> None:
        self.actions_row.addStretch(1)

    # --- showing --------------------------------------------------------------------------------------

    def show_detail(self, detail: ArtifactDetail | None, units: tuple[UnitOption, ...]) -> None:
        same = self.detail is not None and detail is not None and self.detail.summary.id == detail.summary.id
        self.detail = detail
        self._loading = True
        try:
            self._fill(detail, units, keep_focused=same)
        finally:
            self._loading = False

    def _fill(self, detail: ArtifactDetail | None, units: tuple[UnitOption, ...], *, keep_focused: bool) -> None:
        for widget in (self.title, self.type, self.version, self.provider, self.effective, self.description):
            widget.setEnabled(detail is not None)
        self.links_box.setEnabled(detail is not None)
        self.revisions_box.setEnabled(detail is not None)
        self.provider.clear()
        self.provider.addItem("— not recorded —", None)
        for unit in units:
            self.provider.addItem(unit.name, unit.id)
        if detail is None:
            self.heading.setText("<i>Select an artifact, or drop files on this page to add them.</i>")
            for line in (self.title, self.version):
                line.clear()
            self.description.clear()
            self.effective.setDate(NO_DATE)
            self.links.setRowCount(0)
            self.revisions.setRowCount(0)
            return
        summary, meta = detail.summary, detail.meta
        status = STATUS_TEXT[summary.disk_status]
        where = f"{html.escape(summary.location)}" if summary.location else ""
        colour = "#a34700" if summary.changed_on_disk else "#555"
        self.heading.setText(
            f"<b>{html.escape(meta.title)}</b><br><span style='color:{colour}'>{status.capitalize()}"
            + (f": {where}" if where and not summary.stored else "")
            + "</span>"
        )
        # A field the user is typing in keeps what they typed; everything else shows the file's values.
        if not (keep_focused and self.title.hasFocus()):
            self.title.setText(meta.title)
        if not (keep_focused and self.version.hasFocus()):
            self.version.setText(meta.version_label)
        if not (keep_focused and self.type.hasFocus()):
            self.type.setCurrentText(meta.artifact_type)
        if not (keep_focused and self.description.hasFocus()):
            self.description.setPlainText(meta.description)
        index = self.provider.findData(meta.provided_by_unit_id) if meta.provided_by_unit_id else 0
        self.provider.setCurrentIndex(max(index, 0))
        if meta.effective_date:
            self.effective.setDate(QDate(meta.effective_date.year, meta.effective_date.month, meta.effective_date.day))
        else:
            self.effective.setDate(NO_DATE)
        self._fill_links(detail)
        self._fill_revisions(detail)

    def _fill_links(self, detail: ArtifactDetail) -> None:
        self.links.setRowCount(len(detail.links))
        for row, link in enumerate(detail.links):
            practice = QTableWidgetItem(f"{link.model} {link.pa} {link.practice}")
            practice.setToolTip(f"{link.pa} {link.practice} {link.practice_title}")
            practice.setData(LINK_ROLE, link.id)
            self.links.setItem(row, 0, practice)
            self.links.setItem(row, 1, QTableWidgetItem(link.unit))
            self.links.setItem(row, 2, QTableWidgetItem(ADEQUACY_LABELS.get(link.adequacy, link.adequacy)))
            self.links.setItem(row, 3, QTableWidgetItem(link.note))
        self.links.resizeColumnsToContents()
        self.links.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.links_box.setTitle(f"Used as evidence for ({len(detail.links)})")
        self.unlink_button.setEnabled(bool(detail.links))

    def _fill_revisions(self, detail: ArtifactDetail) -> None:
        self.revisions.setRowCount(len(detail.revisions))
        for row, rev in enumerate(reversed(detail.revisions)):
            name = QTableWidgetItem(rev.file_name)
            name.setToolTip(rev.source_path + ("" if rev.stored else "\n(kept by reference)"))
            sha = QTableWidgetItem(rev.sha256[:12] + "…")
            sha.setToolTip(rev.sha256)
            cells = (
                QTableWidgetItem(str(rev.revision)),
                name,
                QTableWidgetItem(describe_size(rev.size)),
                QTableWidgetItem(rev.added_at.strftime("%Y-%m-%d %H:%M")),
                sha,
            )
            for column, cell in enumerate(cells):
                self.revisions.setItem(row, column, cell)
        self.revisions.resizeColumnsToContents()
        self.revisions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    # --- editing --------------------------------------------------------------------------------------

    def edited_meta(self) -> ArtifactMeta | None:
        if self.detail is None:
            return None
        picked = self.effective.date()
        effective = None if picked == NO_DATE else date(picked.year(), picked.month(), picked.day())
        unit = self.provider.currentData()
        return ArtifactMeta(
            title=self.title.text().strip(),
            artifact_type=self.type.currentText().strip() or "document",
            version_label=self.version.text().strip(),
            provided_by_unit_id=int(unit) if unit is not None else None,
            effective_date=effective,
            description=self.description.toPlainText(),
        )

    def commit(self) -> None:
        """Report a pending edit of the shown artifact (also called before another artifact is shown)."""
        if self._loading or self.detail is None:
            return
        after = self.edited_meta()
        if after is not None and after != self.detail.meta:
            before = self.detail.meta
            # Reported once: the refresh the edit causes must not see the same difference again.
            self.detail = replace(self.detail, meta=after)
            self.meta_edited.emit(self.detail.summary.id, before, after)

    def _date_picked(self) -> None:
        # Typing a date commits when the field is left; picking one from the calendar commits at once.
        if not self.effective.hasFocus():
            self.commit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.description and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return super().eventFilter(watched, event)

    def selected_link_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.links.selectedIndexes()})
        items = (self.links.item(row, 0) for row in rows)
        return [int(item.data(LINK_ROLE)) for item in items if item is not None]

    def _unlink(self) -> None:
        ids = self.selected_link_ids()
        if ids:
            self.unlink_requested.emit(ids)
