"""Opt-in: Dagster's SQLite event log with its database connections kept open. Off by default; with
``TRITHUC_POOLED_EVENT_LOG=1`` orchestration/setup_home.py names it in $DAGSTER_HOME/dagster.yaml.

A run records about 1,200 events (a materialization and a check result each make three or four writes). Dagster's
stock ``SqliteEventLogStorage`` builds a new SQLAlchemy engine for every write and throws it away: each write
compiles its SQL again (the compiled-statement cache lives on the engine), opens the SQLite file, and on close
checkpoints its write-ahead log. That costs 10-13 ms per check result on this machine, about 10 s of a run.

This subclass keeps one engine per database file, with a pool holding one open connection: the same files, the
same tables, the same WAL mode and busy timeout, so the webserver and the daemon (which may use the stock class)
read what it writes. Engines of run files are kept for the few most recent runs only, so a long-lived daemon does
not collect open files; ``wipe``, ``upgrade`` and ``dispose`` close them all first.

It subclasses a private Dagster class and overrides ``_connect`` and ``has_table`` (dagster 1.13, pinned), which is
why it is off by default (STYLE.md 15: public APIs only, private ones opt-in and guarded by a test):
tests/orchestration/test_dagster_storage.py fails if an upgrade changes them, so the saving is not lost silently.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

RUN_SHARDS_KEPT_OPEN = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that reuses one engine (one open connection) per SQLite file."""

    def __init__(self, base_dir: str, inst_data: Any = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_seen: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Any) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                pool_size=1,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            self._engines[shard] = engine
            run_shards = [s for s in self._engines if s != INDEX_SHARD_NAME]
            for old in run_shards[:-RUN_SHARDS_KEPT_OPEN]:
                self._engines.pop(old).dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # As the stock method, under the storage's lock; only the engine outlives the call.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def has_table(self, table_name: str) -> bool:
        # Asked before most asset-check writes, each time with an engine of its own; a table, once there, stays.
        if table_name in self._tables_seen:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_seen.add(table_name)
        return found

    def close_connections(self) -> None:
        with self._engines_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self.close_connections()
        self._tables_seen = set()
        super().wipe()

    def upgrade(self) -> None:
        self.close_connections()
        super().upgrade()

    def dispose(self) -> None:
        self.close_connections()
        super().dispose()
