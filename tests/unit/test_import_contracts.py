"""The layers are held by import-linter contracts (pyproject.toml): a forbidden import anywhere breaks them.

The check runs on a copy of the code, so the test can add forbidden imports without touching the tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / ("lint-imports.exe" if os.name == "nt" else "lint-imports")

FORBIDDEN = {
    # contract (start of its name) -> (module that gains the import, the import)
    "The domain imports nothing of ours": ("app/domain/palette.py", "from app.storage import errors"),
    "Storage imports neither": ("app/storage/workbook_layout.py", "import PySide6.QtCore"),
    "The services import neither": ("app/services/batch.py", "from app.ui.shell import tasks"),
    "The UI reaches storage only": ("app/ui/common/errors.py", "from app.storage.errors import DiskFullError"),
}


def lint_copy(tmp_path: Path, additions: dict[str, str]) -> subprocess.CompletedProcess[str]:
    shutil.copytree(REPO / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, line in additions.items():
        path = tmp_path / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    # The copy, not the installed tree, must be the `app` that import-linter analyses.
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(autouse=True)
def _needs_import_linter() -> None:
    if not LINT_IMPORTS.exists():
        pytest.fail(f"import-linter is a dev dependency; {LINT_IMPORTS} is missing (run `uv sync`)")


def test_the_code_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    done = lint_copy(tmp_path, {})
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(FORBIDDEN)} kept, 0 broken" in done.stdout


def test_a_forbidden_import_in_any_layer_breaks_its_contract(tmp_path: Path) -> None:
    done = lint_copy(tmp_path, dict(FORBIDDEN.values()))
    assert done.returncode != 0
    report = " ".join(done.stdout.split())  # contract names may wrap
    for contract in FORBIDDEN:
        verdict = report[report.index(contract) :].split(" BROKEN", 1)[0]
        assert " KEPT" not in verdict, f"{contract}… was kept"
    assert f"0 kept, {len(FORBIDDEN)} broken" in report
