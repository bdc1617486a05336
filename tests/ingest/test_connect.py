"""A run waits (bounded) for a lock another process holds on the warehouse file, naming the holder."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.connect import WarehouseLocked, connect_warehouse

_HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
    "time.sleep(float(sys.argv[2])); c.close()"
)


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process (an analyst's SQL tool) holding the file open for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_the_run_waits_for_a_lock_and_names_its_holder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "trithuc.duckdb"
    duckdb.connect(str(path)).close()
    holder = _hold(path, 2.0)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="ingest.connect"):
        con = connect_warehouse(path, wait_seconds=60)
    try:
        assert con.execute("select 1").fetchone() == (1,)
    finally:
        con.close()
        holder.wait(timeout=30)
    assert time.monotonic() - started >= 1.0  # it waited for the release
    assert f"process {holder.pid}" in caplog.text  # and said who held the file


def test_a_lock_that_outlives_the_wait_fails_with_the_holder_named(tmp_path: Path) -> None:
    path = tmp_path / "trithuc.duckdb"
    duckdb.connect(str(path)).close()
    holder = _hold(path, 30.0)
    try:
        with pytest.raises(WarehouseLocked, match=rf"locked by process {holder.pid}.*published snapshot"):
            connect_warehouse(path, wait_seconds=1.0)
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise duckdb.IOException("IO Error: Cannot open file: Permission denied")

    with pytest.raises(duckdb.IOException, match="Permission denied"):
        connect_warehouse(tmp_path / "x.duckdb", connect=broken, sleep=lambda s: None)
    assert len(calls) == 1
