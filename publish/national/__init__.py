"""Safe, checked, incremental hand-over of person records to the national intellectuals data system.

Pure Python (no Dagster). Contract: ``schemas/``; receiving side: ``RECEIVING.md``.
"""

from .errors import (
    AcknowledgementError,
    ExchangeKeyError,
    InvalidPeriodError,
    MassWithdrawalError,
    NationalExchangeError,
    PackageValidationError,
    RecordFailure,
    ReferenceDataError,
    WarehouseNotReadyError,
)
from .package import PackageResult, build_package, national_dir
from .verify import Verdict, acknowledge_package, verify_package

__all__ = [
    "AcknowledgementError",
    "ExchangeKeyError",
    "InvalidPeriodError",
    "MassWithdrawalError",
    "NationalExchangeError",
    "PackageResult",
    "PackageValidationError",
    "RecordFailure",
    "ReferenceDataError",
    "Verdict",
    "WarehouseNotReadyError",
    "acknowledge_package",
    "build_package",
    "national_dir",
    "verify_package",
]
