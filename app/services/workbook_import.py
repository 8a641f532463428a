"""Importing a team workbook back: a preview of what it changes (and of conflicts), then one transaction.

The workbook shows texts with names masked (`[name withheld]`); nothing in the file is ever overwritten with a
placeholder. A masked text nobody changed is no change; one a team member extended is merged into the stored
original, names kept (`app.domain.name_matcher.restore_names`); a conflict shows the real stored text.

A cell field is *changed* when the workbook's value differs from what was exported; it is a *conflict* when the
appraisal's value also moved since the export, to something else. Nothing is written by `preview`; `apply`
writes every change at once (refusing conflicts unless accepted, and refusing a preview the appraisal has
since overtaken) and returns the cells' states before and after, so the window can undo it as one step with
`write_cells`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.name_matcher import restore_names
from app.domain.rating.facts import InstantiationKey
from app.domain.report import cell_text, text_digest
from app.services.attribution import AppraisalNames, read_names
from app.services.characterize import CellKey, CellState
from app.services.report_sources import appraisal_identity, stored_cells
from app.services.workspace import Workspace
from app.storage import workbook_layout as lay
from app.storage.characterization_repo import new_cell, state_of, write_state
from app.storage.errors import KnownError
from app.storage.instantiation_repo import Instantiation, instantiations
from app.storage.schema import Appraisal, Characterization
from app.storage.workbook_reader import ExportedCell, WorkbookCell, read_workbook

FIELD_LABELS = {"value": "Characterization", "weaknesses": "Weaknesses", "strengths": "Strengths", "notes": "Notes"}
_Stored = tuple[str | None, str, str, str]
"""A cell's (value, weaknesses, strengths, notes) as stored."""
_EMPTY: _Stored = (None, "", "", "")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    """ "value", "weaknesses", "strengths" or "notes"."""
    before: str | None
    """What the appraisal holds now, as stored (names included: the preview is for the lead)."""
    after: str | None
    """What the workbook holds, with the names its masks hid put back: what importing writes."""
    conflict: bool
    """The appraisal's value also changed since the export."""
    ref: str
    """The workbook cell ("K12")."""

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]


@dataclass(frozen=True, slots=True)
class CellChange:
    key: CellKey
    sheet: str
    row: int
    fields: tuple[FieldChange, ...]

    @property
    def conflict(self) -> bool:
        return any(f.conflict for f in self.fields)

    @property
    def label(self) -> str:
        return f"{self.key.pa} {self.key.practice} / {self.key.unit}"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    path: Path
    exported_at: str
    changes: tuple[CellChange, ...]
    unchanged: int
    """Cells the workbook left as exported (or already equal to the appraisal)."""
    snapshot: dict[CellKey, _Stored] = field(repr=False)
    """The stored state of every changed cell when previewed, to notice edits made before `apply`."""

    @property
    def exported_when(self) -> str:
        """ "2026-11-27 09:30", or "an unknown time" for a workbook that does not say."""
        return self.exported_at.replace("T", " ")[:16] or "an unknown time"

    @property
    def conflicts(self) -> tuple[CellChange, ...]:
        return tuple(c for c in self.changes if c.conflict)

    @property
    def empty(self) -> bool:
        return not self.changes


@dataclass(frozen=True, slots=True)
class AppliedImport:
    before: tuple[tuple[CellKey, CellState], ...]
    after: tuple[tuple[CellKey, CellState], ...]

    @property
    def touched(self) -> tuple[InstantiationKey, ...]:
        return tuple(InstantiationKey(k.model, k.pa, k.practice, k.unit) for k, _s in self.after)


def _key(cell: ExportedCell) -> tuple[str, str, str, str]:
    return cell.model, cell.pa, cell.practice, cell.unit


def _cell_map(session: Session, ws: Workspace) -> dict[tuple[str, str, str, str], Instantiation]:
    return {(i.model, i.pa, i.practice, i.unit): i for i in instantiations(session, ws.catalog())}


def _stored(session: Session, pa_ids: set[int]) -> dict[tuple[int, int, int], Characterization]:
    rows = session.scalars(select(Characterization).where(Characterization.process_area_id.in_(pa_ids)))
    return {(r.process_area_id, r.practice_id, r.unit_id): r for r in rows}


def _as_stored(row: Characterization | None) -> _Stored:
    if row is None:
        return _EMPTY
    return row.value, row.weaknesses or "", row.strengths or "", row.notes or ""


def _digest(text: str) -> str:
    return text_digest(text) if cell_text(text) else lay.EMPTY_DIGEST


def _field_changes(
    cell: WorkbookCell, exported: ExportedCell, current: _Stored, names: AppraisalNames
) -> tuple[FieldChange, ...]:
    changes = []
    if cell.value != exported.value and cell.value != current[0]:
        changes.append(FieldChange("value", current[0], cell.value, current[0] != exported.value, cell.refs["value"]))
    texts = (cell.weaknesses, cell.strengths, cell.notes)
    for n, name in enumerate(("weaknesses", "strengths", "notes")):
        new = texts[n]
        stored = current[n + 1] or ""
        segments = names.scrub_segments(cell_text(stored))
        shown = "".join(piece for piece, _original in segments)
        # The workbook shows names masked: a masked text nobody touched is no change, and one a team member
        # changed gets its names back wherever the placeholders are still where the export put them.
        if _digest(new) == exported.digests[n] or new == shown:
            continue
        restored = restore_names(segments, new)
        if restored == cell_text(stored):
            continue
        conflict = _digest(shown) != exported.digests[n]
        changes.append(FieldChange(name, stored, restored, conflict, cell.refs[name]))
    return tuple(changes)


def preview(ws: Workspace, path: Path) -> ImportPreview:
    """What importing `path` would change, and where the appraisal changed the same cells meanwhile."""
    contents = read_workbook(path)
    identity = appraisal_identity(ws)
    if contents.fingerprint != identity.fingerprint or contents.appraisal_id != identity.appraisal_id:
        raise KnownError(
            f"{path.name} was exported from another appraisal (“{contents.appraisal_name}”), not from "
            f"“{identity.name}”. Nothing was imported."
        )
    with ws.uow() as uow:
        session = uow.session
        scale = session.scalars(select(Appraisal.scale)).one()
        if contents.scale != scale:
            raise KnownError(
                f"{path.name} was exported when the appraisal used the {contents.scale} scale; it now uses {scale}. "
                "Export the workbook again."
            )
        cells = _cell_map(session, ws)
        stored = {ids: (c.value, c.weaknesses, c.strengths, c.notes) for ids, c in stored_cells(session).items()}
        names = read_names(session)
    order = {title: n for n, (title, _m, _p) in enumerate(contents.sheets)}
    changes: list[CellChange] = []
    snapshot: dict[CellKey, _Stored] = {}
    gone: list[str] = []
    for cell in sorted(contents.cells, key=lambda c: (order[c.key[0]], c.row)):
        exported = contents.exported[cell.key]
        inst = cells.get(_key(exported))
        current = stored.get((inst.pa_id, inst.practice_id, inst.unit_id), _EMPTY) if inst else _EMPTY
        found = _field_changes(cell, exported, current, names)
        if not found:
            continue
        if inst is None:
            gone.append(f"sheet '{cell.key[0]}' row {cell.row}: {exported.pa} {exported.practice} / {exported.unit}")
            continue
        key = CellKey(inst.model, inst.pa, inst.goal, inst.practice, inst.unit)
        snapshot[key] = current
        changes.append(CellChange(key, cell.key[0], cell.row, found))
    if gone:
        raise KnownError(
            f"{path.name} changes cells this appraisal no longer rates (its plan changed since the export); "
            "nothing was imported:\n  " + "\n  ".join(gone[:12])
        )
    return ImportPreview(path, contents.exported_at, tuple(changes), len(contents.cells) - len(changes), snapshot)


def _put(session: Session, ids: Instantiation, row: Characterization | None, state: CellState, who: str) -> int:
    row = row or new_cell(session, ids.pa_id, ids.practice_id, ids.unit_id)
    write_state(row, state, who)
    session.flush()
    return row.id


def apply(ws: Workspace, preview: ImportPreview, *, accept_conflicts: bool = False) -> AppliedImport:
    """Write every change of `preview` in one transaction; returns the cells before and after, for undo."""
    conflicts = preview.conflicts
    if conflicts and not accept_conflicts:
        listed = ", ".join(c.label for c in conflicts[:8]) + (" …" if len(conflicts) > 8 else "")
        raise KnownError(
            f"{len(conflicts)} cell{'s were' if len(conflicts) > 1 else ' was'} also changed in the appraisal since "
            f"the workbook was exported ({listed}). Accept the workbook's values for them, or export again and redo "
            "those edits. Nothing was imported."
        )
    before: list[tuple[CellKey, CellState]] = []
    after: list[tuple[CellKey, CellState]] = []
    with ws.uow() as uow:
        session = uow.session
        cells = _cell_map(session, ws)
        stored = _stored(session, {i.pa_id for i in cells.values()})
        for change in preview.changes:
            key = change.key
            ids = cells.get((key.model, key.pa, key.practice, key.unit))
            row = stored.get((ids.pa_id, ids.practice_id, ids.unit_id)) if ids else None
            if ids is None or _as_stored(row) != preview.snapshot[key]:
                raise KnownError(
                    f"{change.label} changed in the appraisal after the preview was made; preview the import again. "
                    "Nothing was imported."
                )
            old = state_of(row)
            given = {f.field: f.after for f in change.fields}
            new = replace(
                old,
                value=given.get("value", old.value),
                weaknesses=given.get("weaknesses", old.weaknesses) or "",
                strengths=given.get("strengths", old.strengths) or "",
                notes=given.get("notes", old.notes) or "",
            )
            row_id = _put(session, ids, row, new, ws.who)
            uow.log(
                "import",
                "characterization",
                row_id,
                f"{key.model} {key.pa} {key.practice} / {key.unit}: {new.value} (workbook {preview.path.name})",
            )
            before.append((key, old))
            after.append((key, new))
        uow.commit()
    return AppliedImport(tuple(before), tuple(after))


def write_cells(ws: Workspace, states: Sequence[tuple[CellKey, CellState]], *, action: str = "import") -> None:
    """Set many cells' whole states in one transaction (undo and redo of an import)."""
    with ws.uow() as uow:
        session = uow.session
        cells = _cell_map(session, ws)
        stored = _stored(session, {i.pa_id for i in cells.values()})
        for key, state in states:
            ids = cells.get((key.model, key.pa, key.practice, key.unit))
            if ids is None:
                raise KnownError(f"{key.pa} {key.practice} / {key.unit} is no longer rated in this appraisal.")
            row_id = _put(session, ids, stored.get((ids.pa_id, ids.practice_id, ids.unit_id)), state, ws.who)
            uow.log(
                action, "characterization", row_id, f"{key.model} {key.pa} {key.practice} / {key.unit}: {state.value}"
            )
        uow.commit()
