"""Review marks, extra identifiers and the sponsor-release gate, on a real appraisal file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.report import Edition
from app.services import attribution, release_gate
from app.services import findings as fs
from app.services.decisions import set_goal_override
from app.services.findings import FindingFields, FindingTarget
from app.services.interviews import SessionFields, add_participant, create_session
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from tests.unit.services.output_appraisal import make_output_appraisal
from tests.unit.services.test_findings import IRP, make

COMMON_NOUN = "Claims are closed without a review of trends."


@pytest.fixture
def ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    workspace = make(tmp_path, catalog)
    yield workspace
    workspace.close()


def test_a_reviewed_span_lets_the_finding_be_validated_and_holds_only_for_that_text(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", COMMON_NOUN, IRP))
    [flag] = fs.get_finding(ws, finding).flags
    assert (flag.term, flag.kind, flag.span) == ("Claims", "unit", (0, 6))
    with pytest.raises(KnownError, match="mark each flagged span reviewed"):
        fs.set_status(ws, finding, "validated")

    mark = attribution.review_span(ws, finding, 0, 6)
    info = fs.get_finding(ws, finding)
    assert info.flags == () and [(f.term, f.reviewed_by) for f in info.reviewed] == [("Claims", "Lee")]
    assert info.reviewed[0].reviewed_at is not None
    assert rate_appraisal(ws).attribution_flags == ()  # the ratings no longer flag it either
    fs.set_status(ws, finding, "validated")

    # Any change to the text makes the mark stale: the span is flagged again.
    fs.update_finding(ws, finding, FindingFields("weakness", COMMON_NOUN + " ", IRP))  # trimmed: same text
    assert fs.get_finding(ws, finding).flags == ()
    fs.update_finding(ws, finding, FindingFields("weakness", "Yes: " + COMMON_NOUN, IRP))
    assert [f.term for f in fs.get_finding(ws, finding).flags] == ["Claims"]
    # Undo puts the reviewed text back, and the mark holds again.
    fs.update_finding(ws, finding, FindingFields("weakness", COMMON_NOUN, IRP))
    assert fs.get_finding(ws, finding).flags == ()

    removed = attribution.remove_review(ws, mark)
    assert removed is not None and [f.term for f in fs.get_finding(ws, finding).flags] == ["Claims"]
    attribution.restore_review(ws, removed)
    assert fs.get_finding(ws, finding).flags == ()


def test_a_span_that_names_nobody_cannot_be_marked(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", COMMON_NOUN, IRP))
    with pytest.raises(KnownError, match="no longer names anyone there"):
        attribution.review_span(ws, finding, 7, 10)


def test_extra_identifiers_are_matched_like_names_and_kept_apart(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Per annie.l the log is old.", IRP))
    assert fs.get_finding(ws, finding).flags == ()
    added = attribution.add_identifier(ws, "annie.l", "e-mail handle")
    assert [(f.term, f.kind) for f in fs.get_finding(ws, finding).flags] == [("annie.l", "identifier")]
    with pytest.raises(KnownError, match="already in the list"):
        attribution.add_identifier(ws, "Annie L")
    with pytest.raises(KnownError, match="Write the identifier"):
        attribution.add_identifier(ws, " -- ")
    assert [(i.text, i.note) for i in attribution.list_identifiers(ws)] == [("annie.l", "e-mail handle")]
    removed = attribution.remove_identifier(ws, added)
    assert fs.get_finding(ws, finding).flags == ()
    attribution.add_identifier(ws, removed.text, removed.note, identifier_id=removed.id)  # undo
    assert [i.id for i in attribution.list_identifiers(ws)] == [added]


def test_a_role_one_participant_holds_is_a_flag(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "The service manager ignores trends.", IRP))
    assert [(f.term, f.kind) for f in fs.get_finding(ws, finding).flags] == [("Service manager", "role")]
    other = create_session(ws, SessionFields("S2"))
    add_participant(ws, other, "Bo Berg", "Service manager")  # now two people hold it: it identifies nobody
    assert fs.get_finding(ws, finding).flags == ()


def test_the_sponsor_gate_lists_flagged_validated_findings_and_unexplained_goals(
    tmp_path: Path, catalog: Catalog
) -> None:
    ws = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    try:
        assert release_gate.release_blocks(ws, Edition.SPONSOR) == ()
        set_goal_override(ws, "CMMI-SVC", "IRP", "SG1", "Unsatisfied", "Finch's team never analyses trends")
        blocks = release_gate.release_blocks(ws, Edition.SPONSOR)
        assert [(b.pa, b.goal, b.finding_id) for b in blocks] == [("IRP", "SG1", None)]
        assert "no validated weakness finding" in blocks[0].line
        assert release_gate.release_blocks(ws, Edition.TEAM) == ()

        target = FindingTarget("CMMI-SVC", "IRP", "SG1", "SP1.1")
        finding = fs.add_finding(ws, FindingFields("weakness", "No incident log exists.", target))
        assert len(release_gate.release_blocks(ws, Edition.SPONSOR)) == 1  # preliminary does not explain it
        fs.set_status(ws, finding, "validated")
        assert release_gate.release_blocks(ws, Edition.SPONSOR) == ()

        # A validated finding edited afterwards to name someone blocks the edition, with span and term.
        text = "No incident log exists, says Harold."
        fs.update_finding(ws, finding, FindingFields("weakness", text, target))
        [block] = release_gate.release_blocks(ws, Edition.SPONSOR)
        assert (block.finding_id, block.span, block.term) == (finding, (29, 35), "Harold Finch")
        assert block.line.startswith(f"validated weakness finding #{finding} (IRP SP1.1) at 29-35: names a participant")
        with pytest.raises(release_gate.ReleaseRefused) as refused:
            release_gate.check_release(ws, Edition.SPONSOR)
        assert refused.value.blocks == (block,)
    finally:
        ws.close()
