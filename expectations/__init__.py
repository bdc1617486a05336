"""Data quality: Great Expectations suites in code, validation results, unit scorecards' feedback and the
quality officers' page. Nothing here imports Dagster; orchestration calls these functions."""

from expectations.core import Check, CheckResult, Suite, SuiteResult
from expectations.results import record_results
from expectations.runner import run_check, run_suite
from expectations.suites import SUITES

__all__ = [
    "SUITES",
    "Check",
    "CheckResult",
    "Suite",
    "SuiteResult",
    "record_results",
    "run_check",
    "run_suite",
]
