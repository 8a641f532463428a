"""Hearing about other people's edits on a team server: LISTEN/NOTIFY, with polling when LISTEN is not possible.

Every change log entry a server commits is announced on `server_security.CHANGE_CHANNEL` by a trigger (so a
change made by any client, even raw SQL through the app's functions, is heard). A feed holds its own connection
(autocommit, outside any unit of work) and wakes its reader as soon as an announcement arrives; when that
connection cannot be made (a pooler that drops LISTEN, a server set up before `server init`) it polls the
change log's highest id every POLL_SECONDS instead. Either way the reader then reads the new entries itself.
"""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine, func, select, text

from app.storage.schema import ChangeLog
from app.storage.server_security import ANNOUNCE_TRIGGER, CHANGE_CHANNEL

POLL_SECONDS = 1.0
LISTEN_RETRY_SECONDS = 15.0


class ChangeFeed:
    """`wait(timeout)` returns True when the change log may have grown (announced, or seen by polling)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._listener: Any = None
        self._last_polled = self.highest_id()
        self._next_poll = 0.0
        self._next_listen = 0.0
        self._listen()

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def _announced(self) -> bool:
        """Whether the server announces changes (`server init` made the trigger); a database made with `new` and
        never initialised for a team does not, and is polled."""
        with self._engine.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_trigger WHERE tgname = :name"), {"name": ANNOUNCE_TRIGGER})
        return found is not None

    def _listen(self) -> None:
        self._next_listen = time.monotonic() + LISTEN_RETRY_SECONDS
        if not self._announced():
            self._listener = None
            return
        try:
            import psycopg

            url = self._engine.url.set(drivername="postgresql")
            conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5)
            conn.execute(f"LISTEN {CHANGE_CHANNEL}")
        except Exception:
            self._listener = None
            return
        self._listener = conn

    def highest_id(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0)

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True if something may have changed (the caller then reads the log)."""
        if self._listener is not None:
            try:
                heard = list(self._listener.notifies(timeout=timeout, stop_after=1))
            except Exception:
                self._drop_listener()
                return True
            return bool(heard)
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if now >= self._next_poll:
                self._next_poll = now + POLL_SECONDS
                highest = self.highest_id()
                if highest != self._last_polled:
                    self._last_polled = highest
                    return True
            if now >= self._next_listen:
                self._listen()  # the server may allow it again: prefer announcements
                if self._listener is not None:
                    return True  # read once, in case something slipped between the two ways of hearing
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(max(0.0, min(self._next_poll - time.monotonic(), left)))

    def _drop_listener(self) -> None:
        listener, self._listener = self._listener, None
        with suppress(Exception):
            listener.close()

    def close(self) -> None:
        if self._listener is not None:
            self._drop_listener()
