"""Exports and the director's report for each period, downstream of the indicator marts and their checks."""

import dagster as dg

from ingest.config import warehouse_dir
from ingest.periods import is_future, publishable_periods
from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from orchestration.publish.indicators.exports import export_period
from orchestration.publish.indicators.report import render_report


class IndicatorPackageConfig(dg.Config):
    period: str = ""  # empty: every period in marts.indicator_values up to the current half-year


@dg.asset(
    key="indicator_package",
    group_name="indicators",
    owners=owners_for("indicators"),
    deps=["indicator_values", "indicator_catalog"],
    pool=DUCKDB_POOL,
    kinds={"parquet", "csv", "excel", "html"},
    description="warehouse/exports/<period>/ (Parquet, CSV with BOM, Excel with a README sheet) and "
    "warehouse/reports/indicators/<period>.html, for the statistics office.",
)
def indicator_package(
    context: dg.AssetExecutionContext, config: IndicatorPackageConfig, warehouse: WarehouseResource
):
    if config.period:
        if is_future(config.period):
            raise dg.Failure(
                f"Kỳ {config.period} chưa tới (sau kỳ hiện tại) nên không xuất bản. / "
                f"Period {config.period} is later than the current half-year: not published."
            )
        periods = [config.period]
    else:
        with warehouse.connect(read_only=True) as con:
            found = [
                r[0] for r in con.execute("select distinct period from marts.indicator_values").fetchall()
            ]
        # Never a period later than the current half-year: such rows are not data anyone could have sent yet.
        periods = publishable_periods(found)
        if len(periods) < len(set(found)):
            context.log.warning(
                "periods in the future (or malformed) not published: "
                + ", ".join(sorted(set(found) - set(periods)))
            )
    out = warehouse_dir()
    written: dict[str, list[str]] = {}
    for period in periods:
        files = export_period(warehouse.database_path, period, out / "exports")
        report = render_report(warehouse.database_path, period, out / "reports")
        written[period] = [str(p) for p in [*files, report]]
        context.log.info(f"{period}: {len(files)} export files, report {report}")
    return dg.MaterializeResult(metadata={"periods": dg.MetadataValue.json(written)})
