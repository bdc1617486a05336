"""Start a run when files arrive in, or change in, the landing zone."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import dagster as dg

from ingest.load import discover_files, discover_links
from settings import landing_path, sensor_interval_seconds


def landing_fingerprint(root: Path | None = None) -> tuple[str, int]:
    """A digest of (path, size, mtime) of every file in the landing zone, and the file count. Cheap: no reading."""
    root = landing_path() if root is None else Path(root)
    if not root.exists():
        return "", 0
    h = hashlib.sha256()
    files = discover_files(root)
    for p in files:
        st = p.stat()
        h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    # a symbolic link is never followed (lstat: the link itself), but it is a change to record as rejected
    for p in discover_links(root):
        st = p.lstat()
        h.update(f"link\0{p.relative_to(root).as_posix()}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest(), len(files)


# After a failed run of a change, ask again after these delays (from the failed run's end); then leave it to the
# 06:00 schedule. Without this the change was recorded as seen before its run, and a failure was never retried.
RETRY_BACKOFF_SECONDS = (5 * 60, 15 * 60, 60 * 60)
CHANGE_TAG = "trithuc/change"
ATTEMPT_TAG = "trithuc/attempt"
_FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


def _now() -> float:
    return time.time()


def _read_cursor(cursor: str | None) -> dict:
    """The sensor's state: {"digest", "attempt"}. Older cursors were the bare digest."""
    if not cursor:
        return {"digest": "", "attempt": 0}
    try:
        state = json.loads(cursor)
    except ValueError:
        return {"digest": cursor, "attempt": 0}
    if not isinstance(state, dict):
        return {"digest": cursor, "attempt": 0}
    return {"digest": str(state.get("digest", "")), "attempt": int(state.get("attempt", 0))}


def _cursor(digest: str, attempt: int) -> str:
    return json.dumps({"digest": digest, "attempt": attempt}, sort_keys=True)


def _period_tags() -> dict[str, str]:
    """The run publishes every period the landing zone holds (a partition range: one run)."""
    from orchestration.defs.partitions import landing_periods, period_range_tags

    return period_range_tags(landing_periods(landing_path()))


def _last_landed(instance: dg.DagsterInstance) -> str | None:
    """The landing-zone fingerprint the latest landing run loaded (metadata of the file manifest's latest
    materialization, written by land_submissions), whichever way it was started."""
    from orchestration.defs.ingest.assets import LANDING_DIGEST, MANIFEST_KEY

    event = instance.get_latest_materialization_event(MANIFEST_KEY)
    materialization = event.asset_materialization if event is not None else None
    value = materialization.metadata.get(LANDING_DIGEST) if materialization is not None else None
    return getattr(value, "value", value)


def _last_run(instance: dg.DagsterInstance, job_name: str):
    records = instance.get_run_records(filters=dg.RunsFilter(job_name=job_name), limit=1)
    return records[0] if records else None


def _recover_dead_runs(instance: dg.DagsterInstance, log) -> None:
    """Under `make dev`, also finish runs a killed `make run` left STARTED (they hold the duckdb slot and would
    block every run the daemon launches). Never fails the sensor."""
    from orchestration.recovery import make_run_lock, recover_dead_runs

    try:
        with make_run_lock(Path(instance.root_directory), wait=False) as no_make_run:
            recover_dead_runs(instance, make_run_lock_held=no_make_run, log=log.warning)
    except Exception as exc:  # noqa: BLE001 - recovery is best effort here; `make run` does it too
        log.warning(f"could not check for interrupted runs: {type(exc).__name__}: {exc}")


def evaluate_landing(context: dg.SensorEvaluationContext, job_name: str):
    """A new change: one run. The same change, whose last run failed: another run after 5 min, 15 min, 1 h (from
    the failed run's end), then nothing until the schedule. A run in progress or a success: nothing."""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:  # a context built in a test without an instance
        instance = None
    if instance is not None:
        _recover_dead_runs(instance, context.log)
    digest, count = landing_fingerprint()
    state = _read_cursor(context.cursor)
    if not digest:
        return dg.SkipReason("the landing zone is empty or missing")
    if not state["digest"] and instance is not None and digest == _last_landed(instance):
        # A sensor with no cursor yet (the first `make dev`) over files a run has landed already (`make run`):
        # start from there instead of running everything again.
        context.update_cursor(_cursor(digest, 0))
        return dg.SkipReason(f"these {count} files were landed by an earlier run: waiting for changes")
    periods = _period_tags()
    if digest != state["digest"]:
        context.update_cursor(_cursor(digest, 0))
        return dg.RunRequest(
            run_key=digest, tags={"trigger": "landing_zone", "files": str(count), CHANGE_TAG: digest, **periods}
        )
    last = _last_run(instance, job_name) if instance is not None else None
    if last is None or last.dagster_run.status not in _FAILED:
        if last is not None and last.dagster_run.status == dg.DagsterRunStatus.SUCCESS and state["attempt"]:
            context.update_cursor(
                _cursor(digest, 0)
            )  # a success: a later failure gets the full backoff again
        return dg.SkipReason(f"no change in the landing zone ({count} files)")
    attempt = state["attempt"]
    if attempt >= len(RETRY_BACKOFF_SECONDS):
        return dg.SkipReason(
            f"the last run ({last.dagster_run.run_id}) failed after {attempt} retries: "
            "left to the daily schedule (06:00)"
        )
    ended = last.end_time or last.update_timestamp.timestamp()
    due = ended + RETRY_BACKOFF_SECONDS[attempt]
    if _now() < due:
        return dg.SkipReason(
            f"the last run ({last.dagster_run.run_id}) failed: retry {attempt + 1} in {int(due - _now())} s"
        )
    context.update_cursor(_cursor(digest, attempt + 1))
    return dg.RunRequest(
        run_key=f"{digest}:retry-{attempt + 1}",
        tags={
            "trigger": "landing_zone_retry",
            "files": str(count),
            CHANGE_TAG: digest,
            ATTEMPT_TAG: str(attempt + 1),
            "trithuc/retry_of": last.dagster_run.run_id,
            **periods,
        },
    )


def build_landing_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_zone_sensor",
        job=job,
        minimum_interval_seconds=sensor_interval_seconds(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs the pipeline when files are added to or changed in the landing zone; when that run "
        "fails, runs again after 5 min, 15 min and 1 h, then leaves it to the daily schedule.",
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext):
        return evaluate_landing(context, job.name)

    return landing_zone_sensor
