"""aiosqlite without a thread hop for small statements, and one hop for the rest.

aiosqlite runs each sqlite3 call on its worker thread; SQLAlchemy's adapter makes four
such calls per statement (create cursor, execute, fetch, close), and under load each hop
costs far more than the indexed query itself: the worker must win the GIL back from a
busy event loop (up to the 5 ms switch interval) and wake the loop again. Here the cursor
is created lazily, and `execute` returns the first rows with it, so a statement is at
most one hop. A small statement takes none: it runs right on the event loop's thread, as
SQLAlchemy's synchronous driver would, and an indexed read or a one-row INSERT takes tens
of microseconds. "Small" is decided so the loop is never held long:

- A SELECT gets INLINE_SECONDS, enforced by SQLite's progress handler; one that runs
  longer is interrupted (a read has nothing to undo, and its transaction stays open)
  and runs again on the worker, so a report's big scan never stalls the loop.
- An INSERT of a few values, an UPDATE or DELETE of one row by id (what the ORM's flush
  writes), a savepoint and COMMIT run without SQLite's busy handler: when another
  connection holds the write lock they fail at once with nothing changed, and are tried
  again after an asyncio sleep (the holder is usually a coroutine of this process that
  needs the loop to finish), up to the connection's busy timeout. SQLite's own busy
  handler would sleep on a thread for 1 to 100 ms at a time while the lock is long free.
  (`Database.transaction`s of one process do not meet each other here at all: they take
  turns before they begin, core.storage.write_turns; what still meets the lock is another
  process, or a write outside such a transaction.)
  Other UPDATEs and DELETEs, INSERT ... SELECT and scripts go to the worker (their size
  is unknown) and wait there as configured.
- So a connection rests with SQLite's busy timeout at zero once it is in use, and the
  worker sets the configured timeout around what it runs. An inline read that meets a
  lock (rare in WAL mode: a recovery, a truncating checkpoint) moves to the worker too.
- Checkpoints, the only slow part of a commit in WAL mode (copying pages and fsync), run
  on the worker: connections open with `wal_autocheckpoint=0` and checkpoint there after
  about as much writing as SQLite's automatic checkpoint would allow.

Larger results are still fetched in chunks on the worker (memory stays bounded for
streamed reads), and a cursor closed before its rows are exhausted is closed there,
releasing SQLite's read snapshot.

What it gains, measured (`python -m bench.lookup --plain-sqlite`: 100,000 orders, 2,000
questions, 2-core machine under load, 2026-12-03): "where is my order" answered in 1.10 ms
p50 / 4.1 ms p99 with this driver and `core.storage.hot_sql`, against 3.11 ms / 12.4 ms
through SQLAlchemy's plain aiosqlite dialect on the same file (2.8x). One hop per
statement alone took a question from 21 thread hops to 7.

What a maintainer must not break:

- Nothing that can run long runs inline: SELECTs stay under the progress handler's
  INLINE_SECONDS; a write runs inline only when `_inline_kind` can bound its size.
- An inline statement that fails must have changed nothing, so that running it again (on
  the worker, or after the lock is free) is safe: inline writes meet the lock at once
  (busy timeout 0) instead of half-way.
- Checkpoints happen only here (`wal_autocheckpoint=0`): drop them and the WAL grows.
- Only plain SQLite file URLs use this driver (`core.storage.db.build_engine`); a URL with
  query options gets SQLAlchemy's own dialect, which is also the baseline of the benchmark.
  tests/unit/test_sqlite_driver.py and test_hot_sql.py pin the behaviour down.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import aiosqlite

PREFETCH_ROWS = 256
# How long a read may hold the event loop before it moves to the worker thread, and how
# often (in SQLite VM instructions) the clock is checked meanwhile.
INLINE_SECONDS = 0.002
_CHECK_EVERY = 2_000
_INLINE_VALUES = 64  # an INSERT with more bound values than this goes to the worker
# A checkpoint after this many commits or changed rows, whichever comes first: about
# SQLite's own 1,000-page automatic checkpoint for small transactions.
CHECKPOINT_COMMITS = 200
CHECKPOINT_CHANGES = 1_000
_LONGEST_PAUSE = 0.02  # seconds between tries of a write that met the lock
# What the ORM's flush writes for one row: `UPDATE t SET ... WHERE t.id = ?`, same for DELETE.
_ONE_ROW = re.compile(r"^\s*(UPDATE \w+ SET .*|DELETE FROM \w+) WHERE \w+\.id = \?\s*$", re.S)


def _inline_kind(sql: str, parameters: Any) -> str | None:
    """ "read" or "write" when `sql` may run on the loop's thread, None when it may not."""
    head = sql.lstrip()[:11].upper()
    if head.startswith("SELECT"):
        return "read"
    if head.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK TO")):
        return "write"
    small = parameters is None or len(parameters) <= _INLINE_VALUES
    if small and head.startswith("INSERT") and "SELECT" not in sql.upper():
        return "write"
    if small and head.startswith(("UPDATE", "DELETE")) and _ONE_ROW.match(sql):
        return "write"
    return None


class _TooSlow(Exception):
    """An inline read ran out of time or met a lock: it runs again on the worker thread."""


# sqlite3 reports extended result codes (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, ...);
# their low byte is the primary code.
_PRIMARY = 0xFF
# What an inline read may meet that the worker handles: its interrupt (the read outlasted
# INLINE_SECONDS), or a lock it should wait for with SQLite's busy timeout.
_MOVE_TO_WORKER = {sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


class BufferedCursor(aiosqlite.Cursor):
    """An aiosqlite cursor whose `execute` also fetches the first PREFETCH_ROWS rows."""

    def __init__(self, conn: Connection) -> None:
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn: Connection = conn
        self._cursor: sqlite3.Cursor | None = None  # type: ignore[assignment]
        self._rows: deque[Any] = deque()
        self._exhausted = True

    def __await__(self) -> Generator[Any, None, BufferedCursor]:
        # `await connection.cursor()` works as with aiosqlite, without a hop.
        async def itself() -> BufferedCursor:
            return self

        return itself().__await__()

    async def _run(self, step: Callable[[sqlite3.Cursor], Any]) -> Any:
        def in_worker() -> tuple[sqlite3.Cursor, Any]:
            cursor = self._cursor if self._cursor is not None else self._conn._conn.cursor()
            with self._conn.waiting_for_locks():
                return cursor, step(cursor)

        self._cursor, result = await self._conn._execute(in_worker)
        return result

    def _cursor_here(self) -> sqlite3.Cursor:
        if self._cursor is None:
            self._cursor = self._conn._conn.cursor()
        return self._cursor

    def _read_inline(self, step: Callable[[sqlite3.Cursor], Any]) -> Any:
        """`step` on the event loop's thread; _TooSlow when it outlasts INLINE_SECONDS."""
        connection = self._conn._conn
        cursor = self._cursor_here()
        self._conn.busy_timeout_ms()  # a lock is never waited for here, see _MOVE_TO_WORKER
        deadline = time.perf_counter() + INLINE_SECONDS
        connection.set_progress_handler(lambda: time.perf_counter() > deadline, _CHECK_EVERY)
        try:
            return step(cursor)
        except sqlite3.OperationalError as exc:
            # Interrupted (too slow), or locked: it runs again on the worker, which waits.
            if exc.sqlite_errorcode & _PRIMARY in _MOVE_TO_WORKER:
                raise _TooSlow from exc
            raise
        finally:
            connection.set_progress_handler(None, 0)

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> BufferedCursor:
        """Run one statement and bring back its first rows (a small one without a hop)."""

        def step(cursor: sqlite3.Cursor) -> list[Any]:
            cursor.execute(sql, parameters if parameters is not None else ())  # type: ignore[arg-type]
            return cursor.fetchmany(PREFETCH_ROWS) if cursor.description else []

        kind = _inline_kind(sql, parameters)
        rows: list[Any]
        if kind == "read":
            try:
                rows = self._read_inline(step)
            except _TooSlow:
                rows = await self._run(step)
        elif kind == "write":
            rows = await self._conn.write_inline(lambda: step(self._cursor_here()))
        else:
            rows = await self._run(step)
        self._rows = deque(rows)
        self._exhausted = len(rows) < PREFETCH_ROWS
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> BufferedCursor:
        """Run one statement for each parameter set."""
        await self._run(lambda cursor: cursor.executemany(sql, parameters))  # type: ignore[arg-type]
        self._rows, self._exhausted = deque(), True
        return self

    async def executescript(self, sql_script: str) -> BufferedCursor:
        """Run a script of statements."""
        await self._run(lambda cursor: cursor.executescript(sql_script))
        self._rows, self._exhausted = deque(), True
        return self

    async def _more(self) -> None:
        rows = await self._run(lambda cursor: cursor.fetchmany(PREFETCH_ROWS))
        self._rows.extend(rows)
        self._exhausted = len(rows) < PREFETCH_ROWS

    async def fetchone(self) -> Any:
        """The next row, or None."""
        if not self._rows and not self._exhausted:
            await self._more()
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` rows (default `arraysize`)."""
        wanted = size if size is not None else self.arraysize
        while len(self._rows) < wanted and not self._exhausted:
            await self._more()
        return [self._rows.popleft() for _ in range(min(wanted, len(self._rows)))]

    async def fetchall(self) -> list[Any]:
        """Every remaining row."""
        if not self._exhausted:
            rest = await self._run(lambda cursor: cursor.fetchall())
            self._rows.extend(rest)
            self._exhausted = True
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        """Drop buffered rows; a half-read statement is closed in the worker thread."""
        self._rows.clear()
        if not self._exhausted and self._cursor is not None:
            await self._conn._execute(self._cursor.close)
        self._exhausted = True

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement (DB-API)."""
        return self._cursor.rowcount if self._cursor is not None else -1

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last inserted row (DB-API)."""
        return self._cursor.lastrowid if self._cursor is not None else None

    @property
    def arraysize(self) -> int:
        """Rows per `fetchmany` by default (DB-API)."""
        return self._cursor.arraysize if self._cursor is not None else 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        if self._cursor is not None:
            self._cursor.arraysize = value

    @property
    def description(self) -> Any:
        """The result's column descriptions, None for a statement without rows (DB-API)."""
        return self._cursor.description if self._cursor is not None else None


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors are BufferedCursors; small commits inline."""

    _busy_timeout_ms: int | None = None
    _commits = 0
    _changes_at_checkpoint = 0

    def cursor(self) -> BufferedCursor:  # type: ignore[override]
        """A cursor; nothing runs until `execute`."""
        return BufferedCursor(self)

    def busy_timeout_ms(self) -> int:
        """The busy timeout the connection was configured with.

        Read once, inline, on first use; from then on the connection rests at zero (writes
        on the loop's thread retry instead, see `write_inline`) and the worker sets it
        back around what it runs (`waiting_for_locks`).
        """
        if self._busy_timeout_ms is None:
            connection = self._conn
            self._busy_timeout_ms = int(connection.execute("PRAGMA busy_timeout").fetchone()[0])
            connection.execute("PRAGMA busy_timeout = 0")
        return self._busy_timeout_ms

    @contextmanager
    def waiting_for_locks(self) -> Iterator[None]:
        """SQLite's busy timeout as configured, for work on the worker thread."""
        timeout_ms = self._busy_timeout_ms
        if not timeout_ms:  # not in use yet (still as configured), or configured as zero
            yield
            return
        connection = self._conn
        connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        try:
            yield
        finally:
            connection.execute("PRAGMA busy_timeout = 0")

    def try_begin_immediate(self) -> bool:
        """BEGIN IMMEDIATE right now if the write lock is free; False (nothing done) if not.

        For SQLAlchemy's begin event, which runs outside a coroutine: when this says False
        the caller begins through a cursor, which waits for the lock (`write_inline`).
        """
        self.busy_timeout_ms()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & _PRIMARY == sqlite3.SQLITE_BUSY:
                return False
            raise
        return True

    async def write_inline(self, write: Callable[[], Any]) -> Any:
        """Run `write` on the loop's thread without waiting there for SQLite's write lock.

        While another connection holds the lock, SQLITE_BUSY comes back at once with
        nothing changed; the write is tried again after an asyncio sleep, until the
        connection's busy timeout has passed (then the error is raised, as SQLite's own
        wait would). A stale snapshot (SQLITE_BUSY_SNAPSHOT) is raised at once: waiting
        cannot fix it — unless no transaction was open: then the snapshot was the
        statement's own (e.g. BEGIN IMMEDIATE's), and the next try takes a fresh one.
        """
        connection = self._conn
        timeout_ms = self.busy_timeout_ms()
        fresh_snapshot = not connection.in_transaction
        deadline: float | None = None
        pause = 0.0
        while True:
            try:
                return write()
            except sqlite3.OperationalError as exc:
                code = exc.sqlite_errorcode
                stale = code == sqlite3.SQLITE_BUSY_SNAPSHOT and not fresh_snapshot
                if code & _PRIMARY != sqlite3.SQLITE_BUSY or stale:
                    raise
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + timeout_ms / 1000
                if now >= deadline:
                    raise
            await asyncio.sleep(pause)  # the first try again only lets the loop run
            pause = min(max(pause * 2, 0.0005), _LONGEST_PAUSE)

    async def commit(self) -> None:
        """Commit on the loop's thread (see `write_inline`); checkpoint on the worker.

        In WAL mode a commit appends the transaction's pages to the log (no fsync with
        synchronous=NORMAL); the checkpoint that copies them back runs on the worker.
        """
        connection = self._connection
        if connection is None:
            await super().commit()
            return
        if not connection.in_transaction:
            return  # sqlite3 would do nothing either
        await self.write_inline(connection.commit)
        self._commits += 1
        changes = connection.total_changes - self._changes_at_checkpoint
        if self._commits >= CHECKPOINT_COMMITS or changes >= CHECKPOINT_CHANGES:
            await self.checkpoint()

    async def checkpoint(self) -> None:
        """Copy the write-ahead log back into the database, on the worker thread."""
        connection = self._conn
        await self._execute(lambda: connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall())
        self._commits, self._changes_at_checkpoint = 0, connection.total_changes

    async def rollback(self) -> None:
        """Roll back, unless no transaction is open.

        SQLAlchemy's pool rolls back every connection it takes back, even right after a
        commit; asking SQLite whether a transaction is open costs no thread hop.
        """
        if self._connection is not None and not self._connection.in_transaction:
            return
        await super().rollback()


def connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """An `async_creator` for SQLAlchemy's aiosqlite dialect opening `database`."""

    async def create() -> Connection:
        # Small statements run on the event loop's thread, the rest on the worker's
        # (never both at once: SQLAlchemy awaits each call), so the connection is shared.
        kwargs.setdefault("check_same_thread", False)
        connection = Connection(partial(sqlite3.connect, database, **kwargs), 64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's thread
        await connection  # starts the worker thread and opens the database
        # Checkpoints run on the worker (Connection.commit), not inside an inline commit.
        await connection.execute("PRAGMA wal_autocheckpoint = 0")
        return connection

    return create
