"""What a team server enforces by itself: roles, grants, row-level security and the change log's author.

Everything here is PostgreSQL and is applied by `appraisal-desk server init` (again on every init: it is
idempotent). The app's own checks are a courtesy; these are the rules, and they hold for any client, including
someone typing SQL with their account (tests/storage/test_team_server.py proves it).

Each appraisal database has three group roles, named after the database so two appraisals on one server stay
apart: `<db>_lead` (everything), `<db>_member` (characterizations, evidence, affirmations, interview notes and
draft findings, only in the process areas of their mini-team: `server_account` says which), `<db>_observer`
(reads only). A person's own login is a member of exactly one of them (`server users add`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from app.storage.schema import Base

ROLES = ("lead", "member", "observer")

MEMBER_WRITES_IN_THEIR_PAS = ("characterization", "evidence_link", "finding")
"""Rows tied to a process area: a team member writes them only for the mini-team's process areas (RLS)."""
MEMBER_WRITES = ("artifact", "artifact_revision", "blob", "interview_session", "affirmation")
"""Evidence that belongs to no single process area: any team member may add and edit it."""
MEMBER_APPENDS = ("change_log",)
KEEP_AUTHORS = "appraisal_desk.keep_authors"
"""Set (to 'on', by a lead, in one transaction) while `push` copies a file's history: its authors are kept."""


@dataclass(frozen=True)
class GroupRoles:
    lead: str
    member: str
    observer: str

    @classmethod
    def of(cls, database: str) -> GroupRoles:
        base = database[:50]
        return cls(f"{base}_lead", f"{base}_member", f"{base}_observer")

    def name(self, role: str) -> str:
        return {"lead": self.lead, "member": self.member, "observer": self.observer}[role]

    @property
    def all(self) -> tuple[str, str, str]:
        return (self.lead, self.member, self.observer)


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _in_my_mini_team_function() -> str:
    # SECURITY DEFINER: the policy may read the account table whatever the caller may read; search_path fixed so
    # nobody can slip in a table of their own under the same name.
    return """
CREATE OR REPLACE FUNCTION appraisal_desk_in_my_mini_team(pa integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM server_account a
    JOIN mini_team_process_area m ON m.mini_team_id = a.mini_team_id
    WHERE a.login = session_user AND a.role = 'member' AND m.process_area_id = pa)
$$"""


def _author_function(name: str, column: str, lead: str) -> str:
    # The author is whoever is logged in, never a name the client sends; only a lead copying a file's history
    # (push, one transaction with KEEP_AUTHORS on) keeps the names recorded in the file.
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF coalesce(current_setting('{KEEP_AUTHORS}', true), '') = 'on'
     AND pg_has_role(session_user, '{lead}', 'member') THEN
    RETURN NEW;
  END IF;
  NEW.{column} := session_user;
  RETURN NEW;
END $$"""


def apply(connection: Connection, database: str) -> GroupRoles:
    """Create or refresh the roles, grants, policies and triggers of `database` (inside the caller's transaction)."""
    roles = GroupRoles.of(database)
    lead, member, observer = (quoted(r) for r in roles.all)
    existing = set(connection.scalars(text("SELECT rolname FROM pg_roles")))
    for role in roles.all:
        if role not in existing:
            connection.exec_driver_sql(f"CREATE ROLE {quoted(role)} NOLOGIN")
    run = connection.exec_driver_sql
    db = quoted(database)
    run(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {lead}, {member}, {observer}")
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {lead}, {member}, {observer}")
    run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {lead}, {member}, {observer}")
    run(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {lead}, {member}, {observer}")
    run(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {lead}")
    run(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {lead}")
    run(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {lead}, {member}")
    for table in MEMBER_WRITES:
        run(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {member}")
    for table in MEMBER_WRITES_IN_THEIR_PAS:
        # Every column but the row's process area: moving a colleague's row into one's own mini-team (which the
        # policy's check on the new row alone would let through) is refused by the grant itself.
        columns = ", ".join(
            c.name for c in Base.metadata.tables[table].columns if c.name not in ("id", "process_area_id")
        )
        run(f"GRANT INSERT, DELETE ON {table} TO {member}")
        run(f"GRANT UPDATE ({columns}) ON {table} TO {member}")
    for table in MEMBER_APPENDS:
        run(f"GRANT INSERT ON {table} TO {member}")
    run(_in_my_mini_team_function())
    run("REVOKE ALL ON FUNCTION appraisal_desk_in_my_mini_team(integer) FROM PUBLIC")
    run(f"GRANT EXECUTE ON FUNCTION appraisal_desk_in_my_mini_team(integer) TO {lead}, {member}, {observer}")
    for table in MEMBER_WRITES_IN_THEIR_PAS:
        _policies(connection, table, roles)
    for name, table, column in (
        ("appraisal_desk_change_author", "change_log", "who"),
        ("appraisal_desk_cell_author", "characterization", "updated_by"),
    ):
        run(_author_function(name, column, roles.lead))
        run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        run(f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    _notify_trigger(connection)
    return roles


def _policies(connection: Connection, table: str, roles: GroupRoles) -> None:
    lead, member, observer = (quoted(r) for r in roles.all)
    own = "appraisal_desk_in_my_mini_team(process_area_id)"
    draft = " AND status = 'preliminary'" if table == "finding" else ""
    run = connection.exec_driver_sql
    run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for name in ("everyone_reads", "lead_writes", "member_inserts", "member_updates", "member_deletes"):
        run(f"DROP POLICY IF EXISTS {name} ON {table}")
    run(f"CREATE POLICY everyone_reads ON {table} FOR SELECT TO {lead}, {member}, {observer} USING (true)")
    run(f"CREATE POLICY lead_writes ON {table} FOR ALL TO {lead} USING (true) WITH CHECK (true)")
    run(f"CREATE POLICY member_inserts ON {table} FOR INSERT TO {member} WITH CHECK ({own}{draft})")
    # USING (true): an update outside the mini-team is an error ("violates row-level security"), not a silent
    # no-op, so the person is told; the new row must still be theirs.
    run(f"CREATE POLICY member_updates ON {table} FOR UPDATE TO {member} USING (true) WITH CHECK ({own}{draft})")
    run(f"CREATE POLICY member_deletes ON {table} FOR DELETE TO {member} USING ({own}{draft})")


ANNOUNCE_TRIGGER = "appraisal_desk_announce"
CHANGE_CHANNEL = "appraisal_desk_changes"
"""The LISTEN/NOTIFY channel on which every committed change log entry is announced (its id and author)."""


def _notify_trigger(connection: Connection) -> None:
    run = connection.exec_driver_sql
    run(f"""
CREATE OR REPLACE FUNCTION appraisal_desk_announce() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_notify('{CHANGE_CHANNEL}', NEW.id::text || ' ' || NEW.who);
  RETURN NEW;
END $$""")
    run("DROP TRIGGER IF EXISTS appraisal_desk_announce ON change_log")
    run(
        "CREATE TRIGGER appraisal_desk_announce AFTER INSERT ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION appraisal_desk_announce()"
    )
