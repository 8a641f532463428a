"""The appraisal disclosure statement as a PDF (method-rules §6), in the summary's page furniture and with some
of its sections."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.domain.report import ReportData
from app.storage.output_files import OutputTarget
from app.storage.pdf_blocks import para, rows_table
from app.storage.pdf_furniture import BODY_WIDTH, register_fonts, write_pdf
from app.storage.summary_pdf import Sections


def build_disclosure_story(data: ReportData, signatures: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The appraisal disclosure statement (method-rules §6): identification, team, OU and sampling, model
    scope with exclusions, ratings, validity and signature blocks."""
    summary = Sections(data)
    h, s = data.header, summary.s
    valid = h.valid_until.isoformat() if h.valid_until else "three years from the appraisal's end date"
    story: list[Flowable] = [
        para("Appraisal disclosure statement", s.title),
        Spacer(1, 3 * mm),
        para(h.name, s.subtitle),
        Spacer(1, 6 * mm),
        summary.pairs(
            [
                ("Appraisal ID", h.identifier or "not yet assigned"),
                ("Dates", h.dates),
                ("Method and version", f"{h.method}; {h.scale} characterization scale"),
                ("Sponsor", h.sponsor),
                ("Lead appraiser", h.lead_appraiser),
                ("Ratings valid until", valid),
            ]
        ),
        para("Appraisal team", s.h2),
    ]
    rows: list[list[Any]] = [["Name", "Role", "Organization"]]
    rows += [[m.name, m.role.capitalize(), m.organization] for m in data.team] or [["(no team recorded)", "", ""]]
    story.append(rows_table(rows, [60 * mm, 30 * mm, BODY_WIDTH - 90 * mm], s))
    story += summary.scope()
    story += summary.sampling()
    story.append(para("3  Ratings", s.h1))
    story.append(
        para(f"Maturity level: {data.maturity.text}. Equivalent staging: {data.equivalent_staging.text}.", s.body)
    )
    rows = [["Process area", "Target", "Capability level", "Goals satisfied"]]
    for pa in data.process_areas:
        satisfied, total = pa.goals_satisfied
        target = f"CL{pa.target_capability_level}" if pa.target_capability_level is not None else "-"
        rows.append([pa.label, target, pa.capability_text, f"{satisfied} of {total}"])
    story.append(rows_table(rows, [BODY_WIDTH - 84 * mm, 22 * mm, 32 * mm, 30 * mm], s))
    story.append(CondPageBreak(70 * mm))
    story.append(para("4  Affirmation and signatures", s.h1))
    story.append(
        para(
            "The lead appraiser affirms that the appraisal was conducted in accordance with the method and that the "
            "ratings rest on the objective evidence; the sponsor affirms the accuracy of the organizational scope; "
            f"the team members affirm the results. The ratings are valid until {valid}.",
            s.body,
        )
    )
    rows = [["Role", "Name", "Signature", "Date"]]
    rows += [[role, name, "", ""] for role, name in signatures]
    room = [("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 26)]  # room to sign
    story.append(rows_table(rows, [32 * mm, 50 * mm, BODY_WIDTH - 112 * mm, 30 * mm], s, extra=room))
    return story


def write_disclosure_pdf(data: ReportData, signatures: Sequence[tuple[str, str]], path: Path | OutputTarget) -> None:
    """Write the disclosure statement as a PDF to `path` atomically."""
    register_fonts()
    write_pdf(data, path, build_disclosure_story(data, signatures), f"Appraisal disclosure statement; {data.marking}")
