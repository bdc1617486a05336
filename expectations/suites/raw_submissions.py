"""The aggregate and register raw tables (population, budget, S&T tasks ...): one suite each, from the contract.

They share one module because their suites are generated from ``ingest/datasets.py`` and differ only there.
"""

from __future__ import annotations

from expectations.core import Suite
from expectations.suites._raw import raw_suite
from ingest.datasets import DATASETS

SUITES: tuple[Suite, ...] = tuple(raw_suite(name) for name in DATASETS if name != "persons")
