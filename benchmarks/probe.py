"""One benchmark step in a fresh interpreter; `benchmarks.run` starts these and reads the JSON they print.

python -m benchmarks.probe build SIZE FILE
python -m benchmarks.probe measure SIZE FILE SCRATCH NAME[,NAME...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import traceback
from pathlib import Path
from typing import Any

from benchmarks.generate import build
from benchmarks.measures import REGISTRY, Probe, Unavailable


def _build(size: str, path: Path) -> dict[str, Any]:
    built = build(size, path)
    return {
        "size": size,
        "seconds": round(built.seconds, 3),
        "counts": built.counts,
        "file_kb": path.stat().st_size // 1024,
    }


def _measure(size: str, path: Path, scratch: Path, names: list[str], repeat: int) -> dict[str, Any]:
    from app.services import appraisals

    workspace = appraisals.open_appraisal(path, who="benchmark")
    results: dict[str, Any] = {}
    try:
        probe = Probe(size, path, workspace, scratch, repeat)
        for name in names:
            try:
                results[name] = REGISTRY[name].fn(probe).to_json()
            except Unavailable as exc:
                results[name] = {"skipped": str(exc)}
            except Exception as exc:  # one broken measurement must not lose the others
                results[name] = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
    finally:
        workspace.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.probe")
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("build")
    p.add_argument("size")
    p.add_argument("file", type=Path)
    p = sub.add_parser("measure")
    p.add_argument("size")
    p.add_argument("file", type=Path)
    p.add_argument("scratch", type=Path)
    p.add_argument("names")
    p.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.step == "build":
        out = _build(args.size, args.file)
    else:
        out = _measure(args.size, args.file, args.scratch, args.names.split(","), args.repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
