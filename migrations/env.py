"""Alembic environment: runs on the connection the app passes in, or on a URL from the command line."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

from app.storage.schema import Base
from app.storage.search_index import include_name

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
        include_name=include_name,  # the FTS5 search index is not in the ORM metadata (revision 0002)
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set sqlalchemy.url (alembic -x or alembic.ini) to the appraisal's database URL")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
