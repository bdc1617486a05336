"""Compare what two runs published: the marts and quality tables, the indicator exports and the national records.

A refactor should leave the outputs as they were (issue #18). Run the pipeline of each version on the same landing
zone with the same keys, each in its own folder (``TRITHUC_WAREHOUSE=<dir>/wh.duckdb``, ``DAGSTER_HOME=<dir>/...``,
the same ``TRITHUC_PSEUDO_KEY`` and ``TRITHUC_EXCHANGE_KEY``), then::

    python -m tools.compare_outputs <before dir> <after dir>

For every table of schemas marts and quality in both files: the row counts and the rows both ways (``except all``)
on the columns both have, leaving out the columns that say when something ran; columns one side lacks are named.
For every export: the rows on the columns both files have, in any order. For the first national package: its
records without their time stamps. Exits 1 when any compared content differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

# when something ran or arrived: differs between any two runs
VOLATILE = frozenset({"ingested_at", "run_id", "run_at", "received_at", "loaded_at", "built_at", "created_at",
                      "generated_at", "validated_at", "datestamp", "first_received_at", "last_dataset_received_at"})  # fmt: skip
SCHEMAS = ("marts", "quality")


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    schemas = ", ".join(f"'{s}'" for s in SCHEMAS)
    rows = con.execute(
        f"select schema_name, table_name from duckdb_tables() where database_name = '{catalog}' "
        f"and schema_name in ({schemas}) union all select schema_name, view_name from duckdb_views() "
        f"where not internal and database_name = '{catalog}' and schema_name in ({schemas})"
    ).fetchall()
    return {(s, t) for s, t in rows}


def compare_tables(before: Path, after: Path) -> tuple[list[str], bool]:
    con = duckdb.connect()
    con.execute("attach ? as a (read_only)", [str(before)])
    con.execute("attach ? as b (read_only)", [str(after)])
    a, b = _relations(con, "a"), _relations(con, "b")
    lines = [f"only before: {s}.{t}" for s, t in sorted(a - b)] + [
        f"only after: {s}.{t}" for s, t in sorted(b - a)
    ]
    same = True
    for schema, table in sorted(a & b):
        cols_a = [r[0] for r in con.execute(f'describe a."{schema}"."{table}"').fetchall()]
        cols_b = [r[0] for r in con.execute(f'describe b."{schema}"."{table}"').fetchall()]
        common = ", ".join(f'"{c}"' for c in cols_a if c in cols_b and c not in VOLATILE)
        rel_a, rel_b = f'a."{schema}"."{table}"', f'b."{schema}"."{table}"'
        n_a, n_b = (con.execute(f"select count(*) from {r}").fetchone()[0] for r in (rel_a, rel_b))
        gone_n, new_n = (
            con.execute(
                f"select count(*) from (select {common} from {x} except all select {common} from {y})"
            ).fetchone()[0]
            for x, y in ((rel_a, rel_b), (rel_b, rel_a))
        )
        differs = n_a != n_b or gone_n or new_n
        same = same and not differs
        one_side = sorted(set(cols_a) ^ set(cols_b))
        lines.append(
            f"{'DIFF' if differs else 'same'} {schema}.{table}: rows {n_a} / {n_b}, only before {gone_n}, only after "
            f"{new_n}" + (f"; columns on one side only: {', '.join(one_side)}" if one_side else "")
        )
    con.close()
    return lines, same


def compare_exports(before: Path, after: Path) -> tuple[list[str], bool]:
    lines, same = [], True
    for path in sorted(before.glob("exports/*/*.parquet")):
        other = after / path.relative_to(before)
        if not other.exists():
            lines.append(f"DIFF {path.relative_to(before)}: missing after")
            same = False
            continue
        a, b = pd.read_parquet(path), pd.read_parquet(other)
        common = [c for c in a.columns if c in b.columns and c not in VOLATILE]

        def rows(frame: pd.DataFrame, cols: list[str] = common) -> pd.DataFrame:
            return frame[cols].astype(str).sort_values(cols).reset_index(drop=True)

        equal = rows(a).equals(rows(b))
        same = same and equal
        added = sorted(set(b.columns) - set(a.columns))
        lines.append(f"{'same' if equal else 'DIFF'} {path.relative_to(before)}: {len(a)} / {len(b)} rows"
                     + (f"; columns after only: {', '.join(added)}" if added else ""))  # fmt: skip
    return lines, same


def compare_national(before: Path, after: Path) -> tuple[list[str], bool]:
    def records(root: Path) -> list[str] | None:
        files = sorted(root.glob("outbox/national/*/records.jsonl"))
        if not files:
            return None
        out = []
        for line in files[0].read_text(encoding="utf-8").splitlines():
            record = {k: v for k, v in json.loads(line).items() if k not in VOLATILE}
            out.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
        return sorted(out)

    a, b = records(before), records(after)
    if a is None and b is None:
        return ["no national package on either side"], True
    equal = a == b
    return [f"{'same' if equal else 'DIFF'} national records: {len(a or [])} / {len(b or [])}"], equal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the earlier run's folder (wh.duckdb, exports/, outbox/)")
    parser.add_argument("after", type=Path, help="the later run's folder")
    parser.add_argument("--warehouse-name", default="wh.duckdb", help="the DuckDB file in each folder")
    args = parser.parse_args(argv)
    ok = True
    for lines, same in (
        compare_tables(args.before / args.warehouse_name, args.after / args.warehouse_name),
        compare_exports(args.before, args.after),
        compare_national(args.before, args.after),
    ):
        print("\n".join(lines))
        ok = ok and same
    print("the outputs are the same" if ok else "the outputs differ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
