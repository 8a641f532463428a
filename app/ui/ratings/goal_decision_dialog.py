"""The one dialog for the team's decision on a goal, opened from the Characterize grid and the Ratings page.

It offers only what the rules leave open (method-rules §3): Satisfied or Unsatisfied where rule 3 asks the
team about significance, Unsatisfied to lower a goal the rules rate Satisfied, and clearing a stored decision.
The rationale follows the value (see `RationaleDialog`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.rating.results import GoalResult
from app.domain.rating.scales import GoalRating
from app.domain.rating.wording import in_words
from app.ui.characterize.judgment_dialog import Choice, RationaleDialog

_LABELS = {
    GoalRating.SATISFIED: "&Satisfied: no weakness is significant for the goal (rule 3)",
    GoalRating.UNSATISFIED: "&Unsatisfied: a weakness is significant for the goal (rule 4): name it",
}


def has_choice(goal: GoalResult, stored: tuple[str, str] | None) -> bool:
    """Whether the dialog has anything to offer: a rating the rules leave open, or a stored decision to clear."""
    return bool(goal.allowed) or stored is not None


def explanation(goal: GoalResult) -> str:
    rule = goal.computed_rule
    lines = [f"By the rules alone: {goal.computed_rating.value}. {rule.text.rstrip('.')}."]
    if goal.stale:
        lines.append(f"⚠ {goal.stale}. Choose it again (or another rating) to decide on today's inputs.")
    if goal.conflict:
        lines.append(f"⚠ {goal.conflict} The stored decision is not used; clear it or choose what the rules allow.")
    if not goal.allowed:
        lines.append("The rules leave nothing for the team to decide on this goal now.")
    weaknesses = [r for r in goal.reasons if r.startswith("Weakness ")]
    lines += weaknesses[:6]
    if len(weaknesses) > 6:
        lines.append(f"… and {len(weaknesses) - 6} more weaknesses")
    return in_words("\n".join(lines))


def goal_decision_dialog(
    heading: str, goal: GoalResult, stored: tuple[str, str] | None, parent: QWidget | None = None
) -> RationaleDialog:
    """`stored` is the decision in the file as (rating, rationale), used, stale or in conflict."""
    choices: list[Choice] = [(r.value, _LABELS[r]) for r in goal.allowed if r in _LABELS]
    if stored is not None:
        choices.append((None, "&Clear the team's decision"))
    allowed = {r.value for r in goal.allowed}
    chosen: str | None = goal.proposed.value if goal.proposed else None
    rationale = ""
    if stored is not None and stored[0] in allowed:
        chosen, rationale = stored
    dialog = RationaleDialog(
        "Team decision on a goal",
        heading,
        explanation(goal),
        choices,
        chosen,
        rationale,
        prompt="&Rationale (Satisfied: why no weakness is significant; Unsatisfied: the weakness judged significant)",
        parent=parent,
    )
    # The rule's name identifies it for whoever checks the method; the person deciding reads its sentence.
    dialog.explanation.setToolTip(f"{goal.computed_rule.name} ({goal.computed_rule.source})")
    return dialog
