"""``gxe``: Great Expectations' expectation classes, imported on first use.

Importing GE takes 3-4 s. The suites name their expectations at import time but build them only when they
validate, and Dagster loads the definitions (which list every check) in the webserver, the daemon and every step
process of a run: with this proxy only the steps that validate pay for GE.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # the machine has no network; never phone home


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<lazy module {self._name} ({state})>"


gxe: Any = _LazyModule("great_expectations.expectations")
