"""The merge's promise as a property: two packages for two mini-teams, random edits in both packages and in the
lead's file, both merged. Every edit made on one side only is present, every conflicting pair is listed exactly
once, nothing else changes, and merging again is a no-op."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.merge import Side, Value
from app.domain.name_scrubber import NameScrubber
from app.services import appraisals, package_merge, packages
from app.services.characterize import CellKey, get_cell, set_cell
from app.services.package_snapshot import DEFAULTS, read_snapshot
from app.services.workspace import Workspace
from app.storage.plan_repo import pa_ids
from tests.unit.services.output_appraisal import PARTICIPANTS, cell_keys
from tests.unit.services.package_appraisal import make_package_appraisal

FIELDS = ("value", "notes", "weaknesses")
CHOICES: dict[str, tuple[str | None, ...]] = {
    "value": ("FI", "LI", "PI", "NI", None),
    "notes": ("", "checked", "needs a second source", "Ask Harold Finch"),
    "weaknesses": ("", "no trend review", "late escalation"),
}
TEAMS = {"alpha": ("Alpha", "IRP"), "beta": ("Beta", "SM")}
SIDE = {"alpha": Side.PACKAGE, "beta": Side.LEAD}
"""How each package's conflicts are settled: Alpha's for the package, Beta's for the lead."""

scrub = NameScrubber(PARTICIPANTS)
Edit = tuple[str, int, str, int]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CellKey]]:
    from tests.conftest import tiny_catalog

    path = tmp_path_factory.mktemp("property") / "lead.appraisal"
    ws = make_package_appraisal(path, tiny_catalog())
    keys = cell_keys(ws)
    ws.close()
    return path, keys


def _field(ws: Workspace, key: CellKey, name: str) -> object:
    return getattr(get_cell(ws, key), name)


def _apply(ws: Workspace, keys: list[CellKey], edits: list[Edit]) -> None:
    for _side, index, name, choice in edits:
        key = keys[index % len(keys)]
        options = CHOICES[name]
        set_cell(ws, key, replace(get_cell(ws, key), **{name: options[choice % len(options)]}))  # type: ignore[arg-type]


def _everything(ws: Workspace) -> dict[str, dict[str, Value]]:
    with ws.uow() as uow:
        return read_snapshot(uow.session, set(pa_ids(uow.session).values()))


def _cell_item(ws: Workspace, key: CellKey) -> str:
    with ws.uow() as uow:
        from app.storage.instantiation_repo import instantiations

        for i in instantiations(uow.session, ws.catalog()):
            if (i.model, i.pa, i.practice, i.unit) == (key.model, key.pa, key.practice, key.unit):
                return f"characterization:{i.pa_id}:{i.practice_id}:{i.unit_id}"
    raise AssertionError(key)


edit = st.tuples(
    st.sampled_from(("lead", "alpha", "beta")),
    st.integers(0, 50),
    st.sampled_from(FIELDS),
    st.integers(0, 4),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edit, max_size=14))
def test_three_sided_random_edits_merge_as_promised(
    template: tuple[Path, list[CellKey]], tmp_path_factory: pytest.TempPathFactory, edits: list[Edit]
) -> None:
    folder = tmp_path_factory.mktemp("example")
    lead_path = folder / "lead.appraisal"
    shutil.copy(template[0], lead_path)
    all_keys = template[1]
    team_keys = {side: [k for k in all_keys if k.pa == pa] for side, (_t, pa) in TEAMS.items()}
    lead = appraisals.open_appraisal(lead_path, who="Lee Lead")
    package_paths = {
        side: packages.split(lead, team, folder / f"{side}.appraisal").path for side, (team, _pa) in TEAMS.items()
    }
    base: dict[tuple[CellKey, str], object] = {}
    finals: dict[tuple[CellKey, str], object] = {}
    for side, path in package_paths.items():
        member = appraisals.open_appraisal(path, who=f"{side} member")
        try:
            keys = team_keys[side]
            base.update({(k, f): _field(member, k, f) for k in keys for f in FIELDS})
            _apply(member, keys, [e for e in edits if e[0] == side])
            finals.update({(k, f): _field(member, k, f) for k in keys for f in FIELDS})
        finally:
            member.close()
    _apply(lead, all_keys, [e for e in edits if e[0] == "lead"])
    before = _everything(lead)
    expected = {item: dict(fields) for item, fields in before.items()}
    expected_conflicts: dict[str, set[tuple[str, str]]] = {side: set() for side in TEAMS}
    for side in TEAMS:
        for key in team_keys[side]:
            item = _cell_item(lead, key)
            for name in FIELDS:
                b, p = base[(key, name)], finals[(key, name)]
                lead_value = before.get(item, {}).get(name, CHOICES[name][0] if name != "value" else None)
                if name != "value":
                    lead_value = lead_value or ""
                shown = scrub(lead_value) if isinstance(lead_value, str) else lead_value
                if p == b or shown == p:
                    continue
                if shown != b:
                    expected_conflicts[side].add((item, name))
                    if SIDE[side] is Side.LEAD:
                        continue
                expected.setdefault(item, {}).update({name: p})  # type: ignore[dict-item]
    for side, path in package_paths.items():
        preview = package_merge.preview(lead, path)
        listed = [(i.change.key, i.change.field) for i in preview.conflicts]
        assert len(listed) == len(set(listed)), "a conflict was listed twice"
        assert set(listed) == expected_conflicts[side]
        assert {i.change.key.split(":")[0] for i in preview.items} <= {"characterization"}
        package_merge.apply(lead, preview, package_merge.settle_all(preview, SIDE[side]))
    after = _everything(lead)
    normalized = {
        item: {**DEFAULTS["characterization"], **fields} if item.startswith("characterization") else fields
        for item, fields in expected.items()
    }
    after_normalized = {
        item: {**DEFAULTS["characterization"], **fields} if item.startswith("characterization") else fields
        for item, fields in after.items()
    }
    assert after_normalized == normalized
    for path in package_paths.values():
        again = package_merge.preview(lead, path)
        assert again.empty, [(i.change.key, i.change.field) for i in again.items]
    lead.close()
