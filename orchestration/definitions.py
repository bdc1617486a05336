"""Assembles the code location from the concept modules under orchestration/defs/. No asset logic here."""

from __future__ import annotations

import importlib

import dagster as dg

from orchestration.defs.resources import WarehouseResource

CONCEPTS = (
    "orchestration.defs.ingest.definitions",
    "orchestration.defs.dbt.definitions",
    "orchestration.defs.quality.definitions",
    "orchestration.defs.indicators.definitions",
    "orchestration.defs.national.definitions",
    "orchestration.defs.readers.definitions",
    "orchestration.defs.templates.definitions",
    "orchestration.defs.jobs",
)


def _concept_defs() -> list[dg.Definitions]:
    return [importlib.import_module(name).defs for name in CONCEPTS]


@dg.definitions
def defs() -> dg.Definitions:
    # Steps run one after another anyway (every warehouse step is in the duckdb pool of one slot): the in-process
    # executor runs them in the run's own process. Dagster's default starts a process per step, each importing
    # Dagster, dbt and these definitions again: a run from the UI or the sensor took twice as long as `make run`.
    return dg.Definitions.merge(
        *_concept_defs(),
        dg.Definitions(resources={"warehouse": WarehouseResource()}, executor=dg.in_process_executor),
    )
