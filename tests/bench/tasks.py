"""The measured tasks: the real code paths and the plain baselines they are compared with."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path


def ingest_real(landing: str, warehouse: str) -> dict:
    import shutil

    from ingest.load import load_landing
    from settings import restricted_path

    for stale in (warehouse, warehouse + ".wal"):
        if os.path.exists(stale):
            os.remove(stale)
    shutil.rmtree(restricted_path(Path(warehouse)).parent, ignore_errors=True)  # its restricted store too
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    summary = load_landing(Path(landing), Path(warehouse))
    return {"rows": sum(f.rows_loaded for f in summary.files), "files": len(summary.files)}


def duckdb_read_csv(landing: str) -> dict:
    """Baseline: plain DuckDB read_csv of the same files, every column as text, into a table."""
    import duckdb

    files = sorted(glob.glob(f"{landing}/**/*.csv", recursive=True))
    with tempfile.TemporaryDirectory() as tmp, duckdb.connect(f"{tmp}/b.duckdb") as con:
        rows = 0
        for f in files:
            try:
                con.execute(
                    "create or replace table t as select * from read_csv(?, all_varchar=true, header=true, "
                    "ignore_errors=true, null_padding=true, strict_mode=false)",
                    [f],
                )
                rows += con.execute("select count(*) from t").fetchone()[0]
            except duckdb.Error:  # a UTF-16 file, for instance: DuckDB alone cannot read it
                pass
    return {"rows": rows, "files": len(files)}


def fastexcel_read(landing: str) -> dict:
    """Baseline: a bare fastexcel read of every sheet of the same workbooks into Arrow."""
    import fastexcel

    rows = 0
    files = sorted(glob.glob(f"{landing}/**/*.xlsx", recursive=True))
    for f in files:
        reader = fastexcel.read_excel(f)
        for name in reader.sheet_names:
            rows += reader.load_sheet(name, header_row=None).to_arrow().num_rows
    return {"rows": rows, "files": len(files)}


# ---- dbt build, quality step and the whole pipeline (items 1-3) -------------------------------------------------

def _fresh_copy(source: str, target: str) -> None:
    """A fresh copy of a prepared warehouse (not timed: the task reports the time of the work after it)."""
    import shutil

    for suffix in ("", ".wal"):
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    # and its restricted store (the personal fields), beside it as the pipeline keeps it
    from settings import restricted_path

    store, copy = restricted_path(Path(source)), restricted_path(Path(target))
    shutil.rmtree(copy.parent, ignore_errors=True)
    if store.exists():
        shutil.copytree(store.parent, copy.parent)


def _raw_person_rows(warehouse: str) -> int:
    import duckdb

    with duckdb.connect(warehouse, read_only=True) as con:
        return con.execute("select count(*) from raw.persons").fetchone()[0]


def dbt_build(raw_db: str, work_db: str, target_dir: str) -> dict:
    """`dbt build` of the whole project on a fresh copy of the loader's warehouse; per-node timings from
    run_results.json (written to ``target_dir``, not the shared dbt_project/target)."""
    import json
    import subprocess
    import sys
    import time

    from settings import DBT_PROJECT_DIR

    _fresh_copy(raw_db, work_db)
    dbt = str(Path(sys.executable).parent / "dbt")
    started = time.perf_counter()
    done = subprocess.run(
        # The build the pipeline runs: seeds, models and data tests; unit tests (SQL checks) run in CI.
        [dbt, "build", "--exclude-resource-type", "unit_test", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", target_dir, "--log-path", target_dir],
        env={**os.environ, "TRITHUC_WAREHOUSE": work_db}, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-30:])
        raise RuntimeError(f"dbt build failed (exit {done.returncode}):\n{tail}")
    results = json.loads((Path(target_dir) / "run_results.json").read_text(encoding="utf-8"))["results"]
    nodes = [(r["unique_id"], float(r.get("execution_time") or 0.0)) for r in results]
    return {"wall_s": wall, "rows": _raw_person_rows(work_db), "nodes": nodes}


def duckdb_script(raw_db: str, work_db: str) -> dict:
    """Item 1 baseline: baseline_duckdb.sql on the same raw.persons."""
    from tests.bench import baseline_duckdb

    for suffix in ("", ".wal"):
        if os.path.exists(work_db + suffix):
            os.remove(work_db + suffix)
    return baseline_duckdb.from_raw(raw_db, work_db, os.environ["TRITHUC_PSEUDO_KEY"])


def quality_step(built_db: str, work_dir: str) -> dict:
    """Item 2: every GE suite as the two Dagster quality steps run them (``run_suites`` for the suites on the landed
    tables, then for those on the dbt build; one ``record_results`` per step), then what the quality_reports asset
    writes: feedback workbooks for every period, the Data Docs index and the quality page. On a fresh copy of the
    built warehouse in its own directory (reports land beside the DuckDB file)."""
    import shutil
    import time

    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(work_dir)
    warehouse = Path(work_dir) / "wh.duckdb"
    _fresh_copy(built_db, str(warehouse))
    started = time.perf_counter()  # importing Great Expectations is part of the step

    import duckdb
    import great_expectations  # noqa: F401 - the suites import it on first use; timed on its own line here

    from expectations import SUITES, record_results
    from expectations.runner import rebuild_data_docs_index, run_suites
    from expectations.suites import LANDING_SUITES
    from publish.quality.feedback import write_feedback
    from publish.quality.page import write_quality_page

    steps: list[tuple[str, float]] = [("import expectations (Great Expectations)", time.perf_counter() - started)]
    checks = failed = 0
    for group in (LANDING_SUITES, [n for n in SUITES if n not in LANDING_SUITES]):
        t0 = time.perf_counter()
        results = []
        for name, outcome in run_suites(group, warehouse, None, "bench"):
            if isinstance(outcome, Exception):
                raise outcome
            results.append(outcome)
            checks += len(outcome.results)
            failed += sum(not r.success for r in outcome.results)
            # a suite's share: from the end of the previous one (its table was read meanwhile)
            steps.append((f"suite {name} ({outcome.row_count:,} rows)", time.perf_counter() - t0))
            t0 = time.perf_counter()
        record_results(results, warehouse, rebuild_index=False)
        steps.append((f"Data Docs pages and record_results of {len(group)} suites", time.perf_counter() - t0))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        periods = [r[0] for r in con.execute(
            "select distinct period from quality.file_manifest where period similar to '20[0-9][0-9]-H[12]' order by 1"
        ).fetchall()]
    t0 = time.perf_counter()
    workbooks = sum(len(write_feedback(warehouse, p)) for p in periods)
    steps.append((f"feedback workbooks ({workbooks})", time.perf_counter() - t0))
    t0 = time.perf_counter()
    rebuild_data_docs_index(warehouse)
    if periods:
        write_quality_page(warehouse, periods[-1])
    steps.append(("data docs index + quality page", time.perf_counter() - t0))
    return {"wall_s": time.perf_counter() - started, "rows": _raw_person_rows(str(warehouse)), "nodes": steps,
            "checks": checks, "failed_checks": failed}


def pipeline(landing: str, run_dir: str) -> dict:
    """Item 3: `python -m orchestration.run_all` (Dagster: ingest -> dbt -> GE -> reports -> exports) on the
    landing zone, with a fresh warehouse and DAGSTER_HOME under ``run_dir``."""
    import shutil
    import subprocess
    import sys

    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    warehouse = str(Path(run_dir) / "wh.duckdb")
    env = {**os.environ, "TRITHUC_WAREHOUSE": warehouse, "TRITHUC_LANDING": landing,
           "DAGSTER_HOME": str(Path(run_dir) / "dagster_home")}
    log = Path(run_dir) / "run_all.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, "-m", "orchestration.run_all"], env=env, stdout=out,
                              stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
        raise RuntimeError(f"orchestration.run_all failed (exit {done.returncode}), log {log}:\n{tail}")
    return {"rows": _raw_person_rows(warehouse), "nodes": _dagster_step_times(log.read_text(encoding="utf-8"))}


def _dagster_step_times(log_text: str) -> list[tuple[str, float]]:
    """(step, seconds) from the STEP_SUCCESS/STEP_FAILURE lines of a Dagster run log ('in 1m 2s', 'in 350ms')."""
    import re

    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    steps = []
    for step, duration in re.findall(r'execution of step "([^"]+)" in ([^.\n]+(?:\.\d+)?[a-z]*)\.?', log_text):
        parts = re.findall(r"([\d.]+)(ms|h|m|s)", duration)
        steps.append((f"step {step}", sum(float(n) * units[u] for n, u in parts)))
    # the quiet `make run` prints one line per finished step: '  ✓ land_submissions  3.4 s'
    for step, seconds in re.findall(r"^  [✓✗] (\S+)  ([\d.]+) s$", log_text, flags=re.MULTILINE):
        steps.append((f"step {step}", float(seconds)))
    return steps


def duckdb_script_from_files(landing: str, work_db: str) -> dict:
    """Item 3 baseline (a): read the landing-zone CSVs with DuckDB, then baseline_duckdb.sql."""
    from tests.bench import baseline_duckdb

    for suffix in ("", ".wal"):
        if os.path.exists(work_db + suffix):
            os.remove(work_db + suffix)
    return baseline_duckdb.from_files(landing, work_db, os.environ["TRITHUC_PSEUDO_KEY"])


def pandas_script(landing: str) -> dict:
    """Item 3 baseline (b): the same work in plain pandas."""
    from tests.bench import baseline_pandas

    return baseline_pandas.run(landing, os.environ["TRITHUC_PSEUDO_KEY"])


def ui_run(landing: str, run_dir: str) -> dict:
    """Issue #17: a run started the way the UI and the sensor start one. `dagster dev` (webserver + daemon, on
    127.0.0.1) on a fresh warehouse and DAGSTER_HOME under ``run_dir``; the landing sensor (every 5 s here) sees
    the files and queues a run, the daemon launches it in a process of its own. Measured from the run's creation
    to its end, as its user waits for it; the server's own start-up is not counted."""
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import time

    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    home = Path(run_dir) / "dagster_home"
    env = {**os.environ, "TRITHUC_WAREHOUSE": str(Path(run_dir) / "wh.duckdb"), "TRITHUC_LANDING": landing,
           "DAGSTER_HOME": str(home), "TRITHUC_SENSOR_INTERVAL": "5"}
    setup = subprocess.run([sys.executable, "-m", "orchestration.setup_home"], env=env, capture_output=True,
                           text=True)
    if setup.returncode != 0:
        raise RuntimeError(f"setup_home failed: {setup.stderr[-2000:]}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (Path(run_dir) / "dagster_dev.log").open("w", encoding="utf-8")
    dagster = str(Path(sys.executable).with_name("dagster"))
    server = subprocess.Popen([dagster, "dev", "-h", "127.0.0.1", "-p", str(port), "-m", "orchestration.definitions"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    try:
        with dg.DagsterInstance.get() as instance:
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    raise RuntimeError(f"dagster dev exited ({server.returncode}); see {log.name}")
                records = instance.get_run_records(limit=1)
                if records and records[0].dagster_run.is_finished:
                    record = records[0]
                    break
                time.sleep(1)
            else:
                raise RuntimeError(f"no finished run within 30 min; see {log.name}")
            if record.dagster_run.status != dg.DagsterRunStatus.SUCCESS:
                raise RuntimeError(f"the sensor's run {record.dagster_run.run_id} ended {record.dagster_run.status}")
            steps = [(f"step {s.step_key}", (s.end_time or 0) - (s.start_time or 0))
                     for s in instance.get_run_step_stats(record.dagster_run.run_id)]
            wall = record.end_time - record.create_timestamp.timestamp()
            return {"wall_s": wall, "rows": _raw_person_rows(env["TRITHUC_WAREHOUSE"]), "nodes": steps,
                    "trigger": record.dagster_run.tags.get("trigger", "")}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(30)
        log.close()


# ---- Returned pre-filled templates against plain lists (issue #19; files: tests/bench/template_bench.py) --------

def _template_key(ordinary: bool) -> None:
    """``ordinary``: another key, so a template is not verified and is read as an ordinary list (by its header)."""
    if ordinary:
        os.environ["TRITHUC_PSEUDO_KEY"] = "another-key: the template is not verified"
        os.environ.pop("TRITHUC_PSEUDO_KEY_FILE", None)


def template_read(path: str, ordinary: bool = False) -> dict:
    """``ingest.readers.read_file`` of one workbook (a returned template or a plain list); the loader's imports are
    not timed."""
    import time

    _template_key(ordinary)
    import pyarrow.compute as pc

    import ingest.load  # noqa: F401 - DuckDB and the template reader, imported by the loader in any run
    from ingest.readers import read_file
    from ingest.text_repair import string_scalar

    started = time.perf_counter()
    result = read_file(Path(path))
    wall = time.perf_counter() - started
    template = getattr(result, "template", None)
    data = string_scalar("data")
    rows = sum(pc.sum(pc.equal(b.rows.column("row_kind"), data)).as_py() or 0 for b in result.blocks)
    return {"wall_s": wall, "rows": rows, "verified": bool(template and template.verified)}


def template_load(path: str, work: str, period: str, unit_kind: str, unit_code: str, now: str,
                  ordinary: bool = False, expect_template: bool | None = None) -> dict:
    """``ingest.load.load_landing`` of one workbook landed as ``<period>/<kind>/<unit>/danh_sach.xlsx`` into a fresh
    warehouse under ``work``: read, classify, write the raw, restricted and quality rows. The landing copy and the
    imports are not timed. ``expect_template``: fail unless the file was (True) or was not (False) read as a
    verified template."""
    import shutil
    import time
    from datetime import datetime

    _template_key(ordinary)
    from ingest.load import load_landing

    root = Path(work)
    shutil.rmtree(root, ignore_errors=True)
    landing = root / "landing" / period / unit_kind / unit_code
    landing.mkdir(parents=True)
    shutil.copy(path, landing / "danh_sach.xlsx")
    started = time.perf_counter()
    summary = load_landing(root / "landing", root / "wh.duckdb", now=datetime.fromisoformat(now))
    wall = time.perf_counter() - started
    [outcome] = summary.files
    import duckdb

    with duckdb.connect(str(root / "wh.duckdb"), read_only=True) as con:  # rows a verified template classified
        classified = con.execute("select count(*) from quality.template_rows").fetchone()[0]
    if expect_template is not None and (classified > 0) != expect_template:
        raise RuntimeError(f"{path} was {'not ' * (classified == 0)}read as a verified template")
    return {"wall_s": wall, "rows": outcome.rows_loaded, "status": outcome.status, "verified": classified > 0}
