"""Test-wide setup: offscreen Qt, a private model library, and small catalogs built in code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.catalog import (
    Catalog,
    CrossLink,
    Goal,
    GoalKind,
    InformativeItem,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
    Provenance,
    Ref,
)

# Speed is measured in benchmarks/, never asserted: on a loaded machine (CI shares two cores) a slow draw or a
# slow example is not a failure.
settings.register_profile("shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-machine")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


# Fixtures that start Qt: a test that uses any of them (directly or through another fixture) is a GUI test.
QT_FIXTURES = frozenset({"qapp", "qtbot", "qtmodeltester", "qtlog"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Qt test `gui`, so `pytest -m "not gui"` runs everything that needs no display."""
    for item in items:
        if QT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own model library and settings, never the developer's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("APPRAISAL_DESK_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield home


def _gg(model_gps: dict[str, list[str]]) -> tuple[Goal, ...]:
    return tuple(
        Goal(
            code, f"Generic goal {code}", GoalKind.GENERIC, tuple(Practice(gp, f"Generic practice {gp}") for gp in gps)
        )
        for code, gps in model_gps.items()
    )


def tiny_catalog() -> Catalog:
    """Two small models and a pseudo PA, enough for storage and service tests."""
    gg = _gg({"GG1": ["GP1.1"], "GG2": ["GP2.1", "GP2.2"], "GG3": ["GP3.1"]})
    svc = Model(
        key="CMMI-SVC",
        version="1.3",
        name="CMMI for Services (test subset)",
        kind=ModelKind.MODEL,
        generic_goals=gg,
        has_maturity_levels=True,
        categories=("Project and Work Management", "Support"),
        process_areas=(
            ProcessArea(
                "IRP",
                "Incident Resolution and Prevention",
                "Service Establishment and Delivery",
                (
                    Goal(
                        "SG1",
                        "Prepare for Incident Resolution and Prevention",
                        GoalKind.SPECIFIC,
                        (Practice("SP1.1", "Establish an Approach"), Practice("SP1.2", "Establish a System")),
                    ),
                ),
                maturity_level=3,
            ),
            ProcessArea(
                "MA",
                "Measurement and Analysis",
                "Support",
                (Goal("SG1", "Align Activities", GoalKind.SPECIFIC, (Practice("SP1.1", "Establish Objectives"),)),),
                maturity_level=2,
            ),
            ProcessArea(
                "WP",
                "Work Planning",
                "Project and Work Management",
                (Goal("SG1", "Establish Estimates", GoalKind.SPECIFIC, (Practice("SP1.1", "Estimate Scope"),)),),
                maturity_level=2,
                aliases=("PP",),
            ),
        ),
    )
    sm = Model(
        key="SM",
        version="1.0",
        name="Security Management",
        kind=ModelKind.PSEUDO_PA,
        generic_goals_from="CMMI-SVC",
        process_areas=(
            ProcessArea(
                "SM",
                "Security Management",
                "Service Establishment and Delivery",
                (
                    Goal(
                        "ESG1",
                        "Establish a Security Management System",
                        GoalKind.SPECIFIC,
                        (
                            Practice(
                                "ESP1.2",
                                "Establish an Approach to Threat Assessment",
                                statement="Establish and maintain an approach.",
                                informative=(InformativeItem("subpractice", "Select methods."),),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    iso = Model(
        key="ISO27001",
        version="2005",
        name="ISO/IEC 27001:2005",
        kind=ModelKind.REFERENCE,
        process_areas=(
            ProcessArea(
                "4.2",
                "Establishing and managing the ISMS",
                "Clauses",
                (Goal("4.2", "ISMS", GoalKind.SPECIFIC, (Practice("4.2.1", "Establish the ISMS"),)),),
            ),
        ),
    )
    links = (
        CrossLink(Ref("SM", "SM", "ESP1.2"), Ref("ISO27001", "4.2", "4.2.1"), "derived-from", "Seed", Provenance.SEED),
        CrossLink(
            Ref("SM", "SM", "ESP1.2"), Ref("CMMI-SVC", "IRP", "SP1.1"), "supports", "Curated", Provenance.CURATED
        ),
    )
    return Catalog((svc, sm, iso), links)


@pytest.fixture
def catalog() -> Catalog:
    return tiny_catalog()


@pytest.fixture(params=["file", pytest.param("server", marks=pytest.mark.postgres)])
def appraisal_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a service test keeps its appraisal: a new file, then an empty database on the team server, so the
    same tests prove the same services on both (docs/team-server.md). The server case skips without a server."""
    if request.param == "file":
        return tmp_path / "test.appraisal"
    if not os.environ.get("APPRAISAL_DESK_PG_URL"):
        pytest.skip("APPRAISAL_DESK_PG_URL is not set: no PostgreSQL server to test against")
    url: str = request.getfixturevalue("server_db")
    return url


from tests.storage.conftest import server_db  # noqa: E402, F401 - the throwaway database, for appraisal_target
