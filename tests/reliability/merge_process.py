"""A merge that stops inside its transaction: it writes every change of the package, says "inside" on stdout,
and waits there, never committing, so a test can SIGKILL it at that moment.

Usage: python merge_process.py LEAD PACKAGE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from app.domain.merge import Side
from app.services import appraisals, package_merge, package_merge_writer

_copy_log = package_merge_writer.copy_log


def _stall(*args: Any, **kwargs: Any) -> int:
    copied = _copy_log(*args, **kwargs)
    lead = args[0]
    lead.flush()
    print("inside", flush=True)
    time.sleep(600)
    return copied


def main() -> None:
    ws = appraisals.open_appraisal(Path(sys.argv[1]), who="lead")
    preview = package_merge.preview(ws, Path(sys.argv[2]))
    print(f"changes {len(preview.items)}", flush=True)
    package_merge.copy_log = _stall  # type: ignore[attr-defined]  # the name apply() calls, imported there
    package_merge.apply(ws, preview, package_merge.settle_all(preview, Side.PACKAGE))


if __name__ == "__main__":
    main()
