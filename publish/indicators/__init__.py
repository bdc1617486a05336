"""Publishing the indicator marts: per-period exports (Parquet, CSV, Excel) and a static HTML report.

Pure Python (no Dagster): the Dagster wiring lives in orchestration/defs/.
"""

from __future__ import annotations

from pathlib import Path

from publish.indicators.data import read_indicator_values
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
    "publish_period",
    "render_report",
]


def publish_period(warehouse: Path, period: str, out_dir: Path) -> tuple[list[Path], Path]:
    """A period's exports (``out_dir/exports/<period>/``) and report (``out_dir/reports/indicators/<period>.html``)
    from one read of its indicator rows: (export paths, report path)."""
    values = read_indicator_values(Path(warehouse), period)
    files = export_period(warehouse, period, Path(out_dir) / "exports", values)
    report = render_report(warehouse, period, Path(out_dir) / "reports", values)
    return files, report
