"""The hand-over package for the national intellectuals data system, after the marts and their blocking checks."""

import dagster as dg
from pydantic import Field

from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.national.package import build_package
from settings import warehouse_dir


class NationalPackageConfig(dg.Config):
    period: str = Field(
        default="",
        description="Kỳ báo cáo của gói (vd. 2026-H1); để trống: kỳ mới nhất có dữ liệu. / The package's reporting "
        "period, e.g. 2026-H1; empty: the latest period with accepted data. The package holds what changed since "
        "the last package the national system acknowledged, whatever the period.",
    )


@dg.asset(
    key="national_package",
    group_name="national",
    owners=owners_for("national"),
    deps=["dim_person", "person_status_history", "person_source_records", "persons"],
    pool=DUCKDB_POOL,
    kinds={"json"},
    description="Incremental, schema-checked, HMAC-authenticated package in warehouse/outbox/national/{sequence}/: "
    "persons new, changed or withdrawn since the last package the receiver acknowledged.",
)
def national_package(
    context: dg.AssetExecutionContext, config: NationalPackageConfig, warehouse: WarehouseResource
):
    result = build_package(warehouse.database_path, warehouse_dir() / "outbox", period=config.period or None)
    context.log.info(f"national package: {result.reason}")
    metadata = {
        "released": result.released,
        "counts": dg.MetadataValue.json(result.counts or {}),
        "reason": result.reason,
    }
    if result.sequence is not None:
        metadata["sequence"] = result.sequence
    if result.path:
        metadata["path"] = dg.MetadataValue.path(str(result.path))
    return dg.MaterializeResult(metadata=metadata)
