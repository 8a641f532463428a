"""Fuzzing plan files: whatever a plan file holds, reading it gives a Plan or a clear, located error, and a bad
plan creates no appraisal file."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.catalog import Catalog
from app.domain.plan import Plan, PlanError
from app.services import appraisals
from app.services.catalogs import installed_catalog
from app.storage.errors import KnownError
from tests.fuzz.mutations import examples, mutated

REPO = Path(__file__).resolve().parents[2]
OVIG = REPO / "docs" / "examples" / "ovig-plan.yaml"
FUZZ = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _catalog() -> Catalog:
    return installed_catalog()


@functools.cache
def _valid() -> Any:
    return yaml.safe_load(OVIG.read_text(encoding="utf-8"))


def _read(content: bytes) -> Plan | None:
    """Read `content` as a plan file; None when it was refused with a clear error (asserted here)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_bytes(content)
        try:
            return appraisals.read_plan_file(path, _catalog())
        except PlanError as exc:
            assert exc.problems, "a PlanError must list its problems"
            for problem in exc.problems:
                assert problem.field and problem.message, problem
                assert "Traceback" not in problem.message and "object at 0x" not in problem.message, problem
            assert str(exc).startswith("plan.yaml: ")
            return None
        except KnownError as exc:
            assert "plan.yaml" in str(exc) or "plan file" in str(exc), exc
            return None


def test_the_example_plan_reads() -> None:
    assert _read(OVIG.read_bytes()) is not None


@FUZZ
@given(mutated(_valid()))
def test_a_damaged_plan_reads_or_is_refused_clearly(data: Any) -> None:
    _read(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"))


@FUZZ
@given(st.text(max_size=400))
def test_any_text_reads_or_is_refused_clearly(text: str) -> None:
    _read(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_read_or_are_refused_clearly(content: bytes) -> None:
    _read(content)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_cut_or_spliced_anywhere_reads_or_is_refused_clearly(data: st.DataObject) -> None:
    text = OVIG.read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 200)))
    insert = data.draw(st.sampled_from(["", ":", "- ", "  ", "\t", "{", "]", "&a ", "*a", "!!binary x", "\n  - x"]))
    _read((text[:start] + insert + text[end:]).encode("utf-8"))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(_valid()))
def test_a_refused_plan_creates_no_appraisal(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan_file = Path(folder) / "plan.yaml"
        plan_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        target = Path(folder) / "new.appraisal"
        try:
            appraisals.new_appraisal(target, _catalog(), plan_file=plan_file).close()
        except (PlanError, KnownError):
            assert sorted(p.name for p in Path(folder).iterdir()) == ["plan.yaml"]
        else:
            assert appraisals.check_file(target).problems == []


def test_yaml_that_cannot_be_read_at_all_is_a_clear_error() -> None:
    for text in (
        "appraisal: " + "[" * 5000 + "]" * 5000,  # nested deeper than the parser can go
        "appraisal: {name: x, start: 2026-13-45}\n",  # looks like a date, is none
        "appraisal: {name: x}\nscope: [{model: SM, pa: SM, target_capability_level: " + "9" * 5000 + "}]\n",
        "appraisal: !!python/object/apply:os.system ['echo hi']\n",
        "appraisal: &a {name: x, self: *a}\n",
    ):
        assert _read(text.encode()) is None
