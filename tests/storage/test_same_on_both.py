"""The same appraisal gives the same answers on a file and on the team server: the ratings (full and live, after
the same edits) and a mini-team package's round trip (split, worked on, merged back). The server cases skip with a
reason where no server runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.merge import Side
from app.domain.rating import result_to_json
from app.services import appraisals, package_merge, packages, team_server
from app.services.characterize import CellKey, get_cell, set_cell
from app.services.errors import KnownError
from app.services.ratings import LiveRatings, rate_appraisal
from app.services.workspace import Workspace
from tests.storage.conftest import BASE_URL, NO_SERVER

SECURITY_CELL = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")
EDITS = {
    SECURITY_CELL: "NI",
    CellKey("SM", "SM", "ESG1", "ESP1.2", "Quotes"): "PI",
}


@pytest.fixture(params=["file", pytest.param("server", marks=pytest.mark.postgres)])
def demo_ws(request: pytest.FixtureRequest, tmp_path: Path, demo_file: Path) -> Iterator[Workspace]:
    """The demo appraisal as a file, or pushed onto an empty database of the team server."""
    if request.param == "file":
        path = tmp_path / "ovig.appraisal"
        path.write_bytes(demo_file.read_bytes())
        ws = appraisals.open_appraisal(path, who="Lee")
    else:
        if not BASE_URL:
            pytest.skip(NO_SERVER)
        url: str = request.getfixturevalue("server_db")
        team_server.push(demo_file, url)
        ws = appraisals.open_appraisal(url)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def file_ratings(tmp_path_factory: pytest.TempPathFactory, demo_file: Path) -> tuple[object, object]:
    """The demo's ratings on a file, before and after EDITS: what the server must give too."""
    path = tmp_path_factory.mktemp("reference") / "ovig.appraisal"
    path.write_bytes(demo_file.read_bytes())
    ws = appraisals.open_appraisal(path, who="Lee")
    try:
        before = result_to_json(rate_appraisal(ws))
        for key, value in EDITS.items():
            set_cell(ws, key, replace(get_cell(ws, key), value=value))
        return before, result_to_json(rate_appraisal(ws))
    finally:
        ws.close()


def test_ratings_full_and_live_follow_the_same_edits_alike(
    demo_ws: Workspace, file_ratings: tuple[object, object]
) -> None:
    before, after = file_ratings
    assert result_to_json(rate_appraisal(demo_ws)) == before
    live = LiveRatings(demo_ws)
    for key, value in EDITS.items():
        set_cell(demo_ws, key, replace(get_cell(demo_ws, key), value=value))
        live.reload()
    assert result_to_json(live.result) == after
    assert result_to_json(rate_appraisal(demo_ws)) == after


def test_a_mini_team_package_goes_out_and_comes_back(demo_ws: Workspace, tmp_path: Path) -> None:
    """On the server a package does not apply (the team shares the database): refused in plain words."""
    if demo_ws.path is None:
        with pytest.raises(KnownError, match="shared by the team already"):
            packages.split(demo_ws, "Security", tmp_path / "security.appraisal")
        assert not (tmp_path / "security.appraisal").exists()
        return
    split = packages.split(demo_ws, "Security", tmp_path / "security.appraisal")
    member = appraisals.open_appraisal(split.path, who="Morgan")
    try:
        set_cell(member, SECURITY_CELL, replace(get_cell(member, SECURITY_CELL), value="LI", notes="Seen on site"))
    finally:
        member.close()
    preview = package_merge.preview(demo_ws, split.path)
    package_merge.apply(demo_ws, preview, package_merge.settle_all(preview, Side.PACKAGE))
    merged = get_cell(demo_ws, SECURITY_CELL)
    assert (merged.value, merged.notes) == ("LI", "Seen on site")
