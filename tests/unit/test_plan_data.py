"""Plans as plan-file data: exact round trip, validation by field path, the sample-size check, plan edits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.plan import (
    METHODS,
    TEAM_ROLES,
    MiniTeamPlan,
    PaKey,
    Plan,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
)
from app.domain.plan_data import (
    SampleCheck,
    add_unit,
    checked_plan,
    merge_renames,
    plan_to_data,
    remove_factor,
    remove_member,
    remove_scope,
    remove_subgroup,
    rename_factor,
    rename_member,
    rename_subgroup,
    sample_checks,
    set_subgroup_factor,
    set_unit,
    unit_path,
    validate_plan,
)
from app.domain.plan_reader import parse_plan
from app.services.plan_editing import plan_yaml
from app.storage.yaml_source import load_yaml
from tests.conftest import tiny_catalog

CATALOG = tiny_catalog()
PAS = [PaKey("CMMI-SVC", "IRP"), PaKey("CMMI-SVC", "MA"), PaKey("CMMI-SVC", "WP"), PaKey("SM", "SM")]
IRP, MA, SM = PAS[0], PAS[1], PAS[3]

text = st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs", "P", "S"]), max_size=20).map(str.strip)
names = text.filter(lambda s: bool(s) and "=" not in s)
# Descriptions and rationales may run over several lines (the Plan page edits them in multi-line boxes).
prose = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "Zs", "P", "S"], include_characters="\n"), max_size=40
).map(str.strip)


def unique_names(min_size: int = 0, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(names, min_size=min_size, max_size=max_size, unique_by=str.casefold)


def subset(items: list[PaKey] | list[str], *, min_size: int = 0) -> st.SearchStrategy[tuple[object, ...]]:
    if not items:
        return st.just(())
    return st.lists(st.sampled_from(items), unique=True, min_size=min_size).map(tuple)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid, already normalized plans over the tiny catalog (what parse_plan itself would return)."""
    keys = draw(st.lists(st.sampled_from(PAS), unique=True))
    scope = []
    for key in keys:
        excluded = draw(st.booleans())
        reason = draw(prose.filter(bool)) if excluded else draw(prose)
        scope.append(ScopeEntry(key, draw(st.none() | st.integers(0, 3)), excluded, reason))
    factor_names = draw(unique_names())
    factors = tuple(
        SamplingFactorPlan(n, draw(st.booleans()), draw(prose.filter(bool)), tuple(draw(st.lists(names, max_size=3))))
        for n in factor_names
    )
    subgroups = tuple(
        SubgroupPlan(
            n,
            draw(prose),
            tuple((f, draw(names)) for f in draw(subset(factor_names))),  # type: ignore[misc]
            draw(st.none() | st.integers(1, 100000)),
            draw(st.none() | st.integers(0, 1000000)),
        )
        for n in draw(unique_names())
    )
    unit_names = draw(unique_names(max_size=6))
    sf_count = draw(st.integers(0, len(unit_names))) if keys else 0
    units = []
    for i, n in enumerate(unit_names):
        kind = UnitKind.SUPPORT_FUNCTION if i >= len(unit_names) - sf_count else UnitKind.BASIC_UNIT
        units.append(
            UnitPlan(
                n,
                kind,
                draw(prose),
                draw(st.none() | st.sampled_from([sg.name for sg in subgroups])) if subgroups else None,
                draw(subset(keys, min_size=1 if kind == UnitKind.SUPPORT_FUNCTION else 0)),  # type: ignore[arg-type]
                draw(st.booleans()),
            )
        )
    member_names = draw(unique_names())
    team = tuple(TeamMemberPlan(n, draw(st.sampled_from(TEAM_ROLES)), draw(text)) for n in member_names)
    minis = tuple(
        MiniTeamPlan(n, draw(subset(member_names)), draw(subset(keys)))  # type: ignore[arg-type]
        for n in draw(unique_names(max_size=3))
    )
    start = draw(st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)))
    end = start + timedelta(days=draw(st.integers(0, 30))) if start and draw(st.booleans()) else None
    return Plan(
        name=draw(names),
        sponsor=draw(text),
        lead_appraiser=draw(text),
        method=draw(st.sampled_from(METHODS)),
        scale=draw(st.sampled_from(["v1.3", "v2"])),
        start_date=start,
        end_date=end,
        target_maturity_level=draw(st.none() | st.integers(2, 5)),
        unit_specific_findings=draw(st.booleans()),
        org_unit_name=draw(text),
        org_unit_description=draw(prose),
        scope=tuple(scope),
        sampling_factors=factors,
        subgroups=subgroups,
        units=tuple(units),
        team=team,
        mini_teams=minis,
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_plan_data_round_trips_through_parse_plan(plan: Plan) -> None:
    assert parse_plan(plan_to_data(plan), CATALOG) == plan
    assert validate_plan(plan, CATALOG) == []


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_exported_yaml_reads_back_as_the_same_plan(plan: Plan) -> None:
    text = plan_yaml(plan, origin="t.appraisal")
    assert text.startswith("# Appraisal plan exported by Appraisal Desk from t.appraisal")
    assert parse_plan(load_yaml(text, source="p.yaml"), CATALOG) == plan


OVIG = Plan(
    name="OVIG",
    method="SCAMPI A",
    start_date=date(2026, 11, 30),
    end_date=date(2026, 12, 4),
    scope=(ScopeEntry(SM, 2), ScopeEntry(IRP, 2), ScopeEntry(MA, 2)),
    sampling_factors=(
        SamplingFactorPlan("Location", False, "One office."),
        SamplingFactorPlan("Type of work", True, "Sales differs from claims.", ("Sales", "Claims")),
    ),
    subgroups=(
        SubgroupPlan("Sales", factors=(("Type of work", "Sales"),), total_units=3, people=60),
        SubgroupPlan("Claims side", factors=(("Type of work", "Claims"),), total_units=3, people=85),
    ),
    units=(
        UnitPlan("Quotes", UnitKind.BASIC_UNIT, subgroup="Sales"),
        UnitPlan("Policies", UnitKind.BASIC_UNIT, subgroup="Sales"),
        UnitPlan("Claims", UnitKind.BASIC_UNIT, subgroup="Claims side"),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(SM,)),
    ),
    team=(TeamMemberPlan("Morgan", "lead"), TeamMemberPlan("Dana")),
    mini_teams=(MiniTeamPlan("Security", ("Morgan",), (SM,)),),
)


def test_plan_to_data_writes_the_documented_structure() -> None:
    data = plan_to_data(OVIG)
    assert data["appraisal"] == {
        "name": "OVIG",
        "method": "SCAMPI A",
        "scale": "v1.3",
        "start": date(2026, 11, 30),
        "end": date(2026, 12, 4),
        "unit_specific_findings": False,
    }
    assert "organizational_unit" not in data
    assert data["scope"][0] == {"model": "SM", "pa": "SM", "target_capability_level": 2}
    assert data["subgroups"][0]["factors"] == {"Type of work": "Sales"}
    assert data["basic_units"][0] == {"name": "Quotes", "subgroup": "Sales"}
    assert data["support_functions"] == [{"name": "Security office", "process_areas": ["SM:SM"]}]
    assert data["mini_teams"] == [{"name": "Security", "members": ["Morgan"], "process_areas": ["SM:SM"]}]


def fields(plan: Plan) -> list[str]:
    return [p.field for p in validate_plan(plan, CATALOG)]


def test_problems_name_the_exact_field_of_the_exact_row() -> None:
    assert validate_plan(OVIG, CATALOG) == []
    duplicate = add_unit(OVIG, UnitPlan("claims", UnitKind.BASIC_UNIT))
    assert fields(duplicate) == ["basic_units[4].name"]
    twice = replace(OVIG, team=(*OVIG.team, TeamMemberPlan("Dana")))
    assert fields(twice) == ["team[3].name"]
    nowhere = set_unit(OVIG, 0, replace(OVIG.units[0], subgroup="Nowhere"))
    [problem] = validate_plan(nowhere, CATALOG)
    assert (problem.line, problem.field) == (None, "basic_units[1].subgroup")
    assert "'Nowhere' is not a declared subgroup" in problem.message
    assert fields(set_unit(OVIG, 3, replace(OVIG.units[3], process_areas=()))) == ["support_functions[1].process_areas"]
    assert fields(replace(OVIG, end_date=date(2026, 11, 1))) == ["appraisal.end"]
    assert fields(replace(OVIG, name="  ")) == ["appraisal.name"]
    excluded = replace(OVIG, scope=(ScopeEntry(SM, 2, excluded=True), *OVIG.scope[1:]))
    assert fields(excluded) == ["scope[1].exclusion_reason"]
    outside = set_unit(OVIG, 0, replace(OVIG.units[0], process_areas=(PaKey("CMMI-SVC", "WP"),)))
    assert fields(outside) == ["basic_units[1].process_areas"]
    assert fields(replace(OVIG, scope=(*OVIG.scope, ScopeEntry(PaKey("CMMI-SVC", "XYZ"))))) == ["scope[4]"]


def test_what_no_file_can_hold_is_a_problem_too() -> None:
    damaged = UnitPlan("X", "team")  # type: ignore[arg-type]  # what no file should hold, yet a caller could pass
    assert fields(replace(OVIG, units=(damaged,))) == ["units[1].kind"]
    bad_factor = replace(OVIG.sampling_factors[0], name="a=b", values=("ok", " "))
    assert fields(replace(OVIG, sampling_factors=(bad_factor,), subgroups=())) == [
        "sampling_factors[1].name",
        "sampling_factors[1].values[2]",
    ]
    twice = replace(OVIG.subgroups[0], factors=(("Type of work", "Sales"), ("Type of work", "Claims")))
    assert fields(replace(OVIG, subgroups=(twice,))) == ["subgroups[1].factors.Type of work"]


def test_checked_plan_normalizes_like_a_plan_file() -> None:
    old_name = replace(OVIG, name=" OVIG ", scope=(*OVIG.scope, ScopeEntry(PaKey("CMMI-SVC", "PP"))))
    checked = checked_plan(old_name, CATALOG)
    assert checked.name == "OVIG"
    assert checked.scope[-1].pa == PaKey("CMMI-SVC", "WP")


def test_unit_paths_count_within_their_kind() -> None:
    assert [unit_path(OVIG, i) for i in range(4)] == [
        "basic_units[1]",
        "basic_units[2]",
        "basic_units[3]",
        "support_functions[1]",
    ]


def test_sample_size_per_subgroup() -> None:
    assert sample_checks(OVIG) == [SampleCheck("Sales", 1, 2), SampleCheck("Claims side", 1, 1)]
    uneven = replace(OVIG, subgroups=(replace(OVIG.subgroups[0], total_units=10), OVIG.subgroups[1]))
    # ceil(10 × 2 / 13) = 2 and ceil(3 × 2 / 13) = 1.
    assert [(c.needed, c.sampled, c.ok) for c in sample_checks(uneven)] == [(2, 2, True), (1, 1, True)]
    unsampled = set_unit(uneven, 0, replace(uneven.units[0], sampled=False))
    assert str(sample_checks(unsampled)[0]) == "needs 2 sampled basic units, has 1"
    assert not sample_checks(unsampled)[0].ok
    # Without totals, the basic units the plan lists count; an empty subgroup still needs one.
    counted = replace(OVIG, subgroups=tuple(replace(sg, total_units=None) for sg in OVIG.subgroups))
    assert [c.needed for c in sample_checks(counted)] == [2, 1]
    empty = replace(OVIG, subgroups=(SubgroupPlan("Alone"),), units=())
    assert sample_checks(empty) == [SampleCheck("Alone", 1, 0)]


def test_renames_and_removals_keep_references() -> None:
    renamed = rename_subgroup(OVIG, "Sales", "Sales and policy")
    assert [u.subgroup for u in renamed.units[:2]] == ["Sales and policy"] * 2
    assert [u.subgroup for u in remove_subgroup(OVIG, "Sales").units[:3]] == [None, None, "Claims side"]
    by_factor = rename_factor(OVIG, "Type of work", "Work")
    assert by_factor.subgroups[0].factors == (("Work", "Sales"),)
    assert remove_factor(OVIG, "Type of work").subgroups[0].factors == ()
    assert rename_member(OVIG, "Morgan", "Morgan Reyes").mini_teams[0].members == ("Morgan Reyes",)
    assert remove_member(OVIG, "Morgan").mini_teams[0].members == ()
    without_sm = remove_scope(OVIG, [SM])
    assert [e.pa for e in without_sm.scope] == [IRP, MA]
    assert without_sm.units[3].process_areas == () and without_sm.mini_teams[0].process_areas == ()
    for plan in (renamed, by_factor, rename_member(OVIG, "Morgan", "M")):
        assert validate_plan(plan, CATALOG) == []


def test_units_stay_grouped_by_kind() -> None:
    added = add_unit(OVIG, UnitPlan("Billing", UnitKind.BASIC_UNIT))
    assert [u.name for u in added.units] == ["Quotes", "Policies", "Claims", "Billing", "Security office"]
    moved = set_unit(OVIG, 0, replace(OVIG.units[0], kind=UnitKind.SUPPORT_FUNCTION, process_areas=(SM,)))
    assert [u.name for u in moved.units] == ["Policies", "Claims", "Security office", "Quotes"]
    first = add_unit(Plan("p"), UnitPlan("S", UnitKind.SUPPORT_FUNCTION, process_areas=(SM,)))
    assert [u.name for u in add_unit(first, UnitPlan("B", UnitKind.BASIC_UNIT)).units] == ["B", "S"]


def test_subgroup_factor_values_follow_the_factor_order() -> None:
    plan = set_subgroup_factor(OVIG, 0, "Location", "Springfield")
    assert plan.subgroups[0].factors == (("Location", "Springfield"), ("Type of work", "Sales"))
    assert set_subgroup_factor(plan, 0, "Location", "").subgroups[0].factors == (("Type of work", "Sales"),)


def test_renames_chain() -> None:
    assert merge_renames({"A": "B"}, {"B": "C"}) == {"A": "C"}
    assert merge_renames({"A": "B"}, {"B": "A"}) == {}
    assert merge_renames({"A": "B"}, {"X": "Y"}) == {"A": "B", "X": "Y"}
