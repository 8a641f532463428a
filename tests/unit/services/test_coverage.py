"""The coverage matrix read from a real appraisal file: rated practices × sampled units with evidence counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import evidence as ev
from app.services.coverage import CoverageCell, CoverageMatrix, coverage_matrix
from app.services.evidence import EvidenceSource, LinkTarget
from app.services.interviews import SessionFields, add_affirmation, create_session
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage.instantiation_repo import instantiations

PLAN = Plan(
    name="Coverage",
    scope=(
        ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),
        ScopeEntry(PaKey("SM", "SM"), 2),
        ScopeEntry(PaKey("CMMI-SVC", "MA"), 1, excluded=True, exclusion_reason="Not done here"),
    ),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Archive", UnitKind.BASIC_UNIT, sampled=False),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee")
    yield workspace
    workspace.close()


def unit_id(ws: Workspace, name: str) -> int:
    return next(u.id for u in ev.unit_options(ws) if u.name == name)


def cell(matrix: CoverageMatrix, pa: str, practice: str | None, unit: str) -> CoverageCell | None:
    row = next(r for r in matrix.rows if (r.pa, r.practice) == (pa, practice))
    index = matrix.unit_index(unit)
    assert index is not None
    return row.cells[index]


def test_rows_are_process_areas_then_their_rated_practices_and_columns_the_sampled_units(ws: Workspace) -> None:
    matrix = coverage_matrix(ws)
    assert [u.name for u in matrix.units] == ["Claims", "Policies", "Security office"]
    assert [(r.pa, r.practice) for r in matrix.rows] == [
        ("IRP", None),
        ("IRP", "SP1.1"),
        ("IRP", "SP1.2"),
        ("IRP", "GP2.1"),
        ("IRP", "GP2.2"),
        ("SM", None),
        ("SM", "ESP1.2"),
        ("SM", "GP2.1"),
        ("SM", "GP2.2"),
    ]
    sp11 = matrix.rows[1]
    assert (sp11.goal, sp11.title, sp11.generic) == ("SG1", "Establish an Approach", False)
    assert matrix.rows[3].generic
    # The support function implements only SM: its IRP cells do not exist; empty cells show nothing.
    assert cell(matrix, "IRP", "SP1.1", "Security office") is None
    assert cell(matrix, "IRP", "SP1.1", "Claims") == CoverageCell()
    assert cell(matrix, "SM", "ESP1.2", "Security office") == CoverageCell()


def test_cells_count_adequate_and_other_artifacts_and_affirmations(ws: Workspace) -> None:
    claims, policies = unit_id(ws, "Claims"), unit_id(ws, "Policies")
    good = ev.add_artifact_by_reference(ws, "https://intranet/irp-approach")
    draft = ev.add_artifact_by_reference(ws, "https://intranet/irp-draft")
    ev.link_evidence(
        ws,
        EvidenceSource.of_artifact(good),
        [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims), LinkTarget("CMMI-SVC", "IRP", "SP1.2", policies)],
    )
    ev.link_evidence(
        ws, EvidenceSource.of_artifact(draft), [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)], adequacy="inadequate"
    )
    session = create_session(ws, SessionFields("S1"))
    add_affirmation(ws, session, "We follow the approach.", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)])
    add_affirmation(ws, session, "Tickets are triaged.", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)])

    matrix = coverage_matrix(ws)
    sp11 = cell(matrix, "IRP", "SP1.1", "Claims")
    assert sp11 == CoverageCell(artifacts=1, other_artifacts=1, affirmations=2)
    assert sp11.text == "1A 1A? 2F"
    assert sp11.description == "1 adequate artifact, 1 artifact not (yet) judged adequate, 2 affirmations"
    # The process area's row totals its practices per unit.
    irp_claims = cell(matrix, "IRP", None, "Claims")
    assert irp_claims is not None and irp_claims.text == "1A 1A? 2F"
    irp_policies = cell(matrix, "IRP", None, "Policies")
    assert irp_policies is not None and irp_policies.text == "1A"
    assert cell(matrix, "IRP", None, "Security office") is None


def test_the_matrix_names_cells_as_the_coverage_gaps_do(ws: Workspace) -> None:
    """A gap (model, PA, practice, unit) finds its cell, and linking evidence there closes it."""

    def sufficiency_gaps() -> set[tuple[str | None, str | None, str | None, str | None]]:
        return {
            (g.model, g.pa, g.practice, g.unit)
            for g in rate_appraisal(ws).coverage_gaps
            if g.rule.name == "SUFFICIENCY_ARTIFACT"
        }

    wanted = ("CMMI-SVC", "IRP", "SP1.1", "Claims")
    assert wanted in sufficiency_gaps()
    matrix = coverage_matrix(ws)
    assert matrix.row_index("CMMI-SVC", "IRP", "SP1.1") == 1
    assert matrix.unit_index("Claims") == 0
    artifact = ev.add_artifact_by_reference(ws, "https://intranet/irp-approach")
    ev.link_evidence(
        ws, EvidenceSource.of_artifact(artifact), [LinkTarget("CMMI-SVC", "IRP", "SP1.1", unit_id(ws, "Claims"))]
    )
    assert wanted not in sufficiency_gaps()


def test_the_cells_are_exactly_the_instantiations_the_appraisal_rates(ws: Workspace) -> None:
    with ws.uow() as uow:
        expected = {(i.model, i.pa, i.practice, i.unit) for i in instantiations(uow.session, ws.catalog())}
    matrix = coverage_matrix(ws)
    shown = {
        (row.model, row.pa, row.practice, matrix.units[n].name)
        for row in matrix.rows
        if not row.is_pa
        for n, found in enumerate(row.cells)
        if found is not None
    }
    assert shown == expected
