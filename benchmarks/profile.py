"""Why a figure is what it is: one operation under cProfile on a generated appraisal.

    uv run python -m benchmarks.profile OPERATION [--size L] [--file PATH] [--top 25] [--sort tottime]

OPERATION is one of: open, ratings.full, ratings.after_edit, edit.round_trip, search, grid.data,
export.xlsx, export.pdf, import.xlsx. Without --file the appraisal of --size is generated into a temporary
folder first (L takes a few seconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import SIZES, build
from benchmarks.measures import Probe, _toggle


def _operations(probe: Probe) -> dict[str, Callable[[], object]]:
    from app.services import appraisals, characterize, grid, search
    from app.services.ratings import LiveRatings, rate_appraisal

    def after_edit() -> None:
        live = LiveRatings(probe.ws)
        profiler = cProfile.Profile()
        for n in range(10):
            characterize.set_cell(probe.ws, probe.key, _toggle(probe, n))
            profiler.enable()
            live.cells_changed([probe.ikey])
            profiler.disable()
        _PROFILES.append(profiler)

    def reopen() -> None:
        probe.ws.close()
        probe.ws = appraisals.open_appraisal(probe.path, who="benchmark")

    def export(kind: str) -> Callable[[], object]:
        def run() -> object:
            from app.services import exports

            target = probe.scratch / f"profile.{kind}"
            return (
                exports.export_xlsx(probe.ws, target, overwrite=True)
                if kind == "xlsx"
                else exports.export_pdf(probe.ws, target, overwrite=True)
            )

        return run

    def import_preview() -> object:
        from app.services import exports, workbook_import

        source = probe.scratch / "profile-import.xlsx"
        exports.export_xlsx(probe.ws, source, overwrite=True)
        return workbook_import.preview(probe.ws, source)

    return {
        "open": reopen,
        "ratings.full": lambda: rate_appraisal(probe.ws),
        "ratings.after_edit": after_edit,
        "edit.round_trip": lambda: [characterize.set_cell(probe.ws, probe.key, _toggle(probe, n)) for n in range(20)],
        "search": lambda: [search.search(probe.ws, q) for q in ("incident", "review", "audit plan", "escalat")],
        "grid.data": lambda: grid.grid_data(probe.ws),
        "export.xlsx": export("xlsx"),
        "export.pdf": export("pdf"),
        "import.xlsx": import_preview,
    }


_PROFILES: list[cProfile.Profile] = []
"""Operations that profile only part of their work (ratings.after_edit) leave their profiler here."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("operation")
    parser.add_argument("--size", default="L", choices=SIZES)
    parser.add_argument("--file", type=Path, help="an appraisal generated earlier (benchmarks.run --keep)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ncalls")
    args = parser.parse_args(argv)
    from app.services import appraisals

    scratch = Path(tempfile.mkdtemp(prefix="appraisal-profile-"))
    path = args.file
    if path is None:
        path = scratch / f"bench-{args.size}.appraisal"
        build(args.size, path)
    workspace = appraisals.open_appraisal(path, who="benchmark")
    probe = Probe(args.size, path, workspace, scratch)
    operations = _operations(probe)
    if args.operation not in operations:
        parser.error(f"unknown operation {args.operation!r}; choose from {', '.join(operations)}")
    try:
        profiler = cProfile.Profile()
        profiler.enable()
        operations[args.operation]()
        profiler.disable()
        stats_source = _PROFILES[-1] if _PROFILES else profiler
    finally:
        probe.ws.close()
    out = io.StringIO()
    pstats.Stats(stats_source, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
