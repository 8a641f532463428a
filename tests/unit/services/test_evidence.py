"""The evidence register on a real appraisal file: stored and referenced artifacts, revisions, links, undo."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import evidence as ev
from app.services.evidence import ArtifactMeta, DiskStatus, EvidenceSource, LinkTarget
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.schema import Blob, ChangeLog, EvidenceLink

PLAN = Plan(
    name="Evidence test",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
        UnitPlan("Facilities", UnitKind.SUPPORT_FUNCTION),
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


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def blob_count(ws: Workspace) -> int:
    with ws.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Blob)) or 0)


def test_file_is_stored_by_hash_and_deduplicated(ws: Workspace, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)  # more than one chunk
    first = ev.add_artifact_from_file(ws, write(tmp_path / "Incident procedure.docx", data))
    second = ev.add_artifact_from_file(ws, write(tmp_path / "copy.docx", data))
    assert first != second
    assert blob_count(ws) == 1, "identical content is stored once"
    assert ev.read_revision(ws, first) == data
    detail = ev.artifact_detail(ws, first)
    assert detail.meta.title == "Incident procedure"
    assert detail.revisions[0].sha256 == hashlib.sha256(data).hexdigest()
    assert detail.revisions[0].size == len(data) and detail.revisions[0].stored
    assert detail.summary.disk_status is DiskStatus.STORED
    with ws.uow() as uow:
        actions = uow.session.scalars(select(ChangeLog.action).where(ChangeLog.entity == "artifact")).all()
    assert actions == ["add", "add"]


def test_progress_is_reported_in_small_numbers(ws: Workspace, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    ev.add_artifact_from_file(ws, write(tmp_path / "big.bin", os.urandom(5 << 20)), progress=lambda *a: seen.append(a))
    assert seen[-1] == (1000, 1000, "big.bin")
    assert all(0 <= done <= total == 1000 for done, total, _ in seen)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_empty_file_and_missing_file(ws: Workspace, tmp_path: Path) -> None:
    empty = ev.add_artifact_from_file(ws, write(tmp_path / "empty.txt", b""))
    assert ev.read_revision(ws, empty) == b""
    with pytest.raises(KnownError, match="does not exist"):
        ev.add_artifact_from_file(ws, tmp_path / "nope.pdf")
    with pytest.raises(KnownError, match="folder"):
        ev.add_artifact_from_file(ws, tmp_path)


def test_reference_remembers_hash_and_notices_changes(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "Policy.pdf", b"version one")
    ref = ev.add_artifact_by_reference(ws, str(path))
    url = ev.add_artifact_by_reference(ws, "https://intranet.example/wiki/SecurityPolicy")
    listed = {a.id: a for a in ev.list_artifacts(ws)}
    assert listed[ref].disk_status is DiskStatus.UNCHANGED and not listed[ref].changed_on_disk
    assert listed[ref].revision_count == 1 and listed[ref].location == str(path)
    assert listed[url].disk_status is DiskStatus.LINK and listed[url].title == "SecurityPolicy"
    assert blob_count(ws) == 0, "a reference stores no content"
    with pytest.raises(KnownError, match="no stored copy"):
        ev.read_revision(ws, ref)

    # Touched but identical: still unchanged. Edited: changed. Gone: missing.
    os.utime(path, (1_000_000, 1_000_000))
    assert {a.id: a for a in ev.list_artifacts(ws)}[ref].disk_status is DiskStatus.UNCHANGED
    path.write_bytes(b"version 2!!")
    assert {a.id: a for a in ev.list_artifacts(ws)}[ref].changed_on_disk
    # A new revision by reference records the file as it is now.
    assert ev.add_revision(ws, ref, path) == 2
    assert {a.id: a for a in ev.list_artifacts(ws)}[ref].disk_status is DiskStatus.UNCHANGED
    path.unlink()
    assert {a.id: a for a in ev.list_artifacts(ws)}[ref].disk_status is DiskStatus.MISSING


def test_metadata_edit_returns_previous_and_validates(ws: Workspace, tmp_path: Path) -> None:
    art = ev.add_artifact_from_file(ws, write(tmp_path / "a.txt", b"a"))
    claims = unit_id(ws, "Claims")
    meta = ArtifactMeta("Incident log", "record", "v3", claims, date(2026, 10, 1), "All incidents since June")
    before = ev.update_artifact(ws, art, meta)
    assert before.title == "a" and before.artifact_type == "document"
    summary = ev.list_artifacts(ws)[0]
    assert (summary.title, summary.provided_by, summary.version_label) == ("Incident log", "Claims", "v3")
    assert ev.artifact_detail(ws, art).meta == meta
    with pytest.raises(KnownError, match="needs a title"):
        ev.update_artifact(ws, art, ArtifactMeta("   "))
    ev.update_artifact(ws, art, before)
    assert ev.artifact_detail(ws, art).meta == before


def test_revisions_keep_older_content_and_undo_exactly(ws: Workspace, tmp_path: Path) -> None:
    art = ev.add_artifact_from_file(ws, write(tmp_path / "plan-v1.docx", b"one"))
    assert ev.add_revision(ws, art, write(tmp_path / "plan-v2.docx", b"two")) == 2
    detail = ev.artifact_detail(ws, art)
    assert [(r.revision, r.file_name) for r in detail.revisions] == [(1, "plan-v1.docx"), (2, "plan-v2.docx")]
    assert ev.read_revision(ws, art) == b"two" and ev.read_revision(ws, art, 1) == b"one"
    removed = ev.remove_revision(ws, art, 2)
    assert ev.read_revision(ws, art) == b"one"
    ev.restore_revision(ws, removed)
    assert ev.read_revision(ws, art) == b"two"
    ev.remove_revision(ws, art, 1)
    with pytest.raises(KnownError, match="only stored revision"):
        ev.remove_revision(ws, art, 2)


def test_save_revision_streams_to_a_file_or_folder(ws: Workspace, tmp_path: Path) -> None:
    data = os.urandom(2 << 20)
    art = ev.add_artifact_from_file(ws, write(tmp_path / "report.pdf", data))
    out = tmp_path / "out"
    out.mkdir()
    assert ev.save_revision(ws, art, out) == out / "report.pdf"
    assert (out / "report.pdf").read_bytes() == data
    assert ev.save_revision(ws, art, out / "renamed.pdf").read_bytes() == data
    assert not list(out.glob(".partial-*"))


def test_delete_and_restore_bring_back_the_same_ids_and_links(ws: Workspace, tmp_path: Path) -> None:
    art = ev.add_artifact_from_file(ws, write(tmp_path / "a.txt", b"content"))
    ev.add_revision(ws, art, write(tmp_path / "b.txt", b"content 2"))
    claims = unit_id(ws, "Claims")
    batch = ev.link_evidence(ws, EvidenceSource.of_artifact(art), [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)])
    before = ev.artifact_detail(ws, art)
    record = ev.delete_artifact(ws, art)
    assert ev.list_artifacts(ws) == ()
    with ws.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(EvidenceLink)) == 0
    assert blob_count(ws) == 2, "content stays until purged, so undo needs no bytes"
    assert ev.restore_artifact(ws, record) == art
    after = ev.artifact_detail(ws, art)
    assert after.revisions == before.revisions and after.meta == before.meta
    assert [link.id for link in after.links] == [batch.created[0].id]
    assert ev.read_revision(ws, art, 1) == b"content"
    # Once nothing can undo the delete, the unused content can go.
    ev.delete_artifact(ws, art)
    assert ev.purge_unused_blobs(ws) == 2 and blob_count(ws) == 0


def test_link_many_practices_and_units_at_once(ws: Workspace, tmp_path: Path) -> None:
    art = ev.add_artifact_from_file(ws, write(tmp_path / "a.txt", b"x"))
    claims, policies = unit_id(ws, "Claims"), unit_id(ws, "Policies")
    targets = [
        LinkTarget(m, pa, p, u)
        for m, pa, p in (("SM", "SM", "ESP1.2"), ("CMMI-SVC", "IRP", "SP1.1"))
        for u in (claims, policies)
    ]
    batch = ev.link_evidence(ws, EvidenceSource.of_artifact(art), targets, adequacy="inadequate", note="draft only")
    assert len(batch.created) == 4 and batch.before == ()
    used = ev.artifact_detail(ws, art).links
    assert [(i.model, i.pa, i.practice, i.unit, i.adequacy) for i in used] == [
        ("CMMI-SVC", "IRP", "SP1.1", "Claims", "inadequate"),
        ("CMMI-SVC", "IRP", "SP1.1", "Policies", "inadequate"),
        ("SM", "SM", "ESP1.2", "Claims", "inadequate"),
        ("SM", "SM", "ESP1.2", "Policies", "inadequate"),
    ]
    assert ev.list_artifacts(ws)[0].link_count == 4
    # Linking again updates adequacy in place; undo puts the old state back, redo the new one, same ids.
    again = ev.link_evidence(ws, EvidenceSource.of_artifact(art), targets[:1], adequacy="adequate")
    assert again.created == () and [r.adequacy for r in again.before] == ["inadequate"]
    ev.undo_link_batch(ws, again)
    assert {i.adequacy for i in ev.artifact_detail(ws, art).links} == {"inadequate"}
    ev.undo_link_batch(ws, batch)
    assert ev.artifact_detail(ws, art).links == ()
    ev.redo_link_batch(ws, batch)
    assert sorted(i.id for i in ev.artifact_detail(ws, art).links) == sorted(r.id for r in batch.created)
    # Unlink and restore.
    gone = ev.unlink_evidence(ws, [batch.created[0].id])
    assert len(ev.artifact_detail(ws, art).links) == 3
    ev.restore_links(ws, gone)
    assert len(ev.artifact_detail(ws, art).links) == 4
    before = ev.set_link_adequacy(ws, batch.created[0].id, "not_assessed")
    assert before.adequacy == "inadequate"


def test_links_are_checked_against_scope_and_units(ws: Workspace, tmp_path: Path) -> None:
    art = ev.add_artifact_from_file(ws, write(tmp_path / "a.txt", b"x"))
    src = EvidenceSource.of_artifact(art)
    security, facilities = unit_id(ws, "Security office"), unit_id(ws, "Facilities")
    # A support function does only its listed PAs.
    ev.link_evidence(ws, src, [LinkTarget("SM", "SM", "ESP1.2", security)])
    with pytest.raises(KnownError, match="Security office is a support function that does not implement CMMI-SVC IRP"):
        ev.link_evidence(ws, src, [LinkTarget("CMMI-SVC", "IRP", "SP1.1", security)])
    with pytest.raises(KnownError, match="Facilities is a support function with no process areas listed"):
        ev.link_evidence(ws, src, [LinkTarget("SM", "SM", "ESP1.2", facilities)])
    with pytest.raises(KnownError, match="CMMI-SVC MA is not in this appraisal's scope"):
        ev.link_evidence(ws, src, [LinkTarget("CMMI-SVC", "MA", "SP1.1", unit_id(ws, "Claims"))])
    with pytest.raises(KnownError, match=r"no practice SP9\.9"):
        ev.link_evidence(ws, src, [LinkTarget("CMMI-SVC", "IRP", "SP9.9", unit_id(ws, "Claims"))])
    with pytest.raises(KnownError, match="not an adequacy"):
        ev.link_evidence(ws, src, [LinkTarget("SM", "SM", "ESP1.2", security)], adequacy="great")
    # All or nothing: one bad target links none of the good ones.
    with pytest.raises(KnownError):
        ev.link_evidence(
            ws,
            src,
            [
                LinkTarget("CMMI-SVC", "IRP", "SP1.2", unit_id(ws, "Claims")),
                LinkTarget("CMMI-SVC", "IRP", "SP1.2", security),
            ],
        )
    assert len(ev.artifact_detail(ws, art).links) == 1
    assert ev.link_problems(ws, [LinkTarget("CMMI-SVC", "IRP", "SP1.2", security)])


def test_practice_options_and_generic_practices(ws: Workspace, tmp_path: Path) -> None:
    options = ev.practice_options(ws)
    labels = [(o.model, o.pa, o.practice) for o in options]
    # IRP and SM target CL2: their specific practices, then GG2's practices (SM borrows them from CMMI-SVC).
    assert labels == [
        ("CMMI-SVC", "IRP", "SP1.1"),
        ("CMMI-SVC", "IRP", "SP1.2"),
        ("CMMI-SVC", "IRP", "GP2.1"),
        ("CMMI-SVC", "IRP", "GP2.2"),
        ("SM", "SM", "ESP1.2"),
        ("SM", "SM", "GP2.1"),
        ("SM", "SM", "GP2.2"),
    ]
    art = ev.add_artifact_from_file(ws, write(tmp_path / "a.txt", b"x"))
    ev.link_evidence(ws, EvidenceSource.of_artifact(art), [LinkTarget("SM", "SM", "GP2.1", unit_id(ws, "Claims"))])
    assert [(i.pa, i.practice) for i in ev.artifact_detail(ws, art).links] == [("SM", "GP2.1")]


def test_linked_practices_offer_only_rated_practices_in_scope(ws: Workspace) -> None:
    linked = ev.linked_practices_for(ws, "SM", "SM", "ESP1.2")
    # The ISO 27001 clause is a reference standard and never offered; IRP SP1.1 is, through the curated link.
    assert [(lp.option.model, lp.option.pa, lp.option.practice, lp.relation) for lp in linked] == [
        ("CMMI-SVC", "IRP", "SP1.1", "supports")
    ]
    back = ev.linked_practices_for(ws, "CMMI-SVC", "IRP", "SP1.1")
    assert [(lp.option.model, lp.option.practice) for lp in back] == [("SM", "ESP1.2")]
    assert ev.linked_practices_for(ws, "CMMI-SVC", "IRP", "SP1.2") == ()


def test_linked_practices_skip_process_areas_out_of_scope(tmp_path: Path, catalog: Catalog) -> None:
    plan = Plan(
        name="sm only", scope=(ScopeEntry(PaKey("SM", "SM"), 2),), units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),)
    )
    workspace = appraisals.create_appraisal(tmp_path / "s.appraisal", plan, catalog)
    try:
        assert ev.linked_practices_for(workspace, "SM", "SM", "ESP1.2") == ()
    finally:
        workspace.close()


PG_URL = os.environ.get("APPRAISAL_DESK_PG_URL")


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="APPRAISAL_DESK_PG_URL is not set: no PostgreSQL server to test against")
def test_the_same_register_on_postgresql(tmp_path: Path, catalog: Catalog) -> None:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert PG_URL is not None
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        workspace = appraisals.create_appraisal(url, PLAN, catalog, who="Lee")
        try:
            data = os.urandom((2 << 20) + 5)
            art = ev.add_artifact_from_file(workspace, write(tmp_path / "big.bin", data))
            assert ev.add_artifact_from_file(workspace, write(tmp_path / "same.bin", data)) != art
            assert blob_count(workspace) == 1
            assert ev.save_revision(workspace, art, tmp_path / "out.bin").read_bytes() == data
            claims = unit_id(workspace, "Claims")
            ev.link_evidence(workspace, EvidenceSource.of_artifact(art), [LinkTarget("SM", "SM", "ESP1.2", claims)])
            record = ev.delete_artifact(workspace, art)
            ev.restore_artifact(workspace, record)
            assert [i.practice for i in ev.artifact_detail(workspace, art).links] == ["ESP1.2"]
        finally:
            workspace.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_an_undo_of_an_artifact_edit_written_trimmed_is_not_taken_for_a_colleagues_change(ws: Workspace) -> None:
    artifact_id = ev.add_artifact_by_reference(ws, "https://example.org/policy", ArtifactMeta("Policy"))
    before = ev.artifact_detail(ws, artifact_id).meta
    typed = dataclasses.replace(before, title="  Policy v2 ", version_label=" 2 ")
    ev.update_artifact(ws, artifact_id, typed, expected=before)
    ev.update_artifact(ws, artifact_id, before, expected=typed)  # the undo
    assert ev.artifact_detail(ws, artifact_id).meta == before
