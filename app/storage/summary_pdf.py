"""The PDF appraisal summary (reportlab platypus), written from plain report data: its sections, from the cover
to the disclosure appendix.

Every page carries the confidentiality marking (top and bottom) and "Page n of m" (`pdf_furniture`). Text is
set in DejaVu Sans, shipped in `resources/fonts/`, so every name prints whatever its script; all text from the
appraisal is escaped before it reaches reportlab's paragraph markup (`pdf_blocks.para`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from app.domain.plan import UnitKind
from app.domain.report import Edition, ReportData
from app.storage import workbook_layout as palette
from app.storage.output_files import OutputTarget
from app.storage.pdf_blocks import Styles, fill, pairs, para, profile_chart, rating_cell, rows_table
from app.storage.pdf_furniture import BODY_WIDTH, register_fonts, write_pdf

Progress = Callable[[int, int, str], None]
BARS_PER_CHART = 26
GAPS_LISTED = 300


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


class Sections:
    """The summary's sections, each a list of flowables; the disclosure statement reuses some."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.s = Styles()
        self.team = data.edition is Edition.TEAM

    def pairs(self, rows: Sequence[tuple[str, str]]) -> Any:
        return pairs(rows, self.s)

    def cover(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        areas = d.process_areas
        meets = sum(1 for pa in areas if pa.status == "Meets target")
        below = sum(1 for pa in areas if pa.status == "Below target")
        not_rated = sum(1 for pa in areas if pa.capability_level is None)
        glance = [
            ("Process areas rated", f"{len(areas)} ({meets} at target, {below} below target, {not_rated} not rated)"),
            ("Maturity level", d.maturity.text),
            ("Equivalent staging", d.equivalent_staging.text),
            ("Findings", _finding_counts(d)),
            ("Coverage", _coverage_sentence(d)),
        ]
        return [
            Spacer(1, 30 * mm),
            para("Appraisal summary", s.title),
            Spacer(1, 4 * mm),
            para(h.name, s.subtitle),
            Spacer(1, 10 * mm),
            self.pairs(
                [
                    ("Organizational unit", h.org_unit_name),
                    ("Sponsor", h.sponsor),
                    ("Lead appraiser", h.lead_appraiser),
                    ("Dates", h.dates),
                    ("Method", f"{h.method}, {h.scale} characterization scale"),
                    ("Edition", d.edition.label),
                    ("Produced", d.generated_at.strftime("%Y-%m-%d %H:%M")),
                ]
            ),
            Spacer(1, 8 * mm),
            para("At a glance", s.h2),
            self.pairs(glance),
            Spacer(1, 14 * mm),
            para(d.marking, s.marking),
            para(
                "Non-attribution: nothing in this summary identifies a person who took part in interviews; "
                "interview sessions are referred to by their codes only.",
                s.muted,
            ),
        ]

    def scope(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        models = "; ".join(f"{m.name} ({m.key} {m.version})" for m in h.models) or "none"
        target = f"target maturity level {h.target_maturity_level}" if h.target_maturity_level else "capability profile"
        out: list[Flowable] = [
            para("1  Scope and method", s.h1),
            para(
                f"Method: {h.method}, rated on the {h.scale} characterization scale ({target}). Models: {models}. "
                f"Appraisal dates: {h.dates}; phase: {h.phase}.",
                s.body,
            ),
        ]
        rows: list[list[Any]] = [["Model", "Process area", "Name", "Category", "Target"]]
        for line in d.scope:
            target_text = (
                "excluded"
                if line.excluded
                else (f"CL{line.target_capability_level}" if line.target_capability_level is not None else "-")
            )
            rows.append([line.model, line.pa, line.name, line.category, target_text])
        widths = [26 * mm, 22 * mm, 70 * mm, BODY_WIDTH - 136 * mm, 18 * mm]
        out.append(rows_table(rows, widths, s))
        if d.excluded:
            out.append(para("Excluded process areas", s.h2))
            ex_rows: list[list[Any]] = [["Process area", "Reason"]]
            ex_rows += [[f"{e.pa} {e.name}", e.exclusion_reason] for e in d.excluded]
            out.append(rows_table(ex_rows, [60 * mm, BODY_WIDTH - 60 * mm], s))
        return out

    def sampling(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        out: list[Flowable] = [
            para("2  Organizational unit and sampling", s.h1),
            para(h.org_unit_name, s.h2),
            para(h.org_unit_description, s.body),
        ]
        if d.factors:
            out.append(para("Sampling factors", s.h2))
            rows: list[list[Any]] = [["Factor", "Relevant", "Values", "Rationale"]]
            rows += [[f.name, "yes" if f.relevant else "no", ", ".join(f.values), f.rationale] for f in d.factors]
            out.append(rows_table(rows, [38 * mm, 19 * mm, 44 * mm, BODY_WIDTH - 101 * mm], s))
        if d.subgroups:
            out.append(para("Subgroups", s.h2))
            rows = [["Subgroup", "Factor values", "Basic units", "Sampled", "People"]]
            rows += [
                [g.name, g.factors, _num(g.total_units), str(g.sampled_units), _num(g.people)] for g in d.subgroups
            ]
            out.append(rows_table(rows, [44 * mm, BODY_WIDTH - 112 * mm, 24 * mm, 20 * mm, 24 * mm], s))
        out.append(CondPageBreak(50 * mm))
        out.append(para("Basic units and support functions", s.h2))
        rows = [["Unit", "Kind", "Subgroup", "Sampled", "Process areas", "Description"]]
        for u in d.units:
            pas = ", ".join(k.split(":", 1)[-1] for k in u.process_areas) or (
                "all in scope" if u.kind == UnitKind.BASIC_UNIT else "-"
            )
            rows.append([u.name, u.kind_label, u.subgroup or "-", "yes" if u.sampled else "no", pas, u.description])
        out.append(rows_table(rows, [32 * mm, 24 * mm, 28 * mm, 18 * mm, 28 * mm, BODY_WIDTH - 130 * mm], s))
        return out

    def profile(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [PageBreak(), para("3  Capability profile", s.h1)]
        out.append(para(f"Maturity level: {d.maturity.text}. Equivalent staging: {d.equivalent_staging.text}.", s.body))
        areas = d.process_areas
        for start in range(0, len(areas), BARS_PER_CHART):
            out.append(profile_chart(areas[start : start + BARS_PER_CHART], 3))
            out.append(Spacer(1, 4 * mm))
        rows: list[list[Any]] = [["Process area", "Target", "Capability level", "Status", "Goals satisfied"]]
        extra: list[tuple[Any, ...]] = []
        for n, pa in enumerate(areas, start=1):
            satisfied, total = pa.goals_satisfied
            colour = (
                palette.CAPABILITY_COLOURS.get(pa.capability_level)
                if pa.capability_level is not None
                else palette.GOAL_COLOURS["Not Rated"]
            )
            rows.append(
                [
                    f"{pa.pa} {pa.name}",
                    f"CL{pa.target_capability_level}" if pa.target_capability_level is not None else "-",
                    rating_cell(pa.capability_text, colour),
                    pa.status,
                    f"{satisfied} of {total}",
                ]
            )
            if colour:
                extra += fill((2, n), colour)
        widths = [BODY_WIDTH - 100 * mm, 16 * mm, 28 * mm, 30 * mm, 26 * mm]
        out.append(CondPageBreak(40 * mm))
        out.append(rows_table(rows, widths, s, extra=extra))
        return out

    def goals(self) -> list[Flowable]:
        s = self.s
        out: list[Flowable] = [PageBreak(), para("4  Goal ratings", s.h1)]
        for pa in self.data.process_areas:
            rows: list[list[Any]] = [["Goal", "Title", "Rating"]]
            extra: list[tuple[Any, ...]] = []
            for n, goal in enumerate(pa.goals, start=1):
                colour = palette.GOAL_COLOURS.get(goal.rating)
                rows.append([goal.code, goal.title, rating_cell(goal.rating, colour)])
                if colour:
                    extra += fill((2, n), colour)
            heading = para(f"{pa.pa} {pa.name} · {pa.model} · capability level {pa.capability_text}", s.h2)
            goals = rows_table(rows, [28 * mm, BODY_WIDTH - 58 * mm, 30 * mm], s, extra=extra)
            out.append(KeepTogether([heading, goals]))
        return out

    def findings(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [PageBreak(), para("5  Findings", s.h1)]
        if not self.team:
            note = "Every finding the organization has validated, with its status."
            if d.unvalidated_findings:
                note += (
                    f" {d.unvalidated_findings} preliminary finding(s) are not in this edition until the organization "
                    "validates them."
                )
            out.append(para(note, s.muted))
        if not d.findings:
            out.append(para("No findings are recorded yet.", s.body))
            return out
        names = {(pa.model, pa.pa): pa.name for pa in d.process_areas}
        groups: dict[tuple[str | None, str | None], list[Any]] = {}
        for f in d.findings:
            groups.setdefault((f.model, f.pa), []).append(f)
        for (model, pa), items in groups.items():
            title = "The organizational unit as a whole" if pa is None else f"{pa} {names.get((model or '', pa), '')}"
            rows: list[list[Any]] = [["Kind", "About", "Finding"]]
            rows += [[f"{f.kind_label} ({f.status})", f.target or "-", f.text] for f in items]
            out.append(para(title, s.h2))
            out.append(rows_table(rows, [34 * mm, 24 * mm, BODY_WIDTH - 58 * mm], s))
        return out

    def coverage(self) -> list[Flowable]:
        d, s = self.data, self.s
        cov = d.coverage
        out: list[Flowable] = [CondPageBreak(60 * mm), para("6  Coverage statement", s.h1)]
        units = len([u for u in d.units if u.sampled])
        out.append(
            para(
                f"{_coverage_sentence(d)} The sample holds {units} sampled unit(s) across {len(d.subgroups)} "
                f"subgroup(s); coverage is checked for every rated practice of the {len(d.process_areas)} process "
                "areas in scope.",
                s.body,
            )
        )
        rows: list[list[Any]] = [["Rule", "What it asks", "Gaps"]]
        extra: list[tuple[Any, ...]] = []
        for n, rule in enumerate(cov.rules, start=1):
            rows.append([rule.name.replace("COVERAGE_", ""), rule.text, str(rule.gaps)])
            if rule.gaps:
                extra += fill((2, n), "f6d3d6")
        out.append(rows_table(rows, [34 * mm, BODY_WIDTH - 52 * mm, 18 * mm], s, extra=extra))
        if self.team and cov.gaps:
            out.append(para("Gaps", s.h2))
            listed = cov.gaps[:GAPS_LISTED]
            gap_rows: list[list[Any]] = [["Process area", "Practice", "Unit", "What is missing"]]
            gap_rows += [[g.pa or "-", g.practice or "-", g.unit or "-", g.missing] for g in listed]
            out.append(rows_table(gap_rows, [22 * mm, 26 * mm, 32 * mm, BODY_WIDTH - 80 * mm], s))
            if len(cov.gaps) > len(listed):
                more = len(cov.gaps) - len(listed)
                out.append(para(f"… and {more} more; the workbook's Coverage sheet lists every gap.", s.muted))
        return out

    def deficiencies(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [CondPageBreak(60 * mm), para("7  Deficiencies", s.h1)]
        if not d.deficiencies:
            out.append(
                para(
                    "No practice is characterized below Largely at organizational-unit level, and no goal is "
                    "Unsatisfied.",
                    s.body,
                )
            )
            return out
        behind = "the weaknesses the team recorded" if self.team else "the validated findings that explain them"
        out.append(
            para(
                "Practices characterized below Largely at organizational-unit level, and Unsatisfied goals, with "
                f"{behind}.",
                s.body,
            )
        )
        column = "Weaknesses" if self.team else "Findings"
        rows: list[list[Any]] = [["Process area", "Item", "Rating", column]]
        extra: list[tuple[Any, ...]] = []
        for n, item in enumerate(d.deficiencies, start=1):
            colour = palette.VALUE_COLOURS.get(item.rating) or palette.GOAL_COLOURS.get(item.rating)
            empty = "(no weakness recorded)" if self.team else "(see the goal's findings)"
            weak = "\n".join(f"• {w}" for w in item.weaknesses) or empty
            rows.append([item.pa, f"{item.code} {item.title}", rating_cell(item.rating, colour), weak])
            if colour:
                extra += fill((2, n), colour)
        out.append(rows_table(rows, [22 * mm, 52 * mm, 24 * mm, BODY_WIDTH - 98 * mm], s, extra=extra))
        return out

    def appendix(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        valid = h.valid_until.isoformat() if h.valid_until else "three years from the appraisal's end date"
        scope = ", ".join(f"{line.model} {line.pa}" for line in d.scope if not line.excluded)
        excluded = "; ".join(f"{e.pa}: {e.exclusion_reason}" for e in d.excluded) or "none"
        out: list[Flowable] = [
            PageBreak(),
            para("Appendix A  Disclosure", s.h1),
            para(
                "The facts an appraisal disclosure statement records, as held in the appraisal file when this "
                "summary was produced.",
                s.muted,
            ),
            self.pairs(
                [
                    ("Appraisal", h.name),
                    ("Appraisal ID", h.identifier or "not yet assigned"),
                    ("Sponsor", h.sponsor),
                    ("Lead appraiser", h.lead_appraiser),
                    ("Method", f"{h.method}; {h.scale} characterization scale"),
                    ("Dates", h.dates),
                    ("Ratings valid until", valid),
                    ("Organizational unit", h.org_unit_name),
                    ("Models", "; ".join(f"{m.name} ({m.key} {m.version})" for m in h.models) or "none"),
                    ("Process areas in scope", scope or "none"),
                    ("Exclusions", excluded),
                    ("Maturity level", d.maturity.text),
                    ("Equivalent staging", d.equivalent_staging.text),
                    (
                        "Unit-specific findings",
                        "announced in the plan"
                        if h.unit_specific_findings
                        else "not used (findings are about the organizational unit)",
                    ),
                    ("Edition and marking", f"{d.edition.label}; {d.marking}"),
                ]
            ),
            para("Appraisal team", s.h2),
        ]
        rows: list[list[Any]] = [["Name", "Role", "Organization"]]
        rows += [[m.name, m.role.capitalize(), m.organization] for m in d.team]
        if len(rows) == 1:
            rows.append(["(no team recorded)", "", ""])
        out.append(rows_table(rows, [60 * mm, 30 * mm, BODY_WIDTH - 90 * mm], s))
        out.append(Spacer(1, 10 * mm))
        out.append(
            self.pairs(
                [
                    ("Lead appraiser", "Signature: ______________________   Date: ____________"),
                    ("Sponsor", "Signature: ______________________   Date: ____________"),
                ]
            )
        )
        return out


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def _finding_counts(d: ReportData) -> str:
    counts = {"strength": 0, "weakness": 0, "improvement": 0}
    for f in d.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    text = (
        f"{counts['strength']} strengths, {counts['weakness']} weaknesses, "
        f"{counts['improvement']} improvement opportunities"
    )
    return text + (f" ({d.unvalidated_findings} preliminary not shown)" if d.unvalidated_findings else "")


def _coverage_sentence(d: ReportData) -> str:
    total = d.coverage.total_gaps
    if total == 0:
        return "Every coverage and sufficiency rule is met."
    broken = ", ".join(f"{r.name.replace('COVERAGE_', '')} {r.gaps}" for r in d.coverage.rules if r.gaps)
    return f"{total} gaps remain against the coverage and sufficiency rules ({broken})."


def build_story(data: ReportData, progress: Progress = _silent) -> list[Flowable]:
    summary = Sections(data)
    story: list[Flowable] = []
    sections = (
        summary.cover,
        summary.scope,
        summary.sampling,
        summary.profile,
        summary.goals,
        summary.findings,
        summary.coverage,
        summary.deficiencies,
        summary.appendix,
    )
    for n, section in enumerate(sections):
        progress(n, len(sections) + 1, "Laying out the summary")
        if section == summary.scope:
            story.append(PageBreak())
        story.extend(section())
    return story


def write_summary_pdf(data: ReportData, path: Path | OutputTarget, progress: Progress = _silent) -> None:
    """Write the summary to `path` atomically."""
    register_fonts()
    story = build_story(data, progress)
    progress(9, 10, "Writing the PDF")
    write_pdf(data, path, story, f"Appraisal summary ({data.edition.label}); {data.marking}", progress)
    progress(10, 10, "Done")
