"""Use cases for whole appraisals: create from a plan, open, describe, check."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog
from app.domain.plan import Plan, UnitKind
from app.services.appraisal_info import AppraisalInfo as AppraisalInfo
from app.services.appraisal_info import ScopeLine
from app.services.workspace import Workspace
from app.storage import appraisal_file, file_inspection, migrate
from app.storage.appraisal_file import NeedsUpgradeError, OpenedStore
from app.storage.catalog_repo import links_among, models_needed, store_links, store_model
from app.storage.errors import KnownError
from app.storage.locations import parse_location
from app.storage.plan_repo import read_plan, write_plan
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    Characterization,
    EvidenceLink,
    Finding,
    InterviewSession,
    Unit,
)
from app.storage.team_server import session_user

T = TypeVar("T")

SUFFIX = appraisal_file.SUFFIX
"""The file name ending of an appraisal."""


def save_copy(ws: Workspace, target: Path) -> None:
    """Write a consistent copy of the open appraisal to `target`; the open file stays the working file."""
    appraisal_file.save_as(ws.store, target)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "appraiser"


def read_plan_file(path: Path, catalog: Catalog) -> Plan:
    """Load and validate a plan file. Raises KnownError (YAML syntax) or PlanError (content), naming lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnownError(f"The plan file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(f"Cannot read the plan file {path}: {exc}") from None
    # Only a new appraisal reads a plan file: opening one does not load the YAML reader.
    from app.domain.plan_reader import parse_plan
    from app.storage.yaml_source import YamlSyntaxError, load_yaml

    try:
        data = load_yaml(text, source=path.name)
    except YamlSyntaxError as exc:
        raise KnownError(str(exc)) from None
    return parse_plan(data, catalog, source=path.name)


def minimal_plan(name: str) -> Plan:
    return Plan(name=name)


def create_appraisal(
    target: str | Path, plan: Plan, installed: Catalog, *, who: str | None = None, passphrase: str | None = None
) -> Workspace:
    """Create a new appraisal file (or server database) holding `plan` and copies of the models it uses.

    All or nothing: if filling the new file fails, the file is removed again. A passphrase encrypts the file.
    """
    store = appraisal_file.create_store(target, passphrase=passphrase)
    try:
        with store.engine.begin() as conn, Session(bind=conn) as session:
            keys = plan.models_in_scope() or [m.key for m in installed.models if m.kind.value == "model"]
            needed = models_needed(installed, keys)
            for model in needed:
                store_model(session, model)
            store_links(session, links_among(installed, {m.key for m in needed}))
            session.flush()
            write_plan(session, plan)
            session.flush()
    except BaseException:
        appraisal_file.discard_new_file(store)
        raise
    if store.path is None:
        who = session_user(store.engine)  # on a team server the author is the login (as open_appraisal)
    return Workspace.for_store(store, who=who or current_user())


def open_appraisal(
    target: str | Path, *, who: str | None = None, passphrase: str | None = None, read_only: bool = False
) -> Workspace:
    """Open an appraisal for editing (locked, migrated if older), or `read_only` for commands that only read:
    those never write, never migrate, and work while the file is open in the window or is read-only."""
    store: OpenedStore = appraisal_file.open_store(target, passphrase=passphrase, read_only=read_only)
    if store.path is None:
        # On a team server the author is the login, whatever the caller says (the server's triggers agree).
        who = session_user(store.engine)
    return Workspace.for_store(store, who=who or current_user())


def open_appraisal_reading(
    target: Path, first_read: Callable[[Workspace], T], *, who: str | None = None, passphrase: str | None = None
) -> tuple[Workspace, T | None]:
    """Open an appraisal file for editing and make its first read while SQLite checks every page of it on
    another thread (the window's start: the check is C, the read Python, and they take turns on no lock).

    A damaged file is refused exactly as `open_appraisal` refuses it, and nothing read from it is returned;
    a first read that fails on a sound file gives None (the page reads again itself and says why).
    """
    store: OpenedStore = appraisal_file.open_store(target, passphrase=passphrase, pages_later=True)
    ws = Workspace.for_store(store, who=who or current_user())
    try:
        try:
            first: T | None = first_read(ws)
        except Exception:  # a damaged file is said below; a sound one's page reads again and says why
            first = None
        store.finish_page_check()
    except BaseException:
        ws.close()
        raise
    return ws, first


@dataclass(frozen=True)
class UpgradeReport:
    location: str
    from_revision: str | None
    to_revision: str
    backup: Path | None


def upgrade_appraisal(target: str | Path, *, passphrase: str | None = None) -> UpgradeReport:
    """Bring a file (or server database) of an older schema up to this version's, after a backup beside it."""
    store = appraisal_file.open_store(target, passphrase=passphrase)
    try:
        head = migrate.head_revision()
        return UpgradeReport(store.display_name, store.migrated_from or head, head, store.backup_path)
    finally:
        store.close()


def _count(session: Session, column: object, *where: object) -> int:
    stmt = select(func.count()).select_from(column)  # type: ignore[arg-type]
    for clause in where:
        stmt = stmt.where(clause)  # type: ignore[arg-type]
    return int(session.scalar(stmt) or 0)


def appraisal_heading(workspace: Workspace) -> tuple[str, str]:
    """The appraisal's name and phase, what the window's title and status bar show: one row, no counts."""
    table = Appraisal.__table__  # its columns, not the mapped class: no mapper set-up on the UI thread for this
    with workspace.uow() as uow:
        name, phase = uow.session.execute(select(table.c.name, table.c.phase)).one()
        return str(name), str(phase)


def appraisal_info(workspace: Workspace) -> AppraisalInfo:
    catalog = workspace.catalog()
    with workspace.uow() as uow:
        session = uow.session
        appraisal = session.scalars(select(Appraisal)).one()
        plan = read_plan(session)
        counts = {
            "basic_units": _count(session, Unit, Unit.kind == UnitKind.BASIC_UNIT),
            "support_functions": _count(session, Unit, Unit.kind == UnitKind.SUPPORT_FUNCTION),
            "artifacts": _count(session, Artifact),
            "interview_sessions": _count(session, InterviewSession),
            "affirmations": _count(session, Affirmation),
            "evidence_links": _count(session, EvidenceLink),
            "characterizations": _count(session, Characterization, Characterization.value.is_not(None)),
            "findings": _count(session, Finding),
        }
        scope = []
        for entry in plan.scope:
            model = catalog.model(entry.pa.model)
            area = model.process_area(entry.pa.pa) if model else None
            name = area.name if area else ""
            scope.append(ScopeLine(entry.pa.model, entry.pa.pa, name, entry.target_capability_level, entry.excluded))
        return AppraisalInfo(
            name=appraisal.name,
            sponsor=appraisal.sponsor,
            lead_appraiser=appraisal.lead_appraiser,
            method=appraisal.method,
            scale=appraisal.scale,
            phase=appraisal.phase,
            start_date=appraisal.start_date.isoformat() if appraisal.start_date else None,
            end_date=appraisal.end_date.isoformat() if appraisal.end_date else None,
            org_unit=appraisal.org_unit_name,
            target_maturity_level=appraisal.target_maturity_level,
            schema_revision=migrate.current_revision(session.connection()),
            location=workspace.display_name,
            scope=tuple(scope),
            counts=counts,
            migrated_from=workspace.store.migrated_from,
        )


@dataclass(frozen=True)
class CheckReport:
    revision: str | None
    head: str
    problems: list[str]
    name: str = ""
    checked: str = "integrity and foreign keys sound"
    """What was checked and found sound."""


def check_file(target: str | Path, *, passphrase: str | None = None) -> CheckReport:
    """Check an appraisal file (or server database) read-only; problems is empty when it is sound.

    Besides SQLite's checks, every stored attachment is compared with the SHA-256 recorded when it was added.
    A server database is checked for being an appraisal of a known schema; its integrity is the server's.
    """
    location = parse_location(target)
    if location.url is not None:
        head = migrate.head_revision()
        try:
            appraisal_file.open_store(location.url, read_only=True).close()
            revision: str | None = head
        except NeedsUpgradeError as exc:
            revision = exc.revision
        checked = "an appraisal database (the server keeps its integrity and foreign keys)"
        return CheckReport(revision, head, [], location.shown(), checked)
    assert location.path is not None
    inspection, problems = file_inspection.integrity_problems(location.path, passphrase)
    return CheckReport(inspection.revision, inspection.head, problems, location.path.name)


def new_appraisal(
    target: str | Path,
    installed: Catalog,
    *,
    name: str | None = None,
    plan_file: Path | None = None,
    preset: str = "empty",
    who: str | None = None,
    passphrase: str | None = None,
) -> Workspace:
    """Create an appraisal from a plan file, or from a name and a starting-scope preset."""
    from app.services.presets import apply_preset

    if plan_file is not None:
        plan = read_plan_file(plan_file, installed)
        if name:
            from dataclasses import replace

            plan = replace(plan, name=name)
    else:
        plan = apply_preset(minimal_plan(name or Path(str(target)).stem), preset, installed)
    return create_appraisal(target, plan, installed, who=who, passphrase=passphrase)
