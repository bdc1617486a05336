"""Reporting periods: ``YYYY-H1`` (due 20 June) and ``YYYY-H2`` (the annual report, due 5 December)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD_RE = re.compile(r"^(20\d{2})-H([12])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def deadline(self) -> date:
        return date(self.year, 6, 20) if self.half == 1 else date(self.year, 12, 5)

    @property
    def is_annual(self) -> bool:
        return self.half == 2

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def next(self) -> Period:
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period | None:
    """``'2026-H1'`` -> Period(2026, 1); anything else -> None (the caller rejects, never guesses)."""
    m = _PERIOD_RE.match(text.strip())
    if not m:
        return None
    return Period(int(m.group(1)), int(m.group(2)))
