"""Publishing the indicator marts: per-period exports (Parquet, CSV, Excel) and a static HTML report.

Pure Python (no Dagster): the Dagster wiring lives in orchestration/defs/.
"""

from publish.indicators.errors import (
    IndicatorPublishError,
    PeriodNotInWarehouse,
    WarehouseNotReady,
)
from publish.indicators.exports import export_period
from publish.indicators.report import render_report

__all__ = [
    "IndicatorPublishError",
    "PeriodNotInWarehouse",
    "WarehouseNotReady",
    "export_period",
    "render_report",
]
