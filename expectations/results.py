"""Record validation results in ``quality.validation_results`` and keep them (and the Data Docs site) small.

Retention rule (applied to the table and to the Data Docs store/site alike):
  for every suite keep the ``RUNS_KEPT_PER_SUITE`` most recent runs, and always the latest run of every
  (suite, period) pair, so an old period's last verdict is never lost. Everything else is deleted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from expectations.core import SuiteResult
from expectations.runner import data_docs_dir, rebuild_data_docs_index, validation_store_dir

RUNS_KEPT_PER_SUITE = 30
TABLE = "quality.validation_results"
_ALL_PERIODS = "all"

DDL = f"""
create table if not exists {TABLE} (
    run_id varchar not null,
    run_at timestamp not null,
    period varchar,
    suite varchar not null,
    relation varchar,
    expectation varchar not null,
    expectation_type varchar,
    "column" varchar,
    severity varchar not null,
    success boolean not null,
    observed_value varchar,
    unexpected_count bigint,
    element_count bigint,
    description varchar,
    data_docs_page varchar
)
"""
# Added after the table's first release: a warehouse made before has the column added on the next write.
_UPGRADE = f"alter table {TABLE} add column if not exists data_docs_page varchar"


@dataclass(frozen=True)
class _Run:
    suite: str
    run_id: str
    run_at: datetime
    period: str


def runs_to_keep(runs: Iterable[_Run], per_suite: int = RUNS_KEPT_PER_SUITE) -> set[tuple[str, str]]:
    """(suite, run_id) pairs the retention rule keeps."""
    by_suite: dict[str, list[_Run]] = {}
    for r in runs:
        by_suite.setdefault(r.suite, []).append(r)
    keep: set[tuple[str, str]] = set()
    for suite, items in by_suite.items():
        latest_per_run: dict[str, _Run] = {}
        for r in items:
            if r.run_id not in latest_per_run or r.run_at > latest_per_run[r.run_id].run_at:
                latest_per_run[r.run_id] = r
        ordered = sorted(latest_per_run.values(), key=lambda r: r.run_at, reverse=True)
        keep.update((suite, r.run_id) for r in ordered[:per_suite])
        latest_per_period: dict[str, _Run] = {}
        for r in items:
            if r.period not in latest_per_period or r.run_at > latest_per_period[r.period].run_at:
                latest_per_period[r.period] = r
        keep.update((suite, r.run_id) for r in latest_per_period.values())
    return keep


def record_results(
    results: SuiteResult | Iterable[SuiteResult],
    warehouse: Path,
    *,
    per_suite: int = RUNS_KEPT_PER_SUITE,
    rebuild_index: bool = True,
) -> int:
    """Append the results to quality.validation_results, then prune table and Data Docs. Returns rows written.

    ``rebuild_index=False`` leaves the Data Docs index to the caller: the Dagster checks do, because the
    quality_reports asset rebuilds it once per run instead of once per suite (it lists every kept run).
    """
    suites = [results] if isinstance(results, SuiteResult) else list(results)
    rows = [
        (
            s.run_id,
            s.run_at,
            s.period,
            s.suite,
            s.relation,
            r.check_id,
            r.expectation_type,
            r.column,
            r.severity,
            r.success,
            r.observed_value,
            r.unexpected_count,
            r.element_count,
            r.description,
            page,
        )
        for s in suites
        for page in [site_relative_page(warehouse, s.data_docs_page)]
        for r in s.results
    ]
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists quality")
        con.execute(DDL)
        con.execute(_UPGRADE)
        if rows:
            # One insert of an Arrow table: executemany() runs the insert once per row (0.2 s per 100 rows). The
            # rows are in the table's column order; DuckDB casts Arrow's inferred types to the table's.
            names = [d[0] for d in con.execute(f"select * from {TABLE} limit 0").description]
            batch = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])
            con.register("validation_rows", batch)
            con.execute(f"insert into {TABLE} by name select * from validation_rows")
            con.unregister("validation_rows")
        _prune_table(con, per_suite)
    finally:
        con.close()
    prune_data_docs(warehouse, per_suite=per_suite)
    if rebuild_index:
        rebuild_data_docs_index(warehouse)
    return len(rows)


def site_relative_page(warehouse: Path, page: str | Path | None) -> str | None:
    """A validation's Data Docs page as recorded in the table: its path under the site root ('/'-separated, e.g.
    ``validations/<suite>/<run_id>/<run_time>/<file>.html``), so it resolves wherever the warehouse folder is
    moved; None without a page or for one outside the site."""
    if not page:
        return None
    site = data_docs_dir(warehouse).resolve()
    try:
        return Path(page).resolve().relative_to(site).as_posix()
    except ValueError:
        return None


def _prune_table(con: duckdb.DuckDBPyConnection, per_suite: int) -> None:
    runs = [
        _Run(suite, run_id, run_at, period or _ALL_PERIODS)
        for suite, run_id, run_at, period in con.execute(
            f"select suite, run_id, max(run_at), period from {TABLE} group by all"
        ).fetchall()
    ]
    keep = runs_to_keep(runs, per_suite)
    drop = {(r.suite, r.run_id) for r in runs} - keep
    if drop:
        con.executemany(f"delete from {TABLE} where suite = ? and run_id = ?", sorted(drop))


def prune_data_docs(warehouse: Path, *, per_suite: int = RUNS_KEPT_PER_SUITE) -> int:
    """Delete validation results (JSON) and their pages beyond the retention rule (the index is re-rendered by
    the caller: :func:`record_results` or the quality_reports asset).

    Store layout (GE): ``store/<suite>/<run_id>/<run_time>/<datasource>-<suite>__<period>.json``; the site
    mirrors it under ``site/validations/``. Returns the number of runs removed.
    """
    store = validation_store_dir(warehouse)
    if not store.exists():
        return 0
    runs: list[_Run] = []
    for path in store.glob("*/*/*/*.json"):
        suite, run_id, run_time = path.parts[-4], path.parts[-3], path.parts[-2]
        period = path.stem.rpartition("__")[2] or _ALL_PERIODS
        runs.append(_Run(suite, run_id, _parse_run_time(run_time), period))
    keep = runs_to_keep(runs, per_suite)
    drop = {(r.suite, r.run_id) for r in runs} - keep
    site_validations = data_docs_dir(warehouse) / "validations"
    for suite, run_id in drop:
        shutil.rmtree(store / suite / run_id, ignore_errors=True)
        shutil.rmtree(site_validations / suite / run_id, ignore_errors=True)
    return len(drop)


def _parse_run_time(text: str) -> datetime:
    for fmt in ("%Y%m%dT%H%M%S.%fZ", "%Y%m%dT%H%M%SZ"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return datetime.min
