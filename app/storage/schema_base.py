"""What every table of the appraisal file is built on: the declarative base with its naming convention, the
version counter of rows people edit together, and the foreign-key column."""

from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    MetaData,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


MACHINE_TEXT = {"machine_text": True}
"""Marks a column the app writes itself (JSON state, id maps): the text guard (text_guard.py) leaves it alone, as
its size follows the appraisal's, not a person's typing."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A row people edit together on a team server: every update adds one to `version` and is made only if
    the row still has the version it was read at, so a write on a stale copy fails instead of overwriting
    (SQLAlchemy raises StaleDataError; the services say who changed it). Revision 0007."""

    version: Mapped[int] = mapped_column(Integer, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[int]:
    return mapped_column(ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)
