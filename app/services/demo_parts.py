"""What the demo builder (`demo.py`) works with: rows with the ids chosen ahead of the insert, a process area's
instantiations by unit, how statements are picked, and the small stand-in files attached to documents."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.services.demo_content import PaStory, Said
from app.storage.instantiation_repo import Instantiation
from app.storage.schema import (
    Affirmation,
    Artifact,
    ArtifactRevision,
    Blob,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
    Participant,
)


def full_code(model: str, pa: str, code: str) -> str:
    """CERT-RMM codes carry their process area ("VAR:SG3.SP1"); the content writes them short."""
    if model == "CERT-RMM" and not code.startswith(("GP", "GG")) and ":" not in code:
        return f"{pa}:{code}"
    return code


@dataclass
class Rows:
    """Rows per table, in insertion order, with the next id of each."""

    tables: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: type[Any], **values: Any) -> int:
        rows = self.tables.setdefault(table, [])
        row_id = len(rows) + 1
        rows.append({"id": row_id, **values})
        return row_id

    def write(self, session: Session) -> None:
        # Parents before children, so foreign keys hold at every statement.
        order = (
            Blob,
            Artifact,
            ArtifactRevision,
            InterviewSession,
            Participant,
            Affirmation,
            EvidenceLink,
            Characterization,
            OuCharacterization,
            GoalRatingOverride,
            Finding,
        )
        for table in order:
            rows = self.tables.get(table)
            if rows:
                session.execute(insert(table), rows)


@dataclass(frozen=True, slots=True)
class Area:
    """One process area in scope: its story and instantiations by unit."""

    acronym: str
    model: str
    pa_id: int
    story: PaStory
    cells: dict[str, list[Instantiation]]
    """Unit name -> instantiations in practice order."""

    def examined(self, unit: str) -> bool:
        return self.story.examined_in is None or unit in self.story.examined_in

    def code(self, short: str) -> str:
        return full_code(self.model, self.acronym, short)

    def first_goal(self) -> str:
        first = next(iter(self.cells.values()))
        return next(i.goal for i in first if not i.generic)


def in_goals(goals: set[str]) -> Callable[[Instantiation], bool]:
    return lambda cell: not cell.generic and cell.goal in goals


def is_practice(codes: set[str]) -> Callable[[Instantiation], bool]:
    return lambda cell: cell.practice in codes


def pick_one(options: Sequence[str], roll: float) -> str:
    return options[int(roll * len(options))] if options else ""


def rotated(items: Sequence[Said], index: int) -> list[Said]:
    start = index % len(items) if items else 0
    return list(items[start:]) + list(items[:start])


def covering(items: Sequence[Said], goals: set[str], index: int, code: Callable[[str], str]) -> list[Said]:
    """Statements covering every goal in `goals`, starting at a different one per session, plus one more."""
    chosen: list[Said] = []
    left = set(goals)
    rest: list[Said] = []
    for said in rotated(items, index):
        mine = {code(g) for g in said.goals} & goals
        if mine & left:
            chosen.append(said)
            left -= mine
        elif mine:
            rest.append(said)
    return chosen + rest[:1]


def file_for(title: str, kind: str, text: str, revision: int) -> tuple[str, bytes]:
    """A small stand-in file for a document: CSV for records and spreadsheets, plain text otherwise."""
    stem = "".join(ch if ch.isalnum() or ch in " -_." else "-" for ch in title).strip()[:80]
    rng = random.Random(zlib.crc32(f"{title}#{revision}".encode()))
    if kind in ("record", "spreadsheet"):
        lines = ["date,reference,item,status"]
        for n in range(5 + rng.randrange(6)):
            day = 1 + rng.randrange(28)
            status = rng.choice(("open", "closed", "closed", "in review"))
            lines.append(f"2026-{9 + n % 3:02d}-{day:02d},OVIG-{1000 + rng.randrange(9000)},entry {n + 1},{status}")
        body = "\n".join(lines) + "\n"
        return f"{stem}.csv", body.encode()
    body = (
        f"Olive Vehicle Insurance (OVIG) – {title}\n"
        f"Revision {revision}. Controlled document, customer services.\n\n{text}\n\n"
        "Demo content: this short file stands in for the organization's document.\n"
    )
    return f"{stem}.txt", body.encode()
