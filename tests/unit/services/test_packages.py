"""Mini-team packages on real files: what a package holds (and never holds), its guard, and merging it back."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.catalog import Catalog
from app.domain.merge import RECORD, Side
from app.services import appraisals, findings, package_merge, packages
from app.services.characterize import CellKey, CellState, get_cell, set_cell
from app.services.package_origin import package_origin
from app.services.workspace import Workspace
from app.storage.errors import KnownError, PackageScopeError
from app.storage.schema import Artifact, ArtifactRevision, Blob, ChangeLog, Characterization, Finding, Participant
from tests.unit.services.output_appraisal import PARTICIPANTS
from tests.unit.services.package_appraisal import ATTACHED_TEXT, make_package_appraisal

IRP_CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
SM_CELL = CellKey("SM", "SM", "ESG1", "ESP1.2", "Sec")


@pytest.fixture(scope="module")
def lead_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import tiny_catalog

    path = tmp_path_factory.mktemp("lead") / "lead.appraisal"
    make_package_appraisal(path, tiny_catalog()).close()
    return path


@pytest.fixture
def lead(lead_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lead.appraisal"
    shutil.copy(lead_template, path)
    return path


def _open(path: Path, who: str) -> Workspace:
    return appraisals.open_appraisal(path, who=who)


def _split(lead: Path, team: str, name: str) -> Path:
    ws = _open(lead, "Lee Lead")
    try:
        return packages.split(ws, team, lead.parent / name).path
    finally:
        ws.close()


def _merge(lead: Path, package: Path, side: Side = Side.PACKAGE) -> package_merge.MergePreview:
    ws = _open(lead, "Lee Lead")
    try:
        preview = package_merge.preview(ws, package)
        package_merge.apply(ws, preview, package_merge.settle_all(preview, side))
        return preview
    finally:
        ws.close()


def test_a_package_holds_its_process_areas_and_no_participant_names(lead: Path, catalog: Catalog) -> None:
    package = _split(lead, "Alpha", "alpha.appraisal")
    data = package.read_bytes()
    for name in PARTICIPANTS:
        for encoded in (name.encode("utf-8"), name.encode("utf-16-le"), name.lower().encode("utf-8")):
            assert encoded not in data, f"{name} leaked into the package"
    ws = _open(package, "Lee Lead")
    try:
        origin = package_origin(ws)
        assert origin is not None and origin.mini_team == "Alpha" and origin.process_areas == ("CMMI-SVC IRP",)
        assert "Mini-team package for Alpha" in origin.banner
        info = appraisals.appraisal_info(ws)
        assert [line.pa for line in info.scope] == ["IRP"]
        with ws.uow() as uow:
            s = uow.session
            assert s.scalars(select(Participant)).all() == []
            assert {pa for pa in s.scalars(select(Characterization.process_area_id).distinct())} == {
                pa for pa in s.scalars(select(Characterization.process_area_id))
            }
            texts = " ".join(s.scalars(select(Finding.text))) + " ".join(s.scalars(select(Artifact.title)))
            assert "withheld" in texts
            revision = s.scalars(select(ArtifactRevision)).one()
            assert all(n not in revision.file_name for n in PARTICIPANTS) and revision.source_path == ""
            assert s.scalars(select(Blob.data)).one() == ATTACHED_TEXT
            assert s.scalars(select(ChangeLog)).all() == []
        assert get_cell(ws, IRP_CELL).value == "FI"
    finally:
        ws.close()


def test_the_package_refuses_edits_outside_its_scope_with_a_reason(lead: Path) -> None:
    package = _split(lead, "Alpha", "alpha.appraisal")
    ws = _open(package, "Member")
    try:
        set_cell(ws, IRP_CELL, CellState("LI", weaknesses="No trend review"))
        with pytest.raises(PackageScopeError, match=r"not in this package.*CMMI-SVC IRP"):
            set_cell(ws, SM_CELL, CellState("NI"))
        with pytest.raises(PackageScopeError, match=r"plan .* is the lead's"):
            appraisals_rename(ws)
        with pytest.raises(PackageScopeError, match="not in this package"):
            findings.add_finding(ws, findings.FindingFields("strength", "Org-wide strength"))
        with pytest.raises(KnownError, match="itself a mini-team package"):
            packages.split(ws, "Alpha", package.parent / "again.appraisal")
    finally:
        ws.close()


def appraisals_rename(ws: Workspace) -> None:
    from app.storage.schema import Appraisal

    with ws.uow() as uow:
        uow.session.scalars(select(Appraisal)).one().name = "Renamed"
        uow.commit()


def test_merge_takes_one_sided_edits_lists_conflicts_keeps_authors_and_is_idempotent(lead: Path) -> None:
    package = _split(lead, "Alpha", "alpha.appraisal")
    member = _open(package, "Morgan Member")
    try:
        set_cell(member, IRP_CELL, replace(get_cell(member, IRP_CELL), value="PI", notes="from the package"))
        other = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.2", "Claims")
        set_cell(member, other, replace(get_cell(member, other), value="LI"))
        findings.add_finding(
            member, findings.FindingFields("weakness", "No trends", findings.FindingTarget("CMMI-SVC", "IRP"))
        )
    finally:
        member.close()
    ws = _open(lead, "Lee Lead")
    try:
        set_cell(ws, IRP_CELL, replace(get_cell(ws, IRP_CELL), value="NI"))
        preview = package_merge.preview(ws, package)
        conflicts = [(i.change.key, i.change.field) for i in preview.conflicts]
        assert len(conflicts) == 1 and conflicts[0][1] == "value"
        assert preview.conflicts[0].change.base == "FI" and preview.conflicts[0].change.lead == "NI"
        assert preview.conflicts[0].change.package == "PI"
        added = [i for i in preview.items if i.change.field == RECORD]
        assert len(added) == 1 and added[0].what.startswith("Finding")
        result = package_merge.apply(ws, preview, {})
        assert result.kept_lead == 1
        assert get_cell(ws, IRP_CELL).value == "NI"
        assert get_cell(ws, IRP_CELL).notes == "from the package"
        assert get_cell(ws, other).value == "LI"
        with ws.uow() as uow:
            authors = set(uow.session.scalars(select(ChangeLog.who).where(ChangeLog.detail.like("%Alpha package%"))))
            assert authors == {"Morgan Member"}
            assert "No trends" in uow.session.scalars(select(Finding.text)).all()
        again = package_merge.preview(ws, package)
        assert again.empty and again.already_merged_at is not None
    finally:
        ws.close()


def test_refusals_leave_the_lead_file_byte_identical(lead: Path, tmp_path: Path, catalog: Catalog) -> None:
    package = _split(lead, "Alpha", "alpha.appraisal")
    other = tmp_path / "other"
    other.mkdir()
    stranger = make_package_appraisal(other / "stranger.appraisal", catalog)
    try:
        foreign = packages.split(stranger, "Alpha", other / "foreign.appraisal").path
    finally:
        stranger.close()
    tampered = tmp_path / "tampered.appraisal"
    shutil.copy(package, tampered)
    with sqlite3.connect(tampered) as conn:
        conn.execute("DROP TRIGGER package_guard_package_record_update")
        conn.execute("UPDATE package_record SET base = replace(base, '\"FI\"', '\"NI\"')")
    damaged = tmp_path / "damaged.appraisal"
    damaged.write_bytes(package.read_bytes()[:5000])
    before = lead.read_bytes()
    for bad, message in (
        (foreign, "another appraisal"),
        (tampered, "tampered"),
        (damaged, "cannot be read"),
        (lead, "not a mini-team package"),
    ):
        ws = _open(lead, "Lee Lead")
        try:
            with pytest.raises(KnownError, match=message):
                package_merge.preview(ws, bad)
        finally:
            ws.close()
        assert lead.read_bytes() == before


def test_iterate_split_again_after_merge_and_an_older_package_is_shown_as_such(lead: Path) -> None:
    first = _split(lead, "Beta", "beta-1.appraisal")
    member = _open(first, "Bo")
    try:
        set_cell(member, SM_CELL, replace(get_cell(member, SM_CELL), value="LI"))
    finally:
        member.close()
    _merge(lead, first)
    second = _split(lead, "Beta", "beta-2.appraisal")
    member = _open(second, "Bo")
    try:
        assert get_cell(member, SM_CELL).value == "LI"
        set_cell(member, SM_CELL, replace(get_cell(member, SM_CELL), value="PI"))
    finally:
        member.close()
    _merge(lead, second)
    ws = _open(lead, "Lee Lead")
    try:
        assert get_cell(ws, SM_CELL).value == "PI"
        stale = package_merge.preview(ws, first)
        assert stale.newer_merged is not None
        assert any("OLDER PACKAGE" in line for line in stale.status_lines)
        assert stale.empty
    finally:
        ws.close()


def test_a_package_can_be_encrypted(lead: Path) -> None:
    pytest.importorskip("sqlcipher3")
    ws = _open(lead, "Lee Lead")
    try:
        target = packages.split(ws, "Alpha", lead.parent / "secret.appraisal", passphrase="correct horse").path
    finally:
        ws.close()
    assert not target.read_bytes().startswith(b"SQLite format 3")
    member = appraisals.open_appraisal(target, who="M", passphrase="correct horse")
    try:
        set_cell(member, IRP_CELL, replace(get_cell(member, IRP_CELL), value="NI"))
    finally:
        member.close()
    ws = _open(lead, "Lee Lead")
    try:
        preview = package_merge.preview(ws, target, passphrase="correct horse")
        package_merge.apply(ws, preview, {}, passphrase="correct horse")
        assert get_cell(ws, IRP_CELL).value == "NI"
    finally:
        ws.close()


def test_a_masked_text_a_member_extended_comes_home_with_its_names(lead: Path) -> None:
    ws = _open(lead, "Lee Lead")
    try:
        said = "Harold Finch showed the risk log; Zoë Ørsted agreed."
        set_cell(ws, IRP_CELL, replace(get_cell(ws, IRP_CELL), notes=said))
        about = findings.FindingTarget("CMMI-SVC", "IRP")
        finding = findings.add_finding(ws, findings.FindingFields("weakness", "Harold Finch keeps no trends.", about))
    finally:
        ws.close()
    package = _split(lead, "Alpha", "alpha.appraisal")
    member = _open(package, "Morgan Member")
    try:
        shown = get_cell(member, IRP_CELL).notes
        assert "Harold" not in shown and "[name withheld]" in shown
        set_cell(member, IRP_CELL, replace(get_cell(member, IRP_CELL), notes=shown + " Trends are reviewed monthly."))
        [masked] = [f for f in findings.list_findings(member) if "trends" in f.text]
        findings.update_finding(member, masked.id, findings.FindingFields("weakness", masked.text + " Still.", about))
    finally:
        member.close()
    _merge(lead, package)
    ws = _open(lead, "Lee Lead")
    try:
        assert get_cell(ws, IRP_CELL).notes == said + " Trends are reviewed monthly."
        [text] = [f.text for f in findings.list_findings(ws) if f.id == finding]
        assert text == "Harold Finch keeps no trends. Still."
        with ws.uow() as uow:
            stored = uow.session.scalars(select(Characterization.notes)).all()
        assert not any("[name withheld]" in (n or "") for n in stored)
    finally:
        ws.close()
