"""The quality officers' outputs, per reporting period: the scorecard page, one feedback workbook per unit with
problems; and the Data Docs index."""

import dagster as dg

from expectations.runner import rebuild_data_docs_index
from ingest.periods import is_future
from orchestration.defs.owners import owners_for
from orchestration.defs.partitions import REPORTING_PERIODS, SINGLE_RUN, periods_of_run
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.quality.feedback import write_feedback
from publish.quality.page import quality_page_path, write_quality_pages


@dg.asset(
    key="quality_reports",
    group_name="quality",
    owners=owners_for("quality"),
    deps=["unit_scorecard", "row_issues", "unmapped_values", "match_review"],
    pool=DUCKDB_POOL,
    kinds={"html", "excel"},
    partitions_def=REPORTING_PERIODS,
    backfill_policy=SINGLE_RUN,
    description="One partition per reporting period: the period's unit scorecards, as the page "
    "warehouse/reports/quality/{period}.html (every unit, worst first) and as "
    "warehouse/reports/feedback/{period}/{unit}.xlsx for every unit with problems; quality/index.html lists the "
    "periods, newest first, and the Data Docs index is rebuilt. The scores come from the dbt table "
    "quality.unit_scorecard, which holds every period in one table and so is not partitioned: this asset publishes "
    "them per period. To send a past period's scorecards and feedback again, materialize (or backfill) its "
    "partition.",
)
def quality_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        received = {
            r[0]
            for r in con.execute(
                "select distinct period from quality.file_manifest where period is not null and status <> 'ignored'"
            ).fetchall()
        }
    asked = periods_of_run(context, received)
    future = [p for p in asked if is_future(p)]
    if future:  # a partition added for a half-year that has not come yet (a clock set wrong)
        raise dg.Failure(f"Period {', '.join(future)} is later than the current half-year: not published.")
    # Feedback and a page for every period asked for that a unit sent something for.
    periods = [p for p in asked if p in received]
    for period in sorted(set(asked) - received):
        context.log.info(f"{period}: no file received for it: no feedback or page")
    workbooks = []
    for period in periods:
        workbooks += write_feedback(warehouse.database_path, period)
    docs = rebuild_data_docs_index(warehouse.database_path)
    # One page per period (each leaves the others' pages alone) and the index of periods.
    pages = write_quality_pages(warehouse.database_path, periods) if periods else []
    page = quality_page_path(warehouse.database_path) if pages else None
    context.log.info(f"{len(workbooks)} feedback workbooks; quality pages for {len(pages)} periods, index {page}")
    metadata = {
        "periods": dg.MetadataValue.json(periods),
        "feedback_workbooks": len(workbooks),
        "data_docs": dg.MetadataValue.path(str(docs)),
    }
    if page:
        metadata["quality_page"] = dg.MetadataValue.path(str(page))
        metadata["quality_page_latest"] = dg.MetadataValue.path(
            str(quality_page_path(warehouse.database_path, periods[-1]))
        )
    return dg.MaterializeResult(metadata=metadata)
