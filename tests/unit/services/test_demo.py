"""The demo appraisal (Olive Vehicle Insurance): what it holds, how it rates, and that it keeps names apart."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.rating.nonattribution import AttributionKind
from app.domain.rating.results import RatingResult
from app.domain.rating.scales import GoalRating
from app.services import appraisals, demo, search
from app.services import evidence as ev
from app.services.demo_content import demo_content
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage.catalog_files import builtin_catalog
from app.storage.errors import KnownError
from app.storage.schema import (
    Affirmation,
    Artifact,
    Base,
    Characterization,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
    Participant,
    Unit,
)

SERVICES = {"Quotes", "Policies", "Billing and premiums", "Claims", "Legal services", "Vehicle repair"}
SCOPE = [
    ("SM", "SM"),
    *(("CMMI-SVC", pa) for pa in ("IRP", "RSKM", "SCON", "SST", "SAM", "MA")),
    *(("CERT-RMM", pa) for pa in ("IMC", "VAR", "KIM", "CTRL", "SC", "EXD", "MON")),
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = demo.create_demo(tmp_path_factory.mktemp("demo") / "ovig.appraisal", builtin_catalog(), who="Lee")
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def result(ws: Workspace) -> RatingResult:
    return rate_appraisal(ws)


def test_the_demo_is_the_seeds_insurer_with_its_six_services_and_the_security_scope(ws: Workspace) -> None:
    info = appraisals.appraisal_info(ws)
    assert "Olive Vehicle Insurance" in info.name
    assert info.phase == "conduct"
    assert [(line.model, line.pa) for line in info.scope] == SCOPE
    with ws.uow() as uow:
        units = {u.name: u.kind for u in uow.session.scalars(select(Unit))}
    assert {name for name, kind in units.items() if kind == "basic_unit"} == SERVICES
    assert units["Information security office"] == "support_function"


def test_every_page_has_something_to_show(ws: Workspace) -> None:
    counts = appraisals.appraisal_info(ws).counts
    assert counts["artifacts"] >= 100
    assert counts["interview_sessions"] >= 10
    assert counts["affirmations"] >= 200
    assert counts["evidence_links"] >= 2000
    assert counts["characterizations"] >= 1000
    assert counts["findings"] >= 10
    with ws.uow() as uow:
        kinds = set(uow.session.scalars(select(Finding.kind)))
        statuses = set(uow.session.scalars(select(Finding.status)))
        assert uow.session.scalar(select(OuCharacterization.id).limit(1)) is not None
        assert uow.session.scalar(select(GoalRatingOverride.id).limit(1)) is not None
        comments = list(
            uow.session.scalars(select(Characterization.review_comment).where(Characterization.review_flag.is_(True)))
        )
    assert kinds == {"strength", "weakness", "improvement"}
    assert statuses == {"preliminary", "validated"}
    assert comments and all(comments)


def test_stored_documents_open_with_the_bytes_they_were_recorded_with(ws: Workspace) -> None:
    artifacts = ev.list_artifacts(ws)
    stored = [a for a in artifacts if a.revision_count > 0]
    referenced = [a for a in artifacts if a.revision_count == 0]
    assert len(stored) >= 100 and referenced
    assert any(a.revision_count == 2 for a in stored)
    for artifact in stored[:: max(1, len(stored) // 12)]:
        content = ev.read_revision(ws, artifact.id)
        assert 0 < len(content) < 4096


def test_characterizations_follow_the_method_rules(result: RatingResult) -> None:
    values: Counter[str] = Counter()
    for area in result.process_areas:
        for goal in area.goals:
            for practice in goal.practices:
                for cell in practice.instantiations:
                    assert cell.problems == (), (area.key, practice.code, cell.unit, cell.problems)
                    if cell.value is not None:
                        values[cell.value] += 1
                        assert bool(cell.weakness.strip()) == (cell.value in ("LI", "PI", "NI")), (
                            area.key,
                            practice.code,
                            cell.unit,
                        )
    assert set(values) == {"FI", "LI", "PI", "NI", "NY"}
    total = sum(values.values())
    assert values["FI"] + values["LI"] > 0.9 * total
    assert values["LI"] > values["PI"] > values["NI"]


def test_ratings_tell_a_plausible_story(result: RatingResult) -> None:
    ratings = Counter(g.rating for area in result.process_areas for g in area.goals)
    assert ratings[GoalRating.SATISFIED] > ratings[GoalRating.UNSATISFIED] > 0
    assert ratings[GoalRating.NOT_RATED] > 0
    levels = {(area.key.model, area.key.pa): area.capability.level for area in result.process_areas}
    assert {0, 1, 2, None} <= set(levels.values())
    assert levels[("CMMI-SVC", "IRP")] == 0  # incident prevention is weak
    assert levels[("CMMI-SVC", "MA")] == 0  # data quality judged significant (override)
    assert levels[("SM", "SM")] == 1  # no audit of adherence
    assert levels[("CMMI-SVC", "RSKM")] == 2
    assert levels[("CERT-RMM", "MON")] is None  # still being examined
    assert levels[("CMMI-SVC", "SST")] is None  # a stale decision to re-confirm

    practices = [p for area in result.process_areas for g in area.goals for p in g.practices]
    waiting = [p for p in practices if p.judgment_needed]
    decided = [p for p in practices if p.rollup.decision is not None and p.rollup.stale is None]
    assert len(waiting) >= 2
    assert decided and all(p.rollup.conflict is None and p.ou == p.rollup.decision.value for p in decided)
    ma = result.process_area("CMMI-SVC", "MA")
    assert ma is not None and any(g.overridden for g in ma.goals)


def test_decisions_follow_the_rules_with_a_few_left_for_day_four(result: RatingResult) -> None:
    goals = [g for area in result.process_areas for g in area.goals]
    practices = [p for g in goals for p in g.practices]
    assert not [g for g in goals if g.conflict] and not [p for p in practices if p.rollup.conflict]
    # The team decided the significance of most goals with LI practices (rule 3); CTRL's waits for Friday.
    significance = [g for g in goals if g.rule.name == "GOAL_R3_TEAM_NOT_SIGNIFICANT"]
    pending = [g for g in goals if g.rule.name == "GOAL_R3_AWAITING_SIGNIFICANCE"]
    assert len(significance) >= 20 and 1 <= len(pending) <= 3
    # One goal decision and one practice judgment are stale: a weakness was reworded after them.
    assert [g.code for g in goals if g.stale is not None] == ["SG1"]
    assert [p.code for p in practices if p.rollup.stale is not None] == ["GP2.8"]
    assert all(g.judgment_needed and g.proposed is GoalRating.SATISFIED for g in goals if g.stale is not None)
    # Coverage gaps only where the team is still at work.
    assert result.coverage_gaps
    assert {gap.pa for gap in result.coverage_gaps} <= {"EXD", "MON"}


def test_only_the_one_deliberate_name_is_flagged(ws: Workspace, result: RatingResult) -> None:
    (flag,) = result.attribution_flags
    assert flag.term == demo_content().deliberate_attribution and flag.kind is AttributionKind.PARTICIPANT
    finding_id = int(flag.location.rsplit("#", 1)[1])
    with ws.uow() as uow:
        finding = uow.session.get(Finding, finding_id)
        assert finding is not None and finding.status == "preliminary"


def test_participant_names_stay_in_the_participant_table(ws: Workspace) -> None:
    with ws.uow() as uow:
        session = uow.session
        names = sorted(set(session.scalars(select(Participant.name))))
        texts = [
            *session.scalars(select(Affirmation.text)),
            *session.scalars(select(InterviewSession.notes)),
            *session.scalars(select(InterviewSession.participant_roles)),
            *(c.weaknesses + " " + c.strengths + " " + c.notes for c in session.scalars(select(Characterization))),
            *(a.title + " " + a.description for a in session.scalars(select(Artifact))),
            *session.scalars(select(OuCharacterization.rationale)),
            *session.scalars(select(GoalRatingOverride.rationale)),
            *(f.text for f in session.scalars(select(Finding)) if demo_content().deliberate_attribution not in f.text),
        ]
    assert len(names) >= 20
    for name in names:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        assert not any(pattern.search(text) for text in texts), name


def test_search_finds_the_demo_content_but_never_a_participant(ws: Workspace) -> None:
    kinds = {hit.kind for hit in search.search(ws, "threat scoring")}
    assert {"finding", "characterization", "artifact", "affirmation"} <= kinds
    assert any(hit.kind == "artifact" for hit in search.search(ws, "double payment"))
    assert any(hit.kind == "session" for hit in search.search(ws, "SIEM console"))
    assert search.search(ws, "Lindqvist") == ()
    assert {hit.kind for hit in search.search(ws, demo_content().deliberate_attribution)} == {"finding"}


def _content(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    tables = [t for t in Base.metadata.sorted_tables if t.name != "change_log"]
    with ws.uow() as uow:
        return {
            t.name: [tuple(row) for row in uow.session.execute(select(t).order_by(*t.primary_key.columns))]
            for t in tables
        }


def test_the_demo_is_the_same_on_every_run(ws: Workspace, tmp_path: Path) -> None:
    again = demo.create_demo(tmp_path / "again.appraisal", builtin_catalog(), who="Someone else")
    try:
        assert _content(again) == _content(ws)
    finally:
        again.close()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "mine.appraisal"
    target.write_bytes(b"my own work")
    with pytest.raises(KnownError, match="already exists"):
        demo.create_demo(target, builtin_catalog())
    assert target.read_bytes() == b"my own work"


def test_a_failure_while_filling_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_builder: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo._Builder, "build", broken)
    target = tmp_path / "half.appraisal"
    with pytest.raises(RuntimeError):
        demo.create_demo(target, builtin_catalog())
    assert not target.exists()


def test_progress_is_reported_to_the_end(tmp_path: Path) -> None:
    steps: list[tuple[int, int, str]] = []
    workspace = demo.create_demo(tmp_path / "p.appraisal", builtin_catalog(), progress=lambda *s: steps.append(s))
    workspace.close()
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]


def test_info_read_with_sqlite_alone_says_what_the_open_appraisal_says(ws: Workspace) -> None:
    from app.services.appraisal_info import quick_info

    assert ws.path is not None
    quick = quick_info(ws.path)  # while the workspace holds the file, its edits still in the WAL
    assert quick is not None
    assert quick == appraisals.appraisal_info(ws)
    assert quick.counts["characterizations"] > 1000 and len(quick.scope) == len(SCOPE)
