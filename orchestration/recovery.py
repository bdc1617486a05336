"""Runs whose process died: mark them failed and give their `duckdb` pool slot back.

Why: after ``kill -9`` of `make run` (or a crash of the machine), Dagster's storage still says the run is STARTED
and the run still holds its slot of the ``duckdb`` pool (limit 1). Nothing ever releases it, so every later run
waits for that slot forever ("Step blocked by limit for pool duckdb"). No process can finish that run, so we
finish it: it is reported failed, with a line saying why, and its slots are freed.

How a run's process is known to be gone:

* `make run` records its process id, the process's start time (so a reused id is not taken for the same process)
  and the host in the run's tags (``process_tags``), and holds ``make_run.lock`` in $DAGSTER_HOME while it runs.
  A run with those tags whose process no longer exists on this host is dead.
* A run started by `make run` before these tags existed (tag ``trigger: make run``, no process id) is dead when
  ``make_run.lock`` can be taken: no `make run` is alive to be running it.
* Runs launched by `make dev`'s daemon are watched by Dagster's own run monitoring (enabled in the dagster.yaml
  that orchestration/setup_home.py writes): start and run-time limits, and slots freed after a run ends.

Only Dagster's public instance API is used: ``get_run_records``, ``report_run_failed`` and the event log's
``free_concurrency_slots_for_run`` / ``get_concurrency_run_ids``.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

PID_TAG = "trithuc/pid"
PID_START_TAG = "trithuc/pid_started"
HOST_TAG = "trithuc/host"
TRIGGER_TAG = "trigger"
MAKE_RUN_TRIGGER = "make run"
LOCK_NAME = "make_run.lock"
UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


def _process_start(pid: int) -> str:
    """The start time of process ``pid`` in clock ticks since boot (Linux /proc), or '' where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # the command name (field 2) is in parentheses and may hold spaces: split after its closing one
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Tags that let a later run tell whether this process is still alive."""
    pid = pid or os.getpid()
    return {PID_TAG: str(pid), PID_START_TAG: _process_start(pid), HOST_TAG: socket.gethostname()}


def process_alive(pid: int, started: str = "") -> bool:
    """True while process ``pid`` exists and (where its start time was recorded) is the same process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if started:
        now = _process_start(pid)
        if now and now != started:
            return False  # the id was reused by another process
    return True


def lock_path(home: Path | None = None) -> Path:
    from orchestration.setup_home import dagster_home

    return (home or dagster_home()) / LOCK_NAME


@contextmanager
def make_run_lock(
    home: Path | None = None, *, wait: bool = True, log: Callable[[str], None] = print
) -> Iterator[bool]:
    """Hold $DAGSTER_HOME/make_run.lock: one `make run` at a time. Yields False when ``wait`` is off and another
    process holds it. The lock goes with the process, however it ends (kill -9 included)."""
    path = lock_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            log(
                "Một lượt `make run` khác đang chạy: chờ nó xong ... / "
                "Another `make run` is in progress: waiting for it to finish ..."
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def dead_reason(run: dg.DagsterRun, *, make_run_lock_held: bool) -> str | None:
    """Why ``run`` (unfinished in storage) can no longer be running, or None when it may be alive."""
    tags = run.tags
    pid = tags.get(PID_TAG)
    if pid and pid.isdigit():
        if tags.get(HOST_TAG) not in (None, "", socket.gethostname()):
            return None  # another machine's process: not ours to judge
        if not process_alive(int(pid), tags.get(PID_START_TAG, "")):
            return f"its process {pid} is gone"
        return None
    if tags.get(TRIGGER_TAG) == MAKE_RUN_TRIGGER and make_run_lock_held:
        return "it was started by `make run` and no `make run` is running"
    return None


def recover_dead_runs(
    instance: dg.DagsterInstance,
    *,
    make_run_lock_held: bool,
    log: Callable[[str], None] = print,
) -> list[str]:
    """Mark every unfinished run of this instance whose process is gone as failed and free its pool slots; also
    free slots still held by runs that have finished. Returns the ids of the runs marked failed."""
    recovered: list[str] = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        reason = dead_reason(run, make_run_lock_held=make_run_lock_held)
        if reason is None:
            continue
        message = (
            f"Lượt chạy {run.run_id} bị dừng đột ngột ({reason}): đánh dấu thất bại, trả lại chỗ trong pool duckdb. / "
            f"Run {run.run_id} was interrupted ({reason}): marked failed, its duckdb pool slots freed."
        )
        instance.report_run_failed(run, message=message)
        _free_slots(instance, run.run_id)
        recovered.append(run.run_id)
        log(message)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        holding = set(storage.get_concurrency_run_ids()) - set(recovered)
        if holding:
            for record in instance.get_run_records(
                filters=dg.RunsFilter(run_ids=sorted(holding), statuses=FINISHED)
            ):
                _free_slots(instance, record.dagster_run.run_id)
                log(f"Run {record.dagster_run.run_id} had finished but still held pool slots: freed.")
    return recovered


def fail_run(instance: dg.DagsterInstance, run_id: str, message: str) -> bool:
    """Mark ``run_id`` failed with ``message`` and free its slots, if it exists and has not finished."""
    run = instance.get_run_by_id(run_id)
    if run is None or run.status in FINISHED:
        if run is not None:
            _free_slots(instance, run_id)
        return False
    instance.report_run_failed(run, message=message)
    _free_slots(instance, run_id)
    return True


def _free_slots(instance: dg.DagsterInstance, run_id: str) -> None:
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        storage.free_concurrency_slots_for_run(run_id)
