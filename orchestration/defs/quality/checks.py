"""Great Expectations suites as Dagster asset checks: one check per property, one GE run per suite.

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


def build_suite_checks(suite_name: str, asset: str) -> dg.AssetChecksDefinition:
    suite = SUITES[suite_name]
    specs = [
        dg.AssetCheckSpec(
            name=_check_name(suite_name, c.id),
            asset=asset,
            description=f"[{c.severity}] {c.description}",
            blocking=c.severity == "error",
        )
        for c in suite.expectations
    ]

    @dg.multi_asset_check(specs=specs, name=f"ge_{suite_name}", pool=DUCKDB_POOL, can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        wanted = {key.name for key in context.selected_asset_check_keys}
        try:
            result = run_suite(suite_name, warehouse.database_path, None, context.op_execution_context.run_id)
        except (TableMissing, WarehouseMissing) as exc:
            for c in suite.expectations:
                if _check_name(suite_name, c.id) in wanted:
                    yield dg.AssetCheckResult(
                        asset_key=asset,
                        check_name=_check_name(suite_name, c.id),
                        passed=False,
                        severity=_SEVERITY[c.severity],
                        metadata={"reason": str(exc)},
                    )
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

    return _checks


suite_checks = [build_suite_checks(name, asset) for name, asset in SUITE_ASSET.items() if name in SUITES]
