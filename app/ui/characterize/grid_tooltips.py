"""What the grid's tooltips say: a unit cell's value, evidence, proposal and problems; the OU column's roll-up,
goal rating or capability level with the rule behind it; a row's full name. The keys to press are named where
there is something to do, so the tooltip teaches the grid."""

from __future__ import annotations

from app.domain.rating.results import GoalResult, InstantiationResult, PracticeResult, ProcessAreaResult
from app.domain.rating.rules import ROLLUP_INVALID_VALUE
from app.domain.rating.scales import Scale
from app.domain.rating.wording import in_words
from app.services.grid import GridCell, GridRow, RowKind


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def cell_tooltip(row: GridRow, unit: str, cell: GridCell | None, inst: InstantiationResult | None, scale: Scale) -> str:
    """A unit's cell (`cell` None: the unit does not implement the process area, or a heading row)."""
    if cell is None:
        return f"{unit} does not implement {row.pa}." if row.kind is RowKind.PRACTICE else ""
    lines = [f"{row.model} {row.pa} {row.practice} in {unit}"]
    lines.append(f"Value: {cell.value} ({scale.label(cell.value)})" if cell.value else "Not characterized yet")
    evidence = f"Evidence: {_count(cell.artifacts, 'adequate artifact')}, {_count(cell.affirmations, 'affirmation')}"
    if cell.other_artifacts:
        evidence += f" (+ {_count(cell.other_artifacts, 'artifact')} inadequate or not assessed)"
    lines.append(evidence)
    if inst is not None:
        lines.append(f"Proposal: {in_words(inst.proposal.reason)} ({inst.proposal.rule.name})")
        lines.extend(f"⚠ {in_words(problem)}" for problem in inst.problems)
        if inst.problems:
            lines.append("Not counted in the roll-up until fixed: Enter opens the cell to fix the value or weakness")
    if cell.review_flag:
        lines.append("Marked for review" + (f": {cell.review_comment}" if cell.review_comment else ""))
    lines.append("Type a value letter; Del clears; Enter opens the detail; Ctrl+M marks for review")
    return "\n".join(lines)


def ou_tooltip(
    row: GridRow, result: PracticeResult | None, goal: GoalResult | None, area: ProcessAreaResult | None
) -> str:
    """The OU column of a row: a practice's roll-up, a goal's rating, a process area's capability level."""
    if row.kind is RowKind.GOAL:
        if goal is None:
            return ""
        lines = [f"{row.goal}: {goal.rating.value} ({goal.rule.name})", *(in_words(r) for r in goal.reasons)]
        if goal.conflict:
            lines.append(f"⚠ {in_words(goal.conflict)}")
        if goal.stale:
            lines.append("R: re-confirm the team's decision on today's inputs; Enter: decide again")
        elif goal.allowed:
            lines.append("Enter: the team's decision (significance, or lowering the goal)")
        return "\n".join(lines)
    if row.kind is RowKind.PROCESS_AREA:
        return f"{row.pa} capability: {area.capability.note}" if area else ""
    if row.kind is not RowKind.PRACTICE or result is None:
        return ""
    rollup = result.rollup
    lines = [
        f"{row.practice} at OU level: {result.ou or 'not characterized'}",
        f"{rollup.rule.text} ({rollup.rule.name})",
    ]
    if rollup.judgment_needed:
        lines.append(f"The team decides among {', '.join(rollup.allowed)}: type one of them or press Enter.")
    if rollup.decision is not None:
        who = f" ({rollup.decision.decided_by})" if rollup.decision.decided_by else ""
        lines.append(f"Team judgment{who}: {rollup.decision.value}: {rollup.decision.rationale}")
    if rollup.stale:
        lines.append(f"⚠ {rollup.stale}")
        lines.append("R: re-confirm it on today's values; Enter: judge again")
    if rollup.conflict:
        lines.append(f"⚠ {in_words(rollup.conflict)}")
    if rollup.rule is ROLLUP_INVALID_VALUE:
        broken = [f"{i.unit}: {' '.join(i.problems)}" for i in result.instantiations if i.problems]
        lines.append("Counts as not characterized until fixed (open the ⚠ cell with Enter): " + "; ".join(broken))
    return "\n".join(lines)


def row_tooltip(row: GridRow) -> str:
    """A row heading: the item's full name (a practice: with its statement)."""
    if row.kind is RowKind.PRACTICE:
        head = f"{row.model} {row.pa} {row.practice} {row.title}"
        return head + (f"\n{row.statement}" if row.statement else "")
    if row.kind is RowKind.GOAL:
        return f"{row.model} {row.pa} {row.goal} {row.title}" + (" (generic goal)" if row.generic else "")
    if row.kind is RowKind.PROCESS_AREA:
        return f"{row.model} {row.pa} {row.title}"
    return row.title
