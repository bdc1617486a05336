"""Great Expectations suites as Dagster asset checks: one check per property, one GE run per suite, one Dagster
step for the suites on the landed tables (ge_landing) and one for those on the dbt build (ge_marts).

A check whose severity is 'error' is blocking: if it fails, assets downstream of the table it validates do not
run (the marts, the exports, the national package). 'warning' checks are recorded and the run goes on.
"""

import dagster as dg

from expectations import SUITES, record_results, run_suite
from expectations.errors import TableMissing, WarehouseMissing
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource

# Which asset each suite validates.
SUITE_ASSET: dict[str, str] = {
    "file_manifest": "file_manifest",
    **{
        f"raw_{name[len('raw_') :]}": f"raw_submissions__{name[len('raw_') :]}"
        for name in SUITES
        if name.startswith("raw_")
    },
    "persons_encoded": "person_source_records",
    "person_source_records": "person_source_records",
    "dim_person": "dim_person",
    "indicator_values": "indicator_values",
}

_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}


def _check_name(suite: str, check_id: str) -> str:
    return f"{suite}__{check_id}"


def _results_for_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, suite_name: str, asset: str, wanted: set[str]
):
    suite = SUITES[suite_name]

    def failed_all(reason: str):
        for c in suite.expectations:
            if _check_name(suite_name, c.id) in wanted:
                yield dg.AssetCheckResult(
                    asset_key=asset,
                    check_name=_check_name(suite_name, c.id),
                    passed=False,
                    severity=_SEVERITY[c.severity],
                    metadata={"reason": reason},
                )

    try:
        result = run_suite(suite_name, warehouse.database_path, None, context.op_execution_context.run_id)
    except (TableMissing, WarehouseMissing) as exc:
        yield from failed_all(str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one suite's error must not hide the other suites' results
        context.log.exception(f"suite {suite_name} could not run")
        yield from failed_all(f"the suite could not run: {type(exc).__name__}: {exc}")
        return
    # The Data Docs index is rebuilt once per run by quality_reports, not after every suite.
    record_results(result, warehouse.database_path, rebuild_index=False)
    for r in result.results:
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
        if result.data_docs_page:
            metadata["data_docs"] = dg.MetadataValue.path(result.data_docs_page)
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
        for suite_name, asset in suites.items():
            if any(_check_name(suite_name, c.id) in wanted for c in SUITES[suite_name].expectations):
                yield from _results_for_suite(context, warehouse, suite_name, asset, wanted)

    return _checks


# Suites run after the landing (file manifest and raw tables) and after the dbt build (encoded rows and marts).
_AFTER_LANDING = {n: a for n, a in SUITE_ASSET.items() if n in SUITES and (n == "file_manifest" or n.startswith("raw_"))}
_AFTER_DBT = {n: a for n, a in SUITE_ASSET.items() if n in SUITES and n not in _AFTER_LANDING}

suite_checks = [
    build_suite_checks("ge_landing", _AFTER_LANDING),
    build_suite_checks("ge_marts", _AFTER_DBT),
]
