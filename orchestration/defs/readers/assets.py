"""The readers' snapshot, refreshed as the last step of a successful run (publish.reader_snapshot)."""

import dagster as dg

from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.reader_snapshot import publish_reader_snapshot


@dg.asset(
    key="reader_snapshot",
    group_name="publish",
    owners=owners_for("publish"),
    deps=["quality_reports", "indicator_package", "national_package"],
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description="warehouse/published/trithuc.duckdb: the marts, the quality tables and the reference code lists "
    "for the statistics office and the quality officers (no personal data, no raw rows), written to a temporary "
    "file and renamed into place after everything else succeeded. Readers open this file, never the one a run "
    "writes: an open reader never blocks a run and keeps its version until it reopens.",
)
def reader_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    summary = publish_reader_snapshot(warehouse.database_path)
    context.log.info(f"readers' snapshot: {summary.path} ({len(summary.tables)} tables, {summary.rows:,} rows)")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.path)),
            "tables": len(summary.tables),
            "rows": summary.rows,
        }
    )
