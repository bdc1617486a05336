"""`make run`: set up, generate sample submissions if the landing zone is empty, materialize every asset through
Dagster (a real run recorded in $DAGSTER_HOME), then print a short summary of what happened and where to look."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path

import duckdb

from ingest.datasets import DATASETS
from orchestration.setup_home import ensure_dagster_home, ensure_key_files, prepare_dbt_manifest
from publish.reader_snapshot import reader_snapshot_path
from settings import landing_path, restricted_path, verbose_log, warehouse_dir, warehouse_path


def _landing_is_empty(landing: Path) -> bool:
    return not landing.exists() or not any(p.is_file() for p in landing.rglob("*"))


def generate_samples_if_empty(landing: Path) -> bool:
    if not _landing_is_empty(landing):
        return False
    from samples.pipeline import generate

    truth = warehouse_dir() / "samples_truth"
    print(f"Landing zone {landing} is empty: generating sample submissions (truth in {truth}) ...")
    generate(out=landing, truth=truth)
    return True


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _child_pids() -> list[int]:
    """Processes this one started (dbt), from Linux /proc; [] elsewhere."""
    pids: list[int] = []
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        try:
            pids += [int(p) for p in children.read_text().split()]
        except (OSError, ValueError):
            continue
    return pids


def log_run_config(verbose: bool | None = None) -> dict:
    """Dagster's console logger: INFO by default (what each step did, from the assets' own log lines, and any
    warning or error), DEBUG with ``-v`` or ``TRITHUC_LOG=debug`` (every Dagster event: ~1,400 lines a run)."""
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if is_verbose(verbose) else "INFO"}}}}


def is_verbose(verbose: bool | None = None) -> bool:
    return verbose if verbose is not None else verbose_log()


def run_log_path() -> Path:
    """Where a quiet `make run` writes Dagster's and dbt's full output (overwritten by the next run)."""
    return warehouse_dir() / "logs" / "make_run.log"


_STEP_EVENTS = ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED")
PROGRESS_INTERVAL_SECONDS = 2.0  # how often a quiet `make run` looks for finished steps to print


class StepProgress:
    """One line per step on the terminal, from the run's own event log (public ``get_records_for_run``), while the
    run's full output goes to the log file: '  ✓ land_submissions  3.4 s'."""

    def __init__(self, instance, run_id: str, write) -> None:
        self.instance, self.run_id, self.write = instance, run_id, write
        self.cursor: str | None = None
        self.started: dict[str, float] = {}

    def poll(self) -> None:
        import dagster as dg

        kinds = {getattr(dg.DagsterEventType, name) for name in _STEP_EVENTS}
        while True:
            try:
                page = self.instance.get_records_for_run(self.run_id, cursor=self.cursor, of_type=kinds, limit=200)
            except Exception:  # noqa: BLE001 - the run has not been created yet, or storage is busy: next time
                return
            self.cursor = page.cursor
            for record in page.records:
                self._line(record.event_log_entry)
            if not page.has_more:
                return

    def _line(self, entry) -> None:
        event = entry.dagster_event
        step, kind = event.step_key or "?", event.event_type_value
        if kind == "STEP_START":
            self.started[step] = entry.timestamp
            return
        took = entry.timestamp - self.started.get(step, entry.timestamp)
        mark = {"STEP_SUCCESS": "✓", "STEP_FAILURE": "✗", "STEP_SKIPPED": "–"}[kind]
        self.write(f"  {mark} {step}  {took:.1f} s\n")


def run_everything(job_name: str = "everything", verbose: bool | None = None) -> bool:
    """Run ``job_name`` in this process, recorded in $DAGSTER_HOME, after finishing any run a killed `make run`
    left behind (orchestration/recovery.py).

    The run executes in a worker thread so that this (main) thread keeps SIGTERM and SIGINT: Dagster, run on the
    main thread, only notes a signal and acts on it between steps, so a run waiting for a pool slot ignored both.
    On either signal the run is marked failed (with which signal), its pool slots are freed, dbt is stopped, and
    the process exits with 128 + the signal number.
    """
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.partitions import landing_periods, period_range_tags
    from orchestration.recovery import (
        MAKE_RUN_TRIGGER,
        fail_run,
        make_run_lock,
        process_tags,
        recover_dead_runs,
    )

    definitions = defs() if callable(defs) else defs
    job = definitions.resolve_job_def(job_name)
    with make_run_lock(), dg.DagsterInstance.get() as instance:
        recover_dead_runs(instance, make_run_lock_held=True)
        run_id = str(uuid.uuid4())
        outcome: dict[str, object] = {}

        def work() -> None:
            try:
                outcome["result"] = job.execute_in_process(
                    run_config=log_run_config(verbose),
                    instance=instance,
                    raise_on_error=False,
                    run_id=run_id,
                    # every period the landing zone holds, as one partition range (one run)
                    tags={"trigger": MAKE_RUN_TRIGGER, **process_tags(), **period_range_tags(landing_periods(landing_path()))},
                )
            except BaseException as exc:  # reported below, on the main thread
                outcome["error"] = exc

        def stop(signum: int, _frame) -> None:
            name = signal.Signals(signum).name
            for pid in _child_pids():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(Exception):
                fail_run(
                    instance,
                    run_id,
                    f"Dừng theo yêu cầu ({name}). / Stopped by {name}: the run was interrupted; "
                    "the next `make run` loads whatever it did not finish.",
                )
            # to the terminal as it was before the run: Dagster redirects stdout/stderr into its log capture
            with contextlib.suppress(OSError):
                os.write(
                    terminal,
                    f"\nStopped by {name}: Dagster run {run_id} marked failed, its pool slots freed.\n".encode(),
                )
            os._exit(128 + signum)

        sys.stdout.flush()
        sys.stderr.flush()
        terminal = os.dup(1)
        saved_err = os.dup(2)
        quiet = not is_verbose(verbose)
        log_path = run_log_path()
        progress = StepProgress(instance, run_id, lambda text: os.write(terminal, text.encode()))
        if quiet:  # Dagster's and dbt's own output (dbt prints a line per model and test) to the log file
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(log_fd, 1)
            os.dup2(log_fd, 2)
            os.close(log_fd)
            os.write(terminal, f"Dagster run {run_id} (full log: {log_path}; -v to see it here)\n".encode())
        previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
        try:
            worker = threading.Thread(target=work, name="dagster-run", daemon=True)
            worker.start()
            polled = time.monotonic()
            while worker.is_alive():
                worker.join(0.5)
                # the step lines may come a second or two late; each look at the event log is a query on the
                # run's SQLite file (a new connection each, about 10 ms) that the run's own thread waits out
                if quiet and time.monotonic() - polled >= PROGRESS_INTERVAL_SECONDS:
                    progress.poll()
                    polled = time.monotonic()
            if quiet:
                progress.poll()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(terminal, 1)
            os.dup2(saved_err, 2)
            os.close(terminal)
            os.close(saved_err)
        if "error" in outcome:
            fail_run(instance, run_id, f"make run failed: {type(outcome['error']).__name__}")
            raise outcome["error"]  # type: ignore[misc]
        result = outcome["result"]
        print(f"Dagster run {result.run_id}: {'SUCCESS' if result.success else 'FAILURE'}")
        if not result.success:
            for event in result.all_events:
                if event.is_failure and event.step_key:
                    print(f"  failed: {event.step_key}: {event.message}")
            if not is_verbose(verbose):
                print(f"  the full log: {run_log_path()}")
            # `make run` has no daemon, so no run-failure sensor: raise the same alert here
            from orchestration.defs.alerts import alert_for_run

            with contextlib.suppress(Exception):
                alert = alert_for_run(
                    job.name, result.run_id, result.get_step_failure_events(), "the run failed"
                )
                print(f"  alert written: {alert['summary']}")
        for line in failed_check_lines(result):
            print(line)
    return result.success


def failed_check_lines(result) -> list[str]:
    """The asset checks that failed in this run, errors first, each with its severity (warnings do not stop a
    run, so without this list nobody would see them)."""
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if not failed:
        return []
    order = {"ERROR": 0, "WARN": 1}
    failed.sort(key=lambda e: (order.get(e.severity.value, 2), e.asset_key.to_user_string(), e.check_name))
    lines = [f"Failed checks ({len(failed)}):"]
    for e in failed:
        severity = "error" if e.severity.value == "ERROR" else "warning"
        lines.append(f"  [{severity}] {e.asset_key.to_user_string()}: {e.check_name}")
    return lines


def summary_text(warehouse: Path) -> str:
    lines: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = con.execute(
            "select status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected), sum(rows_skipped) "
            "from quality.file_manifest where is_current group by status order by status"
        ).fetchall()
        lines.append("Files (current versions):")
        for status, n, read, loaded, rejected, skipped in files:
            lines.append(
                f"  {status:<20} {n:>5} files   rows read {read or 0:>8}  loaded {loaded or 0:>8}"
                f"  rejected {rejected or 0:>5}  skipped {skipped or 0:>5}"
            )
        rejected = con.execute(
            "select source_file, message_en from quality.file_manifest where is_current and status = 'rejected' "
            "order by source_file limit 12"
        ).fetchall()
        for path, msg in rejected:
            lines.append(f"    rejected: {path}: {msg}")
        lines.append("Rows per dataset (raw):")
        for name in DATASETS:
            n = con.execute(f"select count(*) from raw.{name}").fetchone()[0]
            lines.append(f"  raw.{name:<18} {n:>9}")
        tables = con.execute(
            "select table_schema, count(*) from information_schema.tables "
            "where table_schema in ('marts', 'quality') and table_catalog = current_database() group by 1 order by 1"
        ).fetchall()
        for schema, n in tables:
            names = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "and table_catalog = current_database() order by 1",
                    [schema],
                ).fetchall()
            ]
            lines.append(f"Schema {schema} ({n}): {', '.join(names)}")
        if any(s == "marts" for s, _ in tables):
            for table in ("dim_person", "person_source_records", "person_status_history", "indicator_values"):
                try:
                    n = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
                    lines.append(f"  marts.{table:<24} {n:>9} rows")
                except duckdb.CatalogException:
                    pass
    snapshot = reader_snapshot_path(warehouse)
    if snapshot.exists():
        lines.append(f"For readers (SQL tools, notebooks): {snapshot}  (refreshed after each successful run; open it "
                     "read-only as long as you like — never open the pipeline's own file, which a run writes)")
    lines.append(f"Pipeline warehouse:  {warehouse}  (written by runs; not for readers)")
    lines.append(f"Restricted store:    {restricted_path(warehouse)}  (personal data; mode 0600, keep on an "
                 "encrypted volume)")
    out = warehouse_dir()
    for label, sub in (
        ("Quality page", "reports/quality/index.html"),
        ("Data Docs", "reports/data_docs/site/index.html"),
        ("Feedback workbooks", "reports/feedback"),
        ("Indicator reports", "reports/indicators"),
        ("Exports", "exports"),
        ("National packages", "outbox/national"),
    ):
        path = out / sub
        if path.exists():
            lines.append(f"{label + ':':<20} {path}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--job", default="everything")
    parser.add_argument("-v", "--verbose", action="store_true", help="Dagster's full DEBUG log (or TRITHUC_LOG=debug)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    # Dagster warns that a backfill policy is a beta parameter each time the definitions load: not for this screen
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    ensure_dagster_home()
    ensure_key_files()
    generated = generate_samples_if_empty(landing_path())
    prepare_dbt_manifest(for_this_warehouse=True)
    ok = run_everything(args.job, verbose=args.verbose or None)
    print()
    print(summary_text(warehouse_path()))
    if generated:
        print(f"NOTE: {landing_path()} was empty, so this run loaded GENERATED SAMPLE DATA (made-up people), not "
              "real submissions. Empty the landing zone and `make clean` before loading real files.")
    print(f"Done in {time.perf_counter() - started:.0f} s.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
