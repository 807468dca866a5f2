"""aiosqlite with one thread hop per statement instead of four.

aiosqlite runs each sqlite3 call on its worker thread; SQLAlchemy's adapter makes four
such calls per statement (create cursor, execute, fetch, close), and under load each hop
costs far more than the indexed query itself. Here the cursor is created lazily in the
worker, and `execute` returns the first rows with it, so a small query is one hop.
Larger results are still fetched in chunks (memory stays bounded for streamed reads),
and a cursor closed before its rows are exhausted is closed in the worker, releasing
SQLite's read snapshot.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Generator, Iterable
from functools import partial
from typing import Any

import aiosqlite

PREFETCH_ROWS = 256


class BufferedCursor(aiosqlite.Cursor):
    """An aiosqlite cursor whose `execute` also fetches the first PREFETCH_ROWS rows."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn = conn
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
            return cursor, step(cursor)

        self._cursor, result = await self._conn._execute(in_worker)
        return result

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> BufferedCursor:
        """Run one statement and bring back its first rows in the same hop."""

        def step(cursor: sqlite3.Cursor) -> list[Any]:
            cursor.execute(sql, parameters if parameters is not None else ())  # type: ignore[arg-type]
            return cursor.fetchmany(PREFETCH_ROWS) if cursor.description else []

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
    """An aiosqlite connection whose cursors are BufferedCursors."""

    def cursor(self) -> BufferedCursor:  # type: ignore[override]
        """A cursor; nothing runs until `execute`."""
        return BufferedCursor(self)

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
        connection = Connection(partial(sqlite3.connect, database, **kwargs), 64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's thread
        await connection  # starts the worker thread and opens the database
        return connection

    return create
