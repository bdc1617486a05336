"""`make sql`: a small read-only SQL shell on the readers' snapshot (warehouse/published/trithuc.duckdb).

The DuckDB CLI on PyPI (duckdb-cli) stops at 1.5 and cannot open files written by DuckDB 2.0, so this is a thin
shell over the Python client the warehouse itself uses: statements end with ';', `.tables` lists the tables,
`.quit` (or Ctrl-D) leaves. `-c "select ..."` runs one statement and exits. It opens the snapshot read-only, never
the pipeline's own file: a run replaces the snapshot by rename, and this shell keeps the version it opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from publish.reader_snapshot import reader_snapshot_path
from settings import warehouse_path

_TABLES = (
    "select schema_name || '.' || table_name as table_name, estimated_size as rows, column_count as columns "
    "from duckdb_tables() order by 1"
)


def run(con: duckdb.DuckDBPyConnection, statement: str, out=sys.stdout) -> None:
    statement = statement.strip().rstrip(";").strip()
    if not statement:
        return
    if statement in (".tables", "\\dt"):
        statement = _TABLES
    try:
        relation = con.sql(statement)
    except duckdb.Error as exc:
        print(f"Error: {exc}", file=out)
        return
    if relation is not None:
        print(relation.df().to_string(max_rows=60, max_colwidth=60), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make sql", description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", help="a DuckDB file (default: the readers' snapshot)")
    parser.add_argument("-c", "--command", help="run one statement and exit")
    args = parser.parse_args(argv)
    path = Path(args.database) if args.database else reader_snapshot_path(warehouse_path())
    if not path.exists():
        print(f"No snapshot at {path} yet: it is published at the end of a successful run (make run).",
              file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    try:
        if args.command:
            run(con, args.command)
            return 0
        print(f"{path} (read-only). End statements with ';'. .tables lists the tables; .quit leaves.")
        buffer: list[str] = []
        while True:
            try:
                line = input("sql> " if not buffer else "...> ")
            except EOFError:
                print()
                return 0
            if not buffer and line.strip() in (".quit", ".exit", "\\q"):
                return 0
            if not buffer and line.strip() in (".tables", "\\dt"):
                run(con, line)
                continue
            buffer.append(line)
            if line.rstrip().endswith(";"):
                run(con, "\n".join(buffer))
                buffer = []
    finally:
        con.close()


if __name__ == "__main__":
    raise SystemExit(main())
