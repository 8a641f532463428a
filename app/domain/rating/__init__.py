"""The rating engine: characterization proposals, roll-up, goal/capability/maturity ratings, coverage,
non-attribution. Pure Python; build an `AppraisalFacts`, give it to `RatingEngine`, read `RatingResult`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# The package's names are read from their modules when first asked for: importing one module of the package
# (the window imports the scales and the result types at start) does not load the engine and the name matcher.
_HOME = {
    "AppraisalFacts": "app.domain.rating.facts",
    "AttributionFlag": "app.domain.rating.nonattribution",
    "AttributionKind": "app.domain.rating.nonattribution",
    "CapabilityResult": "app.domain.rating.results",
    "CoverageGap": "app.domain.rating.coverage",
    "FindingText": "app.domain.rating.facts",
    "GoalKey": "app.domain.rating.facts",
    "GoalOverride": "app.domain.rating.facts",
    "GoalRating": "app.domain.rating.scales",
    "GoalResult": "app.domain.rating.results",
    "Grade": "app.domain.rating.scales",
    "InstantiationFact": "app.domain.rating.facts",
    "InstantiationKey": "app.domain.rating.facts",
    "InstantiationResult": "app.domain.rating.results",
    "MaturityResult": "app.domain.rating.results",
    "OuDecision": "app.domain.rating.facts",
    "PracticeKey": "app.domain.rating.facts",
    "PracticeResult": "app.domain.rating.results",
    "ProcessAreaResult": "app.domain.rating.results",
    "Proposal": "app.domain.rating.characterization",
    "propose": "app.domain.rating.characterization",
    "rate": "app.domain.rating.engine",
    "RatingEngine": "app.domain.rating.engine",
    "RatingResult": "app.domain.rating.results",
    "result_to_json": "app.domain.rating.json_report",
    "result_to_text": "app.domain.rating.json_report",
    "roll_up": "app.domain.rating.rollup",
    "Rollup": "app.domain.rating.rollup",
    "Rule": "app.domain.rating.rule_types",
    "Scale": "app.domain.rating.scales",
    "scan_texts": "app.domain.rating.nonattribution",
    "ScopeItem": "app.domain.rating.facts",
    "StagedRating": "app.domain.rating.results",
    "UnitFact": "app.domain.rating.facts",
    "UnitKind": "app.domain.plan",
    "V13Value": "app.domain.rating.scales",
    "V2Value": "app.domain.rating.scales",
    "validate_team_value": "app.domain.rating.characterization",
    "Value": "app.domain.rating.scales",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


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
