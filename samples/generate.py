"""Command line: ``python -m samples.generate --out <landing> --truth <truth dir> ...``.

The implementation lives in ``samples.pipeline``; import the API from ``samples``.
"""

from __future__ import annotations

import sys

from samples.pipeline import GenerationSummary, generate, generate_bench, main

__all__ = ["GenerationSummary", "generate", "generate_bench", "main"]

if __name__ == "__main__":
    sys.exit(main())
