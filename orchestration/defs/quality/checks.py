"""Great Expectations suites as Dagster asset checks: one check per property, one GE run per suite, one Dagster
step for the suites on the landed tables (ge_landing) and one for those on the dbt build (ge_marts).

A check whose severity is 'error' is blocking: if it fails, assets downstream of the table it validates do not
run (the marts, the exports, the national package). 'warning' checks are recorded and the run goes on.
"""

import traceback

import dagster as dg

from expectations import SUITES, record_results
from expectations.core import SuiteResult
from expectations.errors import TableMissing, WarehouseMissing
from expectations.runner import run_suites
from expectations.suites import LANDING_SUITES
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource

# Which asset each suite validates; a step runs its suites in this order. run_suites reads the next suite's frame
# while GE validates the current one: dim_person (quick to read, long to validate) goes first so that the
# slowest read, persons_encoded's (about 2 s at 1M rows), happens behind it.
SUITE_ASSET: dict[str, str] = {
    "file_manifest": "file_manifest",
    **{
        f"raw_{name[len('raw_') :]}": f"raw_submissions__{name[len('raw_') :]}"
        for name in SUITES
        if name.startswith("raw_")
    },
    "dim_person": "dim_person",
    "persons_encoded": "person_source_records",
    "person_source_records": "person_source_records",
    "indicator_values": "indicator_values",
}

_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}


def _ambiguous_ids() -> set[tuple[str, str]]:
    """(asset, check id) pairs that two suites on one asset share: only those carry the suite's name."""
    seen: dict[tuple[str, str], set[str]] = {}
    for suite, asset in SUITE_ASSET.items():
        for c in SUITES[suite].expectations:
            seen.setdefault((asset, c.id), set()).add(suite)
    return {key for key, suites in seen.items() if len(suites) > 1}


_AMBIGUOUS = _ambiguous_ids()


def _check_name(suite: str, check_id: str) -> str:
    """The check's own id ('rows_accounted_for'): the UI lists checks under their asset, so repeating the asset's
    or suite's name only cut the meaningful part off. Prefixed by the suite only where two suites on one asset
    share an id."""
    asset = SUITE_ASSET.get(suite, suite)
    return f"{suite}__{check_id}" if (asset, check_id) in _AMBIGUOUS else check_id


def _check_results(suite_name: str, asset: str, outcome: SuiteResult | Exception, wanted: set[str]):
    """The Dagster check results of one suite's run: one per property, or, when the suite could not run, each of
    its checks failed with the reason."""
    suite = SUITES[suite_name]
    if isinstance(outcome, Exception):
        if isinstance(outcome, (TableMissing, WarehouseMissing)):
            reason = str(outcome)
        else:
            reason = f"the suite could not run: {type(outcome).__name__}: {outcome}"
        for c in suite.expectations:
            if _check_name(suite_name, c.id) in wanted:
                yield dg.AssetCheckResult(
                    asset_key=asset,
                    check_name=_check_name(suite_name, c.id),
                    passed=False,
                    severity=_SEVERITY[c.severity],
                    metadata={"reason": reason},
                )
        return
    for r in outcome.results:
        name = _check_name(suite_name, r.check_id)
        if name not in wanted:
            continue
        metadata = {
            "severity": r.severity,
            "observed_value": r.observed_value or "",
            "unexpected_count": r.unexpected_count if r.unexpected_count is not None else -1,
        }
        if r.exception:
            metadata["exception"] = r.exception
        if outcome.data_docs_page:
            metadata["data_docs"] = dg.MetadataValue.path(outcome.data_docs_page)
        yield dg.AssetCheckResult(
            asset_key=asset,
            check_name=name,
            passed=r.success,
            severity=_SEVERITY[r.severity],
            description=r.description,
            metadata=metadata,
        )


def build_suite_checks(step: str, suites: dict[str, str]) -> dg.AssetChecksDefinition:
    """One Dagster step that runs several suites (``suite name -> asset``), one asset check per property.

    The suites of one step validate tables that one upstream step makes (the landing, or the dbt build): they
    are ready together, and one step instead of one per suite saves Dagster's per-step cost (about 0.2 s each).
    A suite that cannot run fails its own checks, with the reason; the other suites still report.
    """
    specs = [
        dg.AssetCheckSpec(
            name=_check_name(suite_name, c.id),
            asset=asset,
            description=f"[{c.severity}] {c.description}",
            blocking=c.severity == "error",
        )
        for suite_name, asset in suites.items()
        for c in SUITES[suite_name].expectations
    ]

    @dg.multi_asset_check(specs=specs, name=step, pool=DUCKDB_POOL, can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        wanted = {key.name for key in context.selected_asset_check_keys}
        selected = [
            name
            for name in suites
            if any(_check_name(name, c.id) in wanted for c in SUITES[name].expectations)
        ]
        recorded: list[SuiteResult] = []
        run_id = context.op_execution_context.run_id
        try:
            for name, outcome in run_suites(selected, warehouse.database_path, None, run_id):
                if isinstance(outcome, Exception) and not isinstance(outcome, (TableMissing, WarehouseMissing)):
                    trace = "".join(traceback.format_exception(outcome))
                    context.log.error(f"suite {name} could not run:\n{trace}")
                if isinstance(outcome, SuiteResult):
                    recorded.append(outcome)
                yield from _check_results(name, suites[name], outcome, wanted)
        finally:
            # One write for the step's suites; the Data Docs index is rebuilt once per run by quality_reports.
            if recorded:
                record_results(recorded, warehouse.database_path, rebuild_index=False)

    return _checks


# Suites run after the landing (file manifest and raw tables) and after the dbt build (encoded rows and marts).
_AFTER_LANDING = {n: a for n, a in SUITE_ASSET.items() if n in LANDING_SUITES}
_AFTER_DBT = {n: a for n, a in SUITE_ASSET.items() if n in SUITES and n not in LANDING_SUITES}

suite_checks = [
    build_suite_checks("ge_landing", _AFTER_LANDING),
    build_suite_checks("ge_marts", _AFTER_DBT),
]
