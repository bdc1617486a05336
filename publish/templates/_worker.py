"""A worker process writing templates: ``python -m publish.templates._worker``, jobs pickled on stdin, the rows
written per unit pickled on stdout. Started by ``publish.templates.build`` for large builds, as a plain subprocess
(multiprocessing would import the caller's main module again, which a script without a main guard cannot bear)."""

from __future__ import annotations

import pickle
import sys

from publish.templates.build import write_template


def main() -> int:
    jobs = pickle.load(sys.stdin.buffer)
    done = dict(write_template(job) for job in jobs)
    pickle.dump(done, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
