"""The deficiencies section of `ReportData`: practices below Largely and Unsatisfied goals, and what explains them.

The team edition explains them with the units' weakness notes (the same note seen in several units listed once,
with its units) and the override rationale; the sponsor edition with the validated findings about them, never
with team notes. Every text is scrubbed here (method-rules §9).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.domain.rating.scales import GoalRating, Grade, Scale
from app.domain.report import Deficiency, ProcessAreaReport
from app.services.attribution import finding_location
from app.services.release_gate import FindingRow, deficiency_findings
from app.services.report_sources import CellIds
from app.storage.instantiation_repo import Instantiation

Scrub = Callable[[str | None, str | None], str]
ItemKey = tuple[str, str, str]
"""(model, PA, goal or practice code)."""


def explained_by_findings(rows: list[FindingRow], scrub: Scrub) -> dict[ItemKey, list[str]]:
    """The sponsor's explanations of deficiencies: validated finding texts by (model, PA, goal or practice)."""
    texts = {row.id: scrub(row.text, finding_location(row.id)) for row in rows}
    explained: dict[ItemKey, list[str]] = {}
    for by_practice in (False, True):
        for key, ids in deficiency_findings(rows, by_practice=by_practice).items():
            explained.setdefault(key, []).extend(texts[i] for i in ids)
    return explained


def _below_large(scale: Scale, value: str | None) -> bool:
    return value is not None and scale.grade(value) in (Grade.PARTIAL, Grade.NOT_MET)


def deficient_practices(areas: Iterable[ProcessAreaReport], scale: Scale) -> set[ItemKey]:
    """(model, PA, practice) of every practice `deficiencies` lists."""
    return {
        (pa.model, pa.pa, practice.code)
        for pa in areas
        for goal in pa.goals
        for practice in goal.practices
        if _below_large(scale, practice.ou_value)
    }


def weakness_lines(
    cells: Iterable[Instantiation], notes: dict[CellIds, str], shown: set[ItemKey], scrub: Scrub
) -> dict[ItemKey, list[str]]:
    """The weakness notes of the practices in `shown`, by (model, PA, practice): the same weakness seen in
    several units is listed once, with its units. Only those practices' notes are scrubbed."""
    seen: dict[ItemKey, dict[str, list[str]]] = {}
    for inst in cells:
        if (inst.model, inst.pa, inst.practice) not in shown:
            continue
        note = notes.get((inst.pa_id, inst.practice_id, inst.unit_id))
        if note is None or not note.strip():
            continue
        text = scrub(" ".join(note.split()), None)
        seen.setdefault((inst.model, inst.pa, inst.practice), {}).setdefault(text, []).append(inst.unit)
    return {key: [f"{text} ({', '.join(units)})" for text, units in texts.items()] for key, texts in seen.items()}


def deficiencies(
    areas: Iterable[ProcessAreaReport],
    stored_weak: dict[ItemKey, list[str]],
    explained: dict[ItemKey, list[str]],
    *,
    team: bool,
    scale: Scale,
) -> tuple[Deficiency, ...]:
    """Practices below LI and Unsatisfied goals. The team edition explains them with the units' weakness
    notes and the override rationale; the sponsor edition with the validated findings about them
    (`explained`, by (model, PA, goal or practice code)), never with team notes."""
    found = []
    for pa in areas:
        for goal in pa.goals:
            for practice in goal.practices:
                if practice.ou_value is None or not _below_large(scale, practice.ou_value):
                    continue
                key = (pa.model, pa.pa, practice.code)
                weak = stored_weak.get(key, []) if team else explained.get(key, [])
                found.append(
                    Deficiency(
                        pa.model, pa.pa, "practice", practice.code, practice.title, practice.ou_value, tuple(weak)
                    )
                )
            if goal.rating == GoalRating.UNSATISFIED:
                if team:
                    weak = [goal.override_rationale] if goal.override_rationale else []
                else:
                    weak = list(explained.get((pa.model, pa.pa, goal.code), []))
                below = [f"{p.code} {p.ou_value}" for p in goal.practices if _below_large(scale, p.ou_value)]
                if below:
                    weak.append(f"Practices below {scale.value_for(Grade.LARGE)}: " + ", ".join(below))
                found.append(Deficiency(pa.model, pa.pa, "goal", goal.code, goal.title, goal.rating, tuple(weak)))
    return tuple(found)
