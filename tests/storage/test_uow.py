"""Units of work on a real SQLite file: one transaction each, or several joined into one by `transaction()`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.catalog import Catalog
from app.domain.plan import Plan, UnitKind, UnitPlan
from app.services import appraisals
from app.services.workspace import Workspace
from app.storage.schema import ChangeLog


@pytest.fixture
def ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    workspace = appraisals.create_appraisal(
        tmp_path / "t.appraisal", Plan(name="T", units=(UnitPlan("A", UnitKind.BASIC_UNIT),)), catalog
    )
    yield workspace
    workspace.close()


def logged(ws: Workspace, action: str) -> int:
    with ws.uow() as uow:
        return uow.session.scalar(select(func.count()).where(ChangeLog.action == action)) or 0


def write(ws: Workspace, action: str, *, fail: bool = False) -> None:
    with ws.uow() as uow:
        uow.log(action, "test")
        if fail:
            raise RuntimeError("refused")
        uow.commit()


def test_units_of_work_inside_a_transaction_land_only_when_it_ends(ws: Workspace) -> None:
    factory = ws.uow_factory
    with factory.transaction():
        write(ws, "one")
        write(ws, "two")
        assert logged(ws, "one") == 1  # the same thread reads its own transaction
    assert (logged(ws, "one"), logged(ws, "two")) == (1, 1)


def test_a_failure_inside_a_transaction_leaves_nothing_of_it(ws: Workspace) -> None:
    with pytest.raises(RuntimeError), ws.uow_factory.transaction():
        write(ws, "one")
        write(ws, "two", fail=True)
    assert (logged(ws, "one"), logged(ws, "two")) == (0, 0)


def test_a_refused_unit_that_the_caller_gets_over_rolls_back_only_its_own_part(ws: Workspace) -> None:
    with ws.uow_factory.transaction():
        write(ws, "one")
        with pytest.raises(RuntimeError):
            write(ws, "two", fail=True)
        with ws.uow_factory.transaction():  # a nested block joins the enclosing one
            write(ws, "three")
    assert (logged(ws, "one"), logged(ws, "two"), logged(ws, "three")) == (1, 0, 1)
