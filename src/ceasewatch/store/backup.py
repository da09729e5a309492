"""A consistent copy of the store while it is in use.

SQLite: the online backup API copies a snapshot page by page while others read and
write; the copy is then checked (``PRAGMA integrity_check``). PostgreSQL: ``pg_dump``
(one transaction, so consistent) in its custom format, for ``pg_restore``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from ceasewatch.errors import UsageError


def backup(url: str, target: Path) -> Path:
    parsed = make_url(url)
    if target.exists() and target.is_dir():
        raise UsageError(f"{target} is a folder — name the backup file")
    if not target.parent.exists():
        raise UsageError(f"folder {target.parent} does not exist — create it first")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(parsed.database or "", target)
    if parsed.get_backend_name() == "postgresql":
        return _postgres(url, target)
    raise UsageError(f"cannot back up a {parsed.get_backend_name()} store")


def _sqlite(database: str, target: Path) -> Path:
    if Path(database).resolve() == target.resolve():
        raise UsageError("the backup file is the store itself — name another file")
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        with dst:
            src.backup(dst, pages=1024)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":  # pragma: no cover - a broken copy is not kept
            raise UsageError(f"the copy failed its integrity check: {ok}")
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    tmp.replace(target)
    return target


def _postgres(url: str, target: Path) -> Path:
    tool = shutil.which("pg_dump")
    if tool is None:
        raise UsageError(
            "backing up PostgreSQL needs pg_dump (Debian: apt-get install postgresql-client) — "
            "or back up with your usual PostgreSQL tools"
        )
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [tool, "--format=custom", "--file", str(target), "--dbname", libpq],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise UsageError(f"pg_dump failed: {done.stderr.strip()}")
    return target
