"""One locator for the data folders shipped beside the code: from source, an installed wheel, or frozen."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def candidates(name: str, *, package_dir: Path | None = None, frozen_root: str | None = None) -> list[Path]:
    """Where the folder `name` may be, most specific first.

    A frozen build (PyInstaller sets `sys._MEIPASS`) may put it at the top or keep the wheel layout. The
    wheel's `app/_bundled/<name>` comes before the source tree's `<name>` beside `app/`, because in
    site-packages the folder beside `app/` could belong to some other distribution.
    """
    package = package_dir if package_dir is not None else _PACKAGE_DIR
    root = frozen_root if frozen_root is not None else getattr(sys, "_MEIPASS", None)
    found: list[Path] = []
    if root:
        found += [Path(root) / name, Path(root) / "app" / "_bundled" / name]
    found += [package / "_bundled" / name, package.parent / name]
    return found


def locate(name: str, *, package_dir: Path | None = None, frozen_root: str | None = None) -> Path:
    """The first existing candidate folder; FileNotFoundError names the folder when the install is incomplete."""
    for candidate in candidates(name, package_dir=package_dir, frozen_root=frozen_root):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Appraisal Desk is incomplete: its '{name}' folder is missing")


def resources_dir() -> Path:
    """The shipped data: model catalogs (`models/`), the demo plan, fonts."""
    return locate("resources")


def migrations_dir() -> Path:
    """The Alembic environment and revisions."""
    return locate("migrations")
