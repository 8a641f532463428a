"""The Word report, the PowerPoint briefing and the appraisal record: readiness, the report template kept with
the appraisal, checking a template, writing the files.

The report is made from the same `ReportData` as the PDF summary and the workbook (one edition filter, one
name scrubber), laid into a docxtpl template: the shipped one for the edition, or the organisation's own,
chosen once and kept in the appraisal file so whoever makes the report later gets the same layout.

Final outputs (the report, the briefing, the record) are refused while the appraisal is not ready: a team
judgment still pending, a finding not yet validated. `draft=True` makes them anyway, marked DRAFT.

The writers (python-docx, python-pptx, Pillow, reportlab, jinja2) are imported by the functions that use them,
so the window and the command line start without them (issue 14).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.domain.rating.scales import GoalRating
from app.domain.record import build_record
from app.domain.report import Edition, ReportData
from app.domain.report_fields import report_context
from app.services.exports import ExportResult, edition_of, marking_for, report_for, writer_progress
from app.services.release_gate import deficiency_findings, finding_rows
from app.services.workspace import Workspace
from app.storage import schema as db
from app.storage.errors import KnownError
from app.storage.output_files import output_target

if TYPE_CHECKING:
    from app.storage.template_check import TemplateProblem

Progress = Callable[[int, int, str], None]
DRAFT_PREFIX = "DRAFT - "
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
SHOWN_BLOCKERS = 12


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


class NotReady(KnownError):
    """A final output was asked for while decisions or validations are still open; `blockers` lists them."""

    def __init__(self, what: str, blockers: tuple[str, ...]) -> None:
        self.blockers = blockers
        shown = "\n".join(f"  - {b}" for b in blockers[:SHOWN_BLOCKERS])
        more = f"\n  … and {len(blockers) - SHOWN_BLOCKERS} more" if len(blockers) > SHOWN_BLOCKERS else ""
        super().__init__(
            f"The appraisal is not ready for {what}; {len(blockers)} item(s) are still open:\n{shown}{more}\n"
            "Settle them first, or make a draft (“Make a draft” in the export dialog, --draft on the command line); "
            "a draft is marked DRAFT on every page."
        )


class TemplateProblems(KnownError):
    def __init__(self, source: str, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"The report template {source} has {len(problems)} problem(s); nothing was written:\n{lines}")


def blockers(ws: Workspace, data: ReportData) -> tuple[str, ...]:
    """What keeps the appraisal from its final outputs, one line each, naming no participant: pending team
    judgments and goal decisions, an Unsatisfied goal no validated weakness explains, preliminary findings."""
    found: list[str] = []
    with ws.uow() as uow:
        explained = deficiency_findings(finding_rows(uow.session))
        rows = uow.session.execute(
            select(db.Finding.id, db.Finding.kind).where(db.Finding.status == "preliminary").order_by(db.Finding.id)
        ).all()
    for pa in data.process_areas:
        for goal in pa.goals:
            for practice in goal.practices:
                if practice.judgment_needed:
                    found.append(f"{pa.pa} {practice.code}: the team's judgment of the OU characterization is pending")
            if goal.decision_pending:
                found.append(f"{pa.pa} {goal.code}: the team's decision on the goal rating is pending")
            elif goal.rating == GoalRating.UNSATISFIED and (pa.model, pa.pa, goal.code) not in explained:
                found.append(
                    f"{pa.pa} {goal.code} is Unsatisfied and no validated weakness finding explains it: write one "
                    "about the goal or one of its practices and validate it"
                )
    shown = {f.id: f for f in data.findings}
    for finding_id, kind in rows:
        line = shown.get(finding_id)
        about = (line.target or "the organizational unit") if line else "withheld from this edition"
        found.append(f"finding #{finding_id} ({kind}, {about}) is preliminary: validate it with the participants")
    return tuple(found)


def ready_data(
    ws: Workspace, edition: Edition, marking: str | None, what: str, draft: bool, progress: Progress
) -> ReportData:
    """The report data for a final output, or NotReady; a draft carries DRAFT in its marking."""
    data = report_for(ws, edition, marking, progress, names_only=True)
    open_items = blockers(ws, data)
    if open_items and not draft:
        raise NotReady(what, open_items)
    if draft and not data.marking.startswith(DRAFT_PREFIX):
        data = _with_marking(data, DRAFT_PREFIX + data.marking)
    return data


def _with_marking(data: ReportData, marking: str) -> ReportData:
    return replace(data, marking=marking)


# --- the template kept with the appraisal ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    edition: Edition
    file_name: str
    """ "" for the shipped template."""
    sha256: str
    added_at: datetime | None

    @property
    def shipped(self) -> bool:
        return not self.file_name


def template_info(ws: Workspace, edition: Edition | str) -> TemplateInfo:
    chosen = edition_of(edition)
    with ws.uow() as uow:
        row = uow.session.scalars(select(db.ReportTemplate).where(db.ReportTemplate.edition == chosen.value)).first()
        if row is None:
            return TemplateInfo(chosen, "", "", None)
        return TemplateInfo(chosen, row.file_name, row.sha256, row.added_at)


def _read_template(path: Path) -> bytes:
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise KnownError(f"{path.name} is {size // (1024 * 1024)} MB; a report template must be under 20 MB.")
        return path.read_bytes()
    except OSError as exc:
        raise KnownError(f"Cannot read the template {path}: {exc.strerror or exc}.") from None


@dataclass(frozen=True, slots=True)
class StoredTemplate:
    """A template as kept in the appraisal file: what undo puts back."""

    edition: Edition
    file_name: str
    content: bytes


def stored_template(ws: Workspace, edition: Edition | str) -> StoredTemplate | None:
    chosen = edition_of(edition)
    with ws.uow() as uow:
        row = uow.session.scalars(select(db.ReportTemplate).where(db.ReportTemplate.edition == chosen.value)).first()
        return None if row is None else StoredTemplate(chosen, row.file_name, row.data)


def read_checked_template(path: Path) -> StoredTemplate:
    """A template file read and checked (TemplateProblems when it has any), not yet kept; edition TEAM."""
    from app.storage.template_check import check_template

    raw = _read_template(path)
    problems = check_template(raw)
    if problems:
        raise TemplateProblems(Path(path).name, problems)
    return StoredTemplate(Edition.TEAM, Path(path).name, raw)


def keep_template(ws: Workspace, edition: Edition | str, template: StoredTemplate) -> None:
    """Keep `template` (already checked) as the appraisal's template for `edition`, in one transaction."""
    chosen = edition_of(edition)
    with ws.uow() as uow:
        session = uow.session
        row = session.scalars(select(db.ReportTemplate).where(db.ReportTemplate.edition == chosen.value)).first()
        if row is None:
            row = db.ReportTemplate(edition=chosen.value)
            session.add(row)
        row.file_name, row.data, row.added_at = template.file_name, template.content, datetime.now()
        row.sha256 = hashlib.sha256(template.content).hexdigest()
        uow.log("set", "report_template", None, f"{chosen.value}: {template.file_name}")
        uow.commit()


def set_template(ws: Workspace, edition: Edition | str, path: Path) -> TemplateInfo:
    """Keep `path` as the appraisal's report template for `edition`; refused (nothing kept) if it has problems."""
    keep_template(ws, edition, read_checked_template(path))
    return template_info(ws, edition)


def clear_template(ws: Workspace, edition: Edition | str) -> None:
    """Go back to the shipped template for `edition`."""
    chosen = edition_of(edition)
    with ws.uow() as uow:
        row = uow.session.scalars(select(db.ReportTemplate).where(db.ReportTemplate.edition == chosen.value)).first()
        if row is not None:
            uow.session.delete(row)
            uow.log("clear", "report_template", None, chosen.value)
            uow.commit()


def template_bytes(ws: Workspace, edition: Edition) -> tuple[str, bytes]:
    """(name to show, content) of the template a report of `edition` uses."""
    from app.storage.report_docx import default_template

    with ws.uow() as uow:
        row = uow.session.scalars(select(db.ReportTemplate).where(db.ReportTemplate.edition == edition.value)).first()
        if row is not None:
            return row.file_name, row.data
    return f"report-{edition.value}.docx (shipped)", default_template(edition.value)


def check_template_file(path: Path) -> list[TemplateProblem]:
    from app.storage.template_check import check_template

    return check_template(_read_template(path))


# --- the report ---------------------------------------------------------------------------------------------


def export_docx(
    ws: Workspace,
    path: Path,
    edition: Edition | str = Edition.TEAM,
    marking: str | None = None,
    *,
    template: Path | None = None,
    draft: bool = False,
    overwrite: bool = False,
    progress: Progress = _silent,
) -> ExportResult:
    """Write the Word report to `path` from `template` (a file), or the appraisal's own, or the shipped one.

    Never over the appraisal, the template or any appraisal; over another existing file only with `overwrite`.
    """
    from app.storage.profile_image import profile_png
    from app.storage.report_docx import render_docx, write_docx
    from app.storage.template_check import check_template

    chosen = edition_of(edition)
    marking_for(chosen, marking)  # a bad marking is refused before any work
    target = output_target(path, overwrite=overwrite, inputs=(ws.path, template))
    if template is not None:
        source, raw = Path(template).name, _read_template(template)
    else:
        source, raw = template_bytes(ws, chosen)
    problems = check_template(raw)
    if problems:
        raise TemplateProblems(source, problems)
    data = ready_data(ws, chosen, marking, "its report", draft, progress)
    write = writer_progress(progress)
    write(1, 4, "Drawing the capability profile")
    chart = profile_png(data.process_areas)
    write(2, 4, "Filling the template")
    content = render_docx(raw, report_context(data), chart)
    write(3, 4, f"Writing {Path(path).name}")
    write_docx(content, target)
    write(4, 4, "Done")
    return ExportResult(Path(path), chosen, data.marking, len(data.process_areas), 0)


# --- the final findings briefing ----------------------------------------------------------------------------


def export_pptx(
    ws: Workspace,
    path: Path,
    edition: Edition | str = Edition.TEAM,
    marking: str | None = None,
    *,
    draft: bool = False,
    overwrite: bool = False,
    progress: Progress = _silent,
) -> ExportResult:
    """Write the final findings briefing (PowerPoint) to `path`; speaker notes for the team edition only."""
    from app.storage.briefing_pptx import build_briefing, write_briefing

    chosen = edition_of(edition)
    marking_for(chosen, marking)
    target = output_target(path, overwrite=overwrite, inputs=(ws.path,))
    data = ready_data(ws, chosen, marking, "its final findings briefing", draft, progress)
    content = build_briefing(report_context(data), notes=chosen is Edition.TEAM, progress=writer_progress(progress))
    write_briefing(content, target)
    return ExportResult(Path(path), chosen, data.marking, len(data.process_areas), 0)


# --- the appraisal record and disclosure statement ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordResult:
    folder: Path
    files: tuple[Path, ...]
    marking: str
    practices: int
    """Practice-in-unit rows of the record."""


def record_files_in(folder: Path) -> list[str]:
    """The names of an earlier record's files in `folder` (empty when there is none, or no folder)."""
    from app.storage.record_files import record_file_names

    folder = Path(folder).expanduser()
    return [name for name in record_file_names() if (folder / name).exists()] if folder.is_dir() else []


def export_record(
    ws: Workspace,
    folder: Path,
    marking: str | None = None,
    *,
    draft: bool = False,
    overwrite: bool = False,
    progress: Progress = _silent,
) -> RecordResult:
    """Write the disclosure statement (DOCX, PDF), record.json and the CSV tables into `folder`.

    The record holds per-practice, per-unit data, so it is built from the team edition (names scrubbed).
    Every file is checked before any is written: a record that exists is replaced only with `overwrite`.
    """
    from app.storage.record_files import record_targets, write_record
    from app.storage.report_docx import default_template_named, render_docx

    marking_for(Edition.TEAM, marking)
    targets = record_targets(folder, overwrite=overwrite, inputs=(ws.path,))
    data = ready_data(ws, Edition.TEAM, marking, "its appraisal record", draft, progress)
    context = report_context(data)
    record = build_record(data)
    statement = render_docx(default_template_named("disclosure-statement"), context, None)
    signatures = [(s["role"], s["name"]) for s in context["signatures"]]
    files = write_record(targets, data, record, statement, signatures, writer_progress(progress))
    return RecordResult(Path(folder), tuple(files), data.marking, len(record["practices"]))
