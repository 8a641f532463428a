"""Lint, format, types and layers, judged by what the tools print, not only by their exit codes.

A tool upgrade inside the pinned ranges (pyproject.toml) can start printing a warning, a note or a deprecation
while still exiting 0; two clean clones would then report differently. Each tool's whole output, with its
counts blanked, must be exactly the clean report below; anything else fails, printed in full with the versions
that produced it. Run as `uv run python scripts/check_code.py` (in .ci/run and the CI workflow).

mypy reads what it checks from pyproject.toml ([tool.mypy] files): app/, tests/, and the tools/, scripts/ and
benchmarks/ that drive the app, so a renamed module or a changed signature fails here rather than when someone
next runs a screenshot tool or a probe.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOOLS = ("ruff", "mypy", "import-linter", "types-PyYAML", "types-openpyxl", "types-reportlab")

# (what, command, the clean report with every number as N)
CHECKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("lint", [sys.executable, "-m", "ruff", "check", "."], ["All checks passed!"]),
    ("format", [sys.executable, "-m", "ruff", "format", "--check", "."], ["N files already formatted"]),
    ("types", [sys.executable, "-m", "mypy"], ["Success: no issues found in N source files"]),
)


def _normalized(text: str) -> list[str]:
    return [re.sub(r"\d+", "N", line).rstrip() for line in text.splitlines() if line.strip()]


def _layers() -> tuple[bool, str]:
    """import-linter's report names every contract, so it is judged by "N kept, 0 broken" and its exit code."""
    script = BIN / ("lint-imports.exe" if os.name == "nt" else "lint-imports")
    done = subprocess.run([str(script), "--no-logo"], cwd=ROOT, capture_output=True, text=True)
    output = done.stdout + done.stderr
    clean = done.returncode == 0 and re.search(r"Contracts: \d+ kept, 0 broken\.", output) is not None
    return clean, output


def main() -> int:
    versions = ", ".join(f"{tool} {version(tool)}" for tool in TOOLS)
    print(f"tools: {versions}")
    failed: list[str] = []
    for what, command, clean in CHECKS:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        output = done.stdout + done.stderr
        if done.returncode == 0 and _normalized(output) == clean:
            print(f"{what}: {output.strip().splitlines()[-1]}")
            continue
        failed.append(what)
        print(f"{what}: FAILED (exit {done.returncode}); the report differs from a clean one:\n{output}")
    layers_clean, output = _layers()
    if layers_clean:
        print("layers: every import-linter contract kept")
    else:
        failed.append("layers")
        print(f"layers: FAILED\n{output}")
    if failed:
        print(
            f"check_code: {', '.join(failed)} failed. If the code is unchanged, the tools above reported something "
            "new: fix what they say, or pin the version that was clean (pyproject.toml, [dependency-groups]).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
