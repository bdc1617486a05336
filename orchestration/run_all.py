"""`make run`: set up, generate sample submissions if the landing zone is empty, materialize every asset through
Dagster (a real run recorded in $DAGSTER_HOME), then print a short summary of what happened and where to look."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from ingest.config import landing_path, warehouse_dir, warehouse_path
from ingest.datasets import DATASETS
from orchestration.setup_home import ensure_dagster_home, ensure_key_files, prepare_dbt_manifest


def _landing_is_empty(landing: Path) -> bool:
    return not landing.exists() or not any(p.is_file() for p in landing.rglob("*"))


def generate_samples_if_empty(landing: Path) -> bool:
    if not _landing_is_empty(landing):
        return False
    from ingest.samples.pipeline import generate

    truth = warehouse_dir() / "samples_truth"
    print(f"Landing zone {landing} is empty: generating sample submissions (truth in {truth}) ...")
    generate(out=landing, truth=truth)
    return True


def run_everything(job_name: str = "everything") -> bool:
    import dagster as dg

    from orchestration.definitions import defs

    definitions = defs() if callable(defs) else defs
    job = definitions.resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, tags={"trigger": "make run"})
        print(f"Dagster run {result.run_id}: {'SUCCESS' if result.success else 'FAILURE'}")
        if not result.success:
            for event in result.all_events:
                if event.is_failure:
                    print(f"  failed: {event.step_key}: {event.message}")
    return result.success


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
            "where table_schema in ('marts', 'quality', 'pii') group by 1 order by 1"
        ).fetchall()
        for schema, n in tables:
            names = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = ? order by 1",
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
    lines.append(f"Warehouse: {warehouse}  (open read-only: duckdb -readonly {warehouse})")
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
    args = parser.parse_args(argv)
    started = time.perf_counter()
    ensure_dagster_home()
    ensure_key_files()
    generate_samples_if_empty(landing_path())
    prepare_dbt_manifest(for_this_warehouse=True)
    ok = run_everything(args.job)
    print()
    print(summary_text(warehouse_path()))
    print(f"Done in {time.perf_counter() - started:.0f} s.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
