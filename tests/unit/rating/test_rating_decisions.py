"""Team decisions stay within the rules and go stale with their inputs (method-rules §3 tool implications).

Properties over random sequences of edits, practice judgments and goal decisions, on both scales.
"""

from __future__ import annotations

import hashlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.plan import PaKey
from app.domain.rating import (
    AppraisalFacts,
    GoalKey,
    GoalRating,
    GoalResult,
    Grade,
    InstantiationKey,
    PracticeKey,
    RatingEngine,
    RatingResult,
    Scale,
    ScopeItem,
)
from app.domain.rating.decisions import practice_inputs
from app.domain.rating.goals import decision_problem
from app.domain.rating.open_decisions import OpenState, describe_open, open_decisions
from app.domain.rating.results import InstantiationResult
from app.domain.rating.rules import GOAL_DECISION_STALE, GOAL_R2_COVERAGE, GOAL_R4_TEAM_SIGNIFICANT
from app.domain.rating.scales import V2Value, V13Value
from tests.unit.rating.rating_builders import SVC, area, bu, catalog, facts, filled, goal_of, practice_of, sf

SM = PaKey("SM", "SM")
CAT = catalog({"IRP": area("IRP", {"SG1": ["SP1.1", "SP1.2"], "SG2": ["SP2.1"]}, level=3)})
WEAKNESSES = ["", "reviews missing", "no log kept"]


def base(scale: Scale) -> AppraisalFacts:
    start = facts(
        [ScopeItem("SM", "SM", 2), ScopeItem(SVC, "IRP", 2)],
        [bu("Claims", "North"), bu("Policies", "North"), sf("Security Office", [SM])],
        scale=scale,
        cat=CAT,
    )
    return filled(start, scale.values[0])


def keys(result: RatingResult) -> tuple[list[InstantiationKey], list[PracticeKey], list[GoalKey]]:
    cells = [
        InstantiationKey(pa.key.model, pa.key.pa, p.code, i.unit)
        for pa in result.process_areas
        for g in pa.goals
        for p in g.practices
        for i in p.instantiations
    ]
    practices = [
        PracticeKey(pa.key.model, pa.key.pa, p.code)
        for pa in result.process_areas
        for g in pa.goals
        for p in g.practices
    ]
    goals = [GoalKey(pa.key.model, pa.key.pa, g.code) for pa in result.process_areas for g in pa.goals]
    return cells, practices, goals


def random_edits(engine: RatingEngine, scale: Scale, data: st.DataObject) -> None:
    cells, practices, goals = keys(engine.result)
    for _ in range(data.draw(st.integers(1, 30), label="edits")):
        kind = data.draw(st.sampled_from(["cell", "cell", "evidence", "judgment", "goal"]))
        if kind == "cell":
            engine.set_instantiation(
                data.draw(st.sampled_from(cells)),
                value=data.draw(st.sampled_from([None, *scale.values])),
                weakness=data.draw(st.sampled_from(WEAKNESSES)),
            )
        elif kind == "evidence":
            engine.set_evidence_counts(
                data.draw(st.sampled_from(cells)),
                adequate_artifacts=data.draw(st.integers(0, 1)),
                affirmations=data.draw(st.integers(0, 1)),
            )
        elif kind == "judgment":
            value = data.draw(st.sampled_from([None, *scale.values]))
            engine.set_ou_decision(data.draw(st.sampled_from(practices)), value, "team view")
        else:
            rating = data.draw(st.sampled_from([None, *GoalRating]))
            engine.set_goal_override(data.draw(st.sampled_from(goals)), rating, "team view")


def assert_defensible(scale: Scale, result: RatingResult) -> None:
    gaps = {(g.model, g.pa) for g in result.coverage_gaps}
    for pa in result.process_areas:
        for goal in pa.goals:
            if goal.rating is GoalRating.SATISFIED:
                assert not goal.judgment_needed and goal.stale is None
                assert (pa.key.model, pa.key.pa) not in gaps or goal.rule is not GOAL_R2_COVERAGE
                for practice in goal.practices:
                    assert practice.ou is not None, (pa.key, goal.code, practice.code)
                    assert scale.grade(practice.ou) in (Grade.FULL, Grade.LARGE)
                    assert not practice.judgment_needed and practice.rollup.stale is None
                    for cell in practice.instantiations:
                        assert not cell.problems, (pa.key, practice.code, cell.unit)
                        assert cell.value is not None
                assert not pa.subgroup_gaps
                assert not [g for g in pa.gaps if g.practice is None or g.practice in {p.code for p in goal.practices}]
            if goal.rating is GoalRating.NOT_APPLICABLE:
                assert pa.excluded
            if goal.overridden:
                assert goal.override is not None and goal.override.rating in goal.allowed
                assert goal.computed_rating in (GoalRating.SATISFIED, GoalRating.NOT_RATED)
        counted = {"SG": [g for g in pa.goals if g.kind.value == "specific"]}
        level = pa.capability.level
        if level is not None and level >= 1:
            assert all(g.rating is GoalRating.SATISFIED for g in counted["SG"])
        if level is not None and level >= 2:
            assert all(g.rating is GoalRating.SATISFIED for g in pa.goals if g.code == "GG2")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(Scale), st.data())
def test_property_no_sequence_of_edits_and_decisions_satisfies_a_goal_the_rules_do_not_allow(
    scale: Scale, data: st.DataObject
) -> None:
    engine = RatingEngine(base(scale))
    random_edits(engine, scale, data)
    assert_defensible(scale, engine.result)
    assert engine.result == RatingEngine(engine.facts).result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(Scale), st.data())
def test_property_changing_any_input_of_a_decision_makes_it_stale(scale: Scale, data: st.DataObject) -> None:
    partial = scale.values[2]
    engine = RatingEngine(base(scale))
    practice = PracticeKey(SVC, "IRP", "SP1.1")
    claims, policies = (InstantiationKey(SVC, "IRP", "SP1.1", unit) for unit in ("Claims", "Policies"))
    engine.set_instantiation(policies, value=partial, weakness="no log kept")
    # A judgment row: the team chooses the first value allowed, then decides the goal where it may.
    chosen = practice_of(engine.result, SVC, "IRP", "SP1.1").allowed[0]
    engine.set_ou_decision(practice, chosen, "minor in one unit")
    goal = goal_of(engine.result, SVC, "IRP", "SG1")
    engine.set_goal_override(GoalKey(SVC, "IRP", "SG1"), GoalRating.UNSATISFIED, "significant")
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.UNSATISFIED
    assert goal.judgment_needed == (scale.grade(chosen) is Grade.LARGE)
    # Change one input of the practice judgment (a value or a weakness in either unit).
    target = data.draw(st.sampled_from([claims, policies]))
    current = engine.instantiation(target)
    new_weakness = data.draw(st.sampled_from([w for w in WEAKNESSES if w and w != current.weakness]))
    if target == claims:
        # Claims moves from FI to another weak value: still a judgment row, new inputs.
        engine.set_instantiation(claims, value=partial, weakness=new_weakness)
    else:
        new_value = data.draw(st.sampled_from([partial, scale.value_for(Grade.NOT_MET)]))
        engine.set_instantiation(policies, value=new_value, weakness=new_weakness)
    rollup = practice_of(engine.result, SVC, "IRP", "SP1.1").rollup
    assert rollup.stale is not None and rollup.value is None and rollup.judgment_needed
    assert rollup.proposed == chosen
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.NOT_RATED


def test_re_confirming_a_stale_goal_decision_uses_it_again() -> None:
    engine = RatingEngine(base(Scale.V13))
    cell = InstantiationKey(SVC, "IRP", "SP1.1", "Claims")
    engine.set_instantiation(cell, value="LI", weakness="reviews missing")
    key = GoalKey(SVC, "IRP", "SG1")
    engine.set_goal_override(key, GoalRating.UNSATISFIED, "reviews are essential here")
    assert goal_of(engine.result, SVC, "IRP", "SG1").rule is GOAL_R4_TEAM_SIGNIFICANT
    engine.set_instantiation(cell, value="LI", weakness="reviews missing for a year")
    stale = goal_of(engine.result, SVC, "IRP", "SG1")
    assert (stale.rule, stale.proposed, stale.rating) == (
        GOAL_DECISION_STALE,
        GoalRating.UNSATISFIED,
        GoalRating.NOT_RATED,
    )
    assert stale.decision is not None
    engine.set_goal_override(key, stale.proposed, stale.decision.rationale)
    again = goal_of(engine.result, SVC, "IRP", "SG1")
    assert (again.rule, again.rating, again.stale) == (GOAL_R4_TEAM_SIGNIFICANT, GoalRating.UNSATISFIED, None)


def test_decision_problem_names_the_rule_a_raise_breaks() -> None:
    engine = RatingEngine(base(Scale.V13))
    engine.set_instantiation(InstantiationKey(SVC, "IRP", "SP1.1", "Claims"), value="PI", weakness="no log kept")
    engine.set_ou_decision(PracticeKey(SVC, "IRP", "SP1.1"), "PI", "it is partial")
    goal: GoalResult = goal_of(engine.result, SVC, "IRP", "SG1")
    problem = decision_problem(goal, GoalRating.SATISFIED)
    assert problem is not None and problem.startswith("GOAL_R4_UNSATISFIED applies")
    assert decision_problem(goal, GoalRating.UNSATISFIED) is None


def test_open_decisions_list_pending_stale_and_conflicting_ones() -> None:
    engine = RatingEngine(base(Scale.V13))
    claims = InstantiationKey(SVC, "IRP", "SP1.1", "Claims")
    engine.set_instantiation(claims, value="PI", weakness="no log kept")  # a judgment to take
    engine.set_instantiation(InstantiationKey(SVC, "IRP", "SP2.1", "Claims"), value="LI", weakness="late")
    engine.set_goal_override(GoalKey(SVC, "IRP", "SG2"), GoalRating.SATISFIED, "minor")
    engine.set_instantiation(InstantiationKey(SVC, "IRP", "SP2.1", "Claims"), value="LI", weakness="very late")
    engine.set_goal_override(GoalKey("SM", "SM", "ESG1"), GoalRating.NOT_APPLICABLE, "not for us")
    found = {(d.code, d.state) for d in open_decisions(engine.result)}
    assert found == {
        ("SP1.1", OpenState.PENDING),
        ("SG2", OpenState.STALE),
        ("ESG1", OpenState.CONFLICT),
    }
    stale = next(d for d in open_decisions(engine.result) if d.state is OpenState.STALE)
    assert stale.proposed == "Satisfied" and stale.practice is None
    assert describe_open(open_decisions(engine.result)) == (
        "1 awaiting the team, 1 stale (re-confirm with R), 1 in conflict with the rules"
    )


_UNIT_NAMES = st.text(min_size=1, max_size=12)
_CELL_VALUES = st.sampled_from([None, *list(V13Value), *list(V2Value), "fi", ' "quoted" '])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_UNIT_NAMES, _CELL_VALUES, st.text(max_size=20)),
        max_size=8,
    )
)
def test_property_a_decisions_inputs_are_the_json_the_stored_decisions_were_compared_with(
    cells: list[tuple[str, str | None, str]],
) -> None:
    """Stored decisions hold `practice_inputs` as text and are stale when today's text differs: the text put
    together from cached entries is exactly the JSON written before (any unit name, value or weakness)."""
    results = [InstantiationResult(unit, value, None, (), weakness) for unit, value, weakness in cells]  # type: ignore[arg-type]
    expected = json.dumps(
        {
            "values": [[i.unit, i.value] for i in results],
            "weaknesses": [
                [i.unit, hashlib.sha256(i.weakness.strip().encode("utf-8")).hexdigest()[:16]]
                for i in results
                if i.weakness.strip()
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert practice_inputs(results) == expected
