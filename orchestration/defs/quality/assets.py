"""The quality officers' outputs: Data Docs index, one feedback workbook per unit with problems, the quality page."""

import dagster as dg

from expectations.feedback import write_feedback
from expectations.quality_page import quality_page_path, write_quality_pages
from expectations.runner import rebuild_data_docs_index
from ingest.periods import latest_period, publishable_periods
from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource


@dg.asset(
    key="quality_reports",
    group_name="quality",
    owners=owners_for("quality"),
    deps=["unit_scorecard", "row_issues", "unmapped_values", "match_review"],
    pool=DUCKDB_POOL,
    kinds={"html", "excel"},
    description="warehouse/reports/: Data Docs, feedback/<period>/<unit>.xlsx for every unit with problems, and "
    "quality/<period>.html for each of those periods and quality/index.html listing them, newest first.",
)
def quality_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        received = con.execute(
            "select period, bool_or(status in ('loaded', 'loaded_with_issues')) from quality.file_manifest "
            "where period is not null and status <> 'ignored' group by period"
        ).fetchall()
    # Feedback for every period a unit sent something for, except the future (those files are rejected, and a
    # future period must never make outputs of its own); the page shows the latest period with accepted data.
    periods = publishable_periods(p for p, _ in received)
    skipped = sorted({p for p, _ in received} - set(periods))
    if skipped:
        context.log.warning(f"periods in the future (or malformed) not published: {', '.join(skipped)}")
    latest = latest_period(p for p, accepted in received if accepted)
    workbooks = []
    for period in periods:
        workbooks += write_feedback(warehouse.database_path, period)
    docs = rebuild_data_docs_index(warehouse.database_path)
    # One page per period (each leaves the others' pages alone) and the index of periods.
    pages = write_quality_pages(warehouse.database_path, periods) if periods else []
    page = quality_page_path(warehouse.database_path) if pages else None
    context.log.info(
        f"{len(workbooks)} feedback workbooks; quality pages for {len(pages)} periods, index {page}"
    )
    metadata = {"feedback_workbooks": len(workbooks), "data_docs": dg.MetadataValue.path(str(docs))}
    if page:
        metadata["quality_page"] = dg.MetadataValue.path(str(page))
        if latest in periods:
            metadata["quality_page_latest"] = dg.MetadataValue.path(
                str(quality_page_path(warehouse.database_path, latest))
            )
    return dg.MaterializeResult(metadata=metadata)
