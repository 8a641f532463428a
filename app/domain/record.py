"""The machine-readable appraisal record: one JSON document and the same data as one CSV table per list.

What the CMMI Appraisal System asks to be entered per practice and unit (method-rules §6): artifact sufficiency,
affirmation, weaknesses, OE notes, affirmation source (interview session codes only), OU characterization,
OU findings and the goal rating; around it the plan, the team, the sampling and the ratings. Built from the
team edition's `ReportData`, which is already scrubbed of participants' names. `TABLES` fixes the CSV columns;
docs/record-format.md lists them and docs/record-schema.json is the JSON's schema (tests keep all three equal).
"""

from __future__ import annotations

from typing import Any

from app.domain.catalog import item_name
from app.domain.report import CellLine, FindingLine, ReportData
from app.domain.report_fields import SHOWN_STATUSES

SCHEMA_ID = "appraisal-desk/record"
SCHEMA_VERSION = 1

TABLES: dict[str, tuple[str, ...]] = {
    "team": ("name", "role", "organization"),
    "sampling_factors": ("name", "relevant", "rationale", "values"),
    "subgroups": ("name", "description", "factors", "total_units", "people", "sampled_units"),
    "units": ("name", "kind", "subgroup", "sampled", "process_areas", "description"),
    "scope": ("model", "pa", "name", "target_capability_level", "excluded", "exclusion_reason"),
    "process_areas": ("model", "pa", "name", "target_capability_level", "capability_level", "status"),
    "goals": ("model", "pa", "goal", "title", "rating"),
    "practices": (
        "model",
        "pa",
        "goal",
        "practice",
        "unit",
        "artifact_sufficiency",
        "affirmation",
        "weaknesses",
        "oe_notes",
        "affirmation_sources",
        "ou_characterization",
        "ou_findings",
        "goal_rating",
    ),
    "findings": ("id", "kind", "status", "model", "pa", "target", "text"),
}
"""Each list of the record and its CSV file's columns, in order."""


def artifact_sufficiency(cell: CellLine) -> str:
    """ "sufficient" (an artifact judged adequate), "insufficient" (only inadequate ones) or "none"."""
    if not cell.artifacts:
        return "none"
    adequate = [a for a in cell.artifacts if not a.endswith((" (inadequate)", " (not assessed)"))]
    return "sufficient" if adequate else "insufficient"


def _findings_about(findings: tuple[FindingLine, ...], pa: str, code: str) -> str:
    target = item_name(pa, code)
    return "; ".join(f.text for f in findings if f.pa == pa and f.target == target and f.status in SHOWN_STATUSES)


def build_record(data: ReportData) -> dict[str, Any]:
    """The record as JSON-ready data (docs/record-schema.json)."""
    h = data.header
    practices: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    for pa in data.process_areas:
        for goal in pa.goals:
            goals.append(
                {"model": pa.model, "pa": pa.pa, "goal": goal.code, "title": goal.title, "rating": goal.rating}
            )
            for practice in goal.practices:
                ou_findings = _findings_about(data.findings, pa.pa, practice.code)
                for cell in practice.cells:
                    practices.append(
                        {
                            "model": pa.model,
                            "pa": pa.pa,
                            "goal": goal.code,
                            "practice": practice.code,
                            "unit": cell.unit,
                            "artifact_sufficiency": artifact_sufficiency(cell),
                            "affirmation": "yes" if cell.affirmation_sources else "no",
                            "weaknesses": cell.weaknesses,
                            "oe_notes": cell.notes,
                            "affirmation_sources": "; ".join(cell.affirmation_sources),
                            "ou_characterization": practice.ou_value or "",
                            "ou_findings": ou_findings,
                            "goal_rating": goal.rating,
                        }
                    )
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generated_at": data.generated_at.isoformat(timespec="seconds"),
        "marking": data.marking,
        "appraisal": {
            "id": h.identifier,
            "name": h.name,
            "method": h.method,
            "scale": h.scale,
            "sponsor": h.sponsor,
            "lead_appraiser": h.lead_appraiser,
            "start": h.start_date.isoformat() if h.start_date else None,
            "end": h.end_date.isoformat() if h.end_date else None,
            "valid_until": h.valid_until.isoformat() if h.valid_until else None,
            "organizational_unit": {"name": h.org_unit_name, "description": h.org_unit_description},
            "target_maturity_level": h.target_maturity_level,
            "unit_specific_findings": h.unit_specific_findings,
            "models": [{"key": m.key, "version": m.version, "name": m.name} for m in h.models],
        },
        "maturity": {"level": data.maturity.level, "text": data.maturity.text},
        "equivalent_staging": {"level": data.equivalent_staging.level, "text": data.equivalent_staging.text},
        "team": [{"name": m.name, "role": m.role, "organization": m.organization} for m in data.team],
        "sampling_factors": [
            {"name": f.name, "relevant": f.relevant, "rationale": f.rationale, "values": list(f.values)}
            for f in data.factors
        ],
        "subgroups": [
            {
                "name": g.name,
                "description": g.description,
                "factors": g.factors,
                "total_units": g.total_units,
                "people": g.people,
                "sampled_units": g.sampled_units,
            }
            for g in data.subgroups
        ],
        "units": [
            {
                "name": u.name,
                "kind": u.kind,
                "subgroup": u.subgroup,
                "sampled": u.sampled,
                "process_areas": list(u.process_areas),
                "description": u.description,
            }
            for u in data.units
        ],
        "scope": [
            {
                "model": s.model,
                "pa": s.pa,
                "name": s.name,
                "target_capability_level": s.target_capability_level,
                "excluded": s.excluded,
                "exclusion_reason": s.exclusion_reason,
            }
            for s in data.scope
        ],
        "process_areas": [
            {
                "model": pa.model,
                "pa": pa.pa,
                "name": pa.name,
                "target_capability_level": pa.target_capability_level,
                "capability_level": pa.capability_level,
                "status": pa.status,
            }
            for pa in data.process_areas
        ],
        "goals": goals,
        "practices": practices,
        "findings": [
            {
                "id": f.id,
                "kind": f.kind,
                "status": f.status,
                "model": f.model,
                "pa": f.pa,
                "target": f.target,
                "text": f.text,
            }
            for f in data.findings
        ],
    }


FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
"""A cell starting so is run as a formula by Excel when the CSV is opened there: it gets a leading apostrophe."""


def csv_value(value: object) -> str:
    """A record value as one CSV cell: lists joined with "; ", booleans yes/no, None empty, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(record: dict[str, Any], table: str) -> list[list[str]]:
    """The header and rows of one table's CSV file."""
    columns = TABLES[table]
    return [list(columns)] + [[csv_value(row[c]) for c in columns] for row in record[table]]
