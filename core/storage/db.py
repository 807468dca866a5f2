"""The database: an async engine for SQLite (default) or PostgreSQL, and sessions on it.

Nothing is created at import time; the composition root builds one `Database` at start.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.util.concurrency import await_
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.sqlite_driver import Connection as SQLiteDriverConnection
from core.storage.sqlite_driver import connector
from core.storage.write_turns import WriteTurns


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


# How long a statement waits for another connection's write lock before it fails.
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


# Execution option naming a transaction that writes: on SQLite it begins IMMEDIATE.
BEGIN_IMMEDIATE = "wismo_begin_immediate"


def _sqlite_begin(connection: Any) -> None:
    # pysqlite opens a transaction only at the first INSERT/UPDATE/DELETE, so a
    # transaction's earlier reads each saw their own snapshot and a read-modify-write
    # could lose a concurrent update. BEGIN IMMEDIATE takes the write lock first: the
    # reads that follow are consistent with the writes, and it never has to upgrade a
    # stale read snapshot to a writer (SQLITE_BUSY_SNAPSHOT, "database is locked" that
    # no busy timeout helps). Read-only sessions keep pysqlite's lock-free default.
    if not connection.get_execution_options().get(BEGIN_IMMEDIATE):
        return
    # Not as a SQLAlchemy statement: this runs for every shopper message, and statement
    # execution costs several times what SQLite takes for a BEGIN. On wismo's driver it
    # is tried right away; only when the lock is taken does it go through the DB-API
    # cursor, which waits for it. A failure (the lock not free within the busy timeout)
    # is wrapped as SQLAlchemy would.
    dbapi = connection.dialect.loaded_dbapi
    driver = getattr(connection.connection, "driver_connection", None)
    try:
        if isinstance(driver, SQLiteDriverConnection) and driver.try_begin_immediate():
            return
        cursor = connection.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        finally:
            cursor.close()
    except dbapi.Error as exc:
        raise DBAPIError.instance(
            "BEGIN IMMEDIATE", (), exc, dbapi.Error, dialect=connection.dialect
        ) from exc


def uses_wismo_driver(url: str) -> bool:
    """Whether `build_engine` connects to `url` through core.storage.sqlite_driver."""
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not parsed.query
    )


def build_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """An async engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on.

    Statement parameters are kept out of errors and echo: they hold shoppers' e-mail
    addresses, phone numbers and addresses, and errors end up in the log.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options: dict[str, Any] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if uses_wismo_driver(url):
            # One thread hop per statement instead of four (see core.storage.sqlite_driver).
            options["async_creator"] = connector(str(Path(str(parsed.database)).resolve()))
        engine = create_async_engine(url, echo=echo, hide_parameters=True, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    options = {}
    asyncpg = parsed.drivername == "postgresql+asyncpg"
    if asyncpg:
        # Times are stored as UTC without a zone; a zone-aware value compared with them
        # (insights' period anchors) must not be shifted by the server's own time zone.
        options["connect_args"] = {"server_settings": {"timezone": "UTC"}}
    else:
        options["pool_pre_ping"] = True  # another driver: SQLAlchemy's own check
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        **options,
    )
    if asyncpg:
        event.listen(engine.sync_engine, "checkin", _note_return)
        event.listen(engine.sync_engine, "checkout", _check_if_idle)
    return engine


# A pooled PostgreSQL connection is checked before use only when it has lain idle: one
# given back within the last half second (HikariCP's default) was working then, and one
# that broke since fails like any dropped connection (database_unavailable; SQLAlchemy
# then replaces the whole pool). SQLAlchemy's pool_pre_ping checked every check-out with
# three round trips on asyncpg (BEGIN, ";", ROLLBACK) — on the busiest path, where
# PostgreSQL shares the machine: 3 % of wismo's own time under load, besides the server's.
IDLE_BEFORE_CHECK = 0.5  # seconds
_GIVEN_BACK_AT = "wismo_given_back_at"


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info[_GIVEN_BACK_AT] = time.monotonic()


def _check_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    given_back = record.info.get(_GIVEN_BACK_AT)
    if given_back is None or time.monotonic() - given_back < IDLE_BEFORE_CHECK:
        return  # just opened, or in use a moment ago
    try:
        # One round trip, in the simple protocol: no prepared statement (PgBouncer-safe).
        await_(dbapi_connection.driver_connection.execute(";"))
    except Exception as exc:
        # The pool drops this connection and checks out another (a new one if need be).
        raise DisconnectionError("a pooled connection no longer answers") from exc


def database_unavailable(error: BaseException) -> bool:
    """True when `error` says the database could not be reached or dropped the connection.

    Such a failure is worth trying again later (the same input will work once the
    database is back), unlike a bad statement or bad data. Looks through the chain of
    causes, since drivers wrap socket errors in their own and SQLAlchemy wraps those.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, OperationalError | InterfaceError | DisconnectionError):
            return True
        if isinstance(current, ConnectionError | TimeoutError | socket.gaierror):
            return True
        if type(current).__module__.startswith("asyncpg") and type(current).__name__ in (
            "ConnectionDoesNotExistError",
            "CannotConnectNowError",
            "ConnectionFailureError",
            "InterfaceError",
            "TooManyConnectionsError",
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


async def refresh_planner_statistics(engine: AsyncEngine) -> None:
    """After a bulk load on PostgreSQL: ANALYZE, so the planner uses the indexes at once.

    Until autovacuum analyzes the new rows (a minute or more later; never where it is
    off), PostgreSQL plans as if the tables were small and reads them whole: a shopper's
    look-up on 100,000 fresh orders scanned all 560,000 tracking events, 270 ms instead of
    a fraction of a millisecond. SQLite keeps its own plans (no statistics are written).
    """
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("ANALYZE")


def _begin_writing(session: Session) -> None:
    session.begin()
    session.connection(execution_options={BEGIN_IMMEDIATE: True})


def _end(session: Session, *, commit: bool) -> None:
    """Commit (or not) and close: closing rolls back whatever is still open."""
    try:
        if commit:
            session.commit()
    finally:
        session.close()


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = build_engine(url, echo=echo)
        self._closes_inline = uses_wismo_driver(url)
        self._write_turns = WriteTurns(BUSY_TIMEOUT_MS / 1000)
        self._writer: AsyncConnection | None = None  # see `transaction`
        self.sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session; the caller commits."""
        async with self.sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that commits on success and rolls back on error.

        On SQLite it holds the write lock from its start (BEGIN IMMEDIATE), so
        concurrent transactions that read and then write take turns instead of one
        failing with "database is locked"; use `session()` for read-only work. On a
        SQLite file the turns of this process are handed on in order, `urgent` ones
        first (core.storage.write_turns).
        """
        if not self._closes_inline:
            async with self.sessions() as session, session.begin():
                await session.connection(execution_options={BEGIN_IMMEDIATE: True})
                yield session
            return
        # The turns let one write transaction of this process run at a time, so they all
        # use one connection held for it: no pool check-out and return per transaction.
        # Beginning (with BEGIN IMMEDIATE) is one hop into SQLAlchemy's synchronous
        # session, and so are committing and closing: four hops were half of what an
        # empty transaction cost (154 -> 95 µs with both changes).
        async with self._write_turns.turn(urgent=urgent):
            writer = await self._writing_connection()
            session = self.sessions(bind=writer)
            try:
                try:
                    await session.run_sync(_begin_writing)
                    yield session
                except BaseException:
                    await session.run_sync(_end, commit=False)
                    raise
                await session.run_sync(_end, commit=True)
            finally:
                if writer.get_transaction() is not None:  # interrupted, or a failed commit
                    await self._drop_writer()

    async def _writing_connection(self) -> AsyncConnection:
        writer = self._writer
        if writer is None or writer.closed or writer.invalidated:
            writer = self._writer = await self.engine.connect()
        return writer

    async def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            with contextlib.suppress(Exception):
                await writer.invalidate()
            with contextlib.suppress(Exception):
                await writer.close()

    async def dispose(self) -> None:
        """Close every pooled connection (and the one write transactions use)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            await writer.close()
        await self.engine.dispose()
