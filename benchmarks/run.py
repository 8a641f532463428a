"""Run the benchmarks: build the synthetic appraisals, measure each size, print a table, write the figures.

    uv run python -m benchmarks.run [--sizes S,M,L,XL] [--out benchmarks/results/latest.json]
                                    [--only NAME,...] [--repeat N] [--workdir DIR] [--keep]

Each size is built in its own interpreter, measured in another (shared by the ordinary measurements) and
once more per `own_process` measurement, so peak memory and start-up times are those of a fresh process.
These are measurements, not tests: nothing fails on a slow figure; targets missed are marked in the table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import SIZES
from benchmarks.measures import REGISTRY, REPO

DEFAULT_OUT = REPO / "benchmarks" / "results" / "latest.json"


def _step(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", *args], capture_output=True, text=True, cwd=REPO, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.probe {' '.join(args)} failed:\n{done.stderr}")
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def run(sizes: list[str], names: list[str], repeat: int, workdir: Path) -> dict[str, Any]:
    shared = [n for n in names if not REGISTRY[n].own_process]
    alone = [n for n in names if REGISTRY[n].own_process]
    results: dict[str, Any] = {}
    for size in sizes:
        path = workdir / f"bench-{size}.appraisal"
        for stale in workdir.glob(f"bench-{size}.appraisal*"):
            stale.unlink()
        print(f"[{size}] building …", file=sys.stderr, flush=True)
        built = _step("build", size, str(path))
        print(f"[{size}] built in {built['seconds']:.2f} s: {built['counts']}", file=sys.stderr, flush=True)
        measures: dict[str, Any] = {}
        if shared:
            print(f"[{size}] measuring {', '.join(shared)} …", file=sys.stderr, flush=True)
            measures.update(_step("measure", size, str(path), str(workdir), ",".join(shared), "--repeat", str(repeat)))
        for name in alone:
            print(f"[{size}] measuring {name} (own process) …", file=sys.stderr, flush=True)
            measures.update(_step("measure", size, str(path), str(workdir), name, "--repeat", str(repeat)))
        results[size] = {"build": built, "measures": measures}
    return results


GROWTH_SLACK = 1.25
"""A figure "grows faster than its work" when its ratio exceeds the work's ratio by more than this factor
(a quarter for the noise of a shared machine)."""
NOISE_MS = 5.0
"""Figures under this (ms) at the larger size are too small to judge their growth, and a step is not judged faster
when what it grew beyond its work's growth (and the slack) is under this: a 100 ms process start that measures
1.3 ms slower on a larger size has not grown with it."""


def _growth(results: dict[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    """Per figure and step between sizes: its ratio, the ratio of its work, and the steps where it grew faster."""
    growth: dict[str, dict[str, Any]] = {}
    order = [s for s in SIZES if s in results]
    cells = {s: results[s]["build"]["counts"]["characterizations"] for s in order}
    for name in names:
        steps: dict[str, Any] = {}
        faster: list[str] = []
        for small, large in itertools.pairwise(order):
            work = round(cells[large] / cells[small], 2) if cells[small] else 0.0
            if not REGISTRY[name].grows_with_cells:
                work = 1.0
            steps[f"cells {small}->{large}"] = work
            a = results[small]["measures"].get(name, {}).get("value")
            b = results[large]["measures"].get(name, {}).get("value")
            if a and b:
                ratio = round(b / a, 2)
                steps[f"{small}->{large}"] = ratio
                is_ms = REGISTRY[name].unit == "ms"
                small_enough = is_ms and (b < NOISE_MS or b - a * work * GROWTH_SLACK < NOISE_MS)
                if work and ratio > work * GROWTH_SLACK and not small_enough:
                    faster.append(f"{small}->{large}")
        steps["faster_than_work"] = faster
        growth[name] = steps
    return growth


def _targets(results: dict[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        measure = REGISTRY[name]
        figure = results.get(measure.target_size, {}).get("measures", {}).get(name, {})
        if "value" not in figure:
            continue
        if measure.target_l is not None:
            out[name] = {
                "size": measure.target_size,
                "target": measure.target_l,
                "unit": measure.unit,
                "value": figure["value"],
                "met": figure["value"] < measure.target_l,
            }
        elif measure.target_floor is not None and figure.get("floor"):
            out[name] = {
                "size": measure.target_size,
                "target": f"<= {measure.target_floor:g}x floor",
                "unit": "x floor",
                "value": round(figure["value"] / figure["floor"], 2),
                "met": figure["value"] <= measure.target_floor * figure["floor"],
            }
    return out


def _fmt(figure: dict[str, Any]) -> str:
    if "skipped" in figure:
        return "skipped"
    if "error" in figure:
        return "ERROR"
    value, unit = figure["value"], figure["unit"]
    text = f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    if figure.get("floor") is not None:
        floor = figure["floor"]
        text += f" ({floor:,.1f})" if floor < 100 else f" ({floor:,.0f})"
    return text


def table(report: dict[str, Any]) -> str:
    results, names = report["sizes"], report["measurements"]
    sizes = list(results)
    width, col = 40, 20

    def row(label: str, cells: list[str], last: str = "") -> str:
        return f"{label[:width]:<{width}}" + "".join(f"{c:>{col}}" for c in cells) + f"   {last}".rstrip()

    lines = [
        "Median of the runs, with the floor (the same work with sqlite3 / openpyxl / reportlab / bare Qt) in brackets.",
        row("", sizes, "target"),
        row("cells characterized", [f"{results[s]['build']['counts']['characterizations']:,}" for s in sizes]),
        row("build (generator)", [f"{results[s]['build']['seconds']:.2f} s" for s in sizes]),
    ]
    for name in names:
        measure = REGISTRY[name]
        target = ""
        if name in report["targets"]:
            t = report["targets"][name]
            goal = t["target"] if isinstance(t["target"], str) else f"< {t['target']:g} {t['unit']}"
            target = f"{t['size']} {goal}: " + ("ok" if t["met"] else f"MISSED ({t['value']:g})")
        lines.append(
            row(measure.title, [_fmt(results[s]["measures"].get(name, {"skipped": ""})) for s in sizes], target)
        )
        parts: dict[str, None] = {}
        for s in sizes:
            parts.update(dict.fromkeys(results[s]["measures"].get(name, {}).get("parts", {})))
        for key in parts:
            values = [results[s]["measures"].get(name, {}).get("parts", {}).get(key) for s in sizes]
            lines.append(row("  " + key.removesuffix("_ms"), ["-" if v is None else f"{v:,.1f}" for v in values]))
        growth = report["growth"].get(name, {})
        steps = [
            f"{k} x{v:g} (work x{growth[f'cells {k}']:g})" + (" FASTER" if k in growth["faster_than_work"] else "")
            for k, v in growth.items()
            if "->" in k and not k.startswith("cells")
        ]
        if steps:
            lines.append(f"{'  growth':<{width}}{', '.join(steps)}")
    problems = sorted(
        {
            f"  {s} {n}: {results[s]['measures'][n].get('skipped') or results[s]['measures'][n].get('error')}"
            for s in sizes
            for n in names
            if {"skipped", "error"} & set(results[s]["measures"].get(n, {}))
        }
    )
    if problems:
        lines += ["Skipped or failed:", *problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated sizes (default S,M,L,XL)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the figures as JSON")
    parser.add_argument("--only", help="comma-separated measurement names (default: all)")
    parser.add_argument("--repeat", type=int, default=7, help="runs per timed figure (median reported)")
    parser.add_argument("--workdir", type=Path, help="where the appraisal files go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    args = parser.parse_args(argv)
    if args.list:
        for measure in REGISTRY.values():
            doc = " ".join((measure.fn.__doc__ or "").split())
            print(f"{measure.name:<22} {measure.title}\n{'':<22} {doc}")
        return 0
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    names = [n.strip() for n in args.only.split(",")] if args.only else list(REGISTRY)
    missing = [n for n in names if n not in REGISTRY]
    if unknown or missing:
        parser.error(f"unknown sizes {unknown} or measurements {missing}; see --list")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="appraisal-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    try:
        results = run(sizes, names, args.repeat, workdir)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    report = {
        "meta": {
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
            "seconds": round(time.time() - started, 1),
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "machine": platform.machine(),
            "repeat": args.repeat,
        },
        "measurements": names,
        "sizes": results,
        "growth": _growth(results, names),
        "targets": _targets(results, names),
    }
    print(table(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
