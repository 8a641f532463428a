"""The fields a Word report template can use, and the values they take for one `ReportData`.

One table (`FIELDS`) says what each field holds: `report_context` fills them, `appraisal-desk templates check`
checks a template's tags against them, and docs/report-templates.md lists them (a test keeps the three equal).
Everything here is already filtered for the edition and scrubbed of participants' names by
`app.services.report_data`, so a template cannot show what its edition may not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.report import Edition, FindingLine, ProcessAreaReport, ReportData

NOT_SET = "not set"
SHOWN_STATUSES = ("validated", "final")
"""Findings the report presents as the team's: validated with participants, or final."""


@dataclass(frozen=True, slots=True)
class TemplateField:
    name: str
    description: str
    children: tuple[TemplateField, ...] = ()
    many: bool = False
    """A list: loop over it (`{%tr for x in NAME %}`); `children` are the fields of each item."""

    def child(self, name: str) -> TemplateField | None:
        return next((c for c in self.children if c.name == name), None)


def _f(name: str, description: str, *children: TemplateField, many: bool = False) -> TemplateField:
    return TemplateField(name, description, tuple(children), many)


_MODEL = (_f("key", "model key, e.g. CMMI-SVC"), _f("version", "model version"), _f("name", "model name"))
_SCOPE = (
    _f("model", "model key"),
    _f("pa", "process area acronym, e.g. IRP"),
    _f("name", "process area name"),
    _f("category", "process area category"),
    _f("target", "target capability level, e.g. CL2 (empty when none)"),
    _f("excluded", "true when the process area is excluded"),
    _f("exclusion_reason", "why it is excluded (empty when in scope)"),
)
_FINDING = (
    _f("kind", "strength, weakness or improvement"),
    _f("kind_label", "Strength, Weakness or Improvement opportunity"),
    _f("status", "preliminary, validated or final"),
    _f("text", "the finding's text"),
    _f("model", "model key (empty for an organization-wide finding)"),
    _f("pa", "process area acronym (empty for an organization-wide finding)"),
    _f("target", "what it is about, e.g. IRP SP1.1 (empty for an organization-wide finding)"),
)

FIELDS: tuple[TemplateField, ...] = (
    _f(
        "appraisal",
        "the appraisal as planned",
        _f("name", "the appraisal's name"),
        _f("id", "the appraisal ID the CMMI Institute or the sponsor assigned (“not set” until entered)"),
        _f("sponsor", "the sponsor"),
        _f("lead_appraiser", "the lead appraiser"),
        _f("method", "SCAMPI A, B or C"),
        _f("scale", "the characterization scale, e.g. SCAMPI v1.3"),
        _f("phase", "plan, conduct, report or closed"),
        _f("start", "first day (YYYY-MM-DD, “not set” when unknown)"),
        _f("end", "last day (YYYY-MM-DD, “not set” when unknown)"),
        _f("dates", "“2026-11-30 to 2026-12-04”"),
        _f("valid_until", "the day the ratings expire"),
        _f("org_unit", "the organizational unit's name"),
        _f("org_unit_description", "the organizational unit's description"),
        _f("target_maturity_level", "e.g. ML3 (empty when the appraisal rates a capability profile)"),
        _f("unit_specific_findings", "true when the plan allows findings that name a basic unit"),
        _f("models", "the models in scope", *_MODEL, many=True),
    ),
    _f("edition", "team or sponsor"),
    _f("edition_label", "“Appraisal team edition” or “Sponsor edition”"),
    _f("marking", "the confidentiality marking (put it in the header and footer)"),
    _f("generated", "when the report was made (YYYY-MM-DD HH:MM)"),
    _f("scope", "the process areas in scope, excluded ones included", *_SCOPE, many=True),
    _f("excluded", "the excluded process areas only", *_SCOPE, many=True),
    _f(
        "factors",
        "the sampling factors",
        _f("name", "the factor"),
        _f("relevant", "“yes” or “no”"),
        _f("rationale", "why it is (not) relevant"),
        _f("value_list", "its values, comma separated"),
        many=True,
    ),
    _f(
        "subgroups",
        "the subgroups of the organizational unit",
        _f("name", "the subgroup"),
        _f("description", "what it is"),
        _f("factors", "its sampling-factor values, e.g. “Type of work: Claims”"),
        _f("total_units", "basic units in it (empty when not recorded)"),
        _f("people", "people in it (empty when not recorded)"),
        _f("sampled_units", "basic units sampled from it"),
        many=True,
    ),
    _f(
        "units",
        "the basic units and support functions",
        _f("name", "the unit"),
        _f("kind", "Basic unit or Support function"),
        _f("subgroup", "its subgroup (empty for none)"),
        _f("description", "what it does"),
        _f("sampled", "“yes” or “no”"),
        _f("process_areas", "the process areas it implements, comma separated (“all in scope” for none listed)"),
        many=True,
    ),
    _f(
        "team",
        "the appraisal team",
        _f("name", "member's name"),
        _f("role", "Lead, Member or Observer"),
        _f("organization", "member's organization"),
        many=True,
    ),
    _f(
        "process_areas",
        "the rated process areas in scope order",
        _f("model", "model key"),
        _f("pa", "acronym"),
        _f("name", "name"),
        _f("label", "“IRP Incident Resolution and Prevention”"),
        _f("category", "category"),
        _f("target", "target capability level, e.g. CL2 (empty when none)"),
        _f("capability", "capability level reached, e.g. CL1, or Not Rated"),
        _f("capability_note", "why the capability level is what it is"),
        _f("status", "Meets target, Below target, Rated or Not Rated"),
        _f("goals_satisfied", "“3 of 4”"),
        _f(
            "goals",
            "its goals with their ratings",
            _f("code", "e.g. SG1 or GG2"),
            _f("title", "the goal's statement"),
            _f("rating", "Satisfied, Unsatisfied, Not Rated or Not Applicable"),
            _f("reasons", "why, in words (team edition only; empty in the sponsor's)"),
            _f("override", "the team's reason for departing from the computed rating (team edition only)"),
            many=True,
        ),
        _f("strengths", "validated strengths about it (texts)", many=True),
        _f("weaknesses", "validated weaknesses about it (texts)", many=True),
        _f("improvements", "validated improvement opportunities about it (texts)", many=True),
        _f("findings", "every finding about it, any status, with its details", *_FINDING, many=True),
        many=True,
    ),
    _f("findings", "every finding the edition shows, in process-area order", *_FINDING, many=True),
    _f("organization_findings", "validated findings about the organization as a whole (texts)", many=True),
    _f("withheld_findings", "how many preliminary findings the sponsor edition leaves out until validated"),
    _f("maturity", "the maturity level, or why it is not rated"),
    _f("equivalent_staging", "the equivalent-staging maturity level, or why it is not rated"),
    _f(
        "coverage",
        "objective-evidence coverage",
        _f("statement", "one paragraph saying whether coverage rules are met"),
        _f("total_gaps", "how many coverage gaps are open"),
        _f(
            "rules",
            "the coverage rules",
            _f("name", "rule id"),
            _f("text", "the rule"),
            _f("gaps", "open gaps"),
            many=True,
        ),
    ),
    _f(
        "deficiencies",
        "practices below Largely and Unsatisfied goals, with the weaknesses behind them",
        _f("pa", "process area acronym"),
        _f("kind", "practice or goal"),
        _f("code", "e.g. SP3.1"),
        _f("title", "its title"),
        _f("rating", "its OU characterization or goal rating"),
        _f("weaknesses", "the weaknesses, “; ” separated"),
        many=True,
    ),
    _f(
        "signatures",
        "who signs the disclosure statement: the lead appraiser, the sponsor, then the team",
        _f("role", "Lead appraiser, Sponsor or Team member"),
        _f("name", "who"),
        many=True,
    ),
    _f("profile_chart", "the capability profile as a picture (put it alone in a paragraph: {{ profile_chart }})"),
)


def field_paths(fields: tuple[TemplateField, ...] = FIELDS, prefix: str = "") -> Iterator[tuple[str, TemplateField]]:
    """Every field with its dotted path; a list's items are written NAME[] ("process_areas[].goals[].rating")."""
    for f in fields:
        path = f"{prefix}{f.name}{'[]' if f.many else ''}"
        yield path, f
        yield from field_paths(f.children, path + ".")


def top_field(name: str) -> TemplateField | None:
    return next((f for f in FIELDS if f.name == name), None)


# --- the values ---------------------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return value.isoformat() if value else NOT_SET


def _level(level: int | None, prefix: str) -> str:
    return "" if level is None else f"{prefix}{level}"


def _finding(f: FindingLine) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "kind_label": f.kind_label,
        "status": f.status,
        "text": f.text,
        "model": f.model or "",
        "pa": f.pa or "",
        "target": f.target,
    }


def _shown(findings: list[FindingLine], kind: str) -> list[str]:
    return [f.text for f in findings if f.kind == kind and f.status in SHOWN_STATUSES]


def _area(pa: ProcessAreaReport, findings: list[FindingLine], team: bool) -> dict[str, Any]:
    satisfied, total = pa.goals_satisfied
    return {
        "model": pa.model,
        "pa": pa.pa,
        "name": pa.name,
        "label": pa.label,
        "category": pa.category,
        "target": _level(pa.target_capability_level, "CL"),
        "capability": pa.capability_text,
        "capability_note": pa.capability_note,
        "status": pa.status,
        "goals_satisfied": f"{satisfied} of {total}",
        "goals": [
            {
                "code": g.code,
                "title": g.title,
                "rating": g.rating,
                "reasons": "; ".join(g.reasons) if team else "",
                "override": g.override_rationale if team else "",
            }
            for g in pa.goals
        ],
        "strengths": _shown(findings, "strength"),
        "weaknesses": _shown(findings, "weakness"),
        "improvements": _shown(findings, "improvement"),
        "findings": [_finding(f) for f in findings],
    }


def coverage_statement(data: ReportData) -> str:
    total = data.coverage.total_gaps
    if total == 0:
        return (
            "The objective evidence meets every coverage rule of the method: each process area is covered in "
            "every sampled basic unit and support function that implements it."
        )
    open_rules = [f"{r.name} ({r.gaps})" for r in data.coverage.rules if r.gaps]
    return (
        f"{total} coverage gap(s) remain open against the method's coverage rules: {', '.join(open_rules)}. "
        "Ratings of the process areas concerned rest on incomplete evidence until they are closed."
    )


def signatures(data: ReportData) -> list[dict[str, str]]:
    rows = [
        {"role": "Lead appraiser", "name": data.header.lead_appraiser},
        {"role": "Sponsor", "name": data.header.sponsor},
    ]
    lead = data.header.lead_appraiser.casefold()
    rows += [{"role": "Team member", "name": m.name} for m in data.team if m.name.casefold() != lead]
    return rows


def report_context(data: ReportData) -> dict[str, Any]:
    """The values of every field in `FIELDS` except `profile_chart` (a picture the writer adds)."""
    h = data.header
    team = data.edition is Edition.TEAM
    by_pa: dict[tuple[str, str], list[FindingLine]] = {}
    for f in data.findings:
        if f.model and f.pa:
            by_pa.setdefault((f.model, f.pa), []).append(f)
    org = [f for f in data.findings if not f.pa]
    scope = [
        {
            "model": s.model,
            "pa": s.pa,
            "name": s.name,
            "category": s.category,
            "target": _level(s.target_capability_level, "CL"),
            "excluded": s.excluded,
            "exclusion_reason": s.exclusion_reason,
        }
        for s in data.scope
    ]
    return {
        "appraisal": {
            "name": h.name,
            "id": h.identifier or NOT_SET,
            "sponsor": h.sponsor,
            "lead_appraiser": h.lead_appraiser,
            "method": h.method,
            "scale": h.scale,
            "phase": h.phase,
            "start": _day(h.start_date),
            "end": _day(h.end_date),
            "dates": h.dates,
            "valid_until": _day(h.valid_until),
            "org_unit": h.org_unit_name,
            "org_unit_description": h.org_unit_description,
            "target_maturity_level": _level(h.target_maturity_level, "ML"),
            "unit_specific_findings": h.unit_specific_findings,
            "models": [{"key": m.key, "version": m.version, "name": m.name} for m in h.models],
        },
        "edition": data.edition.value,
        "edition_label": data.edition.label,
        "marking": data.marking,
        "generated": data.generated_at.strftime("%Y-%m-%d %H:%M"),
        "scope": scope,
        "excluded": [s for s in scope if s["excluded"]],
        "factors": [
            {
                "name": f.name,
                "relevant": "yes" if f.relevant else "no",
                "rationale": f.rationale,
                "value_list": ", ".join(f.values),
            }
            for f in data.factors
        ],
        "subgroups": [
            {
                "name": g.name,
                "description": g.description,
                "factors": g.factors,
                "total_units": "" if g.total_units is None else g.total_units,
                "people": "" if g.people is None else g.people,
                "sampled_units": g.sampled_units,
            }
            for g in data.subgroups
        ],
        "units": [
            {
                "name": u.name,
                "kind": u.kind_label,
                "subgroup": u.subgroup or "",
                "description": u.description,
                "sampled": "yes" if u.sampled else "no",
                "process_areas": ", ".join(u.process_areas) or "all in scope",
            }
            for u in data.units
        ],
        "team": [{"name": m.name, "role": m.role.capitalize(), "organization": m.organization} for m in data.team],
        "process_areas": [_area(pa, by_pa.get((pa.model, pa.pa), []), team) for pa in data.process_areas],
        "findings": [_finding(f) for f in data.findings],
        "organization_findings": [f.text for f in org if f.status in SHOWN_STATUSES],
        "withheld_findings": data.unvalidated_findings,
        "maturity": data.maturity.text,
        "equivalent_staging": data.equivalent_staging.text,
        "coverage": {
            "statement": coverage_statement(data),
            "total_gaps": data.coverage.total_gaps,
            "rules": [{"name": r.name, "text": r.text, "gaps": r.gaps} for r in data.coverage.rules],
        },
        "deficiencies": [
            {
                "pa": d.pa,
                "kind": d.kind,
                "code": d.code,
                "title": d.title,
                "rating": d.rating,
                "weaknesses": "; ".join(d.weaknesses),
            }
            for d in data.deficiencies
        ],
        "signatures": signatures(data),
    }
