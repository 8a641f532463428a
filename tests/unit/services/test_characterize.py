"""Characterizing cells, team judgments and goal overrides, stored in a real appraisal file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services.characterize import (
    CellKey,
    CellState,
    get_cell,
    get_cells,
    prepare_edits,
    set_cell,
    set_cells,
    set_value,
)
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.instantiation_repo import instantiations
from app.storage.schema import ChangeLog

PLAN = Plan(
    name="c",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 3)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Sec", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee").close()
    workspace = appraisals.open_appraisal(appraisal_target, who="Lee")
    yield workspace
    workspace.close()


def test_instantiations_cover_rated_practices_per_implementing_unit(ws: Workspace) -> None:
    with ws.uow() as uow:
        cells = instantiations(uow.session, ws.catalog())
    irp = {(c.goal, c.practice, c.unit) for c in cells if c.pa == "IRP"}
    # IRP targets CL2: its two SPs and GG2's two GPs, in both basic units; the support function does only SM.
    assert irp == {
        (g, p, u)
        for g, p in (("SG1", "SP1.1"), ("SG1", "SP1.2"), ("GG2", "GP2.1"), ("GG2", "GP2.2"))
        for u in ("Claims", "Policies")
    }
    sm = {(c.goal, c.practice) for c in cells if c.pa == "SM" and c.unit == "Sec"}
    # SM targets CL3 and borrows CMMI-SVC's generic goals: GG2 and GG3 practices are rated.
    assert sm == {("ESG1", "ESP1.2"), ("GG2", "GP2.1"), ("GG2", "GP2.2"), ("GG3", "GP3.1")}


def _server_login() -> str | None:
    return make_url(os.environ["APPRAISAL_DESK_PG_URL"]).username


def test_set_value_returns_previous_state_and_logs(ws: Workspace) -> None:
    key = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
    assert set_value(ws, key, "LI") == CellState()
    assert set_cell(ws, key, CellState("LI", weaknesses="No trend analysis")).value == "LI"
    assert get_cell(ws, key) == CellState("LI", weaknesses="No trend analysis")
    with ws.uow() as uow:
        who = uow.session.scalars(select(ChangeLog.who).where(ChangeLog.entity == "characterization")).all()
    # The author: the name given for a file; on a server the database login, whatever the client says.
    assert who == [ws.who, ws.who] and ws.who == ("Lee" if ws.path is not None else _server_login())


def test_preparing_for_edits_writes_nothing_and_the_first_edit_then_lands_as_usual(ws: Workspace) -> None:
    key = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
    prepare_edits(ws)  # what the window's worker does once a file is open
    with ws.uow() as uow:
        assert uow.session.scalars(select(ChangeLog.id)).all() == []
    assert ws.catalog_ids is not None and PaKey("CMMI-SVC", "IRP") in ws.catalog_ids.pa
    assert set_value(ws, key, "FI") == CellState()
    assert get_cell(ws, key) == CellState("FI")


def test_generic_practice_of_pseudo_pa_is_characterized(ws: Workspace) -> None:
    key = CellKey("SM", "SM", "GG2", "GP2.1", "Sec")
    set_value(ws, key, "FI")
    assert get_cell(ws, key).value == "FI"


def test_values_outside_the_scale_are_refused(ws: Workspace) -> None:
    key = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
    with pytest.raises(KnownError, match=r"not a value of the v1\.3 scale"):
        set_value(ws, key, "FM")
    assert get_cell(ws, key) == CellState()


def test_a_cell_outside_the_grid_is_refused_and_nothing_of_the_edit_is_stored(ws: Workspace) -> None:
    # Sec is a support function doing only SM: IRP in Sec is not an instantiation, so it has no cell to write.
    claims = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
    outside = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Sec")
    with pytest.raises(KnownError, match=r"Sec does not implement CMMI-SVC IRP, so SP1\.1 is not rated there"):
        set_cells(ws, {claims: CellState("FI"), outside: CellState("FI")})
    assert get_cells(ws, [claims, outside]) == {claims: CellState(), outside: CellState()}


def test_unknown_unit_or_practice_is_a_clear_error(ws: Workspace) -> None:
    with pytest.raises(KnownError, match="no unit called 'Nowhere'"):
        set_value(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Nowhere"), "FI")
    with pytest.raises(KnownError, match="has no practice"):
        set_value(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP9.9", "Claims"), "FI")
