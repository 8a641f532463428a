"""The CLI answers at once and never crashes on a typo, a missing display or a foreign URL (issues 13 and 14).

Start time is measured in benchmarks/, not here: these tests assert what makes it fast, that `--help` and a
usage error load none of the heavy libraries, and that `info` on a plain file loads none of them either."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Result

pytestmark = pytest.mark.e2e
CLI = Callable[..., Result]
HEAVY = ("PySide6", "sqlalchemy", "alembic", "openpyxl", "reportlab")

LOADED = """
import sys
from app.cli.main import run
try:
    code = run(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("LOADED", " ".join(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
sys.exit(code)
"""


def loaded(home: Path, *args: str | Path) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", LOADED, *map(str, args)],
        cwd=REPO,
        env=dict(os.environ, APPRAISAL_DESK_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(line for line in proc.stderr.splitlines() if line.startswith("LOADED"))
    return proc.returncode, set(line.split()[1:])


def test_help_and_usage_errors_load_no_heavy_library(_private_home: Path) -> None:
    for args in (("--help",), ("export", "--help"), ("--version",), ("infoo",), ("models", "imprt")):
        code, modules = loaded(_private_home, *args)
        assert code in (0, 2), args
        assert not modules & set(HEAVY), (args, modules & set(HEAVY))


def test_info_on_a_plain_file_reads_it_with_sqlite_alone(cli: CLI, tmp_path: Path, _private_home: Path) -> None:
    assert cli("new", tmp_path / "a.appraisal", "--name", "A").code == 0
    code, modules = loaded(_private_home, "info", tmp_path / "a.appraisal")
    assert code == 0
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_version_is_printed(cli: CLI) -> None:
    shown = cli("--version")
    assert shown.code == 0 and shown.out.startswith("appraisal-desk ")


def test_a_mistyped_command_is_a_usage_error_with_a_suggestion(cli: CLI) -> None:
    typo = cli("infoo")
    assert typo.code == 2 and "did you mean info" in typo.err.lower() and "Traceback" not in typo.err
    nested = cli("models", "imprt")
    assert nested.code == 2 and "did you mean import" in nested.err
    two = cli("chek", "x.appraisal")
    assert two.code == 2 and "check" in two.err


def test_no_display_is_one_sentence_and_exit_1(tmp_path: Path, _private_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["APPRAISAL_DESK_HOME"] = str(_private_home)
    for args in ([], ["missing.appraisal"]):
        proc = subprocess.run(
            [sys.executable, "-m", "app", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
        assert "needs a display" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("command", "url"),
    [
        ("info", "foo://bar/baz"),
        ("info", "mysql://u@h/db"),
        ("check", "https://example.com/a.appraisal"),
        ("ratings", "sqlite:///a.db"),
        ("demo", "mysql://u@h/db"),
        ("new", "foo://bar/baz"),
        ("passphrase", "ftp://h/a.appraisal"),
        ("upgrade", "mysql://u@h/db"),
    ],
)
def test_an_unsupported_url_is_one_line(cli: CLI, command: str, url: str) -> None:
    shown = cli(command, url)
    assert shown.code == 1 and "Traceback" not in shown.err
    assert "is not a place Appraisal Desk can keep an appraisal" in shown.err and "folder" not in shown.err


def test_server_urls_are_understood_by_every_command(cli: CLI) -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    for command in ("info", "check", "demo", "ratings", "upgrade"):
        shown = cli(command, unreachable)
        assert shown.code == 1 and "Cannot reach the database server" in shown.err, (command, shown.err)
        assert "folder" not in shown.err and "Traceback" not in shown.err
    refused = cli("passphrase", unreachable)
    assert refused.code == 1 and "server's administrator" in refused.err


def test_the_window_starts_without_the_writers_or_alembic(_private_home: Path) -> None:
    """Everything the window imports before it shows, with the grid page: no Excel, PDF, Word or slides library
    and no Alembic (they load when an export, an import or a migration runs)."""
    code = (
        "import sys; import app.bootstrap, app.ui.characterize.characterize_page; "
        "print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=dict(os.environ, APPRAISAL_DESK_HOME=str(_private_home), QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = set(proc.stdout.split())
    assert "PySide6" in modules
    assert not modules & {"openpyxl", "reportlab", "pptx", "docx", "docxtpl", "alembic"}
