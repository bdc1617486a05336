"""Open the pipeline's DuckDB file, waiting (bounded) while another process holds its lock.

DuckDB lets one process write a file. Someone who opens the pipeline's file directly (a SQL tool left open, a
script) makes the next run fail at its first connection with "Conflicting lock is held". Readers are meant to use
the published snapshot (`published/trithuc.duckdb`); when one does not, the run waits with backoff, says who holds
the lock (DuckDB names the process and its PID), and fails with that message only if the lock outlives the wait.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from ingest.private_files import make_private, private_dir
from settings import RESTRICTED_CATALOG, lock_wait_seconds, restricted_path

__all__ = [
    "WarehouseLocked",
    "attach_restricted",
    "connect_warehouse",
    "ensure_restricted_store",
    "open_warehouse",
]

log = logging.getLogger(__name__)

_LOCK_RE = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)", re.IGNORECASE)


class WarehouseLocked(RuntimeError):
    """The file stayed locked by another process for the whole wait."""


def _holder(message: str) -> str:
    found = _LOCK_RE.search(message)
    if not found:
        return "another process"
    return f"process {found.group('pid')} ({Path(found.group('program')).name})"


def connect_warehouse(
    path: Path,
    read_only: bool = False,
    *,
    wait_seconds: float | None = None,
    connect: Callable[..., duckdb.DuckDBPyConnection] = duckdb.connect,
    sleep: Callable[[float], None] = time.sleep,
    config: dict | None = None,
) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect(path, read_only)``, retried with backoff (0.5 s, doubling to 15 s) while the file's lock is
    held by another process, for at most ``wait_seconds`` (default: :func:`lock_wait_seconds`)."""
    budget = lock_wait_seconds() if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + budget
    delay = 0.5
    attempt = 0
    while True:
        attempt += 1
        try:
            return connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise
            holder = _holder(message)
            left = deadline - time.monotonic()
            if left <= 0:
                raise WarehouseLocked(
                    f"The warehouse file {path.name} is locked by {holder} (a SQL tool or script holding it open?); "
                    f"waited {budget:.0f} s. Close it — readers should open the published snapshot instead — and "
                    "run again."
                ) from exc
            log.warning(
                "warehouse file %s is locked by %s; waiting %.1f s (attempt %d, up to %.0f s more)",
                path.name, holder, min(delay, left), attempt, left,
            )
            sleep(min(delay, left))
            delay = min(delay * 2, 15.0)



def ensure_restricted_store(path: Path) -> Path:
    """Create the restricted store if missing: its folder mode 0700, the file (and its write-ahead log) 0600.

    DuckDB creates a database file with the process's umask (0644 as a rule) and cannot open an empty file, so the
    file is made by DuckDB inside the 0700 folder, where nobody else can reach it, and its mode set right after.
    Modes found wider on an existing store are narrowed again."""
    path = Path(path)
    private_dir(path.parent)
    if not path.exists():
        duckdb.connect(str(path)).close()
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            make_private(p)
    return path


def attach_restricted(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool = False) -> bool:
    """Attach the restricted store as catalog ``pii`` (its tables read ``pii.persons``, ``pii.raw_persons``).

    A writer creates the store if missing (:func:`ensure_restricted_store`); a reader attaches it read-only when it
    exists and returns False when it does not (a fresh warehouse)."""
    path = Path(path)
    if read_only:
        if not path.exists():
            return False
    else:
        ensure_restricted_store(path)
    mode = " (read_only)" if read_only else ""
    con.execute(f"attach if not exists ? as {RESTRICTED_CATALOG}{mode}", [str(path)])
    return True


def open_warehouse(
    warehouse: Path,
    read_only: bool = False,
    *,
    restricted: bool = True,
    wait_seconds: float | None = None,
    config: dict | None = None,
) -> duckdb.DuckDBPyConnection:
    """The analytics file, with the restricted store attached as ``pii`` (``restricted=False``: without it).

    Waits like :func:`connect_warehouse` while either file is locked by another process. For the pipeline and for
    quality officers' tools: readers of the marts open the published snapshot instead."""
    store = restricted_path(Path(warehouse))

    def _open(path: str, read_only: bool = False, config: dict | None = None) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(path, read_only=read_only, config=config or {})
        try:
            if restricted:
                attach_restricted(con, store, read_only=read_only)
        except BaseException:
            con.close()
            raise
        return con

    return connect_warehouse(Path(warehouse), read_only, wait_seconds=wait_seconds, connect=_open, config=config)
