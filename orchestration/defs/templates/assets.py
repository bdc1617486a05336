"""Each unit's pre-filled workbook for its next report, after the period's indicators and quality reports."""

import dagster as dg

from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.quality.feedback import write_feedback
from publish.quality.page import write_quality_pages
from publish.templates.build import build_templates


@dg.asset(
    key="report_templates",
    group_name="quality",
    owners=owners_for("quality"),
    deps=["indicator_package", "quality_reports"],
    pool=DUCKDB_POOL,
    kinds={"excel"},
    description="warehouse/reports/templates/{period}/{unit}.xlsx: for every unit that owes a list of "
    "intellectuals, a workbook for its next report pre-filled with the people of its last accepted list, in its "
    "own order, with drop-down code lists, a guide and a hidden signed sheet by which the loader recognises it when "
    "it comes back (confirmed, edited, new and removed rows). Built for the period after the latest list received; "
    "only templates whose content changed are rewritten. Then the quality page and the feedback workbooks of that "
    "latest period are written again so that they link each unit's template. One unit on demand: "
    "python -m publish.templates UNIT_CODE [--period P].",
)
def report_templates(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    build = build_templates(warehouse.database_path)
    if build.period is None:
        context.log.info("no unit has sent a list of intellectuals yet: no template to build")
        return dg.MaterializeResult(metadata={"period": "", "templates": 0})
    context.log.info(
        f"templates for {build.period}: {len(build.templates)} units, {len(build.rewritten)} rewritten, "
        f"{sum(t.prefilled for t in build.templates)} people pre-filled (lists up to {build.base_period})"
    )
    # The latest period's page and feedback workbooks name each unit's template for the next one.
    with warehouse.connect(read_only=True) as con:
        scored = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'quality' "
            "and table_name = 'unit_scorecard'"
        ).fetchone()[0]
    if scored and build.base_period:
        write_feedback(warehouse.database_path, build.base_period)
        write_quality_pages(warehouse.database_path, [build.base_period])
    return dg.MaterializeResult(
        metadata={
            "period": build.period,
            "templates": len(build.templates),
            "rewritten": len(build.rewritten),
            "people_prefilled": sum(t.prefilled for t in build.templates),
            "folder": dg.MetadataValue.path(str(build.templates[0].path.parent) if build.templates else ""),
        }
    )
