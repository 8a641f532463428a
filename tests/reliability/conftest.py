"""Shared setup for the reliability tests: a small real appraisal file with rated cells and units."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals
from app.storage import encryption
from tests.reliability.support import PLAN
from tests.ui.conftest import make_window, ui_settings  # noqa: F401 - the window fixtures, shared


@pytest.fixture
def appraisal_path(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "work.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="tester").close()
    return path


@pytest.fixture(autouse=True)
def _no_passphrase_source() -> Iterator[None]:
    """A test that installs a passphrase source (the CLI does) must not leak it into the next test."""
    yield
    encryption.set_passphrase_source(None)


from tests.e2e.conftest import cli  # noqa: E402, F401 - the CLI in a subprocess, shared
