"""The engine: full rating, incremental updates equal to a full recompute, and refusing impossible edits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.plan import PaKey
from app.domain.rating import (
    AppraisalFacts,
    GoalKey,
    GoalRating,
    InstantiationFact,
    InstantiationKey,
    PracticeKey,
    RatingEngine,
    Scale,
    ScopeItem,
    result_to_json,
)
from tests.unit.rating.rating_builders import (
    SVC,
    area,
    bu,
    catalog,
    cell,
    facts,
    filled,
    goal_of,
    pa_of,
    practice_of,
    sf,
)

SM, IRP, WP = PaKey("SM", "SM"), PaKey(SVC, "IRP"), PaKey(SVC, "WP")
CAT = catalog({"IRP": area("IRP", {"SG1": ["SP1.1", "SP1.2"], "SG2": ["SP2.1"]}, level=3)})


def base(scale: Scale = Scale.V13) -> AppraisalFacts:
    return facts(
        [ScopeItem("SM", "SM", 3), ScopeItem(SVC, "IRP", 2), ScopeItem(SVC, "WP", 1)],
        [bu("Claims", "North"), bu("Policies", "South"), sf("Security Office", [SM])],
        scale=scale,
        cat=CAT,
        participant_names=("Ann Lee",),
    )


def test_instantiations_follow_scope_targets_and_who_implements_what() -> None:
    result = RatingEngine(base()).result
    assert [i.unit for i in practice_of(result, "SM", "SM", "ESP1.1").instantiations] == [
        "Claims",
        "Policies",
        "Security Office",
    ]
    assert [i.unit for i in practice_of(result, SVC, "IRP", "SP1.1").instantiations] == ["Claims", "Policies"]
    assert [g.code for g in pa_of(result, SVC, "IRP").goals] == ["SG1", "SG2", "GG2"]
    assert [g.code for g in pa_of(result, SVC, "WP").goals] == ["SG1"]


def test_an_empty_appraisal_is_not_rated_everywhere() -> None:
    result = RatingEngine(base()).result
    assert {g.rating for pa in result.process_areas for g in pa.goals} == {GoalRating.NOT_RATED}
    assert {pa.capability.level for pa in result.process_areas} == {None}


def test_an_edit_recomputes_only_its_process_area() -> None:
    engine = RatingEngine(filled(base(), "FI"))
    before = engine.result
    changed = engine.set_instantiation(InstantiationKey(SVC, "IRP", "SP1.1", "Claims"), value="PI", weakness="no log")
    after = engine.result
    assert changed == IRP == engine.last_changed
    assert after.process_area("SM", "SM") is before.process_area("SM", "SM")
    assert after.process_area(SVC, "WP") is before.process_area(SVC, "WP")
    assert after.process_area(SVC, "IRP") is not before.process_area(SVC, "IRP")
    assert practice_of(after, SVC, "IRP", "SP1.1").judgment_needed


def test_set_ou_decision_resolves_the_judgment_and_the_goal() -> None:
    engine = RatingEngine(filled(base(), "FI"))
    engine.set_instantiation(InstantiationKey(SVC, "IRP", "SP1.1", "Claims"), value="PI", weakness="no log")
    engine.set_ou_decision(PracticeKey(SVC, "IRP", "SP1.1"), "LI", "One unit of two, minor", "Lee")
    assert practice_of(engine.result, SVC, "IRP", "SP1.1").ou == "LI"
    # An LI practice: the goal waits for the team's significance judgment (rule 3).
    goal = goal_of(engine.result, SVC, "IRP", "SG1")
    assert (goal.rating, goal.judgment_needed, goal.proposed) == (GoalRating.NOT_RATED, True, GoalRating.SATISFIED)
    engine.set_goal_override(GoalKey(SVC, "IRP", "SG1"), GoalRating.SATISFIED, "The missing log is minor", "Lee")
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.SATISFIED
    engine.set_ou_decision(PracticeKey(SVC, "IRP", "SP1.1"), None)
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.NOT_RATED


def test_set_evidence_counts_keeps_the_characterization() -> None:
    engine = RatingEngine(base())
    key = InstantiationKey("SM", "SM", "ESP1.1", "Claims")
    engine.set_instantiation(key, value="LI", weakness="old plan")
    engine.set_evidence_counts(key, adequate_artifacts=3, affirmations=1)
    fact = engine.instantiation(key)
    assert (fact.value, fact.weakness, fact.adequate_artifacts, fact.affirmations) == ("LI", "old plan", 3, 1)
    proposal = practice_of(engine.result, "SM", "SM", "ESP1.1").instantiations[0].proposal
    assert proposal.value == "LI"


def test_team_value_problems_are_reported_per_instantiation() -> None:
    engine = RatingEngine(base())
    engine.set_instantiation(InstantiationKey(SVC, "WP", "SP1.1", "Policies"), value="FI", weakness="estimates stale")
    cells = practice_of(engine.result, SVC, "WP", "SP1.1").instantiations
    assert cells[1].problems == (
        "FI cannot stand with a recorded weakness: choose LI, PI or NI, or delete the weakness if it no longer applies.",
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda e: e.set_instantiation(InstantiationKey(SVC, "IRP", "SP1.1", "Security Office"), value="FI"),
        lambda e: e.set_instantiation(InstantiationKey(SVC, "IRP", "SP9.9", "Claims"), value="FI"),
        lambda e: e.set_instantiation(InstantiationKey(SVC, "CM", "SP1.1", "Claims"), value="FI"),
        lambda e: e.set_evidence_counts(
            InstantiationKey(SVC, "WP", "GP2.1", "Claims"), adequate_artifacts=1, affirmations=1
        ),
        lambda e: e.set_ou_decision(PracticeKey(SVC, "WP", "SP7.1"), "LI", "why"),
        lambda e: e.set_goal_override(GoalKey(SVC, "WP", "GG2"), GoalRating.SATISFIED, "why"),
    ],
    ids=[
        "unit-not-implementing",
        "unknown-practice",
        "pa-out-of-scope",
        "gp-not-rated",
        "unknown-ou-practice",
        "goal-not-rated",
    ],
)
def test_edits_outside_the_appraisal_are_refused(edit: Callable[[RatingEngine], object]) -> None:
    engine = RatingEngine(base())
    with pytest.raises(ValueError, match="is not a"):
        edit(engine)


def test_values_must_belong_to_the_appraisal_scale() -> None:
    engine = RatingEngine(base(Scale.V13))
    with pytest.raises(ValueError, match=r"'FM' is not a value of the SCAMPI v1\.3 scale"):
        engine.set_instantiation(InstantiationKey(SVC, "WP", "SP1.1", "Claims"), value="FM")
    with pytest.raises(ValueError, match=r"CMMI-SVC WP SP1\.1 / Claims: 'NC' is not a value"):
        RatingEngine(replace(base(), instantiations=(cell(SVC, "WP", "SP1.1", "Claims", "NC"),)))


def test_override_and_decision_setters_refuse_a_missing_rationale() -> None:
    engine = RatingEngine(base())
    with pytest.raises(ValueError, match="needs a rationale"):
        engine.set_goal_override(GoalKey(SVC, "WP", "SG1"), GoalRating.SATISFIED, "")
    with pytest.raises(ValueError, match="needs a rationale"):
        engine.set_ou_decision(PracticeKey(SVC, "WP", "SP1.1"), "LI")


def test_scope_must_name_catalog_process_areas_once() -> None:
    with pytest.raises(ValueError, match="CMMI-SVC XYZ is in scope but not in the catalog"):
        RatingEngine(facts([ScopeItem(SVC, "XYZ")], [bu("A")]))
    with pytest.raises(ValueError, match="in scope twice"):
        RatingEngine(facts([ScopeItem(SVC, "WP"), ScopeItem(SVC, "WP")], [bu("A")]))


def test_cells_outside_the_layout_are_ignored_by_a_full_rating() -> None:
    extra = cell(SVC, "CM", "SP1.1", "Claims", "FI")
    assert RatingEngine(replace(base(), instantiations=(extra,))).result == RatingEngine(base()).result


# --- properties ------------------------------------------------------------------------------------------

RATINGS = [None, *GoalRating]
WEAKNESSES = ["", "Ann Lee had no log", "Claims skips reviews"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(Scale), st.data())
def test_property_incremental_updates_equal_a_full_recompute(scale: Scale, data: st.DataObject) -> None:
    engine = RatingEngine(base(scale))
    result = engine.result
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
    values = [None, *scale.values]
    for _ in range(data.draw(st.integers(1, 25), label="edits")):
        kind = data.draw(st.sampled_from(["cell", "cells", "evidence", "decision", "override"]))
        if kind == "cells":
            engine.replace_instantiations(
                InstantiationFact(
                    key,
                    value=data.draw(st.sampled_from(values)),
                    weakness=data.draw(st.sampled_from(WEAKNESSES)),
                    adequate_artifacts=data.draw(st.integers(0, 2)),
                )
                for key in data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4))
            )
        elif kind == "cell":
            engine.set_instantiation(
                data.draw(st.sampled_from(cells)),
                value=data.draw(st.sampled_from(values)),
                weakness=data.draw(st.sampled_from(WEAKNESSES)),
                not_yet_flagged=data.draw(st.booleans()),
            )
        elif kind == "evidence":
            engine.set_evidence_counts(
                data.draw(st.sampled_from(cells)),
                adequate_artifacts=data.draw(st.integers(0, 2)),
                affirmations=data.draw(st.integers(0, 2)),
            )
        elif kind == "decision":
            engine.set_ou_decision(
                data.draw(st.sampled_from(practices)), data.draw(st.sampled_from(values)), "team view"
            )
        else:
            engine.set_goal_override(
                data.draw(st.sampled_from(goals)), data.draw(st.sampled_from(RATINGS)), "team view"
            )
    assert engine.result == RatingEngine(engine.facts).result
    assert result_to_json(engine.result) == result_to_json(RatingEngine(engine.facts).result)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(Scale),
    st.lists(st.sampled_from(["North", "South", None]), min_size=1, max_size=4),
    st.integers(1, 3),
)
def test_property_all_full_with_evidence_gives_every_goal_satisfied(
    scale: Scale, subgroups: list[str | None], target: int
) -> None:
    units = [bu(f"Unit {i}", group) for i, group in enumerate(subgroups)]
    scope = [ScopeItem("SM", "SM", target), ScopeItem(SVC, "IRP", target)]
    result = RatingEngine(filled(facts(scope, units, scale=scale, cat=CAT), scale.values[0])).result
    assert result.coverage_gaps == ()
    assert {g.rating for pa in result.process_areas for g in pa.goals} == {GoalRating.SATISFIED}
    assert {pa.capability.level for pa in result.process_areas} == {target}


def test_replacing_whole_cells_rates_like_setting_them_one_by_one() -> None:
    """The batch path the window uses after an edit gives the same result as the field-by-field setters."""
    start = filled(base(), "FI")
    one_by_one = RatingEngine(start)
    batch = RatingEngine(start)
    changed = []
    for fact in start.instantiations[::3]:
        new = replace(fact, value="PI", weakness="Not done everywhere.", adequate_artifacts=2, affirmations=1)
        one_by_one.set_instantiation(new.key, value="PI", weakness="Not done everywhere.")
        one_by_one.set_evidence_counts(new.key, adequate_artifacts=2, affirmations=1)
        changed.append(new)
    touched = batch.replace_instantiations(changed)
    assert batch.result == one_by_one.result
    assert touched == {f.key.pa_key for f in changed}
