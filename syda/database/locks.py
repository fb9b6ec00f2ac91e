"""The seed lock: one seeder at a time per database (and database schema), across processes.

:func:`seed_lock` is what makes :func:`~syda.database.seed_database` safe when several replicas
of an application start together: whoever holds the lock checks, creates the missing tables and
writes; the others wait, then find the rows and do nothing. The lock guards seeders against each
other only; the application's own reads and writes are never blocked by it.

Per database:

* **PostgreSQL**: a session-level advisory lock (``pg_try_advisory_lock``) whose 64-bit key is
  derived from the database name and the schema (``db_schema``, else ``current_schema()``).
* **MySQL/MariaDB**: a named lock (``GET_LOCK``) derived from the database (``db_schema``, else
  ``DATABASE()``); the names are server-wide, so the lock is scoped by that name.
* **SQLite**: an OS file lock (``flock``; ``msvcrt.locking`` on Windows) on a sidecar file next
  to the database, ``<file>.syda-seed.lock``, which is left in place (removing a lock file
  others may be waiting on would let two seeders in). SQLite's own write lock
  (``BEGIN IMMEDIATE``) was the other choice and is not used: the check, the generation and
  the write would all have to run on the one connection that holds it, while the writer
  (:func:`~syda.database.write_database`) opens and commits its own transaction; it would block
  the application's writes for as long as generation takes (minutes with an LLM); and its wait
  is the connection's ``busy_timeout``, a setting of the caller's engine. The lock is not taken
  on the database file itself: SQLite holds POSIX locks on it, which closing any other
  descriptor of that file in the same process silently drops. In-memory databases need no
  lock: no other process can see them.

The wait is one rule for all three: try without blocking, sleep a little (growing to half a
second), try again until ``timeout`` seconds have passed. Waiting this way stays interruptible
(Ctrl-C) and needs no server setting (``lock_timeout``, ``innodb_lock_wait_timeout``) changed on
a connection the caller may get back from its pool. A server lock lives in its connection's
session: if the holder dies, the server ends the session and frees the lock; the OS frees a file
lock when its process ends. The lock's connection is taken from the same engine (so an engine's
``search_path`` or other connect arguments count) and is a second connection of its pool.

Other dialects have no seed lock: a warning says so and seeding goes on unguarded.
"""

from __future__ import annotations

import hashlib
import logging
import math
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from sqlalchemy import exc

from syda.database.connect import describe, error_text, reported
from syda.database.defaults import DEFAULT_LOCK_TIMEOUT
from syda.errors import ConfigurationError, OutputError

__all__ = ["DEFAULT_LOCK_TIMEOUT", "check_lock_timeout", "seed_lock"]

logger = logging.getLogger("syda")

_FIRST_PAUSE, _LONGEST_PAUSE = 0.02, 0.5
_LOCK_SUFFIX = ".syda-seed.lock"
_IN_MEMORY = ("", ":memory:")


class _Lock(Protocol):
    """One kind of lock: tried without blocking, released once."""

    scope: str
    """What the lock covers, for messages: a schema name, a file."""

    def try_acquire(self) -> bool: ...

    def release(self) -> None: ...


def check_lock_timeout(timeout: object) -> float:
    """``timeout`` as seconds to wait: a finite number, 0 or more.

    Raises:
        ConfigurationError: If it is not.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ConfigurationError(f"lock_timeout must be a number of seconds, not {timeout!r}")
    if not math.isfinite(timeout) or timeout < 0:
        raise ConfigurationError(f"lock_timeout must be 0 or more seconds, not {timeout!r}")
    return float(timeout)


@contextmanager
def seed_lock(engine: sa.Engine, db_schema: str | None, timeout: float) -> Iterator[float]:
    """Hold the seed lock of ``engine``'s database (and ``db_schema``); yield the seconds waited.

    Args:
        engine: The database to seed.
        db_schema: The database schema (namespace) being seeded; None for the connection's own.
        timeout: Seconds to wait for another seeder to let go (0: do not wait).

    Raises:
        OutputError: If another seeder still holds the lock after ``timeout`` seconds, or the
            lock cannot be taken (the database cannot be reached, the lock file cannot be made).
    """
    dialect = engine.dialect.name
    if dialect == "sqlite":
        path = _sidecar(engine.url)
        if path is None:
            yield 0.0
            return
        with _FileLock.opened(path) as lock:
            yield _acquire(lock, timeout, f"{describe(engine)} (lock file {lock.scope})")
    elif dialect in ("postgresql", "mysql", "mariadb"):
        with _server_lock(engine, db_schema, timeout) as waited:
            yield waited
    else:
        logger.warning("no seed lock on %s: run one seeder at a time", dialect)
        yield 0.0


@contextmanager
def _server_lock(engine: sa.Engine, db_schema: str | None, timeout: float) -> Iterator[float]:
    # Only taking and releasing the lock are reported as locking errors; the caller's own errors
    # pass through untouched.
    with reported(engine, "seeding") as step:
        step.action = "taking the seed lock"
        conn = engine.connect()
        try:
            lock: _Lock
            if engine.dialect.name == "postgresql":
                lock = _PostgresLock(conn, db_schema)
            else:
                lock = _MySQLLock(conn, db_schema)
            waited = _acquire(lock, timeout, f"{describe(engine)} (schema {lock.scope})")
        except BaseException:
            conn.close()
            raise
    try:
        yield waited
    finally:
        try:
            lock.release()
        except exc.SQLAlchemyError as error:
            # Ending the session frees its locks: the connection must not go back to the pool
            # still holding this one.
            conn.invalidate()
            logger.warning(
                "releasing the seed lock failed (its session was closed): %s", error_text(error)
            )
        finally:
            conn.close()


def _acquire(lock: _Lock, timeout: float, where: str) -> float:
    """Try ``lock`` until it is held or ``timeout`` has passed; return the seconds waited.

    The wait is 0.0 exactly when the lock was free at the first try.

    Raises:
        OutputError: If the lock is still taken after ``timeout`` seconds.
    """
    if lock.try_acquire():
        return 0.0
    started = time.monotonic()
    deadline = started + timeout
    pause = _FIRST_PAUSE
    while not lock.try_acquire():
        left = deadline - time.monotonic()
        if left <= 0:
            raise OutputError(
                f"another seeder of {where} still held the seed lock after {timeout:g} s: "
                "nothing was written (wait longer with a larger lock_timeout)"
            )
        time.sleep(min(pause, left))
        pause = min(pause * 2, _LONGEST_PAUSE)
    return time.monotonic() - started


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x00".join(("syda seed", *parts)).encode()).digest()


class _PostgresLock:
    """A session-level advisory lock; committed after each try, so no transaction stays open."""

    def __init__(self, conn: sa.Connection, db_schema: str | None) -> None:
        self._conn = conn
        database, current = conn.exec_driver_sql(
            "SELECT current_database(), current_schema()"
        ).one()
        conn.commit()
        self.scope = db_schema if db_schema is not None else str(current or "")
        key = _digest(str(database), self.scope)
        self._key = int.from_bytes(key[:8], "big", signed=True)

    def try_acquire(self) -> bool:
        held = self._conn.execute(sa.select(sa.func.pg_try_advisory_lock(self._key))).scalar()
        # Without the commit the session would sit "idle in transaction", which a server's
        # idle_in_transaction_session_timeout ends, freeing the lock of a seeder still at work.
        self._conn.commit()
        return bool(held)

    def release(self) -> None:
        self._conn.execute(sa.select(sa.func.pg_advisory_unlock(self._key)))
        self._conn.commit()


class _MySQLLock:
    """A named lock (``GET_LOCK``); names are server-wide and at most 64 characters."""

    def __init__(self, conn: sa.Connection, db_schema: str | None) -> None:
        self._conn = conn
        current = db_schema
        if current is None:
            current = conn.exec_driver_sql("SELECT DATABASE()").scalar()
            conn.commit()
        self.scope = str(current or "")
        self._name = "syda-seed-" + _digest(self.scope).hex()[:40]

    def try_acquire(self) -> bool:
        held = self._conn.execute(sa.select(sa.func.get_lock(self._name, 0))).scalar()
        self._conn.commit()
        return held == 1

    def release(self) -> None:
        self._conn.execute(sa.select(sa.func.release_lock(self._name)))
        self._conn.commit()


def _sidecar(url: sa.URL) -> Path | None:
    """The lock file of a SQLite database; None for an in-memory one."""
    database = url.database or ""
    if database in _IN_MEMORY:
        return None
    if database.startswith("file:"):  # a URI filename (``?uri=true``)
        parts = urlsplit(database)
        if parts.path in _IN_MEMORY or parse_qs(parts.query).get("mode") == ["memory"]:
            return None
        database = parts.path
    path = Path(database).absolute()
    return path.with_name(path.name + _LOCK_SUFFIX)


class _FileLock:
    """An exclusive OS lock on an open file; freed when released, or when the process ends."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._held = False
        self.scope = file.name

    @classmethod
    @contextmanager
    def opened(cls, path: Path) -> Iterator[_FileLock]:
        """Open (or create) the lock file; release the lock and close it afterwards.

        Raises:
            OutputError: If the file cannot be opened or created.
        """
        try:
            file = open(path, "a+b")  # closed below, once the lock is let go
        except OSError as error:
            if not path.parent.is_dir():
                raise OutputError(
                    f"no such directory for the database file: {path.parent}"
                ) from None
            reason = error.strerror or type(error).__name__
            raise OutputError(f"cannot open the seed lock file {path}: {reason}") from None
        lock = cls(file)
        try:
            yield lock
        finally:
            lock.release()
            file.close()

    if sys.platform == "win32":

        def try_acquire(self) -> bool:
            import msvcrt

            self._file.seek(0)
            try:
                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                return False
            self._held = True
            return True

        def release(self) -> None:
            import msvcrt

            if self._held:
                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
                self._held = False

    else:

        def try_acquire(self) -> bool:
            import fcntl

            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._held = True
            return True

        def release(self) -> None:
            import fcntl

            if self._held:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
                self._held = False
