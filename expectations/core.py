"""The shapes every suite shares: a check (one property, one GE expectation), a suite, and typed results.

A suite knows how to read the frame it validates from the warehouse (``load``) and what it needs to know at
validation time (``reference``: code lists read from the ``reference.*`` seeds, counts from the manifest ...).
Each :class:`Check` builds exactly one Great Expectations expectation from that reference, so one property can
be run and reported on its own (one Dagster asset check per property).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import duckdb
import pandas as pd

if TYPE_CHECKING:  # GE is imported when a suite validates, not when the definitions load (expectations._gx)
    from great_expectations.expectations import Expectation

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")

# Derived columns computed by a suite's loader (never present in the warehouse table itself).
DERIVED_PREFIX = "chk_"

Reference = Mapping[str, Any]
Loader = Callable[[duckdb.DuckDBPyConnection, "str | None"], pd.DataFrame]
ReferenceReader = Callable[[duckdb.DuckDBPyConnection, "str | None"], Reference]


@dataclass(frozen=True)
class Check:
    """One property of one table: ``severity`` 'error' blocks downstream, 'warning' is recorded."""

    id: str
    severity: Severity
    description: str
    build: Callable[[Reference], Expectation]
    column: str | None = None

    def expectation(self, ref: Reference, suite: str) -> Expectation:
        exp = self.build(ref)
        exp.meta = {
            **(exp.meta or {}),
            "check_id": self.id,
            "severity": self.severity,
            "suite": suite,
            "description": self.description,
        }
        return exp


@dataclass(frozen=True)
class Suite:
    name: str
    relation: str  # the warehouse table the suite is about, e.g. 'raw.persons'
    description: str
    load: Loader
    reference: ReferenceReader
    expectations: tuple[Check, ...]
    # Other relations the loader reads; missing ones are tolerated by the loader itself.
    also_reads: tuple[str, ...] = ()

    def check(self, check_id: str) -> Check:
        from expectations.errors import UnknownCheck

        for c in self.expectations:
            if c.id == check_id:
                return c
        raise UnknownCheck(self.name, check_id, [c.id for c in self.expectations])

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.expectations)


@dataclass(frozen=True)
class CheckResult:
    suite: str
    check_id: str
    expectation_type: str
    column: str | None
    severity: Severity
    success: bool
    observed_value: str | None  # JSON text: a number, a list of columns, a share ...
    unexpected_count: int | None
    element_count: int | None
    description: str
    sample_unexpected: tuple[str, ...] = ()
    exception: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "error" and not self.success


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    relation: str
    period: str | None
    run_id: str
    run_at: datetime
    results: tuple[CheckResult, ...]
    data_docs_page: str | None = None  # path of the rendered validation page (None when docs were off)
    row_count: int = 0
    _by_id: dict[str, CheckResult] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({r.check_id: r for r in self.results})

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def blocking_failed(self) -> bool:
        """True when any 'error' check failed: downstream must not run on this data."""
        return any(r.blocking for r in self.results)

    @property
    def blocking_failures(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.blocking)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.severity == "warning" and not r.success)

    def __getitem__(self, check_id: str) -> CheckResult:
        return self._by_id[check_id]


def to_json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
