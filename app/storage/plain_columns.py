"""The tables' columns, for the reads a file's first moments make (the catalog, the grid): a query of mapped
attributes sets up every mapper first, a tenth of opening a file at size L before the grid can show; one of
columns does not (the set-up waits for the first query that needs the mapped classes)."""

from __future__ import annotations

from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    Characterization,
    EvidenceLink,
    MiniTeam,
    MiniTeamProcessArea,
    ScopeItem,
    Unit,
    UnitProcessArea,
)

APPRAISAL = Appraisal.__table__.c
UNIT = Unit.__table__.c
EVIDENCE_LINK = EvidenceLink.__table__.c
CHARACTERIZATION = Characterization.__table__.c
MINI_TEAM = MiniTeam.__table__.c
MINI_TEAM_PROCESS_AREA = MiniTeamProcessArea.__table__.c
CATALOG_PROCESS_AREA = CatalogProcessArea.__table__.c
CATALOG_MODEL = CatalogModel.__table__.c
CATALOG_GOAL = CatalogGoal.__table__.c
CATALOG_PRACTICE = CatalogPractice.__table__.c
SCOPE_ITEM = ScopeItem.__table__.c
UNIT_PROCESS_AREA = UnitProcessArea.__table__.c
