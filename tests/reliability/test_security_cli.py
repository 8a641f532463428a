"""The CLI with encrypted files, run as a user or a script would: `new --encrypt`, `passphrase`, and info/check
asking for (or taking from the environment) the passphrase."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.support import needs_sqlcipher

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "docs" / "examples" / "ovig-plan.yaml"
SECRET = "a long enough passphrase"
pytestmark = [pytest.mark.e2e, needs_sqlcipher]


@dataclass
class Result:
    code: int
    out: str
    err: str


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APPRAISAL_DESK_")}
    env.update(APPRAISAL_DESK_HOME=str(home), PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), **extra)
    return env


def cli(cwd: Path, home: Path, *args: str | Path, **env: str) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        cwd=cwd,
        env=_env(home, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def in_terminal(cwd: Path, home: Path, answers: list[str], *args: str | Path) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal, typing each answer when a prompt ending in ': ' appears."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execve(sys.executable, [sys.executable, "-m", "app", *map(str, args)], _env(home))
    screen = b""
    pending = list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
        if pending and screen.rstrip(b" ").endswith(b":"):
            os.write(fd, (pending.pop(0) + "\n").encode())
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode("utf-8", "replace")


def test_new_encrypted_from_a_script_then_info_and_check(tmp_path: Path, _private_home: Path) -> None:
    made = cli(
        tmp_path, _private_home, "new", "s.appraisal", "--plan", PLAN, "--encrypt", APPRAISAL_DESK_PASSPHRASE=SECRET
    )
    assert made.code == 0, made.err
    assert "Created s.appraisal" in made.out and "encrypted" in made.out
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(tmp_path / "s.appraisal").execute("SELECT name FROM appraisal").fetchall()

    info = cli(tmp_path, _private_home, "info", "s.appraisal", APPRAISAL_DESK_PASSPHRASE=SECRET)
    assert info.code == 0, info.err
    assert "Olive Vehicle Insurance" in info.out
    check = cli(tmp_path, _private_home, "check", "s.appraisal", APPRAISAL_DESK_PASSPHRASE=SECRET)
    assert check.code == 0 and ": ok;" in check.out, check.err
    ratings = cli(tmp_path, _private_home, "ratings", "s.appraisal", APPRAISAL_DESK_PASSPHRASE=SECRET)
    assert ratings.code == 0, ratings.err

    no_pass = cli(tmp_path, _private_home, "info", "s.appraisal")
    assert no_pass.code == 1
    assert "s.appraisal is encrypted" in no_pass.err and "APPRAISAL_DESK_PASSPHRASE" in no_pass.err
    assert "Traceback" not in no_pass.err
    wrong = cli(tmp_path, _private_home, "check", "s.appraisal", APPRAISAL_DESK_PASSPHRASE="not the right one")
    assert wrong.code == 1
    assert "The passphrase does not unlock s.appraisal" in wrong.err and "Traceback" not in wrong.err


def test_a_short_passphrase_is_refused_and_nothing_is_created(tmp_path: Path, _private_home: Path) -> None:
    made = cli(tmp_path, _private_home, "new", "s.appraisal", "--encrypt", APPRAISAL_DESK_PASSPHRASE="short")
    assert made.code == 1
    assert "at least 8 characters" in made.err
    assert not (tmp_path / "s.appraisal").exists()


def test_new_encrypt_without_a_terminal_or_environment_says_how(tmp_path: Path, _private_home: Path) -> None:
    made = cli(tmp_path, _private_home, "new", "s.appraisal", "--encrypt")
    assert made.code == 1
    assert "APPRAISAL_DESK_PASSPHRASE" in made.err
    assert not (tmp_path / "s.appraisal").exists()


def test_changing_the_passphrase_from_a_script(tmp_path: Path, _private_home: Path) -> None:
    assert cli(tmp_path, _private_home, "new", "s.appraisal", "--encrypt", APPRAISAL_DESK_PASSPHRASE=SECRET).code == 0
    changed = cli(
        tmp_path,
        _private_home,
        "passphrase",
        "s.appraisal",
        APPRAISAL_DESK_PASSPHRASE=SECRET,
        APPRAISAL_DESK_NEW_PASSPHRASE="the new passphrase",
    )
    assert changed.code == 0, changed.err
    assert "Changed the passphrase of s.appraisal" in changed.out
    assert cli(tmp_path, _private_home, "info", "s.appraisal", APPRAISAL_DESK_PASSPHRASE=SECRET).code == 1
    info = cli(tmp_path, _private_home, "info", "s.appraisal", APPRAISAL_DESK_PASSPHRASE="the new passphrase")
    assert info.code == 0, info.err


def test_passphrase_of_a_plain_file_is_refused(tmp_path: Path, _private_home: Path) -> None:
    assert cli(tmp_path, _private_home, "new", "p.appraisal").code == 0
    result = cli(tmp_path, _private_home, "passphrase", "p.appraisal")
    assert result.code == 1
    assert "p.appraisal is not encrypted" in result.err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_typing_the_passphrases_in_a_terminal(tmp_path: Path, _private_home: Path) -> None:
    code, screen = in_terminal(tmp_path, _private_home, [SECRET, SECRET], "new", "t.appraisal", "--encrypt")
    assert code == 0, screen
    assert "Passphrase of the new file again:" in screen and SECRET not in screen
    code, screen = in_terminal(tmp_path, _private_home, [SECRET], "info", "t.appraisal")
    assert code == 0, screen
    assert "Passphrase for t.appraisal:" in screen and "Appraisal:" in screen and SECRET not in screen
    code, screen = in_terminal(
        tmp_path, _private_home, [SECRET, "changed passphrase", "changed passphrase"], "passphrase", "t.appraisal"
    )
    assert code == 0, screen
    code, screen = in_terminal(tmp_path, _private_home, ["not it at all"], "check", "t.appraisal")
    assert code == 1 and "does not unlock" in screen
    code, screen = in_terminal(tmp_path, _private_home, ["changed passphrase"], "check", "t.appraisal")
    assert code == 0 and ": ok;" in screen, screen
