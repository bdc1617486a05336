"""Compare what two runs published: the marts and quality tables, the indicator exports and the national records.

A refactor should leave the outputs as they were (issue #18). Run the pipeline of each version on the same landing
zone with the same keys, each in its own folder (``TRITHUC_WAREHOUSE=<dir>/wh.duckdb``, ``DAGSTER_HOME=<dir>/...``,
the same ``TRITHUC_PSEUDO_KEY`` and ``TRITHUC_EXCHANGE_KEY``), then::

    python -m tools.compare_outputs <before dir> <after dir>

For every table of schemas marts and quality in both files: the row counts and the rows both ways (``except all``)
on the columns both have, leaving out the columns that say when something ran. A column, table or export the later
run lost is a difference; one it added is named but is not (new content is what a change may add). For every
Parquet export (the CSV and Excel files are written from the same rows): the rows on the columns both files have,
in any order. For every national package: its records without their time stamps. Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

# when something ran or arrived (a Data Docs page's path holds its run's id and time): differs between any two runs
VOLATILE = frozenset({"ingested_at", "run_id", "run_at", "received_at", "loaded_at", "built_at", "created_at",
                      "generated_at", "validated_at", "datestamp", "first_received_at", "last_dataset_received_at",
                      "data_docs_page"})  # fmt: skip
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
    lines = [f"DIFF only before: {s}.{t}" for s, t in sorted(a - b)]
    lines += [f"added after: {s}.{t}" for s, t in sorted(b - a)]
    same = not (a - b)
    for schema, table in sorted(a & b):
        cols_a = [r[0] for r in con.execute(f'describe a."{schema}"."{table}"').fetchall()]
        cols_b = [r[0] for r in con.execute(f'describe b."{schema}"."{table}"').fetchall()]
        compared = [c for c in cols_a if c in cols_b and c not in VOLATILE]
        lost, added = [c for c in cols_a if c not in cols_b], [c for c in cols_b if c not in cols_a]
        rel_a, rel_b = f'a."{schema}"."{table}"', f'b."{schema}"."{table}"'
        n_a, n_b = (con.execute(f"select count(*) from {r}").fetchone()[0] for r in (rel_a, rel_b))
        if compared:
            common = ", ".join(f'"{c}"' for c in compared)
            gone_n, new_n = (
                con.execute(
                    f"select count(*) from (select {common} from {x} except all select {common} from {y})"
                ).fetchone()[0]
                for x, y in ((rel_a, rel_b), (rel_b, rel_a))
            )
        else:  # nothing but time stamps in common: only the counts can be compared
            gone_n = new_n = 0
        differs = bool(n_a != n_b or gone_n or new_n or lost)
        same = same and not differs
        lines.append(
            f"{'DIFF' if differs else 'same'} {schema}.{table}: rows {n_a} / {n_b}, only before {gone_n}, only after "
            f"{new_n}"
            + (f"; columns lost: {', '.join(lost)}" if lost else "")
            + (f"; columns added: {', '.join(added)}" if added else "")
        )
    con.close()
    return lines, same


def compare_exports(before: Path, after: Path) -> tuple[list[str], bool]:
    lines, same = [], True
    paths_a = {p.relative_to(before) for p in before.glob("exports/*/*.parquet")}
    paths_b = {p.relative_to(after) for p in after.glob("exports/*/*.parquet")}
    for rel in sorted(paths_b - paths_a):
        lines.append(f"added after: {rel}")
    for rel in sorted(paths_a):
        if rel not in paths_b:
            lines.append(f"DIFF {rel}: missing after")
            same = False
            continue
        a, b = pd.read_parquet(before / rel), pd.read_parquet(after / rel)
        common = [c for c in a.columns if c in b.columns and c not in VOLATILE]
        lost, added = sorted(set(a.columns) - set(b.columns)), sorted(set(b.columns) - set(a.columns))

        def rows(frame: pd.DataFrame, cols: list[str] = common) -> pd.DataFrame:
            return frame[cols].astype(str).sort_values(cols).reset_index(drop=True)

        equal = not lost and len(a) == len(b) and (not common or rows(a).equals(rows(b)))
        same = same and equal
        lines.append(f"{'same' if equal else 'DIFF'} {rel}: {len(a)} / {len(b)} rows"
                     + (f"; columns lost: {', '.join(lost)}" if lost else "")
                     + (f"; columns added: {', '.join(added)}" if added else ""))  # fmt: skip
    return lines, same


def compare_national(before: Path, after: Path) -> tuple[list[str], bool]:
    def packages(root: Path) -> dict[str, list[str]]:
        out = {}
        for path in sorted(root.glob("outbox/national/*/records.jsonl")):
            records = []
            for line in path.read_text(encoding="utf-8").splitlines():
                record = {k: v for k, v in json.loads(line).items() if k not in VOLATILE}
                records.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
            out[path.parent.name] = sorted(records)
        return out

    a, b = packages(before), packages(after)
    if not a and not b:
        return ["no national package on either side"], True
    lines, same = [], True
    for sequence in sorted(set(a) | set(b)):
        equal = a.get(sequence) == b.get(sequence)
        same = same and equal
        lines.append(f"{'same' if equal else 'DIFF'} national package {sequence}: records "
                     f"{len(a.get(sequence, []))} / {len(b.get(sequence, []))}")  # fmt: skip
    return lines, same


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
