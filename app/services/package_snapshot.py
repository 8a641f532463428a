"""What a mini-team package can change, read from a file as a plain snapshot for the three-way merge.

Items are keyed in the package's terms. Rows that existed at split keep their ids in both files (the package
began as a copy), so the lead's rows are found under the same ids; rows the package added are translated
through the id map that earlier merges of the same package recorded. Cells and decisions are keyed by the
catalog and unit ids they sit on, which never differ between the two files.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.merge import Record, Value
from app.domain.name_scrubber import NameScrubber
from app.storage.schema import (
    Affirmation,
    Artifact,
    ArtifactRevision,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
)

CELL_FIELDS = ("value", "strengths", "weaknesses", "notes", "consensus", "review_flag", "review_comment")
DEFAULTS: dict[str, Record] = {
    "characterization": {
        "value": None,
        "strengths": "",
        "weaknesses": "",
        "notes": "",
        "consensus": False,
        "review_flag": False,
        "review_comment": "",
    },
    "ou_characterization": {"value": None, "rationale": ""},
    "goal_override": {"rating": None, "rationale": ""},
}
IDENTIFIED = ("artifact", "affirmation", "finding")
"""Kinds whose items have an identity (a row id) of their own; a package's new ones are added under new ids."""


@dataclass
class IdTranslation:
    """Which of the lead's row ids stand for which of the package's, per identified kind."""

    to_package: dict[str, dict[int, int]] = field(default_factory=dict)

    def package_id(self, kind: str, lead_id: int | None) -> int | None:
        if lead_id is None:
            return None
        return self.to_package.get(kind, {}).get(lead_id)

    @classmethod
    def build(cls, base_keys: Collection[str], id_map: Mapping[str, Mapping[str, int]]) -> IdTranslation:
        """Shared ids are the identified items present at split; mapped ids are what earlier merges added."""
        result: dict[str, dict[int, int]] = {kind: {} for kind in IDENTIFIED}
        for key in base_keys:
            kind, _, rest = key.partition(":")
            if kind in result:
                result[kind][int(rest)] = int(rest)
        for kind, pairs in id_map.items():
            for package_id, lead_id in pairs.items():
                result.setdefault(kind, {})[lead_id] = int(package_id)
        return cls(result)


def _text(scrub: NameScrubber | None, value: str | None) -> str:
    if scrub is None:
        return value or ""
    return scrub(value)


def read_snapshot(
    session: Session,
    pa_ids: Collection[int],
    *,
    scrub: NameScrubber | None = None,
    translate: IdTranslation | None = None,
) -> dict[str, dict[str, Value]]:
    """The mergeable items of the file `session` reads, within `pa_ids`.

    With `translate` (the lead's file) identified rows are keyed by their package ids and rows the package never
    saw are left out; texts pass through `scrub` so participants' names withheld in the package compare equal.
    """
    pas = set(pa_ids)

    def ident(kind: str, row_id: int | None) -> int | None:
        return row_id if translate is None else translate.package_id(kind, row_id)

    items: dict[str, dict[str, Value]] = {}
    for c in session.scalars(select(Characterization).where(Characterization.process_area_id.in_(pas))):
        items[f"characterization:{c.process_area_id}:{c.practice_id}:{c.unit_id}"] = {
            "value": c.value,
            "strengths": _text(scrub, c.strengths),
            "weaknesses": _text(scrub, c.weaknesses),
            "notes": _text(scrub, c.notes),
            "consensus": bool(c.consensus),
            "review_flag": bool(c.review_flag),
            "review_comment": _text(scrub, c.review_comment),
        }
    for o in session.scalars(select(OuCharacterization).where(OuCharacterization.process_area_id.in_(pas))):
        items[f"ou_characterization:{o.process_area_id}:{o.practice_id}"] = {
            "value": o.value,
            "rationale": _text(scrub, o.rationale),
        }
    for g in session.scalars(select(GoalRatingOverride).where(GoalRatingOverride.process_area_id.in_(pas))):
        items[f"goal_override:{g.process_area_id}:{g.goal_id}"] = {
            "rating": g.rating,
            "rationale": _text(scrub, g.rationale),
        }
    for f in session.scalars(select(Finding)):
        finding_id = ident("finding", f.id)
        if finding_id is None or (translate is None and f.process_area_id not in pas):
            continue
        items[f"finding:{finding_id}"] = {
            "kind": f.kind,
            "status": f.status,
            "text": _text(scrub, f.text),
            "process_area_id": f.process_area_id,
            "goal_id": f.goal_id,
            "practice_id": f.practice_id,
        }
    files: dict[int, list[object]] = {}
    for r in session.scalars(
        select(ArtifactRevision).order_by(ArtifactRevision.artifact_id, ArtifactRevision.revision)
    ):
        files.setdefault(r.artifact_id, []).append([r.revision, _text(scrub, r.file_name), r.sha256, r.size])
    for a in session.scalars(select(Artifact)):
        artifact_id = ident("artifact", a.id)
        if artifact_id is None:
            continue
        items[f"artifact:{artifact_id}"] = {
            "title": _text(scrub, a.title),
            "artifact_type": a.artifact_type,
            "version_label": a.version_label,
            "location": a.location,
            "provided_by_unit_id": a.provided_by_unit_id,
            "effective_date": a.effective_date.isoformat() if a.effective_date else None,
            "description": _text(scrub, a.description),
            "files": files.get(a.id, []),
        }
    codes = dict(session.execute(select(InterviewSession.id, InterviewSession.code)).all())
    for m in session.scalars(select(Affirmation)):
        affirmation_id = ident("affirmation", m.id)
        if affirmation_id is None:
            continue
        items[f"affirmation:{affirmation_id}"] = {"session": codes.get(m.session_id), "text": _text(scrub, m.text)}
    for link in session.scalars(select(EvidenceLink).where(EvidenceLink.process_area_id.in_(pas))):
        if link.artifact_id is not None:
            source_id, letter = ident("artifact", link.artifact_id), "a"
        else:
            source_id, letter = ident("affirmation", link.affirmation_id), "m"
        if source_id is None:
            continue
        key = f"evidence_link:{letter}{source_id}:{link.process_area_id}:{link.practice_id}:{link.unit_id}"
        items[key] = {"adequacy": link.adequacy, "note": _text(scrub, link.note)}
    return items
