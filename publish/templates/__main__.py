"""``python -m publish.templates <unit_code> [--period P] [--warehouse W]``: one unit's template, on demand.

Reads the warehouse read-only (``$TRITHUC_WAREHOUSE`` by default) and writes
``reports/templates/<period>/<unit_code>.xlsx`` (mode 0600) even when an identical one is there. Without
``--period``: the period after the latest list received. Prints the file's path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.periods import parse_period
from ingest.template_returns import TemplateKeyMissing
from publish.templates.build import UnknownUnit, build_templates
from settings import warehouse_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish.templates", description=__doc__.split("\n\n")[0])
    parser.add_argument("unit_code", help="the unit's code in the registry (e.g. 26068, SYT, LHU)")
    parser.add_argument("--period", help="the period the template is for (e.g. 2027-H1)")
    parser.add_argument(
        "--warehouse", type=Path, default=None, help="the DuckDB file (default $TRITHUC_WAREHOUSE)"
    )
    args = parser.parse_args(argv)
    if args.period and parse_period(args.period) is None:
        parser.error(f"not a reporting period: {args.period!r} (e.g. 2027-H1)")
    warehouse = args.warehouse or warehouse_path()
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make run` first", file=sys.stderr)
        return 2
    try:
        build = build_templates(warehouse, args.period, [args.unit_code], force=True)
    except (UnknownUnit, TemplateKeyMissing) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if build.period is None:
        print(
            "no unit has sent a persons list yet: give --period to build an empty template", file=sys.stderr
        )
        return 1
    for t in build.templates:
        what = f"{t.prefilled} people from {t.base_period}" if t.base_period else "no list yet: empty"
        print(f"{t.path} ({t.unit_code}, {t.period}: {what})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
