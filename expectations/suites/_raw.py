"""Suites for the raw tables ``raw.<dataset>``, built from the dataset contract in ``ingest/datasets.py``.

Properties: the contract's columns are present, every row carries its lineage, the dataset's key field is
filled (ingestion rejects rows without it), required fields are filled, rows come only from current accepted
files, and the table holds exactly the rows the manifest says were loaded from those files.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_columns, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from ingest import periods
from ingest.datasets import DATASETS, as_sent_sql, raw_columns
from ingest.registry import UNIT_KINDS

PERIOD_REGEX = periods.PERIOD_REGEX  # one spelling of a period (ingest/periods.py)
MANIFEST = "quality.file_manifest"
# Lineage every raw row must carry; sheet_name is '' for CSV and ingested_at is set by the loader itself.
_LINEAGE_REQUIRED = ("source_file", "source_row", "unit_code", "unit_kind", "period", "file_sha256")
# Personal data never reaches GE (its Data Docs show unexpected values): masked, presence and nullness kept. It
# lives in the restricted store (pii.raw_<dataset>); the suite reads it joined to the raw rows (as_sent_sql).
PII_FIELDS = tuple(sorted({f for ds in DATASETS.values() for f in ds.personal_fields}))
_MASK = "***"


def period_clause(period: str | None, column: str = "period") -> tuple[str, list[str]]:
    return (f"{column} = ?", [period]) if period else ("true", [])


def raw_select(columns: list[str], relation: str, where: str) -> str:
    """The raw table as GE sees it, computed by DuckDB: personal data masked (presence and nullness kept) and
    ``chk_lineage_missing`` naming the lineage columns a row lacks (null when it lacks none)."""
    items = [
        f"""case when "{c}" is null then null else '{_MASK}' end as "{c}\"""" if c in PII_FIELDS else f'"{c}"'
        for c in columns
    ]
    present = [c for c in _LINEAGE_REQUIRED if c in columns]
    missing = ", ".join(f"""case when "{c}" is null then '{c}' end""" for c in present)
    items.append(
        f"nullif(concat_ws(',', {missing}), '') as chk_lineage_missing"
        if present
        else "null::varchar as chk_lineage_missing"
    )
    return f"select {', '.join(items)} from {relation} where {where}"


def _load(dataset: str):
    relation = f"raw.{dataset}"

    def load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
        if not relation_exists(con, relation):
            raise TableMissing(relation, f"raw_{dataset}")
        cond, params = period_clause(period)
        columns = relation_columns(con, relation)
        personal = DATASETS[dataset].personal_fields
        if personal and relation_exists(con, f"pii.raw_{dataset}"):
            return frame(con, raw_select([*columns, *personal], f"({as_sent_sql(dataset)})", cond), params)
        return frame(con, raw_select(columns, relation, cond), params)

    return load


def _reference(dataset: str):
    def reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
        if not relation_exists(con, MANIFEST):
            raise TableMissing(MANIFEST, f"raw_{dataset}")
        cond, params = period_clause(period)
        files = (
            f"select source_file, file_sha256, rows_loaded from {MANIFEST} "
            f"where is_current and status <> 'rejected' and {cond} "
            "and list_contains(string_split(coalesce(datasets, ''), ','), ?)"
        )
        loaded = con.execute(
            f"select coalesce(sum(rows_loaded), 0) from ({files})", [*params, dataset]
        ).fetchone()
        # A workbook with sheets of several datasets reports one rows_loaded: the other tables' share is
        # subtracted so this table is held to exactly its own rows.
        elsewhere = 0
        for other in DATASETS:
            if other != dataset and relation_exists(con, f"raw.{other}"):
                row = con.execute(
                    f"select count(*) from raw.{other} as r join ({files}) as f "
                    "on r.source_file = f.source_file and r.file_sha256 = f.file_sha256",
                    [*params, dataset],
                ).fetchone()
                elsewhere += row[0] if row else 0
        shas = con.execute(
            f"select distinct file_sha256 from {MANIFEST} where is_current and status <> 'rejected' and {cond}",
            params,
        ).fetchall()
        return {
            "expected_rows": int((loaded[0] if loaded else 0) or 0) - elsewhere,
            "current_file_sha256": sorted(r[0] for r in shas),
        }

    return reference


def raw_checks(dataset: str) -> tuple[Check, ...]:
    ds = DATASETS[dataset]
    checks = [
        Check(
            "columns_present",
            "error",
            f"raw.{dataset} has every column of the dataset contract and the lineage columns",
            lambda ref: gxe.ExpectTableColumnsToMatchSet(
                column_set=list(raw_columns(dataset)), exact_match=False
            ),
        ),
        Check(
            "lineage_complete",
            "error",
            "every row says where it came from (file, row, unit, period, file checksum)",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_lineage_missing"),
            column="chk_lineage_missing",
        ),
        Check(
            "source_row_positive",
            "error",
            "row numbers are the ones a person sees in the spreadsheet (1-based)",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="source_row", min_value=1),
            column="source_row",
        ),
        Check(
            "period_well_formed",
            "error",
            "period is YYYY-H1 or YYYY-H2",
            lambda ref: gxe.ExpectColumnValuesToMatchRegex(column="period", regex=PERIOD_REGEX),
            column="period",
        ),
        Check(
            "unit_kind_known",
            "error",
            "unit kind is ward, department or university",
            lambda ref: gxe.ExpectColumnValuesToBeInSet(column="unit_kind", value_set=list(UNIT_KINDS)),
            column="unit_kind",
        ),
        Check(
            "rows_from_current_files",
            "error",
            "rows come only from current accepted files (a replaced file's rows are gone)",
            lambda ref: gxe.ExpectColumnValuesToBeInSet(
                column="file_sha256", value_set=ref["current_file_sha256"]
            ),
            column="file_sha256",
        ),
        Check(
            "row_count_matches_manifest",
            "error",
            "the table holds exactly the rows quality.file_manifest says were loaded from current files",
            lambda ref: gxe.ExpectTableRowCountToEqual(value=ref["expected_rows"]),
        ),
    ]
    if ds.key_field:
        checks.append(
            Check(
                "key_field_filled",
                "error",
                f"{ds.key_field} is filled on every row (rows without it are rejected at ingestion)",
                lambda ref, col=ds.key_field: gxe.ExpectColumnValuesToNotBeNull(column=col),
                column=ds.key_field,
            )
        )
    # Whether the other required fields are filled is measured once, per unit, by dbt's quality.unit_scorecard
    # (required_filled_share, from the dbt var required_fields): one tool per property (#18).
    return tuple(checks)


def raw_suite(dataset: str, extra: tuple[Check, ...] = ()) -> Suite:
    return Suite(
        name=f"raw_{dataset}",
        relation=f"raw.{dataset}",
        description=f"raw.{dataset}: {DATASETS[dataset].label_vi} as received (text, lineage)",
        load=_load(dataset),
        reference=_reference(dataset),
        expectations=raw_checks(dataset) + extra,
        also_reads=(MANIFEST,),
    )
