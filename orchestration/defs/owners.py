"""Who answers for each asset, by its group: shown on every asset in the Dagster UI (Owner), so an engineer who
sees a failure knows whom to ask."""

from __future__ import annotations

DATA_ENGINEERING = "team:data-engineering"  # Sở KH&CN: the warehouse's engineers
QUALITY_OFFICE = "team:quality-office"  # quality officers: validation, feedback to units
STATISTICS_OFFICE = "team:statistics-office"  # indicator definitions, exports, the director's report

OWNERS_BY_GROUP: dict[str, str] = {
    "raw": DATA_ENGINEERING,
    "reference": DATA_ENGINEERING,
    "staging": DATA_ENGINEERING,
    "intermediate": DATA_ENGINEERING,
    "pii": DATA_ENGINEERING,
    "national": DATA_ENGINEERING,
    "publish": DATA_ENGINEERING,
    "quality": QUALITY_OFFICE,
    "marts": STATISTICS_OFFICE,
    "indicators": STATISTICS_OFFICE,
}


def owners_for(group: str | None) -> list[str]:
    return [OWNERS_BY_GROUP.get(group or "", DATA_ENGINEERING)]
