"""Errors a user of the national exchange can meet: what went wrong, where, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NationalExchangeError(Exception):
    """Base class of the national exchange's errors."""


class ExchangeKeyError(NationalExchangeError):
    """The HMAC key is missing, unreadable or too short."""


class WarehouseNotReadyError(NationalExchangeError):
    """The warehouse file or one of the tables the package is built from is missing."""


class InvalidPeriodError(NationalExchangeError):
    """The requested period is malformed, has no data, or goes back before a released package."""


class MassWithdrawalError(NationalExchangeError):
    """The package would withdraw a large share of the records the receiver holds."""


class ReferenceDataError(NationalExchangeError):
    """A code list needed to check citizen IDs cannot be read."""


class AcknowledgementError(NationalExchangeError):
    """An acknowledgement cannot be written (no such package, or it fails verification)."""


@dataclass(frozen=True)
class RecordFailure:
    """One record that broke the schema: its line in records.jsonl, its pseudonymous key, the reasons."""

    line: int
    person_key: str | None
    change_type: str | None
    reasons: tuple[str, ...]


class PackageValidationError(NationalExchangeError):
    """Records or the manifest broke the exchange schemas; the package was NOT released."""

    def __init__(
        self,
        failures: list[RecordFailure],
        failing_count: int,
        manifest_reasons: list[str],
        report_path: Path | None,
    ) -> None:
        self.failures = failures
        self.failing_count = failing_count
        self.manifest_reasons = manifest_reasons
        self.report_path = report_path
        lines = [
            f"national package not released: {failing_count} record(s) and "
            f"{len(manifest_reasons)} manifest problem(s) break the exchange schema."
        ]
        for failure in failures[:5]:
            lines.append(
                f"  line {failure.line} (person_key {failure.person_key}, {failure.change_type}): "
                + "; ".join(failure.reasons)
            )
        lines.extend(f"  manifest: {reason}" for reason in manifest_reasons[:5])
        lines.append(
            f"Full report: {report_path}. Fix the values in the warehouse (or the code lists) and build again."
        )
        super().__init__("\n".join(lines))
