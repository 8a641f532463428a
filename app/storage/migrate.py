"""Schema revisions: bring a database to head with Alembic, and read where a file stands.

Alembic is imported only to migrate: where a file stands and which revisions exist are read from the
revision files' `revision`/`down_revision` lines and the `alembic_version` table, so commands that only read
start without it (issue 14); SQLAlchemy too is imported only by the functions that take a connection. Should
the revision files ever branch, Alembic's own reading is used.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from app.storage.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


@functools.cache
def _chain() -> tuple[str, ...]:
    """Every revision from the first to head, oldest first."""
    parents: dict[str, str | None] = {}
    for file in sorted((migrations_dir() / "versions").glob("*.py")):
        source = file.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is not None and down is not None:
            parents[revision[1]] = down[1]
    children = {parent: child for child, parent in parents.items()}
    chain: list[str] = []
    current: str | None = None
    while current in children:
        current = children[current]
        chain.append(current)
    if not chain or len(chain) != len(parents):
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        return tuple(rev.revision for rev in reversed(list(script.walk_revisions())))
    return tuple(chain)


def head_revision() -> str:
    chain = _chain()
    assert chain, "the migrations folder has no revisions"
    return chain[-1]


def known_revisions() -> list[str]:
    """Every revision from the first to head, oldest first."""
    return list(_chain())


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, target)


def upgrade_on(connection: Connection, target: str = "head") -> None:
    """Upgrade inside the caller's transaction (PostgreSQL: the schema change and what follows land together)."""
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, target)
