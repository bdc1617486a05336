"""Open the pipeline's DuckDB file, waiting (bounded) while another process holds its lock.

DuckDB lets one process write a file. Someone who opens the pipeline's file directly (a SQL tool left open, a
script) makes the next run fail at its first connection with "Conflicting lock is held". Readers are meant to use
the published snapshot (`published/trithuc.duckdb`); when one does not, the run waits with backoff, says who holds
the lock (DuckDB names the process and its PID), and fails with that message only if the lock outlives the wait.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

__all__ = ["WarehouseLocked", "connect_warehouse", "lock_wait_seconds"]

log = logging.getLogger(__name__)

_LOCK_RE = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)", re.IGNORECASE)
DEFAULT_WAIT_SECONDS = 300.0


class WarehouseLocked(RuntimeError):
    """The file stayed locked by another process for the whole wait."""


def lock_wait_seconds() -> float:
    """How long a run waits for a lock held by another process (``TRITHUC_LOCK_WAIT_SECONDS``, default 300)."""
    try:
        return max(0.0, float(os.environ.get("TRITHUC_LOCK_WAIT_SECONDS", DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


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
