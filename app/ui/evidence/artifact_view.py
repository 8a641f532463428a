"""The register's table view: sortable, row selection, a header menu to show or hide columns."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from app.ui.common.row_table import ID_ROLE
from app.ui.evidence.artifact_table import COLUMNS, EFFECTIVE, TITLE, VERSION, WHERE


class ArtifactTableView(QTableView):
    def __init__(self, proxy: QSortFilterProxyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("artifactTable")
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHERE, QHeaderView.ResizeMode.Stretch)
        # Version and effective date are in the side panel; the register shows them on request.
        for column in (VERSION, EFFECTIVE):
            self.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def current_id(self) -> int | None:
        index = self.currentIndex()
        value = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def selected_ids(self) -> list[int]:
        return [int(index.data(ID_ROLE)) for index in self.selectionModel().selectedRows()]

    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            if column == TITLE:
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self.setColumnHidden(c, not shown))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))
