"""Developer tool: autogenerate the next Alembic migration from the models.

    .venv/bin/python scripts/new_migration.py "add shipment region"

Upgrades a scratch SQLite database to head, diffs it against `core.storage.models`, and writes
`core/storage/migrations/versions/NNNN_<slug>.py` with revision id NNNN.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from core.storage.db import build_engine
from core.storage.schema import MIGRATIONS, alembic_config


async def main(message: str) -> None:
    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head() or "0000"
    revision = f"{int(head) + 1:04d}"
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    with tempfile.TemporaryDirectory() as scratch:
        engine = build_engine(f"sqlite+aiosqlite:///{scratch}/scratch.db")

        def generate(connection) -> None:  # type: ignore[no-untyped-def]
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=revision)

        async with engine.begin() as connection:
            await connection.run_sync(generate)
        await engine.dispose()
    for path in (MIGRATIONS / "versions").glob(f"{revision}_*.py"):
        path.rename(path.with_name(f"{revision}_{slug}.py"))
    written = f"core/storage/migrations/versions/{revision}_{slug}.py"
    print(f"wrote {written} — review it before committing")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    asyncio.run(main(" ".join(sys.argv[1:]) or "change"))
