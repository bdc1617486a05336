"""`make bench`: end-to-end time and peak memory of the real code paths at stated sizes, side by side with plain
baselines, with the ratios the issues set as targets. Each task runs in a fresh process, REPEAT times; medians.

Environment: BENCH_ROWS (default 1,000,000 CSV person rows), BENCH_XLSX_ROWS (100,000), BENCH_REPEAT (3),
BENCH_DIR (default warehouse/bench; generated data is reused between runs).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ingest.config import warehouse_dir

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
BENCH_DIR = Path(os.environ.get("BENCH_DIR", warehouse_dir() / "bench"))


@dataclass
class Measure:
    wall_s: float
    peak_mb: float
    rows: int


def measure(task: str, **args) -> Measure:
    runs = []
    for _ in range(REPEAT):
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench._measure", task, json.dumps(args)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return Measure(
        wall_s=statistics.median(r["wall_s"] for r in runs),
        peak_mb=max(r["peak_mb"] for r in runs),
        rows=int(runs[-1].get("rows", 0)),
    )


def ensure_data(fmt: str, rows: int) -> Path:
    landing = BENCH_DIR / f"{fmt}_{rows}" / "landing"
    done = landing.parent / ".complete"
    if not done.exists():
        from ingest.samples import generate_bench

        print(f"generating {rows:,} {fmt} person rows in {landing} ...", flush=True)
        generate_bench(out=landing, truth=landing.parent / "truth", rows=rows, fmt=fmt, seed=7)
        done.touch()
    return landing


def line(label: str, m: Measure) -> str:
    rate = m.rows / m.wall_s if m.wall_s else 0
    return f"  {label:<44} {m.wall_s:>8.2f} s {rate:>12,.0f} rows/s {m.peak_mb:>9,.0f} MB peak   ({m.rows:,} rows)"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def main() -> int:
    print(f"Benchmark on {os.cpu_count()} cores; medians of {REPEAT} runs; peak = max RSS of the process tree.")
    failures = 0

    csv_landing = ensure_data("csv", ROWS)
    wh = BENCH_DIR / "ingest_csv.duckdb"
    real = measure("ingest_real", landing=str(csv_landing), warehouse=str(wh))
    base = measure("duckdb_read_csv", landing=str(csv_landing))
    ratio = real.wall_s / base.wall_s
    print(f"\nCSV ingest, {ROWS:,} person rows")
    print(line("warehouse ingest (ingest.load.load_landing)", real))
    print(line("plain DuckDB read_csv(all_varchar)", base))
    ok = ratio <= 3 and real.peak_mb < 2048
    failures += not ok
    print(f"  ratio {ratio:.2f}x (target <= 3x); peak {real.peak_mb:,.0f} MB (target < 2,048 MB): {verdict(ok)}")

    xlsx_landing = ensure_data("xlsx", XLSX_ROWS)
    real_x = measure("ingest_real", landing=str(xlsx_landing), warehouse=str(BENCH_DIR / "ingest_xlsx.duckdb"))
    base_x = measure("fastexcel_read", landing=str(xlsx_landing))
    rate_ratio = base_x.wall_s / real_x.wall_s  # same workbooks: the ratio of read rates
    print(f"\nXLSX ingest, {XLSX_ROWS:,} person rows")
    print(line("warehouse ingest (ingest.load.load_landing)", real_x))
    print(line("bare fastexcel read", base_x))
    ok = rate_ratio >= 0.7
    failures += not ok
    print(f"  rate ratio {rate_ratio:.2f}x of fastexcel (target >= 0.7x): {verdict(ok)}")

    print(f"\n{failures} target(s) not met." if failures else "\nAll measured targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
