"""The unit registry: who may submit (code, kind, name) and which datasets each must send.

Kept in ``dbt_project/seeds/registry/unit_registry.csv`` so dbt (as a seed) and ingestion read one file. Which
period owes the annual datasets is ``Period.is_annual`` (``seeds/registry/reporting_halves.csv``); dbt derives the
same from the same two seeds, once, in ``int_unit_datasets_expected`` (read by the unit scorecard and the
indicators' completeness).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.periods import Period
from settings import REGISTRY_CSV

UNIT_KINDS = ("ward", "department", "university")


@dataclass(frozen=True)
class Unit:
    code: str
    kind: str
    name_vi: str
    datasets_half_year: tuple[str, ...]
    datasets_annual: tuple[str, ...]
    # the seed's other columns, which the sample generator reads (samples/population.py); empty where the seed
    # leaves them empty (institution_level is a university's only)
    institution_level: str = ""
    employer_type_code: str = ""

    def expected_datasets(self, period: Period) -> tuple[str, ...]:
        """The datasets the unit owes for ``period``: its half-year ones, then its annual ones in the annual report's
        period (the order of dbt's int_unit_datasets_expected.dataset_position)."""
        return self.datasets_half_year + (self.datasets_annual if period.is_annual else ())


def _split(text: str) -> tuple[str, ...]:
    return tuple(s for s in (p.strip() for p in text.split(";")) if s)


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_CSV) -> dict[tuple[str, str], Unit]:
    """Units keyed by (kind, code)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {
            (r["unit_kind"], r["unit_code"]): Unit(
                code=r["unit_code"],
                kind=r["unit_kind"],
                name_vi=r["name_vi"],
                datasets_half_year=_split(r["datasets_half_year"]),
                datasets_annual=_split(r["datasets_annual"]),
                institution_level=r["institution_level"],
                employer_type_code=r["employer_type_code"],
            )
            for r in csv.DictReader(fh)
        }
