"""One locator for the data folders shipped beside the code: from source, an installed wheel, or frozen."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _locate(name: str) -> Path:
    candidates = [
        _PACKAGE_DIR.parent / name,  # source tree: app/ and the folder side by side
        _PACKAGE_DIR / "_bundled" / name,  # wheel: force-included into the package
    ]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Appraisal Desk is incomplete: its '{name}' folder is missing")


def resources_dir() -> Path:
    return _locate("resources")


def migrations_dir() -> Path:
    return _locate("migrations")
