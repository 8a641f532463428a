"""The triggers that keep a mini-team package within its scope, whoever writes to it (window, CLI, any service).

A package holds its mini-team's process areas; the plan, the interview schedule and the models stay the lead's.
The triggers live in the package file itself, so they hold however it is opened, and every refusal starts with
`PACKAGE_REFUSAL` so the storage layer turns it into a PackageScopeError with the reason in plain words.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.storage.database import PACKAGE_REFUSAL

_THE_LEADS = {
    "the plan (scope, units, team and mini-teams) is the lead's: ask the lead to change it in the appraisal": (
        "appraisal",
        "scope_item",
        "sampling_factor",
        "subgroup",
        "unit",
        "unit_process_area",
        "team_member",
        "mini_team",
        "mini_team_member",
        "mini_team_process_area",
    ),
    "the interview schedule and its participants are the lead's: add affirmations to the sessions listed": (
        "interview_session",
        "participant",
    ),
    "the models are the lead's": (
        "catalog_model",
        "catalog_process_area",
        "catalog_goal",
        "catalog_practice",
        "catalog_informative",
        "catalog_link",
    ),
    "its origin record is sealed": ("package_record",),
}
_SCOPED = ("characterization", "ou_characterization", "goal_rating_override", "evidence_link", "finding")


def _quote(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def guard_statements(mini_team: str, process_areas: str) -> list[str]:
    """The CREATE TRIGGER statements for a package of `mini_team` holding `process_areas` ("IRP, SD, …")."""
    head = f"{PACKAGE_REFUSAL} for {mini_team}"
    statements = []
    for reason, tables in _THE_LEADS.items():
        message = _quote(f"{head}: {reason}")
        for table in tables:
            for op in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER package_guard_{table}_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, {message}); END"
                )
    outside = _quote(
        f"{head}: that process area is not in this package (it holds {process_areas}); the lead's appraisal has it"
    )
    for table in _SCOPED:
        for op in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER package_guard_{table}_{op.lower()} BEFORE {op} ON {table} "
                "WHEN NEW.process_area_id IS NULL OR NEW.process_area_id NOT IN "
                "(SELECT process_area_id FROM mini_team_process_area) "
                f"BEGIN SELECT RAISE(ABORT, {outside}); END"
            )
    return statements


def install_guard(conn: Connection, mini_team: str, process_areas: str) -> None:
    for statement in guard_statements(mini_team, process_areas):
        conn.execute(text(statement))
