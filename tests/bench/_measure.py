"""Run one benchmark task in this (child) process and print wall time and peak memory as JSON on the last line.

Usage: python -m tests.bench._measure <task> <json-args>. Peak memory covers this process and its children
(dbt, for example), read from getrusage.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from tests.bench import tasks


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    started = time.perf_counter()
    extra = getattr(tasks, task)(**args) or {}
    wall = time.perf_counter() - started
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024, **extra}))


if __name__ == "__main__":
    main()
