"""Command line: ``python -m ingest.samples.generate --out <landing> --truth <truth dir> ...``.

The implementation lives in ``ingest.samples.pipeline``; import the API from ``ingest.samples``.
"""

from __future__ import annotations

import sys

from ingest.samples.pipeline import GenerationSummary, generate, generate_bench, main

__all__ = ["GenerationSummary", "generate", "generate_bench", "main"]

if __name__ == "__main__":
    sys.exit(main())
