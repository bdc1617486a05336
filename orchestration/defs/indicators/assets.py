"""Exports and the director's report for each period, downstream of the indicator marts and their checks."""

import dagster as dg

from ingest.periods import is_future
from orchestration.defs.owners import owners_for
from orchestration.defs.partitions import REPORTING_PERIODS, SINGLE_RUN, periods_of_run
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.indicators import publish_period
from settings import warehouse_dir


@dg.asset(
    key="indicator_package",
    group_name="indicators",
    owners=owners_for("indicators"),
    deps=["indicator_values", "indicator_catalog"],
    pool=DUCKDB_POOL,
    kinds={"parquet", "csv", "excel", "html"},
    partitions_def=REPORTING_PERIODS,
    backfill_policy=SINGLE_RUN,
    description="One partition per reporting period: warehouse/exports/{period}/ (Parquet, CSV with BOM, Excel "
    "with a README sheet) and warehouse/reports/indicators/{period}.html, for the statistics office. To publish "
    "a past period again, materialize (or backfill) its partition.",
)
def indicator_package(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        found = {r[0] for r in con.execute("select distinct period from marts.indicator_values").fetchall()}
    periods = periods_of_run(context, found)
    future = [p for p in periods if is_future(p)]
    if future:  # a partition added for a half-year that has not come yet (a clock set wrong)
        raise dg.Failure(
            f"Kỳ {', '.join(future)} chưa tới (sau kỳ hiện tại) nên không xuất bản. / "
            f"Period {', '.join(future)} is later than the current half-year: not published."
        )
    out = warehouse_dir()
    written: dict[str, list[str]] = {}
    for period in periods:
        if period not in found:
            context.log.info(f"{period}: no indicator values (no accepted data for it): nothing published")
            written[period] = []
            continue
        files, report = publish_period(warehouse.database_path, period, out)
        written[period] = [str(p) for p in [*files, report]]
        context.log.info(f"{period}: {len(files)} export files, report {report}")
    ignored = sorted(p for p in found if p not in periods and p not in REPORTING_PERIODS.get_partition_keys())
    if ignored:
        context.log.warning(f"periods that are not reporting periods (future or malformed) not published: {ignored}")
    return dg.MaterializeResult(metadata={"periods": dg.MetadataValue.json(written)})
