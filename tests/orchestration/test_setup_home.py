"""Housekeeping of the dbt project folder: parse only when needed (and again when the warehouse, so dbt's profile,
changed); old per-run target folders of dagster-dbt pruned."""

from __future__ import annotations

import os
import time

import pytest

from orchestration import setup_home


@pytest.fixture
def project(tmp_path, monkeypatch):
    project = tmp_path / "dbt_project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "m.sql").write_text("select 1")
    (project / "target").mkdir()
    past = time.time() - 60
    os.utime(project / "models" / "m.sql", (past, past))
    calls: list[str] = []

    def fake_run(cmd, check, env):
        calls.append(env["TRITHUC_WAREHOUSE"])
        (project / "target" / "manifest.json").write_text("{}")

    monkeypatch.setattr(setup_home, "DBT_PROJECT_DIR", project)
    monkeypatch.setattr(setup_home.subprocess, "run", fake_run)
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(tmp_path / "a.duckdb"))
    return project, calls


def test_a_fresh_manifest_is_not_parsed_again(project):
    root, calls = project
    setup_home.prepare_dbt_manifest()
    assert len(calls) == 1  # no manifest yet
    setup_home.prepare_dbt_manifest()
    setup_home.prepare_dbt_manifest(for_this_warehouse=True)
    assert len(calls) == 1


def test_make_run_parses_again_for_another_warehouse(project, tmp_path, monkeypatch):
    root, calls = project
    setup_home.prepare_dbt_manifest(for_this_warehouse=True)
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(tmp_path / "b.duckdb"))
    setup_home.prepare_dbt_manifest()  # tests and tools that only need a manifest: not again
    assert calls == [str(tmp_path / "a.duckdb")]
    setup_home.prepare_dbt_manifest(for_this_warehouse=True)
    assert calls == [str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")]


def test_a_changed_model_is_parsed_again(project):
    root, calls = project
    setup_home.prepare_dbt_manifest()
    future = time.time() + 60
    os.utime(root / "models" / "m.sql", (future, future))
    setup_home.prepare_dbt_manifest()
    assert len(calls) == 2


def test_old_dbt_run_targets_are_pruned(tmp_path):
    from orchestration.defs.dbt.assets import prune_run_targets

    for i in range(14):
        run = tmp_path / f"trithuc_dbt_assets-{i:07d}-abc"
        run.mkdir()
        (run / "run_results.json").write_text("{}")
        os.utime(run, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "other-run").mkdir()
    removed = prune_run_targets(tmp_path, "trithuc_dbt_assets-", keep=10)
    assert sorted(p.name for p in removed) == [f"trithuc_dbt_assets-{i:07d}-abc" for i in range(4)]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len([n for n in left if n.startswith("trithuc_dbt_assets-")]) == 10
    assert "manifest.json" in left and "other-run" in left


def test_dagster_yaml_enables_run_monitoring(tmp_path, monkeypatch):
    """Issue #15: `make dev`'s daemon fails runs that never start or run far too long and frees the pool slots of
    finished runs; the instance must accept the settings."""
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    setup_home.ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
        assert instance.run_monitoring_settings["max_runtime_seconds"] > 0


def test_two_processes_asking_for_a_stale_manifest_parse_it_once(tmp_path, monkeypatch):
    """pytest workers (or a run and the UI) found target/manifest.json stale together and both ran `dbt parse` into
    it: neither could read the result. The second now waits for the first and finds its manifest fresh."""
    import threading
    import time

    import orchestration.setup_home as setup_home

    project = tmp_path / "dbt_project"
    (project / "target").mkdir(parents=True)
    monkeypatch.setattr(setup_home, "DBT_PROJECT_DIR", project)
    monkeypatch.setattr(setup_home, "_newest_project_file", lambda: 1.0)  # any manifest written now is fresh
    parses = []

    def slow_parse(warehouse: str) -> None:
        parses.append(warehouse)
        time.sleep(0.3)
        (project / "target" / "manifest.json").write_text("{}", encoding="utf-8")

    monkeypatch.setattr(setup_home, "_parse", slow_parse)
    workers = [threading.Thread(target=setup_home.prepare_dbt_manifest) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(parses) == 1


def test_dagster_yaml_names_only_public_stock_storage(tmp_path, monkeypatch):
    """Issue #18: no private internals of libraries. dagster.yaml names Dagster's own SQLite storage with public
    settings only, in its usual places."""
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    home = setup_home.ensure_dagster_home()
    text = (home / "dagster.yaml").read_text()
    assert "dagster._" not in text and "orchestration.dagster_storage" not in text
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage).__module__.startswith("dagster.")
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert instance.run_storage.get_runs() == []
    assert (home / "history" / "runs.db").exists()  # Dagster's usual places: runs.db, runs/, schedules/
    assert (home / "schedules").is_dir()


def test_setup_creates_dagster_storage_so_the_servers_of_dagster_dev_only_open_it(tmp_path, monkeypatch):
    """`dagster dev`'s webserver, daemon and code server, started together on a fresh $DAGSTER_HOME, each created
    the SQLite databases and stamped their schema version; two at once left two versions stamped and the daemon
    never started (dagster-io/dagster#27390; seen on `make bench`'s sensor run). Setup now creates them first: one
    version each, and three processes opening the instance together afterwards all succeed and stamp nothing."""
    import sqlite3
    import subprocess
    import sys

    home = tmp_path / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    setup_home.ensure_dagster_home()

    def stamped() -> dict[str, list]:
        found = {}
        for db in sorted(home.rglob("*.db")):
            with sqlite3.connect(db) as con:
                found[db.name] = con.execute("select version_num from alembic_version").fetchall()
        return found

    before = stamped()
    assert {"runs.db", "index.db", "schedules.db"} <= set(before)
    assert all(len(versions) == 1 for versions in before.values()), before
    opening = "import dagster as dg\nwith dg.DagsterInstance.get() as i:\n    i.get_runs()\n"
    servers = [
        subprocess.Popen([sys.executable, "-c", opening], env={**os.environ, "DAGSTER_HOME": str(home)},
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in servers]
    assert [p.returncode for p in servers] == [0, 0, 0], errors
    assert stamped() == before
