"""The opt-in event log (TRITHUC_POOLED_EVENT_LOG=1 names it in the generated dagster.yaml): Dagster's SQLite
storage with its connections kept open. It must record what the stock storage records, in files the stock storage
(webserver, daemon) reads. Off by default: see test_setup_home.py."""

from __future__ import annotations

import inspect

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

import settings
from orchestration import dagster_storage, setup_home
from orchestration.dagster_storage import PooledSqliteEventLogStorage


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="numbers", blocking=True)])
def numbers():
    yield dg.MaterializeResult(metadata={"n": 3})
    yield dg.AssetCheckResult(check_name="positive", passed=True, metadata={"min": 1})


@dg.asset(deps=[numbers])
def total():
    return None


@dg.asset_check(asset=total)
def total_is_small():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


JOB = dg.Definitions(
    assets=[numbers, total], asset_checks=[total_is_small], jobs=[dg.define_asset_job("small", selection="*")]
).resolve_job_def("small")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv(settings.POOLED_EVENT_LOG_ENV, "1")
    return setup_home.ensure_dagster_home()


def _event_types(storage, run_id: str) -> list[str]:
    return [r.event_log_entry.dagster_event_type for r in storage.get_records_for_run(run_id, limit=10_000).records]


def test_generated_instance_uses_it_and_the_stock_storage_reads_every_event(home):
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = JOB.execute_in_process(instance=instance, raise_on_error=False)
        assert result.success
        written = _event_types(instance.event_log_storage, result.run_id)
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("total"), "total_is_small")]
        )
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))
    assert _event_types(stock, result.run_id) == written
    assert written.count("ASSET_MATERIALIZATION") == 2
    assert written.count("ASSET_CHECK_EVALUATION") == 2
    # the cross-run index the UI's asset pages read (latest materialization, check history)
    assert stock.get_latest_materialization_events([dg.AssetKey("numbers")])[dg.AssetKey("numbers")] is not None
    key = dg.AssetCheckKey(dg.AssetKey("total"), "total_is_small")
    assert check[key].status.value == "FAILED"  # recorded as run and not passed (severity WARN)
    assert stock.get_asset_check_execution_history(key, limit=5)[0].run_id == result.run_id


def test_open_files_are_bounded_and_closed_on_dispose(home):
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        runs = [JOB.execute_in_process(instance=instance).run_id for _ in range(dagster_storage.RUN_SHARDS_KEPT_OPEN + 2)]
        shards = list(storage._engines)
        assert "index" in shards
        assert [s for s in shards if s != "index"] == runs[-dagster_storage.RUN_SHARDS_KEPT_OPEN :]
        # an evicted run's file is still written and read (a late event, the UI opening an old run)
        assert _event_types(storage, runs[0])[-1] == "PIPELINE_SUCCESS"
    assert storage._engines == {}


def test_wipe_removes_runs_and_leaves_a_working_storage(home):
    with dg.DagsterInstance.from_config(str(home)) as instance:
        first = JOB.execute_in_process(instance=instance).run_id
        instance.event_log_storage.wipe()
        assert _event_types(instance.event_log_storage, first) == []
        second = JOB.execute_in_process(instance=instance).run_id
        assert "PIPELINE_SUCCESS" in _event_types(instance.event_log_storage, second)


def test_the_private_dagster_methods_it_replaces_are_still_there():
    """dagster is pinned; if an upgrade renames or reshapes these, the subclass silently stops saving time (or
    breaks): look again at sqlite_event_log.py and adapt dagster_storage.py."""
    assert list(inspect.signature(SqliteEventLogStorage._connect).parameters) == ["self", "shard"]
    assert list(inspect.signature(SqliteEventLogStorage.has_table).parameters) == ["self", "table_name"]
    source = inspect.getsource(SqliteEventLogStorage)
    for name in ("self._db_lock", "self._initialized_dbs", "def _initdb(", "def conn_string_for_shard("):
        assert name in source
    assert "self._connect(" in inspect.getsource(SqliteEventLogStorage.run_connection)
    assert "self._connect(" in inspect.getsource(SqliteEventLogStorage.index_connection)
