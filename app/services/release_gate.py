"""The one sponsor-release gate (method-rules §9): what stops an edition from being released.

Every exporter calls `check_release(ws, edition)` before writing anything; it raises `ReleaseRefused`, a
KnownError whose `blocks` list each thing to fix (finding, span, term, or an Unsatisfied goal no validated
finding explains). `release_blocks` returns the same list without raising, for the window to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rating.results import RatingResult
from app.domain.rating.scales import GoalRating
from app.domain.report import Edition
from app.services.attribution import finding_location, read_names
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage import schema as db
from app.storage.errors import KnownError

FOR_SPONSOR = ("validated", "final")
"""Finding statuses the sponsor edition shows."""
DEFICIENCY_KINDS = ("weakness", "improvement")
"""Finding kinds that explain a deficiency."""


# --- the release gate -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseBlock:
    """One thing that stops an edition from being released, and where the lead fixes it."""

    where: str
    """ "validated weakness finding #12 (IRP SG1)" or "IRP SG1 (Unsatisfied)"."""
    reason: str
    finding_id: int | None = None
    span: tuple[int, int] | None = None
    term: str = ""
    excerpt: str = ""
    model: str | None = None
    pa: str | None = None
    goal: str | None = None

    @property
    def line(self) -> str:
        """One line for the CLI and the refusal dialog."""
        at = f" at {self.span[0]}-{self.span[1]}" if self.span else ""
        shown = f": “{self.excerpt}”" if self.excerpt else ""
        return f"{self.where}{at}: {self.reason}{shown}"


class ReleaseRefused(KnownError):
    """An edition cannot be released; `blocks` says what stops it."""

    def __init__(self, edition: Edition, blocks: tuple[ReleaseBlock, ...]) -> None:
        self.edition = edition
        self.blocks = blocks
        count = len(blocks)
        super().__init__(
            f"The {edition.label.lower()} was not written: {count} thing{'s' if count != 1 else ''} "
            f"meant for it still need{'' if count != 1 else 's'} the lead's attention (non-attribution):\n  "
            + "\n  ".join(b.line for b in blocks)
        )


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as the gate and the exports read it: what it is about, by codes."""

    id: int
    kind: str
    status: str
    text: str
    model: str | None
    pa: str | None
    goal: str | None
    practice: str | None


def finding_rows(session: Session) -> list[FindingRow]:
    pas = {
        pid: (model, acronym)
        for pid, model, acronym in session.execute(
            select(db.CatalogProcessArea.id, db.CatalogModel.key, db.CatalogProcessArea.acronym).join(
                db.CatalogModel, db.CatalogModel.id == db.CatalogProcessArea.model_id
            )
        )
    }
    goals: dict[int, str] = {gid: code for gid, code in session.execute(select(db.CatalogGoal.id, db.CatalogGoal.code))}
    practices = {
        pid: (code, goals.get(gid))
        for pid, code, gid in session.execute(
            select(db.CatalogPractice.id, db.CatalogPractice.code, db.CatalogPractice.goal_id)
        )
    }
    rows = []
    for f in session.scalars(select(db.Finding).order_by(db.Finding.id)):
        model, pa = pas.get(f.process_area_id, (None, None)) if f.process_area_id is not None else (None, None)
        practice, goal = practices.get(f.practice_id, (None, None)) if f.practice_id is not None else (None, None)
        if goal is None and f.goal_id is not None:
            goal = goals.get(f.goal_id)
        rows.append(FindingRow(f.id, f.kind, f.status, f.text, model, pa, goal, practice))
    return rows


def _finding_where(row: FindingRow) -> str:
    about = row.practice or row.goal
    target = "" if row.pa is None else (row.pa if about is None else f"{row.pa} {about}")
    return f"{row.status} {row.kind} finding #{row.id}" + (f" ({target})" if target else "")


def deficiency_findings(rows: list[FindingRow], *, by_practice: bool = False) -> dict[tuple[str, str, str], list[int]]:
    """(model, PA, goal code) -> ids of the validated weakness and improvement findings about that goal or one
    of its practices; with `by_practice`, (model, PA, practice code) -> those about that practice."""
    linked: dict[tuple[str, str, str], list[int]] = {}
    for row in rows:
        if row.status not in FOR_SPONSOR or row.kind not in DEFICIENCY_KINDS or not (row.model and row.pa):
            continue
        item = row.practice if by_practice else row.goal
        if item:
            linked.setdefault((row.model, row.pa, item), []).append(row.id)
    return linked


def read_blocks(session: Session, edition: Edition, result: RatingResult) -> tuple[ReleaseBlock, ...]:
    """What stops `edition` from being released, read in an open session (see `release_blocks`)."""
    if edition is not Edition.SPONSOR:
        # The team edition is for the team: every text in it is scrubbed of names, nothing is withheld.
        return ()
    names = read_names(session)
    blocks: list[ReleaseBlock] = []
    rows = finding_rows(session)
    for row in rows:
        if row.status not in FOR_SPONSOR:
            continue
        for flag in names.open_flags(finding_location(row.id), row.text):
            blocks.append(
                ReleaseBlock(
                    _finding_where(row),
                    f"{flag.description}; reword it or mark it reviewed",
                    finding_id=row.id,
                    span=flag.match.span,
                    term=flag.match.term,
                    excerpt=flag.excerpt,
                    model=row.model,
                    pa=row.pa,
                    goal=row.goal,
                )
            )
    linked = deficiency_findings(rows)
    for pa in result.process_areas:
        if pa.excluded:
            continue
        for goal in pa.goals:
            if goal.rating is GoalRating.UNSATISFIED and (pa.key.model, pa.key.pa, goal.code) not in linked:
                blocks.append(
                    ReleaseBlock(
                        f"{pa.key.pa} {goal.code} (Unsatisfied)",
                        "no validated weakness finding explains it; write one about the goal or one of its "
                        "practices and validate it",
                        model=pa.key.model,
                        pa=pa.key.pa,
                        goal=goal.code,
                    )
                )
    return tuple(blocks)


def release_blocks(ws: Workspace, edition: Edition, result: RatingResult | None = None) -> tuple[ReleaseBlock, ...]:
    """Everything that stops `edition` from being released; empty when it may be written.

    The sponsor edition is blocked by every unreviewed flag in a validated or final finding (finding, span,
    term) and by every Unsatisfied goal no validated finding explains. The team edition is never blocked.
    """
    if result is None:
        result = rate_appraisal(ws)
    with ws.uow() as uow:
        return read_blocks(uow.session, edition, result)


def check_release(ws: Workspace, edition: Edition, result: RatingResult | None = None) -> None:
    """Raise `ReleaseRefused` listing the blocks when `edition` may not be written."""
    blocks = release_blocks(ws, edition, result)
    if blocks:
        raise ReleaseRefused(edition, blocks)
