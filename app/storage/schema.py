"""The appraisal file's tables (SQLAlchemy 2 typed ORM).

These rows are storage objects: services turn them into plain domain values or DTOs before anything above
the service layer sees them. Every schema change goes through an Alembic revision in `migrations/`; the
drift test keeps these classes and the migrations equal.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The base and the catalog tables are defined beside this module and named here too, so the file's tables stay
# one namespace and importing this module registers every table on `Base.metadata`.
from app.storage.catalog_schema import CatalogGoal as CatalogGoal
from app.storage.catalog_schema import CatalogInformative as CatalogInformative
from app.storage.catalog_schema import CatalogLink as CatalogLink
from app.storage.catalog_schema import CatalogModel as CatalogModel
from app.storage.catalog_schema import CatalogPractice as CatalogPractice
from app.storage.catalog_schema import CatalogProcessArea as CatalogProcessArea
from app.storage.schema_base import MACHINE_TEXT as MACHINE_TEXT
from app.storage.schema_base import NAMING_CONVENTION as NAMING_CONVENTION
from app.storage.schema_base import Base as Base
from app.storage.schema_base import Versioned as Versioned
from app.storage.schema_base import fk as _fk

# --- the appraisal and its plan --------------------------------------------------------------------------


class Appraisal(Versioned, Base):
    __tablename__ = "appraisal"
    __table_args__ = (
        CheckConstraint("scale IN ('v1.3', 'v2')", name="scale"),
        CheckConstraint("method IN ('SCAMPI A', 'SCAMPI B', 'SCAMPI C')", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    identifier: Mapped[str] = mapped_column(String(60), default="", server_default="")
    """The appraisal's ID as the CMMI Institute or the sponsor assigns it (the disclosure statement's first line)."""
    sponsor: Mapped[str] = mapped_column(String(200), default="")
    lead_appraiser: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(20), default="SCAMPI A")
    scale: Mapped[str] = mapped_column(String(10), default="v1.3")
    phase: Mapped[str] = mapped_column(String(20), default="plan")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    """When the ratings expire; None means the longest the method allows (three years after the end date)."""
    target_maturity_level: Mapped[int | None] = mapped_column(Integer)
    org_unit_name: Mapped[str] = mapped_column(String(200), default="")
    org_unit_description: Mapped[str] = mapped_column(Text, default="")
    unit_specific_findings: Mapped[bool] = mapped_column(Boolean, default=False)
    """The plan allows findings that name a basic unit (announced to participants)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReportTemplate(Base):
    """An organisation's Word report template, kept with the appraisal (one per edition)."""

    __tablename__ = "report_template"
    __table_args__ = (
        UniqueConstraint("edition"),
        CheckConstraint("edition IN ('team', 'sponsor')", name="edition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class ScopeItem(Base):
    __tablename__ = "scope_item"
    __table_args__ = (UniqueConstraint("process_area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_area_id: Mapped[int] = _fk("catalog_process_area.id", ondelete="RESTRICT")
    position: Mapped[int] = mapped_column(Integer)
    target_capability_level: Mapped[int | None] = mapped_column(Integer)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusion_reason: Mapped[str] = mapped_column(Text, default="")

    process_area: Mapped[CatalogProcessArea] = relationship()


class SamplingFactor(Base):
    __tablename__ = "sampling_factor"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    relevant: Mapped[bool] = mapped_column(Boolean, default=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[str] = mapped_column(Text, default="")
    """Its values, one per line."""


class Subgroup(Base):
    __tablename__ = "subgroup"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    factor_values: Mapped[str] = mapped_column(Text, default="")
    """"factor=value" pairs, one per line."""
    total_units: Mapped[int | None] = mapped_column(Integer)
    people: Mapped[int | None] = mapped_column(Integer)


class Unit(Base):
    """A basic unit (sampled unit of work) or a support function."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("kind IN ('basic_unit', 'support_function')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    subgroup_id: Mapped[int | None] = _fk("subgroup.id", nullable=True, ondelete="SET NULL")
    sampled: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitProcessArea(Base):
    """A process area a unit implements; a basic unit with no rows implements every PA in scope."""

    __tablename__ = "unit_process_area"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    process_area_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_process_area.id", ondelete="CASCADE"), primary_key=True
    )


class TeamMember(Base):
    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(60), default="member")
    organization: Mapped[str] = mapped_column(String(200), default="")


class MiniTeam(Base):
    __tablename__ = "mini_team"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class MiniTeamMember(Base):
    __tablename__ = "mini_team_member"

    mini_team_id: Mapped[int] = mapped_column(ForeignKey("mini_team.id", ondelete="CASCADE"), primary_key=True)
    team_member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id", ondelete="CASCADE"), primary_key=True)


class MiniTeamProcessArea(Base):
    __tablename__ = "mini_team_process_area"

    mini_team_id: Mapped[int] = mapped_column(ForeignKey("mini_team.id", ondelete="CASCADE"), primary_key=True)
    process_area_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_process_area.id", ondelete="CASCADE"), primary_key=True
    )


# --- objective evidence -----------------------------------------------------------------------------------


class Artifact(Versioned, Base):
    __tablename__ = "artifact"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    artifact_type: Mapped[str] = mapped_column(String(60), default="document")
    version_label: Mapped[str] = mapped_column(String(60), default="")
    location: Mapped[str] = mapped_column(Text, default="")
    """A path or URL for an artifact referenced where it lives rather than stored in the file."""
    provided_by_unit_id: Mapped[int | None] = _fk("unit.id", nullable=True, ondelete="SET NULL")
    effective_date: Mapped[date | None] = mapped_column(Date)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    description: Mapped[str] = mapped_column(Text, default="")


class Blob(Base):
    """Attached file content, stored once per distinct SHA-256."""

    __tablename__ = "blob"
    __table_args__ = (UniqueConstraint("sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ArtifactRevision(Base):
    __tablename__ = "artifact_revision"
    __table_args__ = (UniqueConstraint("artifact_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    artifact_id: Mapped[int] = _fk("artifact.id")
    revision: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    blob_id: Mapped[int | None] = _fk("blob.id", nullable=True, ondelete="RESTRICT")
    source_path: Mapped[str] = mapped_column(Text, default="")
    source_mtime: Mapped[float | None] = mapped_column()
    added_at: Mapped[datetime] = mapped_column(DateTime)


class InterviewSession(Versioned, Base):
    __tablename__ = "interview_session"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30), default="interview")
    held_at: Mapped[datetime | None] = mapped_column(DateTime)
    unit_id: Mapped[int | None] = _fk("unit.id", nullable=True, ondelete="SET NULL")
    participant_roles: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Participant(Base):
    """Who took part in a session. Held apart for non-attribution: only the session record shows names."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = _fk("interview_session.id")
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="")


class Affirmation(Versioned, Base):
    __tablename__ = "affirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = _fk("interview_session.id")
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class EvidenceLink(Versioned, Base):
    """An artifact or an affirmation shown to support one practice in one unit."""

    __tablename__ = "evidence_link"
    __table_args__ = (
        CheckConstraint("(artifact_id IS NULL) <> (affirmation_id IS NULL)", name="one_source"),
        CheckConstraint("adequacy IN ('adequate', 'inadequate', 'not_assessed')", name="adequacy"),
        UniqueConstraint("artifact_id", "affirmation_id", "process_area_id", "practice_id", "unit_id"),
        # Every cell's evidence counts (the grid, the ratings, the exports) are read from this index alone, in
        # cell order: no pass over the table and no sort (schema 0008).
        Index(
            "ix_evidence_link_cell_counts",
            "process_area_id",
            "practice_id",
            "unit_id",
            "artifact_id",
            "adequacy",
            "affirmation_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    artifact_id: Mapped[int | None] = _fk("artifact.id", nullable=True)
    affirmation_id: Mapped[int | None] = _fk("affirmation.id", nullable=True)
    process_area_id: Mapped[int] = _fk("catalog_process_area.id", ondelete="RESTRICT")
    practice_id: Mapped[int] = _fk("catalog_practice.id", ondelete="RESTRICT")
    unit_id: Mapped[int] = _fk("unit.id")
    adequacy: Mapped[str] = mapped_column(String(20), default="adequate")
    note: Mapped[str] = mapped_column(Text, default="")


# --- characterizations, ratings, findings -----------------------------------------------------------------


class Characterization(Versioned, Base):
    """One instantiation: a practice (in a process area) as implemented in one unit."""

    __tablename__ = "characterization"
    __table_args__ = (UniqueConstraint("process_area_id", "practice_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_area_id: Mapped[int] = _fk("catalog_process_area.id", ondelete="RESTRICT")
    practice_id: Mapped[int] = _fk("catalog_practice.id", ondelete="RESTRICT")
    unit_id: Mapped[int] = _fk("unit.id")
    value: Mapped[str | None] = mapped_column(String(4))
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    consensus: Mapped[bool] = mapped_column(Boolean, default=False)
    review_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class OuCharacterization(Versioned, Base):
    """The organizational-unit value of a practice where the team decided it (judgment cases)."""

    __tablename__ = "ou_characterization"
    __table_args__ = (UniqueConstraint("process_area_id", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_area_id: Mapped[int] = _fk("catalog_process_area.id", ondelete="RESTRICT")
    practice_id: Mapped[int] = _fk("catalog_practice.id", ondelete="RESTRICT")
    value: Mapped[str] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    inputs: Mapped[str | None] = mapped_column(Text, nullable=True, info=MACHINE_TEXT)
    """The instantiation values and weaknesses the decision was made on (JSON; NULL before schema 0006)."""


class GoalRatingOverride(Versioned, Base):
    """The team's decision on a goal: rule-3 significance, or lowering a Satisfied goal (method-rules §3)."""

    __tablename__ = "goal_rating_override"
    __table_args__ = (UniqueConstraint("process_area_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_area_id: Mapped[int] = _fk("catalog_process_area.id", ondelete="RESTRICT")
    goal_id: Mapped[int] = _fk("catalog_goal.id", ondelete="RESTRICT")
    rating: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    inputs: Mapped[str | None] = mapped_column(Text, nullable=True, info=MACHINE_TEXT)
    """The practices' OU values and weaknesses the decision was made on (JSON; NULL before schema 0006)."""


class Finding(Versioned, Base):
    __tablename__ = "finding"
    __table_args__ = (
        CheckConstraint("kind IN ('strength', 'weakness', 'improvement')", name="kind"),
        CheckConstraint("status IN ('preliminary', 'validated', 'final')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="preliminary")
    text: Mapped[str] = mapped_column(Text)
    process_area_id: Mapped[int | None] = _fk("catalog_process_area.id", nullable=True, ondelete="RESTRICT")
    goal_id: Mapped[int | None] = _fk("catalog_goal.id", nullable=True, ondelete="RESTRICT")
    practice_id: Mapped[int | None] = _fk("catalog_practice.id", nullable=True, ondelete="RESTRICT")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AttributionReview(Base):
    """The lead's "reviewed: not an attribution" on one flagged span of a text (method-rules §9).

    It holds only while the text is the one reviewed: `text_digest` is of the whole text, so any edit makes the
    mark stale (and an undo that restores the text makes it hold again).
    """

    __tablename__ = "attribution_review"
    __table_args__ = (Index("ix_attribution_review_location", "location"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[str] = mapped_column(String(80))
    """Which text: "finding:12"."""
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(200))
    """The identifier the span matched (folded), so a span now matching another name is not covered."""
    text_digest: Mapped[str] = mapped_column(String(32))
    reviewed_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)


class ExtraIdentifier(Base):
    """A word or phrase that identifies someone without being a participant's name: a nickname, an e-mail
    handle, a team name. Matched and scrubbed like a name."""

    __tablename__ = "extra_identifier"
    __table_args__ = (UniqueConstraint("text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(200), default="")


class ChangeLog(Base):
    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")


# --- mini-team packages ---------------------------------------------------------------------------------


class PackageRecord(Base):
    """A mini-team package: in a package file its origin (role "origin"); in the lead's file one per issued package.

    The origin row carries the package's state at split (`base`, JSON) and a seal: an HMAC over the origin with
    the `secret` that only the lead's "issued" row holds, so a damaged or tampered package is refused at merge.
    The issued row also remembers what merging it already took: the package's last change-log entry brought in
    and which rows it added under which ids (`id_map`, JSON), so merging again changes nothing.
    """

    __tablename__ = "package_record"
    __table_args__ = (
        UniqueConstraint("package_uid"),
        CheckConstraint("role IN ('origin', 'issued')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    package_uid: Mapped[str] = mapped_column(String(36))
    appraisal_fingerprint: Mapped[str] = mapped_column(String(64))
    mini_team: Mapped[str] = mapped_column(String(100))
    process_areas: Mapped[str] = mapped_column(Text, default="")
    """ "MODEL PA" per line, the mini-team's process areas at split."""
    split_at: Mapped[datetime] = mapped_column(DateTime)
    split_by: Mapped[str] = mapped_column(String(200), default="")
    base: Mapped[str] = mapped_column(Text, default="", info=MACHINE_TEXT)
    seal: Mapped[str] = mapped_column(String(64), default="")
    secret: Mapped[str] = mapped_column(String(64), default="")
    merged_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_by: Mapped[str] = mapped_column(String(200), default="")
    merged_change_id: Mapped[int | None] = mapped_column(Integer)
    id_map: Mapped[str] = mapped_column(Text, default="", info=MACHINE_TEXT)


# --- the team server ------------------------------------------------------------------------------------


class ServerAccount(Base):
    """A person's own login on a team server, with their role and (team members) mini-team (revision 0007).

    The server's row-level security reads it: a team member writes only in the mini-team's process areas.
    """

    __tablename__ = "server_account"
    __table_args__ = (CheckConstraint("role IN ('lead', 'member', 'observer')", name="role"),)

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    mini_team_id: Mapped[int | None] = _fk("mini_team.id", nullable=True, ondelete="SET NULL")
    added_at: Mapped[datetime] = mapped_column(DateTime)


VERSIONED_TABLES = tuple(
    sorted(
        mapper.local_table.name  # type: ignore[attr-defined]
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Versioned)
    )
)
"""The tables whose rows carry a version (migration 0007 keeps a frozen copy)."""
