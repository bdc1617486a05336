"""Errors a quality officer or the orchestration can meet: what went wrong, where, and what to do."""

from __future__ import annotations

from pathlib import Path


class ExpectationsError(Exception):
    """Base class: every error here carries a message a person can act on."""


class UnknownSuite(ExpectationsError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"No validation suite named {name!r}. Known suites: {', '.join(sorted(known))}.")
        self.name = name


class UnknownCheck(ExpectationsError):
    def __init__(self, suite: str, check_id: str, known: list[str]):
        super().__init__(f"Suite {suite!r} has no check {check_id!r}. Its checks: {', '.join(known)}.")


class WarehouseMissing(ExpectationsError):
    def __init__(self, path: Path):
        super().__init__(
            f"Warehouse file {path} does not exist. Run the ingestion and dbt build first "
            "(make run), or point TRITHUC_WAREHOUSE at the right file."
        )
        self.path = path


class TableMissing(ExpectationsError):
    def __init__(self, relation: str, suite: str):
        super().__init__(
            f"Suite {suite!r} needs {relation}, which does not exist in the warehouse. "
            "Materialize it first (ingestion for raw.*/quality.file_manifest, dbt build for the models)."
        )
        self.relation = relation
