"""The quality officers' outputs: Data Docs index, one feedback workbook per unit with problems, the quality page."""

import dagster as dg

from expectations.feedback import write_feedback
from expectations.quality_page import write_quality_page
from expectations.runner import rebuild_data_docs_index
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource


@dg.asset(
    key="quality_reports",
    group_name="quality",
    deps=["unit_scorecard", "row_issues", "unmapped_values", "match_review"],
    pool=DUCKDB_POOL,
    kinds={"html", "excel"},
    description="warehouse/reports/: Data Docs, feedback/<period>/<unit>.xlsx for every unit with problems, and "
    "quality/index.html for the latest period.",
)
def quality_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        periods = [
            r[0]
            for r in con.execute(
                "select distinct period from quality.file_manifest where period similar to '20[0-9][0-9]-H[12]' "
                "and status <> 'ignored' "
                "order by period"
            ).fetchall()
        ]
    workbooks = []
    for period in periods:
        workbooks += write_feedback(warehouse.database_path, period)
    docs = rebuild_data_docs_index(warehouse.database_path)
    page = write_quality_page(warehouse.database_path, periods[-1]) if periods else None
    context.log.info(f"{len(workbooks)} feedback workbooks; quality page {page}")
    metadata = {"feedback_workbooks": len(workbooks), "data_docs": dg.MetadataValue.path(str(docs))}
    if page:
        metadata["quality_page"] = dg.MetadataValue.path(str(page))
    return dg.MaterializeResult(metadata=metadata)
