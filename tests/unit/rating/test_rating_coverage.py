"""Coverage and sufficiency (method-rules §5): each rule's gap, and what gaps do to goal ratings."""

from __future__ import annotations

from app.domain.catalog import Catalog, Model, ModelKind
from app.domain.plan import PaKey
from app.domain.rating import GoalRating, InstantiationKey, RatingEngine, ScopeItem, UnitFact
from app.domain.rating.rules import (
    COVERAGE_B1,
    COVERAGE_B2,
    COVERAGE_B3,
    COVERAGE_F1,
    COVERAGE_F2,
    COVERAGE_F3,
    COVERAGE_P1,
    GOAL_R2_COVERAGE,
    SUFFICIENCY_ARTIFACT,
)
from tests.unit.rating.rating_builders import SVC, area, bu, catalog, facts, filled, goal_of, pa_of, sf

IRP = PaKey(SVC, "IRP")
SM = PaKey("SM", "SM")
CAT = catalog({"IRP": area("IRP", {"SG1": ["SP1.1", "SP1.2"], "SG2": ["SP2.1"]}, level=3)})


def engine_for(units: list[UnitFact], scope: list[ScopeItem] | None = None) -> RatingEngine:
    """Every instantiation FI with one adequate artifact and one affirmation: no gaps to start from."""
    base = facts(scope or [ScopeItem(SVC, "IRP", 1)], units, cat=CAT)
    return RatingEngine(filled(base, "FI"))


def strip(
    engine: RatingEngine, pa: PaKey, unit: str, practices: list[str], *, artifacts: int = 0, affirmations: int = 0
) -> None:
    for code in practices:
        engine.set_evidence_counts(
            InstantiationKey(pa.model, pa.pa, code, unit), adequate_artifacts=artifacts, affirmations=affirmations
        )


def gaps(engine: RatingEngine, rule: object) -> list[tuple[str | None, str | None, str | None, str | None, str]]:
    return [(g.model, g.pa, g.practice, g.unit, g.missing) for g in engine.result.coverage_gaps if g.rule is rule]


def test_no_gaps_when_every_unit_provides_artifacts_and_affirmations() -> None:
    assert engine_for([bu("Claims", "North"), bu("Policies", "North")]).result.coverage_gaps == ()


def test_sufficiency_an_artifact_is_needed_for_every_practice_in_every_unit() -> None:
    engine = engine_for([bu("Claims"), bu("Policies")])
    strip(engine, IRP, "Policies", ["SP1.2"], affirmations=2)
    assert gaps(engine, SUFFICIENCY_ARTIFACT) == [
        (SVC, "IRP", "SP1.2", "Policies",
         "Sufficiency: no adequate artifact for IRP SP1.2 in 'Policies' (every practice needs one in every sampled "
         "unit that implements it)"),
    ]  # fmt: skip


def test_sufficiency_gap_makes_only_the_affected_goal_not_rated() -> None:
    engine = engine_for([bu("Claims"), bu("Policies")])
    strip(engine, IRP, "Policies", ["SP1.2"], affirmations=2)
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.NOT_RATED
    assert goal_of(engine.result, SVC, "IRP", "SG1").rule is GOAL_R2_COVERAGE
    assert goal_of(engine.result, SVC, "IRP", "SG2").rating is GoalRating.SATISFIED
    assert pa_of(engine.result, SVC, "IRP").capability.level is None


def test_sufficiency_does_not_ask_for_artifacts_of_a_not_yet_cell() -> None:
    engine = engine_for([bu("Claims"), bu("Policies")])
    key = InstantiationKey(SVC, "IRP", "SP2.1", "Policies")
    engine.set_evidence_counts(key, adequate_artifacts=0, affirmations=0)
    engine.set_instantiation(key, value="NY")
    assert gaps(engine, SUFFICIENCY_ARTIFACT) == []


def test_p1_no_sampled_unit_implements_a_process_area() -> None:
    engine = engine_for([sf("QA", [SM])], scope=[ScopeItem(SVC, "IRP"), ScopeItem("SM", "SM")])
    assert gaps(engine, COVERAGE_P1) == [
        (SVC, "IRP", None, None,
         "P1: no sampled basic unit or support function implements IRP, so none of its practices is covered"),
    ]  # fmt: skip
    assert goal_of(engine.result, SVC, "IRP", "SG1").rating is GoalRating.NOT_RATED


def test_p1_a_practice_without_any_evidence() -> None:
    engine = engine_for([bu("Claims"), bu("Policies")])
    strip(engine, IRP, "Claims", ["SP2.1"])
    strip(engine, IRP, "Policies", ["SP2.1"])
    assert gaps(engine, COVERAGE_P1) == [
        (SVC, "IRP", "SP2.1", None, "P1: IRP SP2.1 has no artifact or affirmation from any sampled unit")
    ]
    assert goal_of(engine.result, SVC, "IRP", "SG2").rating is GoalRating.NOT_RATED


def test_b1_no_sampled_basic_unit_in_a_subgroup_covers_all_its_pas() -> None:
    engine = engine_for([bu("Claims", "North"), bu("Policies", "North")])
    strip(engine, IRP, "Claims", ["SP1.1", "SP1.2", "SP2.1"], artifacts=1)  # artifacts only
    strip(engine, IRP, "Policies", ["SP1.1", "SP1.2", "SP2.1"], artifacts=1)
    assert gaps(engine, COVERAGE_B1) == [
        (None, None, None, None,
         "B1: no sampled basic unit in subgroup 'North' provides artifacts and affirmations for all the PAs it implements"),
    ]  # fmt: skip


def test_b1_a_subgroup_with_no_sampled_basic_unit() -> None:
    engine = engine_for([bu("Claims", "North"), bu("Legacy", "South", sampled=False)])
    assert gaps(engine, COVERAGE_B1) == [(None, None, None, None, "B1: no basic unit in subgroup 'South' is sampled")]


def test_b1_met_by_one_unit_and_checked_per_subgroup() -> None:
    engine = engine_for([bu("Claims", "North"), bu("Policies", "North"), bu("Repairs", "South")])
    strip(engine, IRP, "Policies", ["SP1.1"], artifacts=1)
    assert gaps(engine, COVERAGE_B1) == []


def test_b2_fewer_than_half_the_sampled_units_provide_artifacts_and_affirmations() -> None:
    units = [bu("A", "East"), bu("B", "East"), bu("C", "East")]
    engine = engine_for(units)
    for name in ("B", "C"):
        strip(engine, IRP, name, ["SP1.1", "SP1.2", "SP2.1"], artifacts=1)
    assert gaps(engine, COVERAGE_B2) == [
        (None, None, None, None,
         "B2: only 1 of 3 sampled basic units in subgroup 'East' provide artifacts and affirmations for at least one "
         "PA (at least 50% needed)"),
    ]  # fmt: skip


def test_b2_exactly_half_is_enough() -> None:
    engine = engine_for([bu("A", "East"), bu("B", "East")])
    strip(engine, IRP, "B", ["SP1.1", "SP1.2", "SP2.1"], artifacts=1)
    assert gaps(engine, COVERAGE_B2) == []


def test_b3_every_sampled_basic_unit_provides_some_evidence() -> None:
    engine = engine_for([bu("A"), bu("B")])
    strip(engine, IRP, "B", ["SP1.1", "SP1.2", "SP2.1"])
    assert gaps(engine, COVERAGE_B3) == [
        (
            None,
            None,
            None,
            "B",
            "B3: sampled basic unit 'B' without a subgroup provides no artifacts or affirmations for any PA",
        )
    ]


def test_f1_a_support_function_provides_artifacts_and_affirmations_for_each_pa_it_implements() -> None:
    engine = engine_for([bu("Claims"), sf("Security Office", [SM])], scope=[ScopeItem("SM", "SM")])
    strip(engine, SM, "Security Office", ["ESP1.1", "ESP1.2", "ESP2.1"], artifacts=1)
    assert gaps(engine, COVERAGE_F1) == [
        (
            "SM",
            "SM",
            None,
            "Security Office",
            "F1: support function 'Security Office' implements SM but provides no affirmations for it",
        )
    ]
    # A process-area-level gap leaves every goal of the PA Not Rated.
    assert {g.rating for g in pa_of(engine.result, "SM", "SM").goals} == {GoalRating.NOT_RATED}


def test_f3_several_support_functions_on_one_pa_each_provide_evidence() -> None:
    engine = engine_for([bu("Claims"), sf("QA", [SM]), sf("CM group", [SM])], scope=[ScopeItem("SM", "SM")])
    strip(engine, SM, "CM group", ["ESP1.1", "ESP1.2", "ESP2.1"], affirmations=1)
    assert gaps(engine, COVERAGE_F3) == [
        ("SM", "SM", None, "CM group",
         "F3: SM is implemented by several support functions ('QA', 'CM group'); 'CM group' provides no artifacts for it"),
    ]  # fmt: skip
    assert gaps(engine, COVERAGE_F1) == []


def test_unsampled_units_have_no_instantiations_and_excluded_pas_no_gaps() -> None:
    base = facts(
        [ScopeItem(SVC, "IRP", excluded=True, exclusion_reason="not offered")],
        [bu("Claims"), bu("Legacy", sampled=False)],
        cat=CAT,
    )
    result = RatingEngine(base).result
    assert result.coverage_gaps == ()
    assert all(not p.instantiations for g in result.process_areas[0].goals for p in g.practices)


def test_f2_a_pa_shared_with_a_support_function_needs_a_basic_unit_of_each_subgroup_to_cover_it() -> None:
    units = [bu("Claims", "North", [IRP]), bu("Repairs", "North", [IRP, SM]), sf("Security Office", [SM])]
    engine = engine_for(units, scope=[ScopeItem(SVC, "IRP", 1), ScopeItem("SM", "SM", 1)])
    assert gaps(engine, COVERAGE_F2) == []
    strip(engine, SM, "Repairs", ["ESP1.1", "ESP1.2", "ESP2.1"], artifacts=1)  # artifacts, no affirmations
    assert gaps(engine, COVERAGE_F2) == [
        ("SM", "SM", None, None,
         "F2: SM is implemented by support function 'Security Office' and by basic units in subgroup 'North', but no "
         "sampled basic unit in subgroup 'North' provides artifacts and affirmations for it (F2 wording UNVERIFIED)"),
    ]  # fmt: skip
    assert [g.rule for g in engine.result.coverage_gaps] == [COVERAGE_F2]
    assert engine.result.coverage_gaps[0].subgroup == "North"
    # A subgroup gap reaches every PA the subgroup's basic units implement: IRP as well as SM.
    for pa in (IRP, SM):
        for goal in pa_of(engine.result, pa.model, pa.pa).goals:
            assert (goal.rating, goal.rule) == (GoalRating.NOT_RATED, GOAL_R2_COVERAGE), (pa, goal.code)
            assert any(r.startswith("F2: ") and "'North'" in r for r in goal.reasons)


def test_subgroup_gap_makes_the_goals_of_the_subgroups_pas_not_rated_and_only_those() -> None:
    cat = CAT
    units = [bu("Claims", "North", [IRP]), bu("Desk", "South", [SM])]
    engine = RatingEngine(filled(facts([ScopeItem(SVC, "IRP", 1), ScopeItem("SM", "SM", 1)], units, cat=cat), "FI"))
    assert {g.rating for pa in engine.result.process_areas for g in pa.goals} == {GoalRating.SATISFIED}
    strip(engine, IRP, "Claims", ["SP1.1", "SP1.2", "SP2.1"], artifacts=1)  # B1 for North
    irp, sm = pa_of(engine.result, SVC, "IRP"), pa_of(engine.result, "SM", "SM")
    assert {g.rating for g in irp.goals} == {GoalRating.NOT_RATED}
    assert all(any(r.startswith("B1: ") and "'North'" in r for r in g.reasons) for g in irp.goals)
    assert irp.capability.level is None
    assert {g.rating for g in sm.goals} == {GoalRating.SATISFIED}
    # Closing the gap re-rates the reached area, and the incremental result equals a full one.
    strip(engine, IRP, "Claims", ["SP1.1"], artifacts=1, affirmations=1)
    assert {g.rating for g in pa_of(engine.result, SVC, "IRP").goals} == {GoalRating.SATISFIED}
    assert engine.result == RatingEngine(engine.facts).result


def test_a_cert_rmm_code_that_names_its_area_is_not_named_twice_in_a_gap() -> None:
    imc = PaKey("CERT-RMM", "IMC")
    rmm = Model("CERT-RMM", "1.1", "CERT-RMM", ModelKind.MODEL, (area("IMC", {"SG1": ["IMC:SG1.SP1"]}),), ())
    cat = Catalog((*catalog().models[:2], rmm))
    engine = RatingEngine(filled(facts([ScopeItem("CERT-RMM", "IMC", 1)], [bu("Claims")], cat=cat), "FI"))
    strip(engine, imc, "Claims", ["IMC:SG1.SP1"], affirmations=1)
    (gap,) = gaps(engine, SUFFICIENCY_ARTIFACT)
    assert gap[4].startswith("Sufficiency: no adequate artifact for IMC:SG1.SP1 in 'Claims'")
