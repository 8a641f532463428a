"""Team decisions: a practice's organizational-unit value and a goal's rating, bounded by the rules.

The rules propose and the team decides only what method-rules §2 and §3 leave open: an OU value among the
roll-up's `allowed` values, a goal's significance judgment (rule 3), or lowering a goal the rules allow to be
Satisfied. Anything else is refused here with the rule it breaks. Each decision is stored with the inputs it was
made on (app/domain/rating/decisions.py), so the engine sees when it goes stale.

Setters return the previous decision, whole, and `restore_*` puts one back exactly (undo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.rating.decisions import goal_inputs, practice_inputs
from app.domain.rating.scales import GoalRating
from app.services.characterize import SCALE_VALUES, Resolver
from app.services.workspace import Workspace
from app.storage.edit_guard import NOT_SAVED, refuse_if_changed
from app.storage.errors import KnownError, StaleEditError
from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    GoalRatingOverride,
    OuCharacterization,
)

if TYPE_CHECKING:
    from app.domain.rating.results import GoalResult, PracticeResult, ProcessAreaResult

GOAL_RATINGS = tuple(r.value for r in GoalRating)

_D = TypeVar("_D")


@dataclass(frozen=True, slots=True)
class OuDecision:
    value: str
    rationale: str
    decided_by: str
    decided_at: datetime | None = None
    inputs: str | None = None


@dataclass(frozen=True, slots=True)
class GoalOverride:
    """A goal decision as stored (the name is the table's: `goal_rating_override`)."""

    rating: str
    rationale: str
    decided_by: str
    decided_at: datetime | None = None
    inputs: str | None = None


def _rated_area(ws: Workspace, model: str, pa: str) -> ProcessAreaResult | None:
    # The rating engine is imported when a decision is first recorded: the grid imports this module at start.
    from app.services.ratings import rate_appraisal

    return rate_appraisal(ws).process_area(model, pa)


def _practice_result(ws: Workspace, model: str, pa: str, practice: str) -> PracticeResult:
    area = _rated_area(ws, model, pa)
    found = area.practice(practice) if area is not None else None
    if found is None:
        raise KnownError(f"{model} {pa} {practice} is not a rated practice of this appraisal.")
    return found


def _goal_result(ws: Workspace, model: str, pa: str, goal: str) -> GoalResult:
    area = _rated_area(ws, model, pa)
    found = area.goal(goal) if area is not None else None
    if found is None:
        raise KnownError(f"{model} {pa} {goal} is not a rated goal of this appraisal.")
    return found


def _ou_row(
    resolver: Resolver, model: str, pa: str, goal: str, practice: str
) -> tuple[int, int, OuCharacterization | None]:
    pa_id = resolver.pa_id(model, pa)
    practice_id = resolver.practice_id(model, pa, goal, practice)
    row = resolver.session.scalars(
        select(OuCharacterization).where(
            OuCharacterization.process_area_id == pa_id, OuCharacterization.practice_id == practice_id
        )
    ).first()
    return pa_id, practice_id, row


def _put(
    session: Session,
    row: OuCharacterization | GoalRatingOverride | None,
    make: Callable[[], OuCharacterization | GoalRatingOverride],
    decision: OuDecision | GoalOverride | None,
) -> OuCharacterization | GoalRatingOverride | None:
    """Make the stored row say exactly `decision` (None deletes it); returns the row written (or deleted)."""
    if decision is None:
        if row is not None:
            session.delete(row)
        return row
    if row is None:
        row = make()
        session.add(row)
    if isinstance(row, OuCharacterization) and isinstance(decision, OuDecision):
        row.value = decision.value
    elif isinstance(row, GoalRatingOverride) and isinstance(decision, GoalOverride):
        row.rating = decision.rating
    row.rationale = decision.rationale
    row.decided_by = decision.decided_by
    row.decided_at = decision.decided_at or datetime.now()
    row.inputs = decision.inputs
    return row


def _ou_state(row: OuCharacterization | None) -> OuDecision | None:
    if row is None:
        return None
    return OuDecision(row.value, row.rationale, row.decided_by, row.decided_at, row.inputs)


def _goal_state(row: GoalRatingOverride | None) -> GoalOverride | None:
    if row is None:
        return None
    return GoalOverride(row.rating, row.rationale, row.decided_by, row.decided_at, row.inputs)


class Unseen:
    """No `expected` given: the caller did not show the decision to anyone (a script, the CLI)."""


UNSEEN = Unseen()


def set_ou_decision(
    ws: Workspace,
    model: str,
    pa: str,
    goal: str,
    practice: str,
    value: str | None,
    rationale: str = "",
    *,
    expected: OuDecision | Unseen | None = UNSEEN,
) -> OuDecision | None:
    """Record (or clear, with value None) the team's OU value, made now on today's values; returns the previous.

    The value must be one the roll-up allows (KnownError naming the rule otherwise). `expected`: the decision
    as the person saw it (None: none was made); if someone else changed it since, nothing is written
    (StaleEditError, app/storage/edit_guard.py).
    """
    if value is None:
        return restore_ou_decision(ws, model, pa, goal, practice, None, expected=expected)
    if not rationale.strip():
        raise KnownError("A team judgment needs its rationale: say why the team chose this value.")
    with ws.uow() as uow:
        scale = uow.session.scalars(select(Appraisal.scale)).one()
    if value not in SCALE_VALUES[scale]:
        raise KnownError(f"{value} is not a value of the {scale} scale.")
    result = _practice_result(ws, model, pa, practice)
    rollup = result.rollup
    if value not in rollup.allowed:
        if not rollup.allowed:
            why = f"it cannot be characterized at OU level yet ({rollup.rule.name}: {rollup.rule.text})"
        else:
            why = f"{rollup.rule.name} allows only {', '.join(rollup.allowed)} ({rollup.rule.text})"
        raise KnownError(f"{pa} {practice} cannot be judged {value}: {why}.")
    made = OuDecision(value, rationale.strip(), ws.who, datetime.now(), practice_inputs(result.instantiations))
    return restore_ou_decision(ws, model, pa, goal, practice, made, expected=expected)


def _refuse_if_changed(
    session: Session,
    row: OuCharacterization | GoalRatingOverride | None,
    before: _D | None,
    expected: _D | Unseen | None,
    what: str,
) -> None:
    if isinstance(expected, Unseen) or before == expected:
        return
    if row is None:
        raise StaleEditError(f"{what} was cleared by someone else — reloaded. {NOT_SAVED}")
    refuse_if_changed(session, row, True, what)


def restore_ou_decision(
    ws: Workspace,
    model: str,
    pa: str,
    goal: str,
    practice: str,
    decision: OuDecision | None,
    *,
    expected: OuDecision | Unseen | None = UNSEEN,
) -> OuDecision | None:
    """Store exactly `decision` (None clears it), as undo needs; returns the previous one."""
    with ws.uow() as uow:
        resolver = Resolver(uow.session, ws)
        pa_id, practice_id, row = _ou_row(resolver, model, pa, goal, practice)
        before = _ou_state(row)
        _refuse_if_changed(uow.session, row, before, expected, f"The team's judgment of {pa} {practice}")
        written = _put(
            uow.session, row, lambda: OuCharacterization(process_area_id=pa_id, practice_id=practice_id), decision
        )
        uow.session.flush()
        what = f"{decision.value} ({decision.rationale})" if decision else "cleared"
        logged = written.id if written is not None else None
        uow.log("judge", "ou_characterization", logged, f"{model} {pa} {practice}: {what}")
        uow.commit()
        return before


def ou_decisions(ws: Workspace) -> dict[tuple[str, str, str], OuDecision]:
    """Team OU values by (model, PA, practice code)."""
    return _decided(
        ws,
        OuCharacterization,
        CatalogPractice.code,
        CatalogPractice.id == OuCharacterization.practice_id,
        lambda r: OuDecision(r.value, r.rationale, r.decided_by, r.decided_at, r.inputs),
    )


def set_goal_override(
    ws: Workspace,
    model: str,
    pa: str,
    goal: str,
    rating: str | None,
    rationale: str = "",
    *,
    expected: GoalOverride | Unseen | None = UNSEEN,
) -> GoalOverride | None:
    """Record (or clear) the team's decision on a goal, made now on today's inputs; returns the previous one.

    Only what the rules leave open: Satisfied or Unsatisfied where rule 3 asks the team, Unsatisfied to lower a
    Satisfied goal. A rating that would raise a goal past rules 1, 2 or 4, Not Rated or Not Applicable is refused
    (KnownError naming the rule).
    """
    if rating is None:
        return restore_goal_override(ws, model, pa, goal, None, expected=expected)
    if rating not in GOAL_RATINGS:
        raise KnownError(f"{rating!r} is not a goal rating ({', '.join(GOAL_RATINGS)}).")
    if not rationale.strip():
        raise KnownError("A goal decision needs a rationale: say why (name the weakness judged significant).")
    from app.domain.rating.goals import decision_problem

    result = _goal_result(ws, model, pa, goal)
    problem = decision_problem(result, GoalRating(rating))
    if problem is not None:
        raise KnownError(f"{pa} {goal} cannot be rated {rating} by the team: {problem}")
    made = GoalOverride(rating, rationale.strip(), ws.who, datetime.now(), goal_inputs(result.practices))
    return restore_goal_override(ws, model, pa, goal, made, expected=expected)


def restore_goal_override(
    ws: Workspace,
    model: str,
    pa: str,
    goal: str,
    decision: GoalOverride | None,
    *,
    expected: GoalOverride | Unseen | None = UNSEEN,
) -> GoalOverride | None:
    """Store exactly `decision` (None clears it), as undo needs; returns the previous one."""
    with ws.uow() as uow:
        resolver = Resolver(uow.session, ws)
        pa_id = resolver.pa_id(model, pa)
        goal_id = resolver.goal_id(model, pa, goal)
        row = uow.session.scalars(
            select(GoalRatingOverride).where(
                GoalRatingOverride.process_area_id == pa_id, GoalRatingOverride.goal_id == goal_id
            )
        ).first()
        before = _goal_state(row)
        _refuse_if_changed(uow.session, row, before, expected, f"The team's decision on {pa} {goal}")
        written = _put(uow.session, row, lambda: GoalRatingOverride(process_area_id=pa_id, goal_id=goal_id), decision)
        uow.session.flush()
        what = f"{decision.rating} ({decision.rationale})" if decision else "cleared"
        logged = written.id if written is not None else None
        uow.log("override", "goal_rating", logged, f"{model} {pa} {goal}: {what}")
        uow.commit()
        return before


def goal_overrides(ws: Workspace) -> dict[tuple[str, str, str], GoalOverride]:
    """Team goal decisions by (model, PA, goal code)."""
    return _decided(
        ws,
        GoalRatingOverride,
        CatalogGoal.code,
        CatalogGoal.id == GoalRatingOverride.goal_id,
        lambda r: GoalOverride(r.rating, r.rationale, r.decided_by, r.decided_at, r.inputs),
    )


def _decided(
    ws: Workspace,
    table: type[OuCharacterization] | type[GoalRatingOverride],
    code: InstrumentedAttribute[str],
    on: ColumnElement[bool],
    made: Callable[[Any], _D],
) -> dict[tuple[str, str, str], _D]:
    """The team's decisions stored in `table`, by (model, PA, code of the practice or goal decided)."""
    with ws.uow() as uow:
        rows = uow.session.execute(
            select(CatalogModel.key, CatalogProcessArea.acronym, code, table)
            .join(CatalogProcessArea, CatalogProcessArea.id == table.process_area_id)
            .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
            .join(code.class_, on)
        ).all()
        return {(model, pa, item): made(row) for model, pa, item, row in rows}
