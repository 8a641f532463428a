"""The coverage rules' gaps, grouped by process area. A group's gaps are listed when it is opened: an appraisal
early in its evidence collection can have thousands, and making them all at every change would lag."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.domain.rating.coverage import CoverageGap

MEMBERS_ROLE = Qt.ItemDataRole.UserRole + 1
GAP_ROLE = Qt.ItemDataRole.UserRole + 2
ACROSS = "Across process areas (sampling rules)"


class GapTree(QTreeWidget):
    def __init__(self, title: str = "Coverage gaps", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.gaps: tuple[CoverageGap, ...] = ()
        self.setHeaderLabels([title])
        self.setUniformRowHeights(True)
        self.itemExpanded.connect(self._fill)

    def set_gaps(self, gaps: tuple[CoverageGap, ...], *, open_up_to: int = 3) -> None:
        """Show these gaps; when there are at most `open_up_to` groups they are opened."""
        self.clear()
        self.gaps = gaps
        groups: dict[str, list[int]] = {}
        for n, gap in enumerate(gaps):
            groups.setdefault(f"{gap.pa} ({gap.model})" if gap.pa else ACROSS, []).append(n)
        items = []
        for name, members in groups.items():
            item = QTreeWidgetItem([f"{name} — {len(members)} gap{'' if len(members) == 1 else 's'}"])
            item.setData(0, MEMBERS_ROLE, members)
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            items.append(item)
        self.addTopLevelItems(items)
        self.setHeaderLabels([f"{self.title} ({len(gaps)})" if gaps else f"{self.title}: none"])
        if not gaps:
            self.addTopLevelItem(QTreeWidgetItem(["No coverage gaps: the evidence meets every coverage rule."]))
        elif len(items) <= open_up_to:
            for item in items:
                item.setExpanded(True)

    def gap_of(self, item: QTreeWidgetItem | None) -> CoverageGap | None:
        number = item.data(0, GAP_ROLE) if item is not None else None
        return self.gaps[number] if isinstance(number, int) and 0 <= number < len(self.gaps) else None

    def _fill(self, group: QTreeWidgetItem) -> None:
        members = group.data(0, MEMBERS_ROLE)
        if group.childCount() or not isinstance(members, list):
            return
        children = []
        for number in members:
            gap = self.gaps[number]
            child = QTreeWidgetItem([gap.missing])
            child.setData(0, GAP_ROLE, number)
            child.setToolTip(0, f"{gap.rule.text}\n({gap.rule.source})")
            children.append(child)
        group.addChildren(children)
