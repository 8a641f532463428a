"""Editing the open appraisal's plan: read it, replace it whole, weigh what a change deletes, set the phase,
export it as a plan file.

`update_plan` replaces the whole plan in one transaction, so an undo step is simply the previous plan written
back. Units are matched by name (their evidence hangs off their rows), so a rename must be passed as one, or
the unit would be deleted and created anew. Anything that would delete recorded work is refused unless the
caller says the user agreed (`allow_loss`): that keeps an undo or redo step from silently deleting evidence
recorded since.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.plan import PaKey, Plan, PlanError, PlanProblem
from app.domain.plan_data import changed_fields, checked_plan, plan_to_data
from app.services.characterize import SCALE_VALUES
from app.services.workspace import Workspace
from app.storage.edit_guard import refuse_if_changed
from app.storage.errors import KnownError
from app.storage.output_files import output_target, write_atomically
from app.storage.plan_repo import pa_ids, read_plan, write_plan
from app.storage.schema import (
    Appraisal,
    Artifact,
    Characterization,
    EvidenceLink,
    InterviewSession,
    OuCharacterization,
    Unit,
)

PHASES = ("plan", "conduct", "report", "closed")

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True, slots=True)
class Impact:
    """What a plan change does to recorded work.

    Removing a unit deletes its evidence links and characterizations, and cuts the link from its interview
    sessions and provided artifacts (those stay, without a unit). Removing a process area from scope deletes
    nothing: its evidence and characterizations stay in the file, left out until it is in scope again.
    """

    removed_units: tuple[str, ...] = ()
    evidence_links: int = 0
    characterizations: int = 0
    interview_sessions: int = 0
    artifacts: int = 0
    removed_scope: tuple[PaKey, ...] = ()
    out_of_scope_evidence_links: int = 0
    out_of_scope_characterizations: int = 0

    @property
    def irreversible(self) -> bool:
        """The change deletes recorded work or detaches it from its unit; undo cannot bring that back."""
        return bool(self.evidence_links or self.characterizations or self.interview_sessions or self.artifacts)

    def losses(self) -> list[str]:
        """What is lost, in words ("4 evidence links will be deleted", ...)."""
        lines = []
        for count, singular, what in (
            (self.evidence_links, "evidence link", "will be deleted"),
            (
                self.characterizations,
                "practice characterization",
                "(values, strengths, weaknesses, notes) will be deleted",
            ),
            (self.interview_sessions, "interview session", "will stay, but no longer name a unit"),
            (self.artifacts, "artifact", "will stay, but no longer show which unit provided it"),
        ):
            if count:
                lines.append(f"{_count(count, singular)} {what}")
        return lines

    def set_aside(self) -> list[str]:
        """What a scope removal leaves out of the ratings (kept in the file)."""
        lines = []
        if self.out_of_scope_evidence_links:
            lines.append(_count(self.out_of_scope_evidence_links, "evidence link"))
        if self.out_of_scope_characterizations:
            lines.append(_count(self.out_of_scope_characterizations, "practice characterization"))
        return lines


def _count(n: int, singular: str) -> str:
    return f"{n} {singular}{'' if n == 1 else 's'}"


class DataLossRefused(KnownError):
    """The change would delete recorded work and the caller did not say the user agreed to that."""

    def __init__(self, impact: Impact) -> None:
        self.impact = impact
        units = ", ".join(impact.removed_units)
        super().__init__(
            f"This would remove {units} and with it: {'; '.join(impact.losses())}. Nothing was changed. "
            "Remove it on the Plan page, which asks first."
        )


def get_plan(ws: Workspace) -> Plan:
    with ws.uow() as uow:
        return read_plan(uow.session)


def get_phase(ws: Workspace) -> str:
    with ws.uow() as uow:
        return uow.session.scalars(select(Appraisal.phase)).one()


def scale_lock(ws: Workspace) -> str | None:
    """Why the rating scale cannot change now, or None when it can."""
    with ws.uow() as uow:
        return _scale_lock(uow.session)


def _scale_lock(session: Session) -> str | None:
    scale = session.scalars(select(Appraisal.scale)).one()
    used = _scalar(session, select(func.count()).where(Characterization.value.is_not(None)))
    used += _scalar(session, select(func.count()).select_from(OuCharacterization))
    if not used:
        return None
    return (
        f"The scale cannot change: {_count(used, 'characterization')} already use{'s' if used == 1 else ''} "
        f"the {scale} values ({'/'.join(SCALE_VALUES[scale])}). Clear them first."
    )


def update_plan(
    ws: Workspace,
    plan: Plan,
    *,
    renamed_units: Mapping[str, str] | None = None,
    allow_loss: bool = False,
    expected: Plan | None = None,
) -> None:
    """Replace the plan with `plan` in one transaction, logged. `expected`: the plan as the person saw it (or, for
    an undo, as their edit left it); if someone else changed it since, nothing is written (StaleEditError).

    Raises PlanError (nothing written) when the plan is invalid or changes the scale of a characterized
    appraisal; DataLossRefused when it would delete recorded work and `allow_loss` is false.
    `renamed_units` maps old unit names to new ones, so a renamed unit keeps its evidence.
    """
    checked = checked_plan(plan, ws.catalog())
    renames = dict(renamed_units or {})
    new_names = {u.name for u in checked.units}
    for old, new in renames.items():
        if new not in new_names or (old in new_names and old not in renames.values()):
            raise ValueError(f"renaming unit {old!r} to {new!r} does not match the plan's units")
    with ws.uow() as uow:
        session = uow.session
        before = read_plan(session)
        appraisal = session.scalars(select(Appraisal)).one()
        # `expected` as it was stored: the plan an edit wrote was normalised on the way (names trimmed, old
        # process-area names resolved), so that is what its undo finds.
        seen = None if expected is None else checked_plan(expected, ws.catalog())
        refuse_if_changed(session, appraisal, seen is not None and before != seen)
        if checked.scale != before.scale:
            refusal = _scale_lock(session)
            if refusal:
                raise PlanError("plan", [PlanProblem(None, "appraisal.scale", refusal)])
        _rename_units(session, renames)
        doomed = [row for row in session.scalars(select(Unit)) if row.name not in new_names]
        impact = _unit_impact(session, doomed)
        if impact.irreversible and not allow_loss:
            raise DataLossRefused(impact)
        write_plan(session, checked)
        detail = ", ".join(changed_fields(before, checked)) or "no change"
        if renames:
            detail += "; renamed " + ", ".join(f"{old} → {new}" for old, new in renames.items())
        if doomed:
            detail += "; removed " + ", ".join(row.name for row in doomed)
        uow.log("update", "plan", appraisal.id, detail)
        uow.commit()


def _rename_units(session: Session, renames: Mapping[str, str]) -> None:
    rows = {row.name: row for row in session.scalars(select(Unit))}
    moving = [(rows[old], new) for old, new in renames.items() if old in rows]
    # A row already holding a target name (and not renamed itself) is a unit the plan drops: move it aside
    # so the renamed unit can take its name; write_plan then deletes it.
    taken = [rows[new] for old, new in renames.items() if old in rows and new in rows and new not in renames]
    for row in [row for row, _ in moving] + taken:
        row.name = f"\ufffe renaming {row.id}"  # a noncharacter: no user's name, and not a control character
    session.flush()
    for row, new in moving:
        row.name = new
    session.flush()


def _unit_impact(session: Session, units: Sequence[Unit]) -> Impact:
    if not units:
        return Impact()
    ids = [row.id for row in units]
    return Impact(
        removed_units=tuple(row.name for row in units),
        evidence_links=_scalar(session, select(func.count()).where(EvidenceLink.unit_id.in_(ids))),
        characterizations=_scalar(session, select(func.count()).where(Characterization.unit_id.in_(ids))),
        interview_sessions=_scalar(session, select(func.count()).where(InterviewSession.unit_id.in_(ids))),
        artifacts=_scalar(session, select(func.count()).where(Artifact.provided_by_unit_id.in_(ids))),
    )


def _scalar(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def plan_change_impact(
    ws: Workspace, old: Plan, new: Plan, *, renamed_units: Mapping[str, str] | None = None
) -> Impact:
    """What replacing `old` (the plan in the file) by `new` would delete or set aside, counted in the file."""
    renames = dict(renamed_units or {})
    new_names = {u.name for u in new.units}

    def kept(name: str) -> bool:
        if name in renames:
            return renames[name] in new_names
        # A unit whose name another unit is renamed to is replaced by that one.
        return name in new_names and name not in renames.values()

    removed = [u.name for u in old.units if not kept(u.name)]
    new_scope = {e.pa for e in new.scope}
    removed_scope = tuple(e.pa for e in old.scope if e.pa not in new_scope)
    with ws.uow() as uow:
        session = uow.session
        units = list(session.scalars(select(Unit).where(Unit.name.in_(removed)))) if removed else []
        impact = _unit_impact(session, units)
        ids = pa_ids(session)
        scope_ids = [ids[key] for key in removed_scope if key in ids]
        links = chars = 0
        if scope_ids:
            links = _scalar(session, select(func.count()).where(EvidenceLink.process_area_id.in_(scope_ids)))
            chars = _scalar(session, select(func.count()).where(Characterization.process_area_id.in_(scope_ids)))
    return Impact(
        removed_units=impact.removed_units,
        evidence_links=impact.evidence_links,
        characterizations=impact.characterizations,
        interview_sessions=impact.interview_sessions,
        artifacts=impact.artifacts,
        removed_scope=removed_scope,
        out_of_scope_evidence_links=links,
        out_of_scope_characterizations=chars,
    )


def set_phase(ws: Workspace, phase: str, *, expected: str | None = None) -> str:
    """Move the appraisal to `phase` (plan, conduct, report, closed); returns the phase it was in. `expected`: the
    phase the person saw (StaleEditError when someone else moved it since)."""
    if phase not in PHASES:
        raise KnownError(f"{phase!r} is not a phase of an appraisal ({', '.join(PHASES)}).")
    with ws.uow() as uow:
        appraisal = uow.session.scalars(select(Appraisal)).one()
        before = appraisal.phase
        refuse_if_changed(uow.session, appraisal, expected is not None and before != expected, "The phase")
        appraisal.phase = phase
        uow.log("phase", "appraisal", appraisal.id, f"{before} → {phase}")
        uow.commit()
        return before


# --- plan files ------------------------------------------------------------------------------------------


class _Flow(list[Any]):
    """A list written on one line, as the example plan writes process-area lists."""


class _FlowMap(dict[str, Any]):
    """A short mapping written on one line, as the example plan writes scope entries."""


@cache
def _plan_dumper() -> type[yaml.SafeDumper]:
    """The YAML writer for plan files, made (and PyYAML loaded) when a plan is first exported: opening the window
    does not load it."""
    import yaml

    class PlanDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002
            # Equal dates or lists must be written out, never as YAML anchors a reader would puzzle over.
            return True

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
            # Indent list items under their key, as the documented example does.
            super().increase_indent(flow, False)

    PlanDumper.add_representer(
        _Flow, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)
    )
    PlanDumper.add_representer(
        _FlowMap,
        lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True),
    )
    return PlanDumper


def _styled(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "scope" in out:
        out["scope"] = [_FlowMap(item) for item in out["scope"]]
    if "team" in out:
        out["team"] = [_FlowMap(item) for item in out["team"]]
    for section in ("sampling_factors", "subgroups", "basic_units", "support_functions", "mini_teams"):
        if section in out:
            out[section] = [
                {
                    k: _Flow(v) if isinstance(v, list) else _FlowMap(v) if isinstance(v, dict) else v
                    for k, v in item.items()
                }
                for item in out[section]
            ]
    return out


def plan_yaml(plan: Plan, *, origin: str = "") -> str:
    """The plan as a plan file (docs/plan-format.md), with a comment header saying where it came from."""
    source = f" from {origin}" if origin else ""
    header = (
        f"# Appraisal plan exported by Appraisal Desk{source} on {date.today().isoformat()}.\n"
        "# The format is described in docs/plan-format.md. Create an appraisal from it with:\n"
        "#   appraisal-desk new NAME.appraisal --plan THIS-FILE.yaml\n"
    )
    import yaml

    body = yaml.dump(_styled(plan_to_data(plan)), Dumper=_plan_dumper(), sort_keys=False, allow_unicode=True, width=110)
    # A blank line before each section (a key at the left margin), as in docs/examples/ovig-plan.yaml.
    sections = re.sub(r"\n(?=[a-z_]+:)", "\n\n", body)
    return header + sections


def export_plan_yaml(ws: Workspace, path: Path, *, overwrite: bool = False) -> None:
    """Write the plan to `path` as a plan file, atomically (app/storage/output_files.py): a new file, or an
    existing one with `overwrite`; never over an appraisal."""
    text = plan_yaml(get_plan(ws), origin=ws.display_name)

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)

    write_atomically(output_target(path, overwrite=overwrite, inputs=(ws.path,)), write)
