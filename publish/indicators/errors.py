"""Errors a user of the indicator exports and report can meet: what, where, what to do."""

from __future__ import annotations

from pathlib import Path


class IndicatorPublishError(Exception):
    """Base class: the exports or the report could not be produced."""


class WarehouseNotReady(IndicatorPublishError):
    def __init__(self, warehouse: Path, detail: str) -> None:
        self.warehouse = warehouse
        super().__init__(
            f"Warehouse {warehouse} has no usable indicator marts ({detail}). "
            "Run the dbt build (marts.indicator_catalog, marts.indicator_values) first."
        )


class PeriodNotInWarehouse(IndicatorPublishError):
    def __init__(self, period: str, available: list[str]) -> None:
        self.period = period
        self.available = available
        shown = ", ".join(available) or "none"
        super().__init__(
            f"Period '{period}' has no rows in marts.indicator_values (periods available: {shown}). "
            "Use a period written as YYYY-H1 or YYYY-H2 for which files were loaded."
        )


class PersonalDataInExport(IndicatorPublishError):
    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        super().__init__(
            f"Refusing to export: columns {columns} look like personal data. Only aggregates and pseudonymous "
            "keys may leave the warehouse; remove them from the export column list."
        )
