"""Run a suite (or one check) with Great Expectations 1.x and render Data Docs.

The flow is GE's own: ephemeral context -> pandas data source -> dataframe asset -> batch definition -> suite ->
validation definition -> checkpoint; then the run's own Data Docs page is rendered (the site's index is
re-rendered by :func:`rebuild_data_docs_index`, once per run of checks, not after every suite); after each build
the pages are pointed at the site's own copies of the CSS/JavaScript GE's templates load from CDNs
(:mod:`expectations.data_docs_offline`), so the site works without internet. The DataFrame
is read from DuckDB with a read-only connection (GE's DuckDB SQL data source is broken in 1.24), only with the
columns the checks read. Validation results are kept as JSON files
and the Data Docs site is written under ``<warehouse dir>/reports/data_docs/`` so the site lists past runs;
:func:`expectations.results.record_results` prunes both by the retention rule.

``warehouse`` everywhere is the DuckDB file (``settings.warehouse_path()``); reports go beside it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from expectations._warehouse import read_only
from expectations.core import CheckResult, Reference, Suite, SuiteResult, to_json_text
from expectations.errors import UnknownSuite
from expectations.suites import SUITES

if TYPE_CHECKING:
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

# Great Expectations itself (3-4 s to import) is imported inside the functions that validate or render, so that
# loading the Dagster definitions (webserver, daemon, every step process) does not pay for it.

log = logging.getLogger(__name__)

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # the machine has no network; never phone home

SITE_NAME = "quality"
DATASOURCE = "warehouse"
# BASIC: counts and up to 20 sample values, which is all a CheckResult keeps. SUMMARY also computes, per check,
# the index of every failing row and a query naming them all (about 40% of a 1M-row suite's time).
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 20}
_LOCK = threading.Lock()  # one ephemeral context per process is shared; GE contexts are not thread-safe


def reports_dir(warehouse: Path) -> Path:
    return Path(warehouse).resolve().parent / "reports"


def data_docs_dir(warehouse: Path) -> Path:
    """Site root: ``index.html`` of the Data Docs site."""
    return reports_dir(warehouse) / "data_docs" / "site"


def validation_store_dir(warehouse: Path) -> Path:
    """GE validation results (JSON), one folder per suite and run: the site's index is built from them."""
    return reports_dir(warehouse) / "data_docs" / "store"


@lru_cache(maxsize=8)
def _context(docs_root: str) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    root = Path(docs_root)
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    config.stores["validation_results_store"] = {
        "class_name": "ValidationResultsStore",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(root / "store")},
    }
    config.data_docs_sites = {
        SITE_NAME: {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(root / "site"),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    }
    return gx.get_context(mode="ephemeral", project_config=config)


def context_for(warehouse: Path) -> Any:
    """The process-wide GE context whose Data Docs live beside ``warehouse`` (created once, reused)."""
    return _context(str(reports_dir(warehouse) / "data_docs"))


def get_suite(name: str) -> Suite:
    if name not in SUITES:
        raise UnknownSuite(name, list(SUITES))
    return SUITES[name]


def run_suite(
    suite_name: str,
    warehouse: Path,
    period: str | None,
    run_id: str,
    *,
    checks: Iterable[str] | None = None,
    data_docs: bool = True,
) -> SuiteResult:
    """Validate one table (for one period, or all when ``period`` is None) and render its Data Docs page.

    ``checks`` restricts the run to some check ids (one Dagster asset check = one id). Raises
    :class:`~expectations.errors.TableMissing` / ``WarehouseMissing`` when there is nothing to validate.
    """
    suite = get_suite(suite_name)
    loaded = _load(suite, Path(warehouse), period)
    result, identifier = _validate(suite, loaded, warehouse, period, run_id, checks)
    if data_docs:
        pages = render_data_docs_pages(warehouse, [identifier])
        result = replace(result, data_docs_page=pages.get(identifier))
    return result


def run_suites(
    suite_names: Iterable[str], warehouse: Path, period: str | None, run_id: str, *, data_docs: bool = True
) -> Iterator[tuple[str, SuiteResult | Exception]]:
    """Run several suites, one after another, yielding ``(suite name, result)`` as each ends, or ``(suite name,
    exception)`` for a suite that could not run (the others still run).

    What :func:`run_suite` would do for each, in less time: the next suite's table is read from DuckDB in a
    second thread while GE validates the current one (DuckDB and Arrow do not hold the GIL), and the Data Docs
    pages are rendered together after the last suite (GE lists its result store once, not once per suite).
    Each result already names its page; it exists once the generator is exhausted.
    """
    names = list(suite_names)
    warehouse = Path(warehouse)
    identifiers = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ge-read-ahead") as reader:

        def read(i: int) -> Future | None:  # None for an unknown name: get_suite() raises below
            name = names[i] if i < len(names) else None
            return reader.submit(_load, SUITES[name], warehouse, period) if name in SUITES else None

        upcoming = read(0)
        for i, name in enumerate(names):
            current, upcoming = upcoming, read(i + 1)
            try:
                suite = get_suite(name)
                loaded = current.result()
                result, identifier = _validate(suite, loaded, warehouse, period, run_id, None)
            except Exception as exc:  # noqa: BLE001 - reported to the caller, suite by suite
                yield name, exc
                continue
            if data_docs:
                identifiers.append(identifier)
                with _LOCK:
                    page = _docs_page(context_for(warehouse), identifier, only_if_exists=False)
                result = replace(result, data_docs_page=page)
            yield name, result
    if identifiers:
        render_data_docs_pages(warehouse, identifiers)


def _load(suite: Suite, warehouse: Path, period: str | None) -> tuple[Any, Reference]:
    with read_only(warehouse) as con:
        return suite.load(con, period), suite.reference(con, period)


def _validate(
    suite: Suite,
    loaded: tuple[Any, Reference],
    warehouse: Path,
    period: str | None,
    run_id: str,
    checks: Iterable[str] | None,
) -> tuple[SuiteResult, Any]:
    from great_expectations.core.run_identifier import RunIdentifier

    frame, ref = loaded
    selected = [suite.check(c) for c in checks] if checks is not None else list(suite.expectations)
    run_at = datetime.now(UTC).replace(tzinfo=None)
    expectations = [check.expectation(ref, suite.name) for check in selected]
    needed = columns_read(expectations)
    if needed is not None:
        # GE filters the whole frame for every check's unexpected rows: columns no check reads only cost time.
        frame = frame[[c for c in frame.columns if c in needed]]
    else:
        frame = names_only_beyond(frame, values_read(expectations))
    with _LOCK:
        ctx = context_for(warehouse)
        checkpoint = _register(ctx, suite, expectations, period)
        outcome = checkpoint.run(
            batch_parameters={"dataframe": frame},
            run_id=RunIdentifier(run_name=run_id, run_time=run_at),
        )
        (identifier, validation), *_ = outcome.run_results.items()
    by_id = {c.id: c for c in selected}
    results = tuple(_to_result(suite, by_id, r) for r in validation.results)
    order = {c.id: i for i, c in enumerate(selected)}
    results = tuple(sorted(results, key=lambda r: order.get(r.check_id, len(order))))
    result = SuiteResult(
        suite=suite.name,
        relation=suite.relation,
        period=period,
        run_id=run_id,
        run_at=run_at,
        results=results,
        row_count=len(frame),
    )
    return result, identifier


def render_data_docs_pages(warehouse: Path, identifiers: list) -> dict:
    """Render the Data Docs page of each validation result (not the index); ``{identifier: page path}``."""
    with _LOCK:
        ctx = context_for(warehouse)
        try:
            ctx.build_data_docs(site_names=[SITE_NAME], resource_identifiers=identifiers, build_index=False)
        except Exception:  # docs are a convenience; a failure to render must not fail validation
            log.warning("could not render the Data Docs pages of %s", identifiers, exc_info=True)
            return {}
        pages = {i: _docs_page(ctx, i) for i in identifiers}
        _make_offline(warehouse, [p for p in pages.values() if p])
        return pages


def run_check(
    suite_name: str, check_id: str, warehouse: Path, period: str | None, run_id: str
) -> CheckResult:
    """One property on its own (what a Dagster asset check calls)."""
    return run_suite(suite_name, warehouse, period, run_id, checks=[check_id]).results[0]


def rebuild_data_docs_index(warehouse: Path) -> Path:
    """Re-render only the site's index from the validation results left in the store (after pruning)."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    with _LOCK:
        ctx = context_for(warehouse)
        # A resource list that matches nothing: no page is re-rendered, only the index (a full build would
        # re-render every kept result).
        ctx.build_data_docs(
            site_names=[SITE_NAME], resource_identifiers=[ExpectationSuiteIdentifier(name="__index_only__")]
        )
        index = data_docs_dir(warehouse) / "index.html"
        _make_offline(warehouse, [index])
    return index


def _make_offline(warehouse: Path, pages: list) -> None:
    """Point the pages just written (and any other written since the last pass) at the site's own copies of
    the CDN files GE's templates name, so the site works without internet (see expectations.data_docs_offline).
    Called with _LOCK held: no GE build writes a page while it is rewritten."""
    from expectations.data_docs_offline import make_offline

    try:
        make_offline(data_docs_dir(warehouse), pages)
    except Exception:  # docs are a convenience; a failure here must not fail validation
        log.warning("could not make the Data Docs pages %s work offline", pages, exc_info=True)


_COLUMN_KWARGS = ("column", "column_A", "column_B")
# Checks on the table's set of columns (expect_table_columns_*, expect_table_column_count_*): names, no values.
_NAMES_ONLY = "expect_table_column"


def columns_read(expectations: Iterable[Any]) -> set[str] | None:
    """The columns these expectations read, or None when one of them looks at the table's whole set of
    columns (``expect_table_columns_*``, ``expect_table_column_count_*``)."""
    needed: set[str] = set()
    for expectation in expectations:
        config = expectation.configuration
        if config.type.startswith(_NAMES_ONLY):
            return None
        needed.update(config.kwargs[k] for k in _COLUMN_KWARGS if config.kwargs.get(k))
        needed.update(config.kwargs.get("column_list") or ())
    return needed


def values_read(expectations: Iterable[Any]) -> set[str]:
    """The columns whose values these expectations read: those of :func:`columns_read` without the checks on the
    table's set of columns, which read the names only."""
    return columns_read(e for e in expectations if not e.configuration.type.startswith(_NAMES_ONLY)) or set()


def names_only_beyond(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    """``frame`` with the same columns in the same order, where the values of every column not in ``keep`` are
    replaced by nulls of an empty category.

    For a suite with a check on the table's columns, which needs every name but no value: GE hashes every value
    of the frame it validates (its batch fingerprint), about 30 ms per million text values and column, against
    10 ms for such a placeholder; raw.persons has 38 columns and its checks read the values of nine.
    """
    dropped = [c for c in frame.columns if c not in keep]
    if not dropped:
        return frame
    empty = pd.Categorical.from_codes(np.full(len(frame), -1, dtype=np.int8), categories=pd.Index([], dtype=str))
    return frame.assign(**{c: pd.Series(empty, index=frame.index, copy=False) for c in dropped})


def _register(ctx: Any, suite: Suite, expectations: list, period: str | None) -> Any:
    """(Re)create the GE objects for this suite: expectations carry this run's reference values."""
    import great_expectations as gx

    for collection in (ctx.checkpoints, ctx.validation_definitions, ctx.suites):
        try:
            collection.delete(suite.name)
        except Exception:  # not there yet
            pass
    try:
        ds = ctx.data_sources.get(DATASOURCE)
    except Exception:
        ds = ctx.data_sources.add_pandas(DATASOURCE)
    asset_name = f"{suite.name}__{period or 'all'}"
    try:
        asset = ds.get_asset(asset_name)
    except Exception:
        asset = ds.add_dataframe_asset(asset_name)
    try:
        batch = asset.get_batch_definition("frame")
    except Exception:
        batch = asset.add_batch_definition_whole_dataframe("frame")
    # Built whole and stored once: suite.add_expectation() would write the suite to its store after each one.
    gx_suite = ctx.suites.add(
        gx.ExpectationSuite(name=suite.name, expectations=list(expectations), meta={"relation": suite.relation})
    )
    vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
    # No UpdateDataDocsAction: it re-renders the site's index after every suite; run_suite renders only the
    # run's own page and the index is rebuilt once per run of checks (rebuild_data_docs_index).
    return ctx.checkpoints.add(
        gx.Checkpoint(name=suite.name, validation_definitions=[vd], actions=[], result_format=RESULT_FORMAT)
    )


def _docs_page(ctx: Any, identifier: Any, only_if_exists: bool = True) -> str | None:
    try:
        urls = ctx.get_docs_sites_urls(
            resource_identifier=identifier, site_name=SITE_NAME, only_if_exists=only_if_exists
        )
    except Exception:  # docs are a convenience; a failure to locate the page must not fail validation
        log.warning("could not locate the Data Docs page for %s", identifier, exc_info=True)
        return None
    url = urls[0].get("site_url") if urls else None
    return url.removeprefix("file://") if url else None


def _exception_message(r: ExpectationValidationResult) -> str | None:
    info = r.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():  # per-metric form: {metric_id: {...}}
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _sample_text(value: Any) -> str:
    """An unexpected value as a person reads it: row 4, not 4.0 (an integer column with nulls is float)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_result(suite: Suite, checks: dict, r: ExpectationValidationResult) -> CheckResult:
    cfg = r.expectation_config
    meta = cfg.meta or {}
    check_id = meta.get("check_id", cfg.type)
    check = checks.get(check_id)
    result = r.result or {}
    error = _exception_message(r)
    observed = result.get("observed_value")
    if observed is None and "unexpected_count" in result:
        observed = {
            "unexpected_count": result.get("unexpected_count"),
            "element_count": result.get("element_count"),
            "unexpected_percent": result.get("unexpected_percent"),
        }
    if error is not None:
        observed = {"error": error}
    samples = tuple(_sample_text(v) for v in (result.get("partial_unexpected_list") or [])[:20])
    return CheckResult(
        suite=suite.name,
        check_id=check_id,
        expectation_type=cfg.type,
        column=(check.column if check else None) or cfg.kwargs.get("column"),
        severity=meta.get("severity", "error"),
        success=bool(r.success) and error is None,
        observed_value=to_json_text(observed),
        unexpected_count=result.get("unexpected_count"),
        element_count=result.get("element_count"),
        description=meta.get("description", ""),
        sample_unexpected=samples,
        exception=error,
    )
