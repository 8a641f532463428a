"""What the Characterize page's tests share: a small appraisal (IRP and SM over three units) with evidence
enough for its goals to be rated, a window opened on it, and helpers that read the grid or type into it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain.catalog import Catalog
from app.domain.plan import MiniTeamPlan, PaKey, Plan, ScopeEntry, TeamMemberPlan, UnitKind, UnitPlan
from app.domain.rating.facts import InstantiationKey
from app.services import appraisals, interviews
from app.services import evidence as ev
from app.services.characterize import CellKey, get_cell, set_cell
from app.services.interview_view import SessionFields
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.shell.document import Change, Touched
from app.ui.shell.main_window import MainWindow

PLAN = Plan(
    name="Characterize UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Sec", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
    team=(TeamMemberPlan("Lee", "lead"), TeamMemberPlan("Kim")),
    mini_teams=(
        MiniTeamPlan("Security", ("Lee",), (PaKey("SM", "SM"),)),
        MiniTeamPlan("Delivery", ("Kim",), (PaKey("CMMI-SVC", "IRP"),)),
    ),
)
IRP = ("CMMI-SVC", "IRP")
IRP_CELLS = [
    (goal, practice, unit)
    for goal, practice in (("SG1", "SP1.1"), ("SG1", "SP1.2"), ("GG2", "GP2.1"), ("GG2", "GP2.2"))
    for unit in ("Claims", "Policies")
]


def irp(goal: str, practice: str, unit: str) -> CellKey:
    return CellKey(*IRP, goal, practice, unit)


def irp_key(practice: str, unit: str) -> InstantiationKey:
    return InstantiationKey(*IRP, practice, unit)


def give_evidence(ws: Workspace) -> None:
    """An adequate artifact and an affirmation for every IRP cell, so coverage lets its goals be rated."""
    units = {u.name: u.id for u in ev.unit_options(ws)}
    targets = [ev.LinkTarget(*IRP, practice, units[unit]) for _goal, practice, unit in IRP_CELLS]
    doc = ev.add_artifact_by_reference(ws, "https://example.org/irp", ev.ArtifactMeta("Incident procedure"))
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(doc), targets)
    session = interviews.create_session(ws, SessionFields("INT-1"))
    interviews.add_affirmation(ws, session, "Incidents are logged and resolved", targets)
    # The basic units also implement SM: without evidence there, subgroup rule B1 would keep IRP Not Rated.
    sm = [
        ev.LinkTarget(o.model, o.pa, o.practice, u.id)
        for u in ev.unit_options(ws)
        if u.name in ("Claims", "Policies")
        for o in ev.practice_options(ws)
        if o.pa == "SM" and u.implements(o.model, o.pa)
    ]
    security = ev.add_artifact_by_reference(ws, "https://example.org/sm", ev.ArtifactMeta("Security plan"))
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(security), sm)
    interviews.add_affirmation(ws, session, "Security objectives are set", sm)


@pytest.fixture
def open_window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog, ui_settings):
    # These tests walk the grid with the arrow keys themselves; the cursor stays on a cell after its value
    # (tests/ui/test_fast_entry.py covers the default: advancing after each value).
    ui_settings.set_advance("stay")

    def open_(prepare: Callable[[Workspace], object] = give_evidence) -> MainWindow:
        path = tmp_path / "ch.appraisal"
        ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
        prepare(ws)
        ws.close()
        win = make_window(page_factories=[CharacterizePage])
        win.show()
        win.open_path(path)
        qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
        win.nav.setCurrentRow(0)
        qtbot.waitUntil(lambda: page_of(win).model.rowCount() > 0, timeout=10000)
        qtbot.waitUntil(lambda: page_of(win).model.ratings is not None, timeout=30000)
        return win

    return open_


def page_of(window: MainWindow) -> CharacterizePage:
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    return page


def ws_of(window: MainWindow) -> Workspace:
    assert window.document is not None
    return window.document.workspace


def ou_text(page: CharacterizePage, row: int | None) -> str:
    assert row is not None
    return page.model.index(row, page.model.ou_column).data()


def goal_rating(page: CharacterizePage, goal: str) -> str:
    return ou_text(page, page.model.goal_row(*IRP, goal))


def capability(page: CharacterizePage) -> str:
    span = page.model.pa_rows(PaKey(*IRP))
    assert span is not None
    return ou_text(page, span[0])


def current(page: CharacterizePage) -> tuple[str, str | None]:
    index = page.view.currentIndex()
    row = page.model.row(index.row())
    return row.practice, page.model.unit_of(index.column())


def press(qtbot, page: CharacterizePage, *keys: str) -> None:
    """Type into the grid: letters set values; "right", "left", "down", "up", "del" move or clear."""
    named = {"right": Qt.Key.Key_Right, "left": Qt.Key.Key_Left, "down": Qt.Key.Key_Down, "up": Qt.Key.Key_Up}
    for key in keys:
        if key == "del":
            qtbot.keyClick(page.view, Qt.Key.Key_Delete)
        elif key in named:
            qtbot.keyClick(page.view, named[key])
        else:
            qtbot.keyClick(page.view, key)


def rate_irp_from_the_keyboard(qtbot, page: CharacterizePage) -> None:
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    press(qtbot, page, "P", "right", "f")  # SP1.1: Claims PI, Policies FI
    assert current(page) == ("SP1.1", "Policies")
    press(qtbot, page, "down", "f", "left", "f")  # SP1.2: Policies FI, Claims FI
    press(qtbot, page, "down")  # over the GG2 heading, straight to GP2.1
    assert current(page) == ("GP2.1", "Claims")
    press(qtbot, page, "f", "right", "f", "down", "f", "left", "f")  # GP2.1 and GP2.2 all FI
    press(qtbot, page, "up", "up", "up", "f")  # back to SP1.1 Claims: PI becomes FI
    assert current(page) == ("SP1.1", "Claims")


def weaken(window: MainWindow, goal: str, practice: str, unit: str, weakness: str) -> None:
    """Record (or with "" delete) a cell's weakness, keeping its value, as the detail dialog would."""
    ws = ws_of(window)
    key = irp(goal, practice, unit)
    set_cell(ws, key, replace(get_cell(ws, key), weaknesses=weakness))
    assert window.document is not None
    window.document.notify(Change.CHARACTERIZATION, touched=Touched.of(cells=[irp_key(practice, unit)]))
