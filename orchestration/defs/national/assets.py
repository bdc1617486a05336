"""The hand-over package for the national intellectuals data system, after the marts and their blocking checks."""

import dagster as dg

from ingest.periods import is_future
from orchestration.defs.owners import owners_for
from orchestration.defs.partitions import REPORTING_PERIODS, SINGLE_RUN
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from publish.national.package import build_package
from settings import warehouse_dir


@dg.asset(
    key="national_package",
    group_name="national",
    owners=owners_for("national"),
    deps=["dim_person", "person_status_history", "person_source_records", "persons"],
    pool=DUCKDB_POOL,
    kinds={"json"},
    partitions_def=REPORTING_PERIODS,
    backfill_policy=SINGLE_RUN,
    description="Incremental, schema-checked, HMAC-authenticated package in warehouse/outbox/national/{sequence}/: "
    "persons new, changed or withdrawn since the last package the receiver acknowledged. Partitioned by reporting "
    "period: one partition builds the package as of that period; a range (the landing runs) builds it as of the "
    "latest period with data, since a package carries what changed, not one period's rows alone.",
)
def national_package(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    # one partition: that period; a range or no partition (a landing run): the latest period with data
    keys = list(context.partition_keys) if context.has_partition_key_range else []
    period = keys[0] if len(keys) == 1 else None
    if period is not None and is_future(period):
        raise dg.Failure(f"Period {period} is later than the current half-year: no package for it.")
    result = build_package(warehouse.database_path, warehouse_dir() / "outbox", period=period)
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
