"""Ratings: the capability profile against its targets, the maturity level and equivalent staging, every goal
rating with its reasons (and the team's overrides, with why and who), the coverage gaps and the
non-attribution flags, kept current as cells, judgments, evidence, the plan or findings change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalog import Catalog
from app.domain.palette import GOAL_COLOURS, text_colour
from app.domain.rating.facts import GoalKey
from app.domain.rating.open_decisions import describe_open, open_decisions
from app.domain.rating.results import GoalResult, MaturityResult, ProcessAreaResult, RatingResult
from app.domain.rating.wording import in_words
from app.services.decisions import (
    UNSEEN,
    GoalOverride,
    Unseen,
    goal_overrides,
    restore_goal_override,
    set_goal_override,
)
from app.services.errors import KnownError
from app.services.history import Subject, area_subject, goal_subject
from app.ui.common.gap_tree import GapTree
from app.ui.common.page import Page
from app.ui.ratings.capability_chart import BarState, CapabilityBar, CapabilityChart
from app.ui.ratings.goal_decision_dialog import goal_decision_dialog, has_choice
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import RATING_INPUTS, Change, Document, Touched

GOAL_ROLE = Qt.ItemDataRole.UserRole + 1
PA_ROLE = Qt.ItemDataRole.UserRole + 2
GOAL, RATING, WHY = range(3)
DECISION_FILL = "#ffd88a"
"""A goal waiting for the team's decision (pending or stale)."""


def override_command(
    document: Document,
    key: GoalKey,
    rating: str | None,
    rationale: str = "",
    seen: GoalOverride | Unseen | None = UNSEEN,
) -> ServiceCommand:
    """Set (or clear, with rating None) the team's rating of a goal; undo puts back the previous override.
    `seen`: the decision the person saw (refused, naming who, if a colleague changed it since)."""
    ws = document.workspace
    previous: list[GoalOverride | None] = []

    def apply() -> None:
        expected = seen if not previous else UNSEEN  # a redo is guarded by the command's edit guard
        before = set_goal_override(ws, key.model, key.pa, key.goal, rating, rationale, expected=expected)
        if not previous:
            previous.append(before)

    def revert() -> None:
        restore_goal_override(ws, key.model, key.pa, key.goal, previous[0])

    text = (
        f"Team decision {key.pa} {key.goal}: {rating}" if rating else f"Clear the team decision on {key.pa} {key.goal}"
    )
    return ServiceCommand(document, text, apply, revert, Change.JUDGMENT, touched=Touched.of(goals=[key]))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _goal_titles(catalog: Catalog, model_key: str, pa: str) -> dict[str, str]:
    model = catalog.model(model_key)
    if model is None:
        return {}
    area = model.process_area(pa)
    titles = {g.code: g.title for g in catalog.generic_goals_for(model)}
    titles.update({g.code: g.title for g in area.goals} if area else {})
    return titles


def bar_for(pa: ProcessAreaResult) -> CapabilityBar:
    capability = pa.capability
    if pa.excluded:
        state = BarState.NOT_APPLICABLE
    elif capability.level is None:
        state = BarState.NOT_RATED
    else:
        state = BarState.RATED
    return CapabilityBar(
        pa.key.model,
        pa.key.pa,
        pa.name,
        state,
        capability.level,
        pa.target_capability_level,
        capability.last_fully_rated,
        capability.note,
    )


def describe_level(result: MaturityResult, what: str) -> str:
    level = f"ML{result.level}" if result.level is not None else "Not rated"
    why = "; ".join(result.reasons)
    return f"{what}: <b>{level}</b>" + (f" <span style='color:#5f6368'>— {_esc(why)}</span>" if why else "")


class RatingsPage(Page):
    title = "Ratings"
    shortcut = "Ctrl+7"
    shows_ratings = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RatingResult | None = None
        self._stale = False
        self._goals: dict[GoalKey, GoalResult] = {}
        self._goal_items: dict[GoalKey, QTreeWidgetItem] = {}
        self._pa_items: dict[tuple[str, str], QTreeWidgetItem] = {}

        self.summary = QLabel()
        self.summary.setObjectName("ratingsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.chart = CapabilityChart()
        self.chart.pa_clicked.connect(self.select_pa)
        chart_scroll = QScrollArea()
        chart_scroll.setWidget(self.chart)
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        chart_box = QGroupBox("Capability profile")
        QVBoxLayout(chart_box).addWidget(chart_scroll)

        self.goals = QTreeWidget()
        self.goals.setObjectName("goalRatings")
        self.goals.setHeaderLabels(["Goal", "Rating", "Why"])
        self.goals.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.goals.setUniformRowHeights(True)
        self.goals.setAlternatingRowColors(True)
        self.goals.setStyleSheet("QTreeView::item { padding: 2px 0; }")
        header = self.goals.header()
        header.setStretchLastSection(True)
        header.resizeSection(GOAL, 270)
        header.resizeSection(RATING, 150)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        self.goals.currentItemChanged.connect(lambda _c, _p: self._show_detail())
        self.goals.currentItemChanged.connect(lambda _c, _p: self.subject_changed.emit())
        self.offer_history_on(self.goals)
        self.goals.itemActivated.connect(lambda _item, _col: self.override_current())
        self.detail = QLabel()
        self.detail.setObjectName("goalDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumHeight(60)
        self.override_button = QPushButton("Team decision…")
        self.override_button.setObjectName("goalDecision")
        self.override_button.setToolTip(
            "Decide what the rules leave to the team: whether weaknesses are significant (rule 3), or lowering a "
            "Satisfied goal; with the rationale (Enter)"
        )
        self.override_button.clicked.connect(self.override_current)
        self.reconfirm_button = QPushButton("Re-confirm (R)")
        self.reconfirm_button.setObjectName("reconfirmDecision")
        self.reconfirm_button.setToolTip("Take the stale decision again, as it was, on today's values (R)")
        self.reconfirm_button.clicked.connect(self.reconfirm_current)
        self.clear_button = QPushButton("Clear decision")
        self.clear_button.clicked.connect(self.clear_current)
        shortcut = QShortcut(QKeySequence("R"), self.goals, context=Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.reconfirm_current)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.reconfirm_button)
        buttons.addWidget(self.override_button)
        goals_tab = QWidget()
        goals_layout = QVBoxLayout(goals_tab)
        goals_layout.addWidget(self.goals, 1)
        goals_layout.addWidget(self.detail)
        goals_layout.addLayout(buttons)

        self.gaps = GapTree()
        self.gaps.setObjectName("ratingGaps")
        self.flags = QListWidget()
        self.flags.setObjectName("attributionFlags")
        self.flags.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(goals_tab, "Goal ratings")
        self.tabs.addTab(self.gaps, "Coverage gaps")
        self.tabs.addTab(self.flags, "Non-attribution")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(chart_box)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([470, 700])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self._show_detail()

    # --- showing --------------------------------------------------------------------------------------

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & RATING_INPUTS)

    def refresh(self) -> None:
        if self.document is None:
            self.show_result(None)
            return
        if not self.isVisible():
            # Rebuilt when shown: a hidden dashboard must not slow down typing in the characterization grid.
            self._stale = True
            return
        self._stale = False
        try:
            result = self.document.ratings_if_ready()
        except (KnownError, ValueError) as exc:
            # Data the rules cannot rate (a value off the scale, say) must not take the dashboard down.
            self.show_result(None)
            self.summary.setText(f"The ratings cannot be computed: {_esc(str(exc))}")
            return
        self.show_result(result)
        if result is None:
            self.summary.setText("Rating the appraisal…")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def show_result(self, result: RatingResult | None) -> None:
        self.result = result
        catalog = self.document.workspace.catalog() if self.document is not None else None
        if result is None or catalog is None:
            self.summary.clear()
            self.chart.set_profile(())
            self._fill_goals((), None)
            self.gaps.set_gaps(())
            self.flags.clear()
            self._show_detail()
            return
        max_level = max((m.max_capability_level for m in catalog.models), default=3)
        self.chart.set_profile(tuple(bar_for(pa) for pa in result.process_areas), max_level)
        self._fill_summary(result)
        self._fill_goals(result.process_areas, catalog)
        self.gaps.set_gaps(result.coverage_gaps, open_up_to=0)
        self.flags.clear()
        for flag in result.attribution_flags:
            self.flags.addItem(f"⚠ {flag.location.capitalize()} names a {flag.kind.value}: “{flag.term}”")
        self.tabs.setTabText(1, f"Coverage gaps ({len(result.coverage_gaps)})")
        self.tabs.setTabText(2, f"Non-attribution ({len(result.attribution_flags)})")
        self._show_detail()

    def _fill_summary(self, result: RatingResult) -> None:
        bars = self.chart.bars
        rated = [b for b in bars if b.state is BarState.RATED and b.target is not None]
        at_target = sum(1 for b in rated if (b.level or 0) >= (b.target or 0))
        not_rated = sum(1 for b in bars if b.state is BarState.NOT_RATED)
        profile = f"Capability profile: <b>{at_target} of {len(bars)}</b> process areas at target"
        if len(rated) > at_target:
            profile += f" · {len(rated) - at_target} below target"
        if not_rated:
            profile += f" · {not_rated} Not Rated"
        lines = [
            profile,
            describe_level(result.maturity, "Maturity level"),
            describe_level(result.equivalent_staging, "Equivalent staging"),
        ]
        work = describe_open(open_decisions(result))
        if work:
            lines.append(f"<span style='color:#8a4b00'>⚠ Team decisions: {_esc(work)}</span>")
        self.summary.setText("<br>".join(lines))

    def _fill_goals(self, areas: tuple[ProcessAreaResult, ...], catalog: Catalog | None) -> None:
        current = self.current_goal()
        current_pa = self._current_pa()
        collapsed = {key for key, item in self._pa_items.items() if not item.isExpanded()}
        self.goals.clear()
        self._goals, self._goal_items, self._pa_items = {}, {}, {}
        bold = QFont(self.goals.font())
        bold.setBold(True)
        for area in areas:
            key = (area.key.model, area.key.pa)
            bar = bar_for(area)
            parent = QTreeWidgetItem([f"{area.key.pa}  {area.name}", bar.value_text, in_words(area.capability.note)])
            parent.setData(GOAL, PA_ROLE, key)
            parent.setFont(GOAL, bold)
            parent.setToolTip(GOAL, f"{area.key.model} {area.key.pa} {area.name}")
            parent.setToolTip(WHY, area.capability.note)
            parent.setForeground(RATING, QBrush(bar.colour.darker(130)))
            self.goals.addTopLevelItem(parent)
            self._pa_items[key] = parent
            titles = _goal_titles(catalog, area.key.model, area.key.pa) if catalog else {}
            for goal in area.goals:
                goal_key = GoalKey(area.key.model, area.key.pa, goal.code)
                item = self._goal_item(goal, titles.get(goal.code, ""))
                item.setData(GOAL, GOAL_ROLE, goal_key)
                parent.addChild(item)
                self._goals[goal_key] = goal
                self._goal_items[goal_key] = item
            parent.setExpanded(key not in collapsed)
        if current is not None and current in self._goal_items:
            self.goals.setCurrentItem(self._goal_items[current])
        elif current_pa is not None and current_pa in self._pa_items:
            self.goals.setCurrentItem(self._pa_items[current_pa])

    def _goal_item(self, goal: GoalResult, title: str) -> QTreeWidgetItem:
        rating = goal.rating.value
        if goal.stale is not None:
            rating += " · stale"
            why = (
                f"Re-confirm {goal.proposed.value if goal.proposed else ''} (R) or decide again: {in_words(goal.stale)}"
            )
        elif goal.judgment_needed:
            rating += " · decide"
            why = "Are the weaknesses significant? " + "; ".join(in_words(r) for r in goal.reasons[1:])
        elif goal.override is not None:
            rating += " (team)"
            why = f"Team: {goal.override.rationale}"
            if goal.override.decided_by:
                why += f" — {goal.override.decided_by}"
        else:
            why = "; ".join(in_words(r) for r in goal.reasons)
        if goal.conflict is not None:
            rating += " ⚠"
            why = f"Conflict: {goal.conflict} · {why}"
        item = QTreeWidgetItem([f"{goal.code}  {title}".strip(), rating, why])
        item.setToolTip(GOAL, f"{goal.code} {title}")
        item.setToolTip(WHY, "<br>".join(_esc(r) for r in goal.reasons))
        # Work for the team stands out from a plain Not Rated.
        fill = DECISION_FILL if goal.judgment_needed else GOAL_COLOURS.get(goal.rating.value, "#ffffff")
        item.setBackground(RATING, QBrush(QColor(fill)))
        item.setForeground(RATING, QBrush(QColor(text_colour(fill))))
        if goal.override is not None:
            font = QFont(self.goals.font())
            font.setItalic(True)
            item.setFont(RATING, font)
        return item

    # --- the goal in hand -----------------------------------------------------------------------------

    def current_goal(self) -> GoalKey | None:
        item = self.goals.currentItem()
        value = item.data(GOAL, GOAL_ROLE) if item is not None else None
        return value if isinstance(value, GoalKey) else None

    def _current_pa(self) -> tuple[str, str] | None:
        item = self.goals.currentItem()
        parent = item.parent() if item is not None else None
        heading = parent if parent is not None else item
        value = heading.data(GOAL, PA_ROLE) if heading is not None else None
        # Qt may hand a Python tuple back as a list.
        return (str(value[0]), str(value[1])) if isinstance(value, (tuple, list)) else None

    def goal_result(self, key: GoalKey) -> GoalResult | None:
        return self._goals.get(key)

    def select_pa(self, key: tuple[str, str]) -> None:
        item = self._pa_items.get((key[0], key[1]))
        if item is not None:
            item.setExpanded(True)
            self.goals.setCurrentItem(item)
            self.goals.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)
            self.tabs.setCurrentIndex(0)

    def select_goal(self, key: GoalKey) -> bool:
        item = self._goal_items.get(key)
        if item is None:
            return False
        self.goals.setCurrentItem(item)
        return True

    def history_subject(self) -> Subject | None:
        """The goal in hand (its decisions, judgments and cells); a process area heading: the area."""
        key = self.current_goal()
        goal = self._goals.get(key) if key is not None else None
        if key is not None and goal is not None:
            units = {i.unit for p in goal.practices for i in p.instantiations}
            return goal_subject(key.model, key.pa, key.goal, [p.code for p in goal.practices], sorted(units))
        pa = self._current_pa()
        return area_subject(*pa) if pa is not None else None

    def _show_detail(self) -> None:
        key = self.current_goal()
        goal = self._goals.get(key) if key is not None else None
        stored = self._stored(key) if key is not None else None
        self.override_button.setEnabled(goal is not None and has_choice(goal, stored))
        self.reconfirm_button.setEnabled(goal is not None and goal.stale is not None)
        self.clear_button.setEnabled(stored is not None)
        pa = self._current_pa()
        self.chart.set_selected(pa)
        if goal is None or key is None:
            bar = self.chart.bar(*pa) if pa is not None else None
            if bar is not None:
                self.detail.setText(f"<b>{bar.pa}</b> {_esc(bar.name)}: {bar.value_text}. {_esc(bar.note)}")
            else:
                self.detail.setText("Choose a goal to see why it has its rating, or to take the team's decision.")
            return
        text = f"<b>{key.pa} {goal.code}</b>: <b>{goal.rating.value}</b>"
        if goal.conflict is not None:
            text += f"<br><span style='color:#b71c1c'>⚠ {_esc(goal.conflict)}</span>"
        if goal.override is not None:
            who = f" by {_esc(goal.override.decided_by)}" if goal.override.decided_by else ""
            text += (
                f" — the team's decision{who}; by the rules alone {goal.computed_rating.value}."
                f"<br>Rationale: {_esc(goal.override.rationale)}"
            )
        else:
            text += "<br>" + "<br>".join(_esc(in_words(r)) for r in goal.reasons)
        self.detail.setText(text)

    def _stored(self, key: GoalKey) -> tuple[str, str] | None:
        """The decision stored for a goal (used, stale or in conflict), as (rating, rationale)."""
        if self.document is None:
            return None
        found = goal_overrides(self.document.workspace).get((key.model, key.pa, key.goal))
        return (found.rating, found.rationale) if found else None

    # --- overrides ------------------------------------------------------------------------------------

    def override_current(self) -> None:
        key = self.current_goal()
        goal = self._goals.get(key) if key is not None else None
        if key is None or goal is None or self.document is None:
            return
        seen = goal_overrides(self.document.workspace).get((key.model, key.pa, key.goal))
        stored = (seen.rating, seen.rationale) if seen else None
        if not has_choice(goal, stored):
            return
        title = _goal_titles(self.document.workspace.catalog(), key.model, key.pa).get(goal.code, "")
        dialog = goal_decision_dialog(f"{key.model} {key.pa} {goal.code} {title}", goal, stored, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rating, rationale = dialog.value(), dialog.rationale_text()
        if (rating, rationale) == stored and goal.stale is None:
            return
        if rating is None and stored is None:
            return
        self.override(key, rating, rationale, seen)

    def reconfirm_current(self) -> bool:
        """Take the current goal's stale decision again, as it was, on today's inputs (R)."""
        key = self.current_goal()
        goal = self._goals.get(key) if key is not None else None
        if key is None or goal is None or goal.stale is None or goal.decision is None:
            return False
        return self.override(key, goal.decision.rating.value, goal.decision.rationale)

    def clear_current(self) -> None:
        key = self.current_goal()
        if key is not None:
            self.override(key, None)

    def override(
        self, key: GoalKey, rating: str | None, rationale: str = "", seen: GoalOverride | Unseen | None = UNSEEN
    ) -> bool:
        """Record the team's rating of a goal (None clears it) as an undoable edit."""
        if self.document is None:
            return False
        return execute(self, self.document, override_command(self.document, key, rating, rationale, seen))
