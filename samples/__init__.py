"""Sample submissions with known truth: demo data, test data and benchmark data for the readers.

CLI: ``python -m samples.generate --out <landing> --truth <truth dir> [...]`` (see pipeline.py).
"""

from __future__ import annotations

from samples.bench import BenchSummary
from samples.pipeline import GenerationSummary, generate, generate_bench

__all__ = ["BenchSummary", "GenerationSummary", "generate", "generate_bench"]
