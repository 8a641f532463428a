"""The model catalog tables: each appraisal keeps its own copy of the models, process areas, goals, practices,
informative material and links it was planned with (`app/storage/catalog_repo.py` reads and writes them)."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.schema_base import Base, fk


class CatalogModel(Base):
    __tablename__ = "catalog_model"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    generic_goals_from: Mapped[str | None] = mapped_column(String(40))
    categories: Mapped[str] = mapped_column(Text, default="")
    """Category names, one per line, in the model's order."""
    has_maturity_levels: Mapped[bool] = mapped_column(Boolean, default=False)
    max_capability_level: Mapped[int] = mapped_column(Integer, default=3)
    source: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class CatalogProcessArea(Base):
    __tablename__ = "catalog_process_area"
    __table_args__ = (UniqueConstraint("model_id", "acronym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = fk("catalog_model.id")
    position: Mapped[int] = mapped_column(Integer)
    acronym: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    maturity_level: Mapped[int | None] = mapped_column(Integer)
    addition: Mapped[bool] = mapped_column(Boolean, default=False)
    aliases: Mapped[str] = mapped_column(String(200), default="")
    """Older or alternative acronyms, space separated."""
    purpose: Mapped[str | None] = mapped_column(Text)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    model: Mapped[CatalogModel] = relationship()


class CatalogGoal(Base):
    """A specific goal (process_area_id set) or a model-wide generic goal (process_area_id null)."""

    __tablename__ = "catalog_goal"
    __table_args__ = (
        UniqueConstraint("model_id", "process_area_id", "code"),
        CheckConstraint("kind IN ('specific', 'generic')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = fk("catalog_model.id")
    process_area_id: Mapped[int | None] = fk("catalog_process_area.id", nullable=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    statement: Mapped[str | None] = mapped_column(Text)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)


class CatalogPractice(Base):
    __tablename__ = "catalog_practice"
    __table_args__ = (UniqueConstraint("goal_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = fk("catalog_goal.id")
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    statement: Mapped[str | None] = mapped_column(Text)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    goal: Mapped[CatalogGoal] = relationship()


class CatalogInformative(Base):
    __tablename__ = "catalog_informative"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = fk("catalog_practice.id")
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)


class CatalogLink(Base):
    """A cross-model link, kept by reference (model key, PA, item) so it survives model versions."""

    __tablename__ = "catalog_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_model: Mapped[str] = mapped_column(String(40))
    source_pa: Mapped[str] = mapped_column(String(20))
    source_item: Mapped[str | None] = mapped_column(String(40))
    target_model: Mapped[str] = mapped_column(String(40))
    target_pa: Mapped[str] = mapped_column(String(20))
    target_item: Mapped[str | None] = mapped_column(String(40))
    relation: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    provenance: Mapped[str] = mapped_column(String(20))
