"""The rating engine: characterization proposals, roll-up, goal/capability/maturity ratings, coverage,
non-attribution. Pure Python; build an `AppraisalFacts`, give it to `RatingEngine`, read `RatingResult`.
"""

from __future__ import annotations

from app.domain.plan import UnitKind
from app.domain.rating.characterization import Proposal, propose, validate_team_value
from app.domain.rating.coverage import CoverageGap
from app.domain.rating.engine import RatingEngine, rate
from app.domain.rating.facts import (
    AppraisalFacts,
    FindingText,
    GoalKey,
    GoalOverride,
    InstantiationFact,
    InstantiationKey,
    OuDecision,
    PracticeKey,
    ScopeItem,
    UnitFact,
)
from app.domain.rating.json_report import result_to_json, result_to_text
from app.domain.rating.nonattribution import AttributionFlag, AttributionKind, scan_texts
from app.domain.rating.results import (
    CapabilityResult,
    GoalResult,
    InstantiationResult,
    MaturityResult,
    PracticeResult,
    ProcessAreaResult,
    RatingResult,
    StagedRating,
)
from app.domain.rating.rollup import Rollup, roll_up
from app.domain.rating.rule_types import Rule
from app.domain.rating.scales import GoalRating, Grade, Scale, V2Value, V13Value, Value

__all__ = [
    "AppraisalFacts",
    "AttributionFlag",
    "AttributionKind",
    "CapabilityResult",
    "CoverageGap",
    "FindingText",
    "GoalKey",
    "GoalOverride",
    "GoalRating",
    "GoalResult",
    "Grade",
    "InstantiationFact",
    "InstantiationKey",
    "InstantiationResult",
    "MaturityResult",
    "OuDecision",
    "PracticeKey",
    "PracticeResult",
    "ProcessAreaResult",
    "Proposal",
    "RatingEngine",
    "RatingResult",
    "Rollup",
    "Rule",
    "Scale",
    "ScopeItem",
    "StagedRating",
    "UnitFact",
    "UnitKind",
    "V2Value",
    "V13Value",
    "Value",
    "propose",
    "rate",
    "result_to_json",
    "result_to_text",
    "roll_up",
    "scan_texts",
    "validate_team_value",
]
