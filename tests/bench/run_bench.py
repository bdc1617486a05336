"""`make bench`: end-to-end time and peak memory of the real code paths at stated sizes, side by side with plain
baselines, with the ratios the issues set as targets. Each task runs in a fresh process, REPEAT times; medians.

Environment: BENCH_ROWS (default 1,000,000 CSV person rows), BENCH_XLSX_ROWS (100,000), BENCH_REPEAT (3),
BENCH_DIR (default warehouse/bench; generated data and the loaded raw warehouse are reused between runs),
BENCH_TEMPLATE_ROWS (50,000 people in a returned pre-filled template and in a plain list), BENCH_ONLY (comma list of
sections: csv, xlsx, dbt, quality, pipeline, ui, templates; default all).
Child processes get test keys, a bench DAGSTER_HOME and a scratch TRITHUC_WAREHOUSE under BENCH_DIR: a bench run
never touches warehouse/trithuc.duckdb, the real key files or the shared dbt_project/target of `dbt build`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from settings import warehouse_dir

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", "100000"))
TEMPLATE_ROWS = int(os.environ.get("BENCH_TEMPLATE_ROWS", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
BENCH_DIR = Path(os.environ.get("BENCH_DIR", warehouse_dir() / "bench")).resolve()
SECTIONS = ("csv", "xlsx", "dbt", "quality", "pipeline", "ui", "templates")
ONLY = [s.strip() for s in os.environ.get("BENCH_ONLY", ",".join(SECTIONS)).split(",") if s.strip()]
TOP_NODES = 12
SPREAD_PERIODS = ("2026-H1", "2025-H2", "2026-H2")  # a ward's 1st, 2nd, 3rd bench file


def bench_environment() -> None:
    """Test secrets and bench-local state for every child process."""
    for name in ("TRITHUC_PSEUDO_KEY_FILE", "TRITHUC_EXCHANGE_KEY_FILE"):
        os.environ.pop(name, None)
    os.environ.update({
        "TRITHUC_PSEUDO_KEY": "bench-pseudonymisation-key",
        "TRITHUC_EXCHANGE_KEY": "bench-exchange-key-0123456789",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DAGSTER_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "1",
        "DAGSTER_HOME": str(BENCH_DIR / "dagster_home"),
        "TRITHUC_WAREHOUSE": str(BENCH_DIR / "scratch.duckdb"),
    })


@dataclass
class Measure:
    wall_s: float
    peak_mb: float
    rows: int
    nodes: list  # (name, seconds) of the last run, where the task reports them
    last_wall_s: float = 0.0  # wall time of that last run: shares and "outside the steps" are of it


def run_task(task: str, args: dict) -> dict:
    """One measurement in a fresh process (``tests.bench._measure``): its JSON; TaskFailed with its stderr when it
    fails."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench._measure", task, json.dumps(args)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise TaskFailed(f"bench task {task} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summarise(runs: list[dict]) -> Measure:
    return Measure(
        wall_s=statistics.median(r["wall_s"] for r in runs),
        peak_mb=max(r["peak_mb"] for r in runs),
        rows=int(runs[-1].get("rows", 0)),
        nodes=runs[-1].get("nodes", []),
        last_wall_s=runs[-1]["wall_s"],
    )


def measure(task: str, **args) -> Measure:
    return measure_together((task, args))[0]


def measure_together(*tasks: tuple[str, dict]) -> list[Measure]:
    """Each task REPEAT times, taken in turns (a, b, a, b, ...) so that a change in the machine's load while the
    bench runs falls on the real path and its baseline alike; medians per task."""
    runs: list[list[dict]] = [[] for _ in tasks]
    for _ in range(REPEAT):
        for i, (task, args) in enumerate(tasks):
            runs[i].append(run_task(task, args))
    return [_summarise(r) for r in runs]


def ensure_data(fmt: str, rows: int) -> Path:
    landing = BENCH_DIR / f"{fmt}_{rows}" / "landing"
    done = landing.parent / ".complete"
    if not done.exists():
        from samples import generate_bench

        print(f"generating {rows:,} {fmt} person rows in {landing} ...", flush=True)
        generate_bench(out=landing, truth=landing.parent / "truth", rows=rows, fmt=fmt, seed=7)
        done.touch()
    spread = landing.parent / ".one_file_per_unit_and_period"
    if not spread.exists():
        _one_file_per_unit_and_period(landing)
        (landing.parent / ".ingested").unlink(missing_ok=True)
        spread.touch()
    return landing


def _one_file_per_unit_and_period(landing: Path) -> None:
    """generate_bench puts all files in 2026-H1, several per ward (200 files at 1M rows, 95 wards). The loader keeps
    one current file per unit, period and dataset (a later one is a re-submission that replaces the earlier), so
    only ~475,000 of 1,000,000 rows would reach raw.persons. Move a ward's 2nd and 3rd file to the other periods so
    every generated row is current. (The generator's truth/files.csv keeps the 2026-H1 paths.)"""
    by_ward: dict[Path, list[Path]] = {}
    for path in sorted(landing.glob("2026-H1/ward/*/*")):
        by_ward.setdefault(path.parent, []).append(path)
    for ward_dir, files in by_ward.items():
        if len(files) > len(SPREAD_PERIODS):
            print(f"  note: {ward_dir.name} has {len(files)} files; beyond {len(SPREAD_PERIODS)} periods later files "
                  "replace earlier ones in the loader", flush=True)
        for path, period in zip(files, SPREAD_PERIODS, strict=False):
            if period != "2026-H1":
                target = landing / period / "ward" / ward_dir.name / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                path.rename(target)


def ensure_ingested(landing: Path) -> Path:
    """The loader's warehouse for the landing zone (raw.* + quality manifest), made once with the real loader."""
    # not raw.duckdb: the catalog name would clash with schema raw. A folder of its own: its restricted store
    # (restricted/ beside it) is its own too.
    warehouse = landing.parent / "ingested" / "ingested.duckdb"
    warehouse.parent.mkdir(exist_ok=True)
    done = warehouse.parent / ".ingested-receipts"  # made by a loader that records received_at and edited_at
    if not done.exists():
        print(f"loading {landing} into {warehouse} (once, for the dbt and quality sections) ...", flush=True)
        for stale in (warehouse, Path(f"{warehouse}.wal")):
            stale.unlink(missing_ok=True)
        shutil.rmtree(warehouse.parent / "restricted", ignore_errors=True)  # paired with the file just removed
        # in a child process, like every task (keeps DuckDB's progress bars out of this output)
        subprocess.run(
            [sys.executable, "-m", "tests.bench._measure", "ingest_real",
             json.dumps({"landing": str(landing), "warehouse": str(warehouse)})],
            check=True, capture_output=True,
        )
        done.touch()
    return warehouse


def line(label: str, m: Measure) -> str:
    rate = m.rows / m.wall_s if m.wall_s else 0
    return f"  {label:<56} {m.wall_s:>8.2f} s {rate:>12,.0f} rows/s {m.peak_mb:>9,.0f} MB peak   ({m.rows:,} rows)"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def node_table(title: str, nodes: list, wall_s: float, top: int = TOP_NODES) -> list[str]:
    """The slowest nodes, then the rest grouped by kind (dbt: model/test/seed/unit_test)."""
    out = [f"  {title} (last run; % of wall time):"]
    kinds: dict[str, list[float]] = {}
    for name, secs in nodes:
        kind = name.split(".", 1)[0]
        kind = kind if kind in ("model", "test", "seed", "unit_test", "snapshot") else "step"
        kinds.setdefault(kind, []).append(secs)
    ranked = sorted(nodes, key=lambda n: -n[1])
    shown = [n for n in ranked if n[0].split(".", 1)[0] not in ("test", "seed", "unit_test", "snapshot")][:top]
    for name, secs in shown:
        label = name.split(".", 2)[-1] if name.startswith("model.") else name
        out.append(f"    {label:<62} {secs:>8.2f} s {100 * secs / wall_s:>5.1f} %")
    for kind, times in sorted(kinds.items()):
        if kind != "step":
            label = f"all {kind}s ({len(times)}; dbt runs 2 threads, so these overlap)"
            out.append(f"    {label:<62} {sum(times):>8.2f} s {100 * sum(times) / wall_s:>5.1f} %")
    return out


class TaskFailed(RuntimeError):
    """A measured task exited non-zero (its section reports the error and counts as not met)."""


def section_csv(csv_landing: Path) -> int:
    real, base = measure_together(
        ("ingest_real", {"landing": str(csv_landing), "warehouse": str(BENCH_DIR / "ingest_csv" / "ingest_csv.duckdb")}),
        ("duckdb_read_csv", {"landing": str(csv_landing)}),
    )
    ratio = real.wall_s / base.wall_s
    print(line("warehouse ingest (ingest.load.load_landing)", real))
    print(line("plain DuckDB read_csv(all_varchar)", base))
    ok = ratio <= 3 and real.peak_mb < 2048
    print(f"  ratio {ratio:.2f}x (target <= 3x); peak {real.peak_mb:,.0f} MB (target < 2,048 MB): {verdict(ok)}")
    return not ok


def section_xlsx() -> int:
    xlsx_landing = ensure_data("xlsx", XLSX_ROWS)
    real, base = measure_together(
        ("ingest_real", {"landing": str(xlsx_landing), "warehouse": str(BENCH_DIR / "ingest_xlsx" / "ingest_xlsx.duckdb")}),
        ("fastexcel_read", {"landing": str(xlsx_landing)}),
    )
    rate_ratio = base.wall_s / real.wall_s  # same workbooks: the ratio of read rates
    print(line("warehouse ingest (ingest.load.load_landing)", real))
    print(line("bare fastexcel read", base))
    ok = rate_ratio >= 0.7
    print(f"  rate ratio {rate_ratio:.2f}x of fastexcel (target >= 0.7x): {verdict(ok)}")
    return not ok


def dbt_measure(csv_landing: Path, cache: dict) -> Measure:
    """One dbt build measurement, shared by the dbt and quality sections."""
    if "dbt" not in cache:
        work = csv_landing.parent
        ingested = ensure_ingested(csv_landing)
        cache["dbt"] = measure("dbt_build", raw_db=str(ingested), work_db=str(work / "dbt_build" / "dbt_build.duckdb"),
                               target_dir=str(work / "dbt_target"))
    return cache["dbt"]


def section_dbt(csv_landing: Path, cache: dict) -> int:
    work = csv_landing.parent
    dbt_m = dbt_measure(csv_landing, cache)
    base = measure("duckdb_script", raw_db=str(ensure_ingested(csv_landing)), work_db=str(work / "duckdb_script.duckdb"))
    ratio = dbt_m.wall_s / base.wall_s
    print(line("dbt build (seeds, models, data tests)", dbt_m))
    print(line("plain DuckDB script (tests/bench/baseline_duckdb.sql)", base))
    ok = ratio <= 2
    print(f"  ratio {ratio:.2f}x (target <= 2x): {verdict(ok)}")
    print("\n".join(node_table("where dbt build spends its time", dbt_m.nodes, dbt_m.last_wall_s)))
    return not ok


def section_quality(csv_landing: Path, cache: dict) -> int:
    work = csv_landing.parent
    dbt_m = dbt_measure(csv_landing, cache)
    q = measure("quality_step", built_db=str(work / "dbt_build" / "dbt_build.duckdb"), work_dir=str(work / "quality"))
    print(line("quality step (expectations.*)", q))
    print(line("dbt build of the same data (for comparison)", dbt_m))
    ok = q.wall_s <= dbt_m.wall_s
    print(f"  ratio {q.wall_s / dbt_m.wall_s:.2f}x of the dbt build (target <= 1x): {verdict(ok)}")
    print("\n".join(node_table("where the quality step spends its time", q.nodes, q.last_wall_s)))
    return not ok


def _manifest_for_pipeline(work: Path) -> None:
    """The dbt manifest parsed for the pipeline's warehouse before timing, as `make run` leaves it: a scheduled run
    does not parse the project again."""
    from orchestration.setup_home import prepare_dbt_manifest

    previous = os.environ.get("TRITHUC_WAREHOUSE")
    os.environ["TRITHUC_WAREHOUSE"] = str(work / "pipeline" / "wh.duckdb")
    try:
        prepare_dbt_manifest(for_this_warehouse=True)
    finally:
        if previous is None:
            os.environ.pop("TRITHUC_WAREHOUSE")
        else:
            os.environ["TRITHUC_WAREHOUSE"] = previous


def section_pipeline(csv_landing: Path) -> int:
    work = csv_landing.parent
    # The manifest dagster-dbt loads is made once after a change to the dbt project or of warehouse (as `make run`
    # does), not by every scheduled run: make it for the pipeline's warehouse before timing, so each measured run
    # is what a scheduled run does.
    _manifest_for_pipeline(work)
    pipe, base_d, base_p = measure_together(
        ("pipeline", {"landing": str(csv_landing), "run_dir": str(work / "pipeline")}),
        ("duckdb_script_from_files", {"landing": str(csv_landing), "work_db": str(work / "duckdb_files.duckdb")}),
        ("pandas_script", {"landing": str(csv_landing)}),
    )
    print(line("Dagster run_all (ingest, dbt, GE, reports, exports)", pipe))
    print(line("plain DuckDB script (read_csv + baseline_duckdb.sql)", base_d))
    print(line("plain pandas script (tests/bench/baseline_pandas.py)", base_p))
    ratio_d, ratio_p = pipe.wall_s / base_d.wall_s, pipe.wall_s / base_p.wall_s
    print(f"  vs DuckDB script: {ratio_d:.2f}x (target <= 3x): {verdict(ratio_d <= 3)}")
    print(f"  vs pandas script: {ratio_p:.2f}x (target < 1x, faster than pandas): {verdict(ratio_p < 1)}")
    # in-process steps run one after another; the rest of that same run's wall time is outside them
    outside = pipe.last_wall_s - sum(secs for _, secs in pipe.nodes)
    nodes = [*pipe.nodes, ("outside the steps: imports, loading definitions, summary", outside)]
    title = f"where the Dagster run spends its time (slowest steps; that run took {pipe.last_wall_s:.1f} s)"
    print("\n".join(node_table(title, nodes, pipe.last_wall_s)))
    return (ratio_d > 3) + (ratio_p >= 1)


def section_ui(csv_landing: Path) -> int:
    """A run the landing sensor starts under `dagster dev` (as the UI would: queued, launched by the daemon in a
    process of its own) against `make run`'s in-process run, on the same files, in turns."""
    work = csv_landing.parent
    _manifest_for_pipeline(work)
    pipe, ui = measure_together(
        ("pipeline", {"landing": str(csv_landing), "run_dir": str(work / "pipeline")}),
        ("ui_run", {"landing": str(csv_landing), "run_dir": str(work / "pipeline")}),
    )
    print(line("make run (orchestration.run_all, in-process), whole command", pipe))
    print(line("sensor-started run under dagster dev, creation to end", ui))
    ratio = ui.wall_s / pipe.wall_s
    print(f"  ratio {ratio:.2f}x of make run (target <= 1.3x): {verdict(ratio <= 1.3)}")
    print("\n".join(node_table(f"where that run spends its time (it took {ui.last_wall_s:.1f} s)", ui.nodes,
                                ui.last_wall_s)))
    return ratio > 1.3


def section_templates() -> int:
    """Issue #19: a returned pre-filled template loads at least as fast per row as a plain list of the same people
    (tests/bench/template_bench.py makes both, and both as LibreOffice saves them): ingest.load.load_landing into a
    fresh warehouse, the template verified and every row classified, the plain list read by its header."""
    from tests.bench.template_bench import load_args

    folder = BENCH_DIR / "templates"
    print(f"  preparing the files (cached in {folder}) ...", flush=True)
    # in a child process: building 50,000 rows in this one would raise the peak every measured child reports
    made = subprocess.run(
        [sys.executable, "-m", "tests.bench.template_bench", "--prepare-only", "--rows", str(TEMPLATE_ROWS),
         "--dir", str(folder)],
        capture_output=True, text=True,
    )
    if made.returncode != 0:
        raise TaskFailed(f"preparing the template files failed:\n{made.stderr[-4000:]}")
    files = {k: Path(v) for k, v in json.loads(made.stdout.strip().splitlines()[-1]).items()}
    work = folder / "work"
    failures = 0
    for how, template, plain in (("as written", "template", "plain"),
                                 ("saved by LibreOffice", "template_libreoffice", "plain_libreoffice")):
        if template not in files:
            print(f"  {how}: not measured (LibreOffice's soffice not found)")
            continue
        real, base = measure_together(
            ("template_load", load_args(files[template], work, template=True)),
            ("template_load", load_args(files[plain], work, template=False)),
        )
        ratio = (real.rows / real.wall_s) / (base.rows / base.wall_s)
        print(line(f"returned template, {how} (load_landing)", real))
        print(line(f"plain list of the same people, {how}", base))
        print(f"  rate ratio {ratio:.2f}x of the plain list (target >= 1x): {verdict(ratio >= 1)}")
        failures += ratio < 1
    shutil.rmtree(work, ignore_errors=True)
    return failures


def main() -> int:
    bench_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark on {os.cpu_count()} cores; medians of {REPEAT} run(s) per measurement"
          f"{' (BENCH_REPEAT=1: single runs, no median)' if REPEAT == 1 else ''}; peak = max RSS of the process tree.")
    print("The machine is shared with other work while this runs: wall times are noisy (expect +-20 %). A real path "
          "and its baselines run in turns (a, b, a, b, ...), so a change of load falls on both.")
    print(f"Data: generate_bench CSV files (cached in {BENCH_DIR}); a ward's 2nd/3rd file is moved to 2025-H2/2026-H2 so "
          "every row stays current in raw.persons.")
    # the 1M-row CSV files: made (or found cached) only when a section that reads them is asked for
    csv_sections = {"csv", "dbt", "quality", "pipeline", "ui"}
    csv_landing = ensure_data("csv", ROWS) if csv_sections & set(ONLY) else Path()
    cache: dict = {}
    sections = {
        "csv": (f"CSV ingest, {ROWS:,} person rows", lambda: section_csv(csv_landing)),
        "xlsx": (f"XLSX ingest, {XLSX_ROWS:,} person rows", section_xlsx),
        "dbt": (f"Transform (Task 18): raw.persons -> encoded, linked persons, dim_person, indicators; {ROWS:,} rows",
                lambda: section_dbt(csv_landing, cache)),
        "quality": (f"Quality step: every GE suite + record_results + feedback workbooks + quality page; {ROWS:,} rows",
                    lambda: section_quality(csv_landing, cache)),
        "pipeline": (f"Whole pipeline (Task 20): landing-zone CSV files -> indicator exports; {ROWS:,} rows",
                     lambda: section_pipeline(csv_landing)),
        "ui": (f"A run from the sensor/UI under dagster dev against make run; {ROWS:,} rows",
               lambda: section_ui(csv_landing)),
        "templates": (f"Returned pre-filled template against a plain list (issue #19); {TEMPLATE_ROWS:,} people",
                      section_templates),
    }
    failures = 0
    for name, (title, run) in sections.items():
        if name not in ONLY:
            continue
        print(f"\n{title}", flush=True)
        try:
            failures += run()
        except TaskFailed as exc:
            failures += 1
            print("  ERROR, not measured: NOT MET\n" + "\n".join(f"    {t}" for t in str(exc).splitlines()[-25:]))
        sys.stdout.flush()
    print(f"\n{failures} target(s) not met." if failures else "\nAll measured targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
