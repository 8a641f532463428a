"""Every rating rule as data, in one place (method-rules.md is the reference; section numbers point there).

Each rule has a stable name that results, reasons and tests cite. Rules the reference marks UNVERIFIED carry
`unverified=True`; change a rule here and the engine follows. Tables are applied top to bottom: the first
row whose condition holds decides.
"""

from __future__ import annotations

from app.domain.rating.rule_types import (
    CapabilityRow,
    EquivalentRow,
    GoalRow,
    GradeCounts,
    MaturityRow,
    ProposalRow,
    RollupRow,
    Rule,
    ValidationRow,
)
from app.domain.rating.scales import GoalRating, Grade, Scale

# --- §1 proposal from evidence (the V3.0 toolkit heuristic; the team decides) ------------------------------

_TOOLKIT = "method-rules §1 proposal table [V-3.0] toolkit heuristic, not an MDD rule"

PROPOSE_NOT_YET = Rule("PROPOSE_NOT_YET", "Evidence is flagged Not Yet: propose NY", _TOOLKIT)
PROPOSE_FULL = Rule("PROPOSE_FULL", "Artifact and affirmation OK, no weakness: propose FI/FM", _TOOLKIT)
PROPOSE_LARGE = Rule("PROPOSE_LARGE", "Artifact and affirmation OK, a weakness recorded: propose LI/LM", _TOOLKIT)
PROPOSE_PARTIAL = Rule(
    "PROPOSE_PARTIAL", "Only one of artifact or affirmation OK, a weakness recorded: propose PI/PM", _TOOLKIT
)
PROPOSE_NOT_MET = Rule("PROPOSE_NOT_MET", "Any other evidence pattern: propose NI/DM", _TOOLKIT)

PROPOSAL_TABLE: tuple[ProposalRow, ...] = (
    ProposalRow(PROPOSE_NOT_YET, lambda s: s.not_yet, Grade.NOT_YET),
    ProposalRow(PROPOSE_FULL, lambda s: s.artifact_ok and s.affirmation_ok and not s.weakness, Grade.FULL),
    ProposalRow(PROPOSE_LARGE, lambda s: s.artifact_ok and s.affirmation_ok and s.weakness, Grade.LARGE),
    ProposalRow(PROPOSE_PARTIAL, lambda s: (s.artifact_ok != s.affirmation_ok) and s.weakness, Grade.PARTIAL),
    ProposalRow(PROPOSE_NOT_MET, lambda _: True, Grade.NOT_MET),
)

# --- §1 checks on a team value ---------------------------------------------------------------------------

CHECK_WEAKNESS_EXCLUDES_FULL = Rule(
    "CHECK_WEAKNESS_EXCLUDES_FULL", "A recorded weakness rules out FI/FM", "method-rules §1 [V-3.0] S-TK3 guide"
)
CHECK_LARGE_NEEDS_WEAKNESS = Rule(
    "CHECK_LARGE_NEEDS_WEAKNESS",
    "LI/LM means implemented with one or more weaknesses",
    "method-rules §1 and §8.1 value definitions (v1.3 wording UNVERIFIED)",
    unverified=True,
)
CHECK_PARTIAL_OR_NOT_NEEDS_WEAKNESS = Rule(
    "CHECK_PARTIAL_OR_NOT_NEEDS_WEAKNESS", "PI/NI (PM/DM) need at least one weakness", "method-rules §1 [V-3.0]"
)

VALIDATION_TABLE: tuple[ValidationRow, ...] = (
    ValidationRow(
        CHECK_WEAKNESS_EXCLUDES_FULL,
        lambda grade, weak: grade is Grade.FULL and weak,
        "{value} cannot stand with a recorded weakness: choose {alternatives}, or delete the weakness if it no "
        "longer applies.",
    ),
    ValidationRow(
        CHECK_LARGE_NEEDS_WEAKNESS,
        lambda grade, weak: grade is Grade.LARGE and not weak,
        "{value} means implemented with a weakness, but none is recorded: record the weakness, "
        "or choose {alternatives}.",
    ),
    ValidationRow(
        CHECK_PARTIAL_OR_NOT_NEEDS_WEAKNESS,
        lambda grade, weak: grade in (Grade.PARTIAL, Grade.NOT_MET) and not weak,
        "{value} needs at least one recorded weakness: record what is missing or inadequate.",
    ),
)

# --- §2 and §8.1 roll-up of instantiations to the organizational unit ---------------------------------------

_F, _L, _P, _N, _Y, _C = Grade.FULL, Grade.LARGE, Grade.PARTIAL, Grade.NOT_MET, Grade.NOT_YET, Grade.NOT_CHARACTERIZED

ROLLUP_NO_INSTANTIATIONS = Rule(
    "ROLLUP_NO_INSTANTIATIONS",
    "No sampled unit implements the practice: nothing to roll up, the practice is not characterized",
    "tool rule (coverage P1 reports the gap)",
)
ROLLUP_INVALID_VALUE = Rule(
    "ROLLUP_INVALID_VALUE",
    "An instantiation value breaks a §1 value rule (FI/FM with a weakness; LI, PI, NI, LM, PM or DM without one): it "
    "counts as not characterized until the team fixes the value or the weakness",
    "method-rules §3 tool implications and §1 [V-3.0] S-TK3 guide",
)
_V13 = "method-rules §2 (UNVERIFIED v1.3 reconstruction)"
ROLLUP_V13_NOT_CHARACTERIZED = Rule(
    "ROLLUP_V13_NOT_CHARACTERIZED", "An instantiation is not characterized: the OU value is not either", _V13, True
)
ROLLUP_V13_ALL_NY = Rule("ROLLUP_V13_ALL_NY", "All instantiations NY: NY", _V13, True)
ROLLUP_V13_ALL_FI_OR_NY = Rule("ROLLUP_V13_ALL_FI_OR_NY", "All FI or NY, at least one FI: FI", _V13, True)
ROLLUP_V13_ALL_LI_FI_OR_NY = Rule("ROLLUP_V13_ALL_LI_FI_OR_NY", "All LI, FI or NY, at least one LI: LI", _V13, True)
ROLLUP_V13_ANY_PI_OR_NI = Rule(
    "ROLLUP_V13_ANY_PI_OR_NI", "One or more PI or NI: team judgment among LI, PI and NI (never FI)", _V13, True
)

_V2 = "method-rules §8.1 [V-3.0] MDD table via the toolkit guide"
ROLLUP_V2_NOT_CHARACTERIZED = Rule(
    "ROLLUP_V2_NOT_CHARACTERIZED", "An instantiation is not characterized: the OU value is not either", _V2
)
ROLLUP_V2_ANY_NC = Rule("ROLLUP_V2_ANY_NC", "Any NC: NC", _V2)
ROLLUP_V2_ALL_NY = Rule("ROLLUP_V2_ALL_NY", "All NY: NY", _V2)
ROLLUP_V2_ALL_FM_OR_NY = Rule("ROLLUP_V2_ALL_FM_OR_NY", "All FM or NY, at least one FM: FM", _V2)
ROLLUP_V2_ALL_LM_FM_OR_NY = Rule("ROLLUP_V2_ALL_LM_FM_OR_NY", "All LM, FM or NY, at least one LM: LM", _V2)
ROLLUP_V2_ALL_DM_OR_NY = Rule("ROLLUP_V2_ALL_DM_OR_NY", "All DM or NY, at least one DM: DM", _V2)
ROLLUP_V2_ALL_PM_DM_OR_NY = Rule(
    "ROLLUP_V2_ALL_PM_DM_OR_NY", "All PM, DM or NY, at least one PM: team judgment between PM and DM", _V2
)
ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM = Rule(
    "ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM",
    "LM/FM mixed with PM/DM, and at least half (NY not counted) are PM/DM: the OU must be PM or DM",
    _V2 + "; 'or DM' from method-rules §2 note, NY excluded from the count as neutral",
)
ROLLUP_V2_MIXED = Rule(
    "ROLLUP_V2_MIXED", "LM/FM mixed with PM/DM, fewer than half PM/DM: team judgment between LM and PM", _V2
)


def _mixed(c: GradeCounts) -> bool:
    return c.full + c.large >= 1 and c.weak >= 1


ROLLUP_TABLES: dict[Scale, tuple[RollupRow, ...]] = {
    Scale.V13: (
        RollupRow(ROLLUP_NO_INSTANTIATIONS, lambda c: c.total == 0, ()),
        RollupRow(ROLLUP_INVALID_VALUE, lambda c: c.invalid > 0, ()),
        RollupRow(ROLLUP_V13_NOT_CHARACTERIZED, lambda c: c.missing > 0, ()),
        RollupRow(ROLLUP_V13_ALL_NY, lambda c: c.only(_Y), (_Y,)),
        RollupRow(ROLLUP_V13_ALL_FI_OR_NY, lambda c: c.only(_F, _Y) and c.full >= 1, (_F,)),
        RollupRow(ROLLUP_V13_ALL_LI_FI_OR_NY, lambda c: c.only(_F, _L, _Y) and c.large >= 1, (_L,)),
        RollupRow(ROLLUP_V13_ANY_PI_OR_NI, lambda c: c.weak >= 1, (_L, _P, _N)),
    ),
    Scale.V2: (
        RollupRow(ROLLUP_NO_INSTANTIATIONS, lambda c: c.total == 0, ()),
        RollupRow(ROLLUP_INVALID_VALUE, lambda c: c.invalid > 0, ()),
        RollupRow(ROLLUP_V2_NOT_CHARACTERIZED, lambda c: c.missing > 0, ()),
        RollupRow(ROLLUP_V2_ANY_NC, lambda c: c.not_characterized > 0, (_C,)),
        RollupRow(ROLLUP_V2_ALL_NY, lambda c: c.only(_Y), (_Y,)),
        RollupRow(ROLLUP_V2_ALL_FM_OR_NY, lambda c: c.only(_F, _Y) and c.full >= 1, (_F,)),
        RollupRow(ROLLUP_V2_ALL_LM_FM_OR_NY, lambda c: c.only(_F, _L, _Y) and c.large >= 1, (_L,)),
        RollupRow(ROLLUP_V2_ALL_DM_OR_NY, lambda c: c.only(_N, _Y) and c.not_met >= 1, (_N,)),
        RollupRow(ROLLUP_V2_ALL_PM_DM_OR_NY, lambda c: c.only(_P, _N, _Y) and c.partial >= 1, (_P, _N)),
        RollupRow(ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM, lambda c: _mixed(c) and 2 * c.weak >= c.counted, (_P, _N)),
        RollupRow(ROLLUP_V2_MIXED, _mixed, (_L, _P)),
    ),
}

# --- §3 goal rating -------------------------------------------------------------------------------------

_GOALS = "method-rules §3 [V-1.2] S-KJ Table 21.8; v1.3 believed identical (UNVERIFIED)"
GOAL_NOT_APPLICABLE = Rule(
    "GOAL_NOT_APPLICABLE", "The process area is excluded from the appraisal", "method-rules §3 (label UNVERIFIED)", True
)
GOAL_R1_NOT_CHARACTERIZED_OR_NY = Rule(
    "GOAL_R1_NOT_CHARACTERIZED_OR_NY",
    "Rule 1: a practice is not characterized at OU level, or is NY: Not Rated",
    _GOALS,
    True,
)
GOAL_R2_COVERAGE = Rule(
    "GOAL_R2_COVERAGE", "Rule 2: evidence does not meet the coverage or sufficiency rules (§5): Not Rated", _GOALS, True
)
GOAL_R3_SATISFIED = Rule(
    "GOAL_R3_SATISFIED",
    "Rule 3: every practice is FI (FM) at OU level, so no weakness can be significant: Satisfied",
    _GOALS,
    True,
)
GOAL_R3_AWAITING_SIGNIFICANCE = Rule(
    "GOAL_R3_AWAITING_SIGNIFICANCE",
    "Rule 3: every practice is FI or LI (FM or LM), at least one LI (LM): Not Rated until the team judges whether the "
    "weaknesses are significant (the rules propose Satisfied)",
    _GOALS + "; the team decision is method-rules §3 tool implications",
    True,
)
GOAL_R3_TEAM_NOT_SIGNIFICANT = Rule(
    "GOAL_R3_TEAM_NOT_SIGNIFICANT",
    "Rule 3: every practice is FI or LI and the team judged no weakness significant: Satisfied",
    _GOALS,
    True,
)
GOAL_R4_UNSATISFIED = Rule(
    "GOAL_R4_UNSATISFIED", "Rule 4: any PI or NI (PM or DM) at OU level: Unsatisfied", _GOALS, True
)
GOAL_R4_TEAM_SIGNIFICANT = Rule(
    "GOAL_R4_TEAM_SIGNIFICANT",
    "Rule 4: the team judged a weakness significant and named it: Unsatisfied (a team decision may only lower a goal)",
    _GOALS + "; lowering only: method-rules §3 tool implications",
    True,
)
GOAL_DECISION_STALE = Rule(
    "GOAL_DECISION_STALE",
    "The team's goal decision was made on practice values or weaknesses that have since changed: not used, Not "
    "Rated until the team decides again (the old decision is the proposal)",
    "method-rules §3 tool implications",
)
_OPEN = (None, Grade.NOT_YET, Grade.NOT_CHARACTERIZED)
_SAT, _UNSAT = GoalRating.SATISFIED, GoalRating.UNSATISFIED

GOAL_TABLE: tuple[GoalRow, ...] = (
    GoalRow(GOAL_NOT_APPLICABLE, lambda g: g.excluded, GoalRating.NOT_APPLICABLE),
    GoalRow(
        GOAL_R1_NOT_CHARACTERIZED_OR_NY,
        lambda g: not g.ou_grades or any(x in _OPEN for x in g.ou_grades),
        GoalRating.NOT_RATED,
    ),
    GoalRow(GOAL_R2_COVERAGE, lambda g: g.coverage_gaps > 0, GoalRating.NOT_RATED),
    GoalRow(GOAL_R3_SATISFIED, lambda g: all(x is _F for x in g.ou_grades), _SAT, team_may=(_SAT, _UNSAT)),
    GoalRow(
        GOAL_R3_AWAITING_SIGNIFICANCE,
        lambda g: all(x in (_F, _L) for x in g.ou_grades),
        GoalRating.NOT_RATED,
        team_may=(_SAT, _UNSAT),
        decision_required=True,
    ),
    GoalRow(GOAL_R4_UNSATISFIED, lambda _: True, _UNSAT, team_may=(_UNSAT,)),
)

GOAL_DECISION_RULES: dict[GoalRating, Rule] = {_SAT: GOAL_R3_TEAM_NOT_SIGNIFICANT, _UNSAT: GOAL_R4_TEAM_SIGNIFICANT}
"""The rule a valid team goal decision rates by."""

# --- §4.3 capability levels --------------------------------------------------------------------------------

_CL = "method-rules §4.3 [V] S-SVC13 p.762"
CL_0_INCOMPLETE = Rule("CL_0_INCOMPLETE", "CL0 Incomplete: the default when CL1 is not reached", _CL)
CL_1_PERFORMED = Rule("CL_1_PERFORMED", "CL1 Performed: every specific goal Satisfied (GG1)", _CL)
CL_2_MANAGED = Rule("CL_2_MANAGED", "CL2 Managed: CL1 and GG2 Satisfied", _CL)
CL_3_DEFINED = Rule("CL_3_DEFINED", "CL3 Defined: CL2 and GG3 Satisfied", _CL)
CL_NOT_RATED = Rule(
    "CL_NOT_RATED",
    "A goal needed for the next level is Not Rated (and none Unsatisfied): the capability level is Not Rated",
    "method-rules §4.3 (UNVERIFIED; recommended 'Not Rated' plus a note)",
    True,
)
CL_NOT_APPLICABLE = Rule("CL_NOT_APPLICABLE", "The process area is excluded: no capability level", "method-rules §4.1")

CAPABILITY_TABLE: tuple[CapabilityRow, ...] = (
    CapabilityRow(1, CL_1_PERFORMED, None),
    CapabilityRow(2, CL_2_MANAGED, "GG2"),
    CapabilityRow(3, CL_3_DEFINED, "GG3"),
)

# --- §4.1/§4.2 maturity levels (staged) and §4.3 equivalent staging -----------------------------------------

_ML = "method-rules §4.2 [V-1.2] S-KJ p.659, GG3 on ML2 PAs [V] S-DEV13"
ML_1_INITIAL = Rule("ML_1_INITIAL", "ML1: the default when ML2 is not reached", _ML)
ML_2 = Rule("ML_2", "ML2: every ML2 process area Satisfied (SGs + GG2) or Not Applicable", _ML)
ML_3 = Rule(
    "ML_3", "ML3: every ML2 and ML3 process area Satisfied (SGs + GG2 + GG3, ML2 PAs included) or Not Applicable", _ML
)
ML_4 = Rule("ML_4", "ML4: every ML2-ML4 process area Satisfied (SGs + GG2 + GG3) or Not Applicable", _ML)
ML_5 = Rule("ML_5", "ML5: every ML2-ML5 process area Satisfied (SGs + GG2 + GG3) or Not Applicable", _ML)
ML_NOT_REQUESTED = Rule("ML_NOT_REQUESTED", "The appraisal has no target maturity level", "method-rules §6")
ML_NO_STAGED_MODEL = Rule(
    "ML_NO_STAGED_MODEL", "No model with maturity levels is in scope (CERT-RMM and SM have none)", "method-rules §4.5"
)
ML_SCOPE_INCOMPLETE = Rule(
    "ML_SCOPE_INCOMPLETE", "The scope lacks process areas the level needs: the maturity level is not rated", _ML
)
ML_NOT_RATED = Rule(
    "ML_NOT_RATED",
    "A process area the next level needs is Not Rated (none Unsatisfied): the maturity level is Not Rated",
    "method-rules §4.1 (UNVERIFIED precedence)",
    True,
)

MATURITY_TABLE: tuple[MaturityRow, ...] = (
    MaturityRow(2, ML_2, ("GG2",)),
    MaturityRow(3, ML_3, ("GG2", "GG3")),
    MaturityRow(4, ML_4, ("GG2", "GG3")),
    MaturityRow(5, ML_5, ("GG2", "GG3")),
)


EQUIV_ML1 = Rule("EQUIV_ML1", "Equivalent ML1: the default when equivalent ML2 is not reached", "method-rules §4.3")
EQUIV_ML2 = Rule(
    "EQUIV_ML2",
    "Equivalent ML2: CL2 for every ML2 process area",
    "method-rules §4.3 equivalent staging (UNVERIFIED)",
    True,
)
EQUIV_ML3 = Rule(
    "EQUIV_ML3",
    "Equivalent ML3: CL3 for every ML2 and ML3 process area",
    "method-rules §4.3 equivalent staging (UNVERIFIED)",
    True,
)
EQUIV_ML4 = Rule(
    "EQUIV_ML4", "Equivalent ML4: CL3 for every process area except the ML5 ones (OPM, CAR)", "§4.3 [V] S-DEV13 p.64"
)
EQUIV_ML5 = Rule("EQUIV_ML5", "Equivalent ML5: CL3 for every process area", "method-rules §4.3 [V] S-DEV13 p.64")
EQUIV_NOT_RATED = Rule(
    "EQUIV_NOT_RATED", "A process area the next level needs has no capability level (Not Rated)", "method-rules §4.3"
)
EQUIV_SCOPE_INCOMPLETE = Rule(
    "EQUIV_SCOPE_INCOMPLETE", "The scope lacks the process areas of equivalent ML2", "method-rules §4.3"
)

EQUIVALENT_STAGING_TABLE: tuple[EquivalentRow, ...] = (
    EquivalentRow(2, EQUIV_ML2, 2, 2),
    EquivalentRow(3, EQUIV_ML3, 3, 3),
    EquivalentRow(4, EQUIV_ML4, 4, 3),
    EquivalentRow(5, EQUIV_ML5, 5, 3),
)

# --- §5 coverage and sufficiency ------------------------------------------------------------------------

_COV = "method-rules §5.2 [2nd] S-COV"
SUFFICIENCY_ARTIFACT = Rule(
    "SUFFICIENCY_ARTIFACT",
    "An adequate artifact for every practice in every sampled unit that implements it (NY cells exempt)",
    "method-rules §5.3 (UNVERIFIED v1.3 wording; [V-1.2] S-SEIFAQ)",
    True,
)
COVERAGE_P1 = Rule(
    "COVERAGE_P1", "Every practice of every in-scope process area is covered; no partial PA coverage", _COV
)
COVERAGE_B1 = Rule(
    "COVERAGE_B1",
    "Per subgroup, one sampled basic unit provides artifacts and affirmations for all the PAs it implements",
    _COV,
)
COVERAGE_B2 = Rule(
    "COVERAGE_B2",
    "Per subgroup, at least 50% of sampled basic units provide artifacts and affirmations for at least one PA",
    _COV,
)
COVERAGE_B3 = Rule(
    "COVERAGE_B3", "Per subgroup, every sampled basic unit provides artifacts or affirmations for at least one PA", _COV
)
COVERAGE_F1 = Rule(
    "COVERAGE_F1", "A support function provides artifacts and affirmations for each PA it implements", _COV
)
COVERAGE_F2 = Rule(
    "COVERAGE_F2",
    "Per subgroup, where a PA is implemented both by support functions and by the subgroup's basic units, at least one "
    "sampled basic unit of the subgroup provides artifacts and affirmations for it",
    "method-rules §5.2 [2nd] S-COV as summarized; exact v1.3 wording UNVERIFIED",
    True,
)
COVERAGE_F3 = Rule(
    "COVERAGE_F3", "Several support functions implement the same PA: each provides artifacts and affirmations", _COV
)

SUBGROUP_RULES: tuple[Rule, ...] = (COVERAGE_B1, COVERAGE_B2, COVERAGE_B3, COVERAGE_F2)
"""A gap under these makes the goals of every PA the subgroup's basic units implement Not Rated (§5.2 tool
implication)."""

ALL_RULES: tuple[Rule, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Rule))
