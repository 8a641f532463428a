"""Build the one-folder bundle into dist/appraisal-desk/ and smoke-test it, the same on Linux, Windows and macOS.

Uses its own venv under build/ with only the runtime dependencies, so no test tool reaches the bundle. The
smoke test runs the bundled executable as a user would: `--help`, `demo`, `new` from the example plan, and
`check`, each with a private $APPRAISAL_DESK_HOME. Run with `uv run python packaging/build.py` (needs uv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "build" / "package-venv"
DIST = ROOT / "dist"
WINDOWS = os.name == "nt"


def _venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if WINDOWS else "bin") / (f"{name}.exe" if WINDOWS else name)


def _run(*command: str | Path, env: dict[str, str] | None = None) -> str:
    print("+", " ".join(str(c) for c in command), flush=True)
    done = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed (exit {done.returncode}): {command[0]}")
    return done.stdout


def build() -> Path:
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is needed: python -m pip install uv")
    _run(
        uv,
        "venv",
        "--quiet",
        "--allow-existing",
        "--python",
        f"{sys.version_info.major}.{sys.version_info.minor}",
        VENV,
    )
    env = {**os.environ, "VIRTUAL_ENV": str(VENV)}
    _run(uv, "pip", "install", "--quiet", ".", "pyinstaller>=6.10,<7", env=env)
    _run(
        _venv_bin("pyinstaller"),
        "--noconfirm",
        "--clean",
        "--distpath",
        DIST,
        "--workpath",
        ROOT / "build" / "pyinstaller",
        ROOT / "packaging" / "appraisal-desk.spec",
    )
    return DIST / "appraisal-desk" / ("appraisal-desk.exe" if WINDOWS else "appraisal-desk")


def smoke(executable: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {**os.environ, "APPRAISAL_DESK_HOME": str(home / "home"), "QT_QPA_PLATFORM": "offscreen"}
        usage = _run(executable, "--help", env=env)
        if "appraisal-desk" not in usage:
            raise SystemExit(f"--help printed no usage:\n{usage}")
        _run(executable, "demo", home / "demo.appraisal", env=env)
        _run(executable, "check", home / "demo.appraisal", env=env)
        plan = ROOT / "docs" / "examples" / "ovig-plan.yaml"
        _run(executable, "new", home / "smoke.appraisal", "--plan", plan, env=env)
        _run(executable, "check", home / "smoke.appraisal", env=env)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    started = time.monotonic()
    executable = build()
    built = time.monotonic()
    smoke(executable)
    folder = executable.parent
    print(
        f"Built {folder} ({_size(folder) / 1e6:.0f} MB) in {built - started:.0f} s; "
        f"--help, demo, new and check ran from the bundle."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
