"""Helpers shared by the reliability tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.storage import encryption

PLAN = Plan(
    name="Reliability test",
    sponsor="Sponsor",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT), UnitPlan("Policies", UnitKind.BASIC_UNIT)),
)
PASSPHRASE = "correct horse battery"

needs_sqlcipher = pytest.mark.skipif(
    not encryption.available(), reason="sqlcipher3 is not installed (the 'encryption' extra): no SQLCipher to test"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
