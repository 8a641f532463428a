"""Running the real CLI in a subprocess, as a script or a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path, _private_home: Path) -> Callable[..., Result]:
    def run(*args: str | Path, cwd: Path | None = None) -> Result:
        env = dict(os.environ, APPRAISAL_DESK_HOME=str(_private_home), PYTHONIOENCODING="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "app", *map(str, args)],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
