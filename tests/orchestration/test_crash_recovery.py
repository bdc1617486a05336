"""A killed run never blocks later runs (issue #15, item 4).

After ``kill -9`` of `make run` the run stayed STARTED and kept its `duckdb` pool slot: the next run waited for
that slot forever. `make run` now marks such runs failed and frees their slots when it starts, and stops cleanly
on SIGTERM / SIGINT. The real test kills a real run (job ``land``, a few seconds) in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.recovery import (
    HOST_TAG,
    MAKE_RUN_TRIGGER,
    PID_START_TAG,
    PID_TAG,
    make_run_lock,
    process_alive,
    process_tags,
    recover_dead_runs,
)
from orchestration.setup_home import ensure_dagster_home

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]

RUNNER = textwrap.dedent(
    """
    import sys
    from orchestration.run_all import run_everything
    from orchestration.setup_home import ensure_dagster_home
    ensure_dagster_home()
    sys.exit(0 if run_everything("land") else 1)
    """
)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    ensure_dagster_home()
    return tmp_path / "dagster_home"


def _started_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> str:
    """A run left STARTED that holds the duckdb slot, as a killed process leaves it."""
    run = instance.create_run_for_job(dg.GraphDefinition(name="g", node_defs=[]).to_job(), tags=tags)
    instance.handle_run_event(
        run.run_id,
        dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name),
    )
    storage = instance.event_log_storage
    if storage.get_concurrency_info("duckdb").slot_count == 0:
        storage.initialize_concurrency_limit_to_default("duckdb")
    claim = storage.claim_concurrency_slot("duckdb", run.run_id, "step")
    assert claim.is_claimed
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED
    return run.run_id


def test_process_tags_tell_a_live_process_from_a_dead_one():
    tags = process_tags()
    assert process_alive(int(tags[PID_TAG]), tags[PID_START_TAG])
    assert not process_alive(_dead_pid())
    # the same id with another start time: a reused id, not our process
    assert not process_alive(os.getpid(), "1")


def test_a_run_whose_process_is_gone_is_failed_and_its_slot_freed(home):
    with dg.DagsterInstance.get() as instance:
        instance.event_log_storage.set_concurrency_slots("duckdb", 10)  # room for the several runs below
        dead = _started_run(instance, {PID_TAG: str(_dead_pid()), HOST_TAG: process_tags()[HOST_TAG]})
        alive = _started_run(instance, process_tags())
        old_make_run = _started_run(instance, {"trigger": MAKE_RUN_TRIGGER})  # before pid tags existed
        daemon_run = _started_run(instance, {})  # launched by the daemon: run monitoring's business
        lines: list[str] = []
        recovered = recover_dead_runs(instance, make_run_lock_held=True, log=lines.append)
        assert sorted(recovered) == sorted([dead, old_make_run])
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive).status == dg.DagsterRunStatus.STARTED
        assert instance.get_run_by_id(daemon_run).status == dg.DagsterRunStatus.STARTED
        holders = instance.event_log_storage.get_concurrency_run_ids()
        assert dead not in holders and old_make_run not in holders and alive in holders
        assert any("marked failed" in line and dead in line for line in lines)
        # without the make-run lock, a make-run run with no pid might still be running: left alone
        other = _started_run(instance, {"trigger": MAKE_RUN_TRIGGER})
        assert recover_dead_runs(instance, make_run_lock_held=False, log=lines.append) == []
        assert instance.get_run_by_id(other).status == dg.DagsterRunStatus.STARTED


def test_make_run_lock_is_exclusive(home):
    with make_run_lock(home) as first:
        assert first
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from orchestration.recovery import make_run_lock\n"
                f"with make_run_lock(Path({str(home)!r}), wait=False) as got: sys.exit(0 if not got else 3)",
            ],
            check=False,
        )
        assert probe.returncode == 0


def _env(root: Path, landing: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "TRITHUC_WAREHOUSE": str(root / "trithuc.duckdb"),
        "TRITHUC_LANDING": str(landing),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _slot_holder(instance: dg.DagsterInstance) -> str | None:
    info = instance.event_log_storage.get_concurrency_info("duckdb")
    return next(iter(info.active_run_ids), None)


@pytest.fixture
def tiny(sample_submissions, dbt_manifest, tmp_path, monkeypatch):
    landing_src, _ = sample_submissions
    landing = tmp_path / "landing"
    shutil.copytree(landing_src, landing)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    ensure_dagster_home()
    return tmp_path, landing


def test_after_sigkill_mid_run_the_next_run_completes(tiny):
    root, landing = tiny
    env = _env(root, landing)
    cwd = Path(__file__).resolve().parents[2]
    first = subprocess.Popen([sys.executable, "-c", RUNNER], env=env, cwd=cwd)
    try:
        with dg.DagsterInstance.get() as instance:
            victim = _wait(lambda: _slot_holder(instance), 45, "the first run to hold the duckdb slot")
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
            # what kill -9 leaves behind: a STARTED run holding the slot
            assert instance.get_run_by_id(victim).status == dg.DagsterRunStatus.STARTED
            assert _slot_holder(instance) == victim
    finally:
        if first.poll() is None:
            first.kill()
    second = subprocess.run(
        [sys.executable, "-c", RUNNER], env=env, cwd=cwd, capture_output=True, text=True, timeout=90
    )
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert f"Run {victim} was interrupted" in second.stdout
    assert "SUCCESS" in second.stdout
    with dg.DagsterInstance.get() as instance:
        assert instance.get_run_by_id(victim).status == dg.DagsterRunStatus.FAILURE
        assert _slot_holder(instance) is None


def test_sigterm_stops_a_run_waiting_for_its_slot(tiny):
    """The case that used to spin at 100 % CPU ignoring signals: a run blocked by the pool limit."""
    root, landing = tiny
    env = _env(root, landing)
    cwd = Path(__file__).resolve().parents[2]
    with dg.DagsterInstance.get() as instance:
        blocker = _started_run(instance, process_tags())  # alive (this process): never recovered
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER], env=env, cwd=cwd, stdout=subprocess.PIPE, text=True
        )
        try:
            blocked = _wait(
                lambda: next(
                    (
                        r.dagster_run.run_id
                        for r in instance.get_run_records(
                            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])
                        )
                        if r.dagster_run.run_id != blocker
                    ),
                    None,
                ),
                45,
                "the second run to start",
            )
            time.sleep(1.0)  # now waiting for the slot
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 128 + signal.SIGTERM, out
        assert "Stopped by SIGTERM" in out
        assert instance.get_run_by_id(blocked).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(blocker).status == dg.DagsterRunStatus.STARTED
