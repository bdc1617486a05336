"""quality.file_manifest: every file received is accounted for, row by row, and its loaded rows reached raw."""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from expectations.suites._raw import MANIFEST, period_clause
from ingest.datasets import DATASETS

# ignored: an Excel/LibreOffice lock file or a hidden file, recorded with why, never read (rows 0)
STATUSES = ("loaded", "loaded_with_issues", "rejected", "replaced", "ignored")


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    if not relation_exists(con, MANIFEST):
        raise TableMissing(MANIFEST, "file_manifest")
    cond, params = period_clause(period, "m.period")
    raw_counts = [
        f"select source_file, file_sha256 from raw.{name}"
        for name in DATASETS
        if relation_exists(con, f"raw.{name}")
    ]
    in_raw = (
        " union all ".join(raw_counts) or "select null::varchar as source_file, null::varchar as file_sha256"
    )
    return frame(
        con,
        f"""
        with raw_rows as ({in_raw}),
        per_file as (
            select source_file, file_sha256, count(*) as n from raw_rows group by all
        ),
        final as (
            select
                m.source_file, m.file_sha256, m.unit_code, m.unit_kind, m.period, m.datasets, m.status,
                m.is_current, m.rows_read, m.rows_loaded, m.rows_rejected, m.rows_skipped, m.message_vi,
                m.received_at,
                m.rows_read - (m.rows_loaded + m.rows_rejected + m.rows_skipped) as chk_rows_unaccounted,
                -- only for files whose rows should be in raw now: current and not rejected
                case when m.is_current and m.status <> 'rejected' then m.rows_loaded end as chk_rows_loaded_current,
                case when m.is_current and m.status <> 'rejected' then coalesce(p.n, 0) end as chk_rows_in_raw,
                case when m.status = 'rejected' then coalesce(nullif(trim(m.message_vi), ''), '') end
                    as chk_rejection_reason,
                case when m.is_current then
                    count(*) filter (where m.is_current) over (partition by m.source_file) end
                    as chk_current_versions
            from {MANIFEST} as m
            left join per_file as p on p.source_file = m.source_file and p.file_sha256 = m.file_sha256
            where {cond}
        )
        select * from final
        """,
        params,
    )


def _reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
    return {}


SUITE = Suite(
    name="file_manifest",
    relation=MANIFEST,
    description="quality.file_manifest: one row per file version received, every row accounted for",
    load=_load,
    reference=_reference,
    expectations=(
        Check(
            "rows_accounted_for",
            "error",
            "rows read = rows loaded + rows rejected + rows skipped, for every file",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(
                column="chk_rows_unaccounted", min_value=0, max_value=0
            ),
            column="chk_rows_unaccounted",
        ),
        Check(
            "loaded_rows_in_raw",
            "error",
            "every current file's rows_loaded equals the rows found for it in the raw tables",
            lambda ref: gxe.ExpectColumnPairValuesToBeEqual(
                column_A="chk_rows_loaded_current",
                column_B="chk_rows_in_raw",
                ignore_row_if="either_value_is_missing",
            ),
            column="rows_loaded",
        ),
        Check(
            "status_known",
            "error",
            "status is loaded, loaded_with_issues, rejected, replaced or ignored",
            lambda ref: gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES)),
            column="status",
        ),
        Check(
            "rejected_file_has_reason",
            "error",
            "a rejected file carries a Vietnamese message saying why and what to do",
            lambda ref: gxe.ExpectColumnValueLengthsToBeBetween(column="chk_rejection_reason", min_value=1),
            column="message_vi",
        ),
        Check(
            "one_current_version_per_file",
            "error",
            "at most one current version of each file path",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="chk_current_versions", max_value=1),
            column="source_file",
        ),
        Check(
            "received_at_known",
            "warning",
            "the time a file was received is known (needed to judge on-time submission)",
            lambda ref: gxe.ExpectColumnValuesToNotBeNull(column="received_at"),
            column="received_at",
        ),
    ),
    also_reads=tuple(f"raw.{name}" for name in DATASETS),
)
