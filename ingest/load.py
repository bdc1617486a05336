"""Land submitted files into DuckDB: one raw table per dataset, a manifest of every file, every row accounted for.

``load_landing`` walks the landing zone (``<period>/<unit_kind>/<unit_code>/<file>``) and, for each file version
not seen before (path + SHA-256), reads it with :func:`ingest.readers.read_file` and in one transaction:

* appends its data rows to ``raw.<dataset>`` with lineage columns, and their personal fields (name, citizen ID,
  birth date, phone, e-mail, address, note) to ``pii.raw_<dataset>`` in the restricted store, keyed by the raw
  row's id (``ingest.datasets.RAW_ROW_KEY``): the analytics file never holds them,
* records rejected rows in ``quality.ingest_row_issues``,
* records the file in ``quality.file_manifest`` (rows read = loaded + rejected + skipped),
* retires the rows of the file it replaces: the earlier version of the same path, or the earlier current file of
  the same unit, period and dataset (a corrected re-submission). The manifest keeps the history.
  For the persons list a later file may instead add to the earlier one (a 'danh sách bổ sung'): decided once per
  file version by a quality officer's override (seed ``registry/file_combination_overrides.csv``), else the words
  of its name or title ('bổ sung' adds; 'cập nhật', 'thay thế', 'sửa', 'điều chỉnh' replace), else the share of
  the earlier file's people it repeats (half or more replaces). Recorded in ``combine_rule`` / ``combine_reason``.

A file in the wrong place, of an unknown unit or period, of a period after the current half-year (by the run's
clock, ``future_period``), a symbolic link (``symlink``: never followed, its target never opened or hashed), or
unreadable (kinds checked by content, resource limits in ``ingest.limits``) is rejected with a reason a person can
act on; the other files still load. A file gone from the landing zone has its current manifest row retired on the
next pass (status 'withdrawn') and its rows leave raw; the same file added again is loaded again. A file deleted
while the pass runs is skipped ('vanished'), never a reason to stop. An Excel/LibreOffice lock file or a hidden
file gets a manifest row with status 'ignored' and why, once. Running again on the same files changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import unicodedata
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.connect import connect_warehouse, ensure_restricted_store
from ingest.datasets import (
    DATASETS,
    LINEAGE_COLUMNS,
    PERSONAL_DATASETS,
    RAW_ROW_KEY,
    as_sent_sql,
    raw_columns,
    restricted_columns,
)
from ingest.errors import FileRejected, UnsupportedFormat, scrub_paths
from ingest.periods import current_period, parse_period
from ingest.readers import ReadResult, check_accepted_suffix, read_file
from ingest.registry import UNIT_KINDS, load_registry
from ingest.template_returns import (
    check_template_place,
    ensure_template_table,
    insert_template_rows,
    template_decision,
    template_notes,
    template_tables,
)
from ingest.text_repair import numpy_to_arrow, string_array, string_scalar
from settings import DBT_PROJECT_DIR, RESTRICTED_CATALOG, restricted_path

log = logging.getLogger(__name__)

_IGNORED_PREFIXES = (".", "~$")
# A quality officer's decision on how a persons file combines with the earlier one (supplement or replace).
COMBINATION_OVERRIDES_CSV = DBT_PROJECT_DIR / "seeds" / "registry" / "file_combination_overrides.csv"
COMBINE_RULES = ("first", "replace", "supplement")
REPLACE_SHARE = 0.5  # a new persons file repeating this share of an earlier file's people replaces it
# Why a current file's manifest row was retired with status 'withdrawn' (appended to its message).
WITHDRAWN_VI = "tệp không còn trong thư mục nhận"
WITHDRAWN_EN = "file no longer in the landing zone"
SYMLINK_VI = "đường dẫn liên kết (symlink) không được nhận; gửi tệp thật"
SYMLINK_EN = "a symbolic link is not accepted; send the file itself"

MANIFEST_DDL = """
create table if not exists quality.file_manifest (
    source_file varchar not null,
    file_sha256 varchar not null,
    file_size bigint,
    unit_code varchar,
    unit_kind varchar,
    period varchar,
    datasets varchar,
    sheets varchar,
    encoding varchar,
    rows_read integer,
    rows_loaded integer,
    rows_rejected integer,
    rows_skipped integer,
    rows_skipped_blank integer,
    rows_skipped_total integer,
    rows_skipped_note integer,
    status varchar not null,
    is_current boolean not null,
    message_vi varchar,
    message_en varchar,
    received_at timestamp,
    ingested_at timestamp not null,
    replaced_by varchar,
    rows_skipped_section integer default 0,
    combine_rule varchar,
    combine_reason varchar,
    edited_at timestamp,
    received_on_setup boolean default false
)
"""

ISSUES_DDL = """
create table if not exists quality.ingest_row_issues (
    source_file varchar not null,
    sheet_name varchar,
    source_row integer,
    column_name varchar,
    raw_value varchar,
    issue_code varchar not null,
    severity varchar not null,
    message_vi varchar,
    message_en varchar,
    unit_code varchar,
    unit_kind varchar,
    period varchar,
    dataset varchar,
    file_sha256 varchar not null
)
"""

_LINEAGE_TYPES = {
    "source_file": "varchar",
    "sheet_name": "varchar",
    "source_row": "integer",
    "unit_code": "varchar",
    "unit_kind": "varchar",
    "period": "varchar",
    "file_sha256": "varchar",
    "ingested_at": "timestamp",
}


@dataclass
class FileOutcome:
    source_file: str
    status: str  # loaded | loaded_with_issues | rejected | ignored | unchanged
    datasets: tuple[str, ...] = ()
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    message_en: str = ""
    combine_rule: str | None = None  # first | replace | supplement (loaded files)


@dataclass
class LoadSummary:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def new_files(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status != "unchanged"]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


class _Rejection(Exception):
    def __init__(self, issue_code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.issue_code = issue_code
        self.message_vi = message_vi
        self.message_en = message_en


def _restricted_table(dataset: str) -> str:
    return f"{RESTRICTED_CATALOG}.raw_{dataset}"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and quality schemas and tables if missing (idempotent). A field added to a dataset since the
    warehouse was made is added to its raw table (NULL for the rows loaded before).

    ``con`` has the restricted store attached (``pii``): the personal fields' tables ``pii.raw_<dataset>`` are made
    there. A warehouse made before the two stores were split is moved over once: its raw personal columns are
    copied to the restricted store and dropped from the analytics file, and its old schema ``pii`` (dbt's restricted
    tables, rebuilt in the restricted store by the next build) is dropped."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists quality")
    for ds in DATASETS.values():
        cols = [f'"{name}" varchar' for name in ds.analytics_fields]
        cols += [f'"{name}" {_LINEAGE_TYPES[name]}' for name in LINEAGE_COLUMNS]
        con.execute(f"create table if not exists raw.{ds.name} ({', '.join(cols)})")
        for name in ds.analytics_fields:
            con.execute(f'alter table raw.{ds.name} add column if not exists "{name}" varchar')
        if not ds.personal_fields:
            continue
        rcols = [f'"{name}" {_LINEAGE_TYPES[name]}' for name in RAW_ROW_KEY]
        rcols += [f'"{name}" varchar' for name in ds.personal_fields]
        con.execute(f"create table if not exists {_restricted_table(ds.name)} ({', '.join(rcols)})")
        for name in ds.personal_fields:
            con.execute(f'alter table {_restricted_table(ds.name)} add column if not exists "{name}" varchar')
        _move_personal_columns(con, ds.name)
    _pair_stores(con)
    database = con.execute("select current_database()").fetchone()[0]
    old_schema = con.execute(
        "select count(*) from information_schema.schemata where catalog_name = ? and schema_name = ?",
        [database, RESTRICTED_CATALOG],
    ).fetchone()[0]
    if old_schema:
        log.warning("dropping the analytics file's old schema %s (its tables now live in the restricted store)",
                    RESTRICTED_CATALOG)
        con.execute(f'drop schema "{database}"."{RESTRICTED_CATALOG}" cascade')
    con.execute(MANIFEST_DDL)
    # columns added since the first warehouses were made (rows before them: 0 section rows, no decision recorded)
    had_edited_at = _has_column(con, "quality", "file_manifest", "edited_at")
    for name, ddl in _MANIFEST_ADDED.items():
        con.execute(f"alter table quality.file_manifest add column if not exists {name} {ddl}")
    if not had_edited_at:
        _receipts_from_first_sight(con)
    con.execute(ISSUES_DDL)
    ensure_template_table(con)  # quality.template_rows: what became of a returned template's rows


def _has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? and column_name = ?",
            [schema, table, column],
        ).fetchone()[0]
    )


def _receipts_from_first_sight(con: duckdb.DuckDBPyConnection) -> None:
    """Once, for a manifest written before ``edited_at`` existed, when ``received_at`` was the file's mtime: that
    time becomes ``edited_at`` (the unit's own edit date) and ``received_at`` the first time the warehouse saw the
    file version; the versions of its first pass are marked ``received_on_setup`` (when they really arrived is
    not known)."""
    con.execute(
        """
        update quality.file_manifest as m
        set edited_at = m.received_at,
            received_at = f.first_seen,
            received_on_setup = (f.first_seen = f.setup)
        from (
            select file_sha256, min(ingested_at) as first_seen,
                   (select min(ingested_at) from quality.file_manifest) as setup
            from quality.file_manifest group by file_sha256
        ) as f
        where f.file_sha256 = m.file_sha256
        """
    )


class RestrictedStoreMismatch(RuntimeError):
    """The restricted store attached belongs to another analytics file."""


def _pair_stores(con: duckdb.DuckDBPyConnection) -> None:
    """The analytics file and its restricted store carry one id (``raw.restricted_store_pairing`` and
    ``pii.restricted_store_pairing``), set when the first of them is made. A store paired with another analytics file
    is refused before anything is written: the pass would otherwise delete its rows as orphans (two warehouses in
    one folder share the default store; give the second its own ``TRITHUC_RESTRICTED``)."""
    table = "restricted_store_pairing"
    con.execute(f"create table if not exists raw.{table} (warehouse_id varchar not null)")
    con.execute(f"create table if not exists {RESTRICTED_CATALOG}.{table} (warehouse_id varchar not null)")
    ours = con.execute(f"select min(warehouse_id) from raw.{table}").fetchone()[0]
    theirs = con.execute(f"select min(warehouse_id) from {RESTRICTED_CATALOG}.{table}").fetchone()[0]
    if theirs is not None and ours is None:
        ours = "(none yet: a new analytics file)"
    if theirs is not None and theirs != ours:
        path = con.execute(
            "select path from duckdb_databases() where database_name = ?", [RESTRICTED_CATALOG]
        ).fetchone()[0]
        raise RestrictedStoreMismatch(
            f"The restricted store {path} belongs to another analytics file (pairing {theirs}, this one {ours}). "
            "Give this warehouse its own store (TRITHUC_RESTRICTED), or, if the other warehouse is gone for good, "
            "delete that store — it holds personal data of nothing current."
        )
    if ours is None:  # a new warehouse, or one made before pairing: its id is made now, and given to its store
        ours = str(uuid.uuid4())
        con.execute(f"insert into raw.{table} values (?)", [ours])
    if theirs is None:
        con.execute(f"insert into {RESTRICTED_CATALOG}.{table} values (?)", [ours])


def _move_personal_columns(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Personal columns still in ``raw.<dataset>`` (a warehouse made before the split): copied to the restricted
    store (committed first), then dropped from the analytics file."""
    database = con.execute("select current_database()").fetchone()[0]
    have = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = ? and table_schema = 'raw' and table_name = ?",
            [database, dataset],
        ).fetchall()
    }
    personal = [c for c in DATASETS[dataset].personal_fields if c in have]
    if not personal:
        return
    log.warning("moving the personal columns of raw.%s (%s) to the restricted store", dataset, ", ".join(personal))
    key = ", ".join(f'"{c}"' for c in RAW_ROW_KEY)
    cols = ", ".join(f'"{c}"' for c in personal)
    con.execute(
        f"insert into {_restricted_table(dataset)} ({key}, {cols}) select {key}, {cols} from raw.{dataset} r "
        f"where not exists (select 1 from {_restricted_table(dataset)} p where "
        + " and ".join(f"p.{c} is not distinct from r.{c}" for c in RAW_ROW_KEY)
        + ")"
    )
    for c in personal:
        con.execute(f'alter table raw.{dataset} drop column "{c}"')


def sweep_restricted_orphans(con: duckdb.DuckDBPyConnection) -> int:
    """Delete restricted rows whose raw row is gone: a batch whose restricted part committed and whose analytics
    part then failed (the two files commit one after the other). Returns the rows deleted."""
    deleted = 0
    for dataset in PERSONAL_DATASETS:
        row = con.execute(
            f"delete from {_restricted_table(dataset)} p where not exists (select 1 from raw.{dataset} r "
            "where r.source_file = p.source_file and r.file_sha256 = p.file_sha256)"
        ).fetchone()
        deleted += int(row[0]) if row and row[0] else 0
    return deleted


def append_raw(con: duckdb.DuckDBPyConnection, dataset: str, data: pa.Table) -> None:
    """Insert rows of ``dataset`` (its fields and lineage columns; a field missing is null) split as the loader
    splits them: personal fields to the restricted store, the rest to ``raw.<dataset>``. Each insert commits on
    its own. For tools and tests that make a warehouse without files; ``con`` from ``ingest.connect.open_warehouse``
    after :func:`ensure_tables`."""
    for name in (*DATASETS[dataset].field_names, *LINEAGE_COLUMNS):
        if name not in data.column_names:
            data = data.append_column(name, pa.nulls(data.num_rows, pa.string()))
    if DATASETS[dataset].personal_fields:
        _insert_arrow(con, _restricted_table(dataset), data, restricted_columns(dataset))
    _insert_arrow(con, f"raw.{dataset}", data, raw_columns(dataset))


def sha256_of(path: Path) -> str:
    """The file's SHA-256, opened without following a symbolic link (a link swapped in after the scan fails with
    ELOOP instead of being read)."""
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with open(fd, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_ignored(landing: Path, p: Path) -> bool:
    return any(part.startswith(_IGNORED_PREFIXES) for part in p.relative_to(landing).parts)


def _walk(landing: Path) -> tuple[list[Path], list[Path]]:
    """(regular files, symbolic links) under the landing zone. Never descends into a linked folder, never follows
    a link: a unit's folder holding a link to '/etc/passwd' or to another ward's folder yields the link itself.
    FIFOs, sockets and devices are neither (never opened). Uses the directory entries' own types (no stat)."""
    files: list[Path] = []
    links: list[Path] = []
    stack = [str(landing)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:  # removed or unreadable since it was listed
            continue
        for entry in entries:
            try:
                if entry.is_symlink():
                    links.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    files.append(Path(entry.path))
            except OSError:
                continue
    return files, links


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:  # gone since the scan: sorted last, then skipped by load()
        return float("inf")


def discover_files(landing: Path) -> list[Path]:
    """Every candidate file under the landing zone, oldest first (so a correction is applied after the original).

    Lock and hidden files are not candidates (see ``discover_ignored_files``): the sensor's fingerprint is built
    from this list, so Excel creating '~$ds.xlsx' while someone has the file open does not start a run.
    Symbolic links are not candidates either (``discover_links``): their targets are never opened, nor stat'ed."""
    files = [p for p in _walk(landing)[0] if not _is_ignored(landing, p)]
    return sorted(files, key=lambda p: (_mtime(p), p.as_posix()))


def discover_ignored_files(landing: Path) -> list[Path]:
    """Files that are never read but get a manifest row saying why: Excel owner/lock files ('~$ds.xlsx'),
    LibreOffice lock files ('.~lock.ds.ods#'), hidden files ('.DS_Store', '._ds.xlsx') and files in hidden folders."""
    return sorted(p for p in _walk(landing)[0] if _is_ignored(landing, p))


def discover_links(landing: Path) -> list[Path]:
    """Symbolic links (to files or folders, inside or outside the zone) under the landing zone, hidden ones
    included: each gets a manifest row 'rejected' (code ``symlink``); what they point to is never read."""
    return sorted(_walk(landing)[1])


def _ignored_reason(rel: Path) -> tuple[str, str]:
    """Why a lock or hidden file is not read: (Vietnamese, English)."""
    name = rel.name
    folder = next((part for part in rel.parts[:-1] if part.startswith(_IGNORED_PREFIXES)), None)
    if folder is not None:
        return (
            f"tệp nằm trong thư mục ẩn '{folder}', không phải dữ liệu; không được đọc",
            f"a file inside the hidden folder '{folder}', not data; not read",
        )
    if name.startswith("~$"):
        return (
            "tệp khóa của Excel (~$...), không phải dữ liệu; Excel tự tạo khi tệp đang mở, không cần gửi",
            "an Excel owner/lock file (~$...), not data; Excel makes it while the file is open",
        )
    if name.startswith(".~lock."):
        return (
            "tệp khóa của LibreOffice (.~lock...#), không phải dữ liệu; không cần gửi",
            "a LibreOffice lock file (.~lock...#), not data",
        )
    if name == ".DS_Store" or name.startswith("._"):
        return (
            "tệp ẩn do máy Mac tạo (.DS_Store, ._...), không phải dữ liệu; không cần gửi",
            "a hidden file made by macOS (.DS_Store, ._...), not data",
        )
    return (
        "tệp ẩn (tên bắt đầu bằng dấu chấm), không phải dữ liệu; không được đọc",
        "a hidden file (its name starts with a dot), not data; not read",
    )


def _loose_place(rel: Path, now: datetime) -> dict:
    """unit and period of a file in a valid unit folder, whatever the file is (a .docx, a link): recorded on its
    rejection, so the unit's workbook says it was received. A future period is not recorded (it must not appear
    as a period anywhere), the unit is."""
    parts = rel.parts
    if len(parts) < 3 or (parts[1], parts[2]) not in load_registry():
        return {}
    period = parse_period(parts[0])
    if period is None:
        return {}
    return {
        "period": parts[0] if period <= current_period(now) else None,
        "unit_kind": parts[1],
        "unit_code": parts[2],
    }


def _place_of(rel: Path, now: datetime | None = None) -> tuple[str, str, str]:
    """(period, unit_kind, unit_code) from the file's place, or a rejection saying where it should go. With
    ``now``, a period after the half-year ``now`` falls in is rejected as ``future_period``."""
    parts = rel.parts
    where = "<kỳ báo cáo>/<ward|department|university>/<mã đơn vị>/<tệp>"
    if len(parts) != 4:
        raise _Rejection(
            "wrong_place",
            f"Tệp '{rel.as_posix()}' không nằm đúng chỗ. Đặt tệp theo mẫu {where}, ví dụ 2026-H1/ward/26068/ds.xlsx.",
            f"File '{rel.as_posix()}' is not in the expected place. Put it under {where}, e.g. 2026-H1/ward/26068/list.xlsx.",
        )
    period_text, kind, code, _ = parts
    if parse_period(period_text) is None:
        raise _Rejection(
            "unknown_period",
            f"Kỳ báo cáo '{period_text}' không hợp lệ (đúng dạng: 2026-H1 hoặc 2026-H2). Chuyển tệp vào thư mục kỳ đúng.",
            f"Unknown reporting period '{period_text}' (expected e.g. 2026-H1 or 2026-H2). Move the file to the right period folder.",
        )
    if now is not None and parse_period(period_text) > current_period(now):
        current = current_period(now).code
        raise _Rejection(
            "future_period",
            f"Kỳ báo cáo '{period_text}' chưa tới (kỳ hiện tại là {current}); tệp không được nạp. "
            "Chuyển tệp vào thư mục kỳ đúng.",
            f"Reporting period '{period_text}' is in the future (the current period is {current}); the file was "
            "not loaded. Move it to the right period folder.",
        )
    if kind not in UNIT_KINDS:
        raise _Rejection(
            "unknown_unit_kind",
            f"Loại đơn vị '{kind}' không hợp lệ (ward, department hoặc university).",
            f"Unknown unit kind '{kind}' (expected ward, department or university).",
        )
    if (kind, code) not in load_registry():
        raise _Rejection(
            "unknown_unit",
            f"Mã đơn vị '{code}' ({kind}) không có trong danh mục đơn vị báo cáo. Kiểm tra lại mã thư mục hoặc bổ sung đơn vị vào danh mục.",
            f"Unit code '{code}' ({kind}) is not in the unit registry. Check the folder name or add the unit to the registry.",
        )
    try:
        check_accepted_suffix(rel)  # the accepted kinds are the reader's (ingest.readers.ACCEPTED_SUFFIXES)
    except UnsupportedFormat as exc:
        raise _Rejection(exc.issue_code, exc.message_vi, exc.message_en) from None
    return period_text, kind, code


def _kind_counts(rows: pa.Table) -> dict[str, int]:
    kinds, counts = pc.value_counts(rows.column("row_kind")).flatten()
    return dict(zip(kinds.to_pylist(), counts.to_pylist(), strict=True))


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, columns: Iterable[str]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    con.register("_incoming", data)
    try:
        con.execute(f"insert into {table} ({cols}) select {cols} from _incoming")
    finally:
        con.unregister("_incoming")


def _naive_utc(ts: float | None = None) -> datetime:
    dt = datetime.now(UTC) if ts is None else datetime.fromtimestamp(ts, UTC)
    return dt.replace(tzinfo=None)


_MANIFEST_COLUMNS = (
    "source_file", "file_sha256", "file_size", "unit_code", "unit_kind", "period", "datasets", "sheets", "encoding",
    "rows_read", "rows_loaded", "rows_rejected", "rows_skipped", "rows_skipped_blank", "rows_skipped_total",
    "rows_skipped_note", "status", "is_current", "message_vi", "message_en", "received_at", "ingested_at",
    "replaced_by", "rows_skipped_section", "combine_rule", "combine_reason", "edited_at", "received_on_setup",
)  # fmt: skip
_MANIFEST_ADDED = {
    "rows_skipped_section": "integer default 0",
    "combine_rule": "varchar",
    "combine_reason": "varchar",
    "edited_at": "timestamp",
    "received_on_setup": "boolean default false",
}
_ISSUE_COLUMNS = (
    "source_file", "sheet_name", "source_row", "column_name", "raw_value", "issue_code", "severity", "message_vi",
    "message_en", "unit_code", "unit_kind", "period", "dataset", "file_sha256",
)  # fmt: skip


@dataclass
class _Current:
    """A current (not replaced) accepted file, as the loader tracks it in memory."""

    source_file: str
    sha: str
    datasets: frozenset[str]


class _Batch:
    """What one transaction will write besides the data rows: file manifest rows, issues and retirements.

    The data rows of a batch go to the writer as they are read, in inserts of at least APPEND_ROWS rows
    (``_Loader._append``); the rest of them before the commit.
    """

    def __init__(self) -> None:
        self.issues: list[pa.Table] = []
        self.manifest: list[dict] = []
        self.retire: list[tuple[str, str, str]] = []  # (source_file, sha, replaced_by)
        self.withdraw: list[tuple[str, str]] = []  # (source_file, sha) of current files gone from the zone
        self.rows = 0
        self.files: set[tuple[str, str]] = set()
        self.template_rows: list[pa.Table] = []  # quality.template_rows of the returned templates

    def __bool__(self) -> bool:
        return bool(self.manifest) or bool(self.withdraw)


class _Writer:
    """Writes to the warehouse on one thread of its own, in order, so that inserting and committing overlap with
    reading and classifying the next files.

    ``append`` inserts rows into the open transaction (opening one if needed); ``commit`` applies a batch's
    retirements, issues and manifest rows and commits. Nothing is committed before ``commit``: a batch is all or
    nothing, as before. After a failure nothing more is written, and the error is raised on the loading thread at
    the next call. At most ``max_pending`` jobs wait (their tables in memory); the loading thread waits beyond that.

    A DuckDB transaction writes one database: the personal fields go to the restricted store in a transaction of
    their own (on a cursor, ``rcon``), committed just before the analytics file's. Should the second commit fail,
    the restricted rows left behind belong to no raw row, and the next pass deletes them before it loads
    (:func:`sweep_restricted_orphans`): the file is loaded again then, since its manifest row was not committed.
    The personal fields are inserted on a second thread while the rest of the rows go in on this one (two files,
    two compressions side by side); ``commit`` waits for them.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, max_pending: int = 8) -> None:
        self.con = con
        self.rcon = con.cursor()
        self._in_restricted = False
        self._rpool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-write-restricted")
        self._rpending: deque[Future[None]] = deque()  # restricted inserts in flight (writer thread's view)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-write")
        self._pending: deque[Future[None]] = deque()
        self._max_pending = max_pending
        self._in_transaction = False
        self._failed: BaseException | None = None

    def _submit(self, job, *args) -> None:
        self._raise_if_failed()
        self._pending.append(self._pool.submit(self._run, job, *args))
        while len(self._pending) > self._max_pending or (self._pending and self._pending[0].done()):
            self._pending.popleft().result()  # _run never raises; it records the failure
        self._raise_if_failed()

    def _run(self, job, *args) -> None:
        if self._failed is not None:
            return
        try:
            if not self._in_transaction:
                self.con.execute("begin transaction")
                self._in_transaction = True
            job(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the loading thread
            self._failed = exc
            self._rollback()

    def _wait_restricted(self) -> None:
        """Wait for the restricted inserts handed over; raise the first failure (on the writer thread)."""
        while self._rpending:
            self._rpending.popleft().result()

    def _rollback(self) -> None:
        while self._rpending:  # nothing may still write to rcon while it rolls back
            try:
                self._rpending.popleft().result()
            except BaseException:  # noqa: BLE001 - already failing; the first failure is the one raised
                pass
        for con, flag in ((self.rcon, "_in_restricted"), (self.con, "_in_transaction")):
            if getattr(self, flag):
                setattr(self, flag, False)
                try:
                    con.execute("rollback")
                except duckdb.Error:
                    log.exception("rollback after a failed write")

    def _restricted(self) -> duckdb.DuckDBPyConnection:
        """The restricted store's cursor, in a transaction of its own."""
        if not self._in_restricted:
            self.rcon.execute("begin transaction")
            self._in_restricted = True
        return self.rcon

    def _raise_if_failed(self) -> None:
        if self._failed is not None:
            raise self._failed

    def drain(self) -> None:
        """Wait until every job handed over so far is done (a batch handed to ``commit`` is then committed)."""
        while self._pending:
            self._pending.popleft().result()
        self._raise_if_failed()

    def append(self, dataset: str, tables: list[pa.Table]) -> None:
        self._submit(self._append, dataset, pa.concat_tables(tables))

    def _append(self, dataset: str, data: pa.Table) -> None:
        if DATASETS[dataset].personal_fields:
            if len(self._rpending) > 1:  # one insert in flight and one waiting, at most
                self._rpending.popleft().result()
            self._rpending.append(self._rpool.submit(self._insert_restricted, dataset, data))
        _insert_arrow(self.con, f"raw.{dataset}", data, raw_columns(dataset))

    def _insert_restricted(self, dataset: str, data: pa.Table) -> None:
        _insert_arrow(self._restricted(), _restricted_table(dataset), data, restricted_columns(dataset))

    def commit(self, batch: _Batch) -> None:
        if batch:
            self._submit(self._commit, batch)

    def _commit(self, batch: _Batch) -> None:
        con = self.con
        self._wait_restricted()
        if batch.retire:
            retire = pa.table(
                {
                    "source_file": string_array([r[0] for r in batch.retire]),
                    "file_sha256": string_array([r[1] for r in batch.retire]),
                    "replaced_by": string_array([r[2] for r in batch.retire]),
                }
            )
            # The rows of the files retired are older than this batch, or were appended in this transaction
            # before the file replacing them: deleting them here is right either way.
            self._delete_rows(retire)
            con.register("_retire", retire)
            con.execute(
                "update quality.file_manifest m set is_current = false, "
                "status = case when m.status = 'rejected' then m.status else 'replaced' end, "
                "replaced_by = r.replaced_by from _retire r "
                "where m.source_file = r.source_file and m.is_current "
                "and (m.file_sha256 = r.file_sha256 or (r.file_sha256 = '' and m.status = 'rejected'))"
            )
            con.unregister("_retire")
        if batch.withdraw:
            gone = pa.table(
                {
                    "source_file": string_array([w[0] for w in batch.withdraw]),
                    "file_sha256": string_array([w[1] for w in batch.withdraw]),
                }
            )
            self._delete_rows(gone)  # its rows leave raw, as a replaced file's do
            con.register("_withdraw", gone)
            con.execute(
                "update quality.file_manifest m set is_current = false, status = 'withdrawn', "
                "message_vi = concat_ws('; ', nullif(m.message_vi, ''), ?), "
                "message_en = concat_ws('; ', nullif(m.message_en, ''), ?) "
                "from _withdraw w where m.source_file = w.source_file and m.file_sha256 = w.file_sha256 "
                "and m.is_current",
                [WITHDRAWN_VI, WITHDRAWN_EN],
            )
            con.unregister("_withdraw")
        if batch.issues:
            _insert_arrow(con, "quality.ingest_row_issues", pa.concat_tables(batch.issues), _ISSUE_COLUMNS)
        if batch.template_rows:
            insert_template_rows(con, batch.template_rows)
        if batch.manifest:
            # plain parameters, one statement: an Arrow table built from Python values would import pandas
            row = "(" + ", ".join("?" * len(_MANIFEST_COLUMNS)) + ")"
            con.execute(
                f"insert into quality.file_manifest ({', '.join(_MANIFEST_COLUMNS)}) values "
                + ", ".join([row] * len(batch.manifest)),
                [m.get(c) for m in batch.manifest for c in _MANIFEST_COLUMNS],
            )
        if self._in_restricted:  # the personal fields first: a failure between the two leaves only orphans
            self.rcon.execute("commit")
            self._in_restricted = False
        con.execute("commit")
        self._in_transaction = False

    def _delete_rows(self, files: pa.Table) -> None:
        """Delete the rows of these (source_file, file_sha256) from every raw table, and their personal fields."""
        for ds in DATASETS:
            targets = [(self.con, f"raw.{ds}")]
            if DATASETS[ds].personal_fields:
                targets.append((self._restricted(), _restricted_table(ds)))
            for con, table in targets:
                con.register("_files", files)
                try:
                    con.execute(
                        f"delete from {table} where (source_file, file_sha256) in "
                        "(select (source_file, file_sha256) from _files)"
                    )
                finally:
                    con.unregister("_files")

    def close(self) -> None:
        """Wait for every write; raise the first failure. A transaction left open (no commit came) is rolled back."""
        try:
            while self._pending:
                self._pending.popleft().result()
            self._raise_if_failed()
        finally:
            self._pool.shutdown(wait=True)
            self._rollback()
            self._rpool.shutdown(wait=True)
            self.rcon.close()


def _file_issue_table(*, rel, sha, period, kind, code, issue_code, message_vi, message_en) -> pa.Table:
    row = dict.fromkeys(_ISSUE_COLUMNS)
    row.update(
        source_file=rel, issue_code=issue_code, severity="error", message_vi=message_vi, message_en=message_en,
        unit_code=code, unit_kind=kind, period=period, file_sha256=sha,
    )  # fmt: skip
    return pa.table(
        {c: pa.nulls(1, pa.int32()) if c == "source_row" else string_array([row[c]]) for c in _ISSUE_COLUMNS},
        schema=_ISSUE_SCHEMA,
    )


def _repeat(value: str | None, n: int) -> pa.Array:
    return pa.nulls(n, pa.string()) if value is None else pa.repeat(string_scalar(value), n)


def _timestamp_scalar(value: datetime) -> pa.TimestampScalar:
    micros = (value - datetime(1970, 1, 1)) // timedelta(microseconds=1)
    return numpy_to_arrow(np.array([micros], dtype=np.int64), pa.int64()).view(pa.timestamp("us"))[0]


_ISSUE_SCHEMA = pa.schema([(c, pa.int32() if c == "source_row" else pa.string()) for c in _ISSUE_COLUMNS])


def _block_tables(
    result: ReadResult, lineage: dict
) -> tuple[dict[str, list[pa.Table]], list[pa.Table], dict]:
    """Split each block into raw rows (with lineage) and rejected-row issues; count rows by kind."""
    totals = {"read": 0, "data": 0, "rejected": 0, "blank": 0, "total": 0, "note": 0, "section": 0}
    data_out: dict[str, list[pa.Table]] = {}
    issues_out: list[pa.Table] = []
    for block in result.blocks:
        rows = block.rows
        counts = _kind_counts(rows)
        for k, n in counts.items():
            totals[k] = totals.get(k, 0) + n
        totals["read"] += rows.num_rows
        ds = DATASETS[block.dataset]
        kinds = rows.column("row_kind")
        # a clean sheet is all data rows: no filter (a copy of every column) needed
        all_data = counts.get("data", 0) == rows.num_rows
        data = rows if all_data else rows.filter(pc.equal(kinds, string_scalar("data")))
        if data.num_rows:
            n = data.num_rows
            cols = {name: data.column(name) for name in ds.field_names}
            cols["source_file"] = _repeat(lineage["source_file"], n)
            cols["sheet_name"] = _repeat(block.sheet_name, n)
            cols["source_row"] = data.column("source_row").cast(pa.int32())
            for col in ("unit_code", "unit_kind", "period", "file_sha256"):
                cols[col] = _repeat(lineage[col], n)
            cols["ingested_at"] = pa.repeat(_timestamp_scalar(lineage["ingested_at"]), n)
            data_out.setdefault(ds.name, []).append(pa.table(cols))
        if counts.get("rejected", 0):
            rejected = rows.filter(pc.equal(kinds, string_scalar("rejected")))
            n = rejected.num_rows
            issues_out.append(
                pa.table(
                    {
                        "source_file": _repeat(lineage["source_file"], n),
                        "sheet_name": _repeat(block.sheet_name, n),
                        "source_row": rejected.column("source_row").cast(pa.int32()),
                        "column_name": rejected.column("issue_column").cast(pa.string()),
                        "raw_value": rejected.column("issue_value").cast(pa.string()),
                        "issue_code": rejected.column("issue_code").cast(pa.string()),
                        "severity": _repeat("error", n),
                        "message_vi": rejected.column("message_vi").cast(pa.string()),
                        "message_en": rejected.column("message_en").cast(pa.string()),
                        "unit_code": _repeat(lineage["unit_code"], n),
                        "unit_kind": _repeat(lineage["unit_kind"], n),
                        "period": _repeat(lineage["period"], n),
                        "dataset": _repeat(ds.name, n),
                        "file_sha256": _repeat(lineage["file_sha256"], n),
                    },
                    schema=_ISSUE_SCHEMA,
                )
            )
    return data_out, issues_out, totals


@dataclass
class _Prefetched:
    """A file's SHA-256 and, if it was read ahead, what reading it gave (a result or the exception it raised)."""

    sha: str
    read: ReadResult | None = None
    error: Exception | None = None
    vanished: bool = False

    @property
    def was_read(self) -> bool:
        return self.read is not None or self.error is not None

    def result(self) -> ReadResult:
        if self.error is not None:
            raise self.error
        return self.read


def _read_ahead(loader: _Loader, paths: list[Path], workers: int) -> Iterator[tuple[Path, _Prefetched | None]]:
    """``(path, prefetched)`` in the order of ``paths``, with up to ``workers`` files hashed and read ahead in threads.

    The readers spend their time in fastexcel (calamine), pyarrow and hashlib, which release the GIL, so reading the
    next files overlaps with classifying and writing the current one. Threads, not processes: safe inside Dagster's
    multi-threaded run worker, and nothing to start. At most ``workers`` read files wait in memory.
    """
    if workers <= 1 or len(paths) <= 1:
        yield from ((p, None) for p in paths)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-read") as pool:
        pending: deque[tuple[Path, Future[_Prefetched]]] = deque()
        queue = iter(paths)
        for path in queue:
            pending.append((path, pool.submit(loader.prefetch, path)))
            if len(pending) >= workers:
                break
        while pending:
            path, future = pending.popleft()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(loader.prefetch, nxt)))
            yield path, future.result()


class _Loader:
    """One pass over the landing zone. Manifest state is read once and kept in memory; writes go in batches."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        landing: Path,
        now: datetime,
        batch_files: int,
        batch_rows: int,
        overrides: Path | None = None,
    ):
        self.con, self.landing, self.now = con, landing, now
        self.landing_real = landing.resolve()  # every file read must resolve inside it
        self.overrides = _read_overrides(COMBINATION_OVERRIDES_CSV if overrides is None else overrides)
        # A connection of its own for reading committed rows (an earlier persons file's people) while the writer's
        # thread uses ``con``.
        database = con.execute("select current_database()").fetchone()[0]
        self.reader = con.cursor()
        self.reader.execute(f'use "{database}"')
        self.batch_files, self.batch_rows = batch_files, batch_rows
        self.batch = _Batch()
        self.writer = _Writer(con)
        self.pending: dict[str, list[pa.Table]] = {}  # rows not yet handed to the writer, per dataset
        self.pending_rows: dict[str, int] = {}
        # Every file version recorded, except those of a path withdrawn (gone from the zone) and not back since:
        # the same file added again is loaded again.
        self.seen = set(
            con.execute(
                "select source_file, file_sha256 from quality.file_manifest m where not exists ("
                "  select 1 from quality.file_manifest w where w.source_file = m.source_file "
                "  and w.status = 'withdrawn') "
                "or exists (select 1 from quality.file_manifest c where c.source_file = m.source_file "
                "  and c.is_current)"
            ).fetchall()
        )
        # A file rejected because its period was in the future is looked at again once that period has come.
        current = current_period(now)
        # (only once: a version with a manifest row besides that rejection has been looked at again already)
        for rel, sha in con.execute(
            "select source_file, file_sha256 from quality.file_manifest m where exists ("
            "  select 1 from quality.ingest_row_issues i where i.issue_code = 'future_period' "
            "  and i.source_file = m.source_file and i.file_sha256 = m.file_sha256) "
            "group by all having count(*) = 1"
        ).fetchall():
            period = parse_period(rel.split("/", 1)[0])
            if period is not None and period <= current:
                self.seen.discard((rel, sha))
        self.seen_before = frozenset(self.seen)
        # 'Received' is when the warehouse first saw a file version (its sha256), whatever its path or mtime (a
        # file copied with cp -p or unzipped keeps the unit's own edit date: that is only ``edited_at``). The
        # versions of a warehouse's very first pass came before it existed: when they arrived is not known.
        self.setup_pass = not con.execute("select count(*) from quality.file_manifest").fetchone()[0]
        self.receipts: dict[str, tuple[datetime, bool]] = {
            sha: (at, bool(on_setup))
            for sha, at, on_setup in con.execute(
                "select file_sha256, min(received_at), bool_or(coalesce(received_on_setup, false)) "
                "from quality.file_manifest group by file_sha256"
            ).fetchall()
        }
        self.current: dict[tuple[str, str, str], list[_Current]] = {}
        self.current_sha: dict[tuple[str, str, str], dict[str, str]] = {}
        rows = con.execute(
            "select unit_code, unit_kind, period, source_file, file_sha256, coalesce(datasets, ''), status "
            "from quality.file_manifest where is_current"
        ).fetchall()
        self.rejected_current: set[str] = set()
        ignored = "select source_file from quality.file_manifest where status = 'ignored'"
        self.ignored_seen = {r[0] for r in con.execute(ignored).fetchall()}
        for code, kind, period, rel, sha, datasets, status in rows:
            if status == "rejected":
                self.rejected_current.add(rel)
                continue
            if status == "ignored":
                continue
            key = (code, kind, period)
            self.current.setdefault(key, []).append(
                _Current(rel, sha, frozenset(filter(None, datasets.split(","))))
            )

    def _append(self, dataset: str, tables: list[pa.Table]) -> None:
        """Hand rows to the writer in inserts of at least APPEND_ROWS rows: an INSERT has a fixed cost (and
        starts a new row group), so 20 files of 5,000 rows cost twice what one insert of 100,000 rows costs."""
        self.pending.setdefault(dataset, []).extend(tables)
        self.pending_rows[dataset] = self.pending_rows.get(dataset, 0) + sum(t.num_rows for t in tables)
        if self.pending_rows[dataset] >= APPEND_ROWS:
            self._send(dataset)

    def _send(self, dataset: str) -> None:
        self.writer.append(dataset, self.pending.pop(dataset))
        self.pending_rows.pop(dataset)

    def flush(self) -> None:
        """Commit what the batch holds (on the writer's thread) and start a new batch."""
        for dataset in list(self.pending):
            self._send(dataset)
        batch, self.batch = self.batch, _Batch()
        self.writer.commit(batch)

    def _retire(self, key: tuple[str, str, str], old: _Current, replaced_by: str) -> None:
        if (old.source_file, old.sha) in self.batch.files:
            self.flush()  # the file it replaces is not committed yet: commit it first
        self.batch.retire.append((old.source_file, old.sha, replaced_by))
        self.current[key].remove(old)

    def _reject(self, base: dict, rej: _Rejection) -> FileOutcome:
        rel = base["source_file"]
        if rel in self.rejected_current:  # the earlier rejected version of this path is history now
            self.batch.retire.append((rel, "", ""))
        self.batch.manifest.append(
            {
                **base,
                "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "rows_skipped": 0,
                "rows_skipped_blank": 0, "rows_skipped_total": 0, "rows_skipped_note": 0, "rows_skipped_section": 0,
                "status": "rejected", "is_current": True,
                "message_vi": rej.message_vi, "message_en": rej.message_en,
            }
        )  # fmt: skip
        self.batch.issues.append(
            _file_issue_table(
                rel=rel, sha=base["file_sha256"], period=base.get("period"), kind=base.get("unit_kind"),
                code=base.get("unit_code"), issue_code=rej.issue_code, message_vi=rej.message_vi,
                message_en=rej.message_en,
            )
        )  # fmt: skip
        self.rejected_current.add(rel)
        return FileOutcome(rel, "rejected", message_en=rej.message_en)

    def prefetch(self, path: Path) -> _Prefetched:
        """Hash and, when the file will be read, read it: what ``load`` needs, done off the writing thread.

        Thread-safe: it reads only what the loader knew before the pass (the manifest), never what ``load`` changes.
        The read of a file that ``load`` will not read (unchanged, or in a wrong place) is not done.
        """
        rel_path = path.relative_to(self.landing)
        if not self._contained(path):
            return _Prefetched("", vanished=True)  # load() records the link
        try:
            sha = sha256_of(path)
        except OSError:  # deleted (or swapped for a link) since the scan: load() skips it
            return _Prefetched("", vanished=True)
        if (rel_path.as_posix(), sha) in self.seen_before:
            return _Prefetched(sha)
        try:
            _place_of(rel_path, self.now)
        except _Rejection:
            return _Prefetched(sha)
        try:
            return _Prefetched(sha, read_file(path))
        except Exception as exc:  # noqa: BLE001 - handed to load(), which names the rejection
            return _Prefetched(sha, error=exc)

    def _contained(self, path: Path) -> bool:
        """Not a link, and its real path inside the landing zone's real path (no linked folder on the way)."""
        return not os.path.islink(path) and Path(os.path.realpath(path)).is_relative_to(self.landing_real)

    def load(self, path: Path, prefetched: _Prefetched | None = None) -> FileOutcome:
        rel_path = path.relative_to(self.landing)
        rel = rel_path.as_posix()
        if not self._contained(path):  # became a link (or moved under one) since the scan: never read
            return self.reject_link(path)
        try:
            if prefetched is not None and prefetched.vanished:
                raise FileNotFoundError(rel)
            sha = prefetched.sha if prefetched else sha256_of(path)
            if (rel, sha) in self.seen:
                return FileOutcome(rel, "unchanged")
            stat = path.stat()
        except OSError:
            # Deleted (or swapped for a link) between the scan and now: nothing to record; the next pass sees
            # it gone (and retires its earlier version) or sees the link.
            log.warning("%s vanished from the landing zone during the pass; skipped", rel)
            return FileOutcome(rel, "vanished", message_en="file no longer in the landing zone")
        self.seen.add((rel, sha))
        base = {
            "source_file": rel,
            "file_sha256": sha,
            "file_size": stat.st_size,
            **self.receipt(sha, stat.st_mtime),
            "ingested_at": self.now,
        }
        try:
            base.update(_loose_place(rel_path, self.now))  # kept on a rejection of the file's kind or period
            period, kind, code = _place_of(rel_path, self.now)
            base.update(unit_code=code, unit_kind=kind, period=period)
            key = (code, kind, period)
            duplicate = next(
                (c.source_file for c in self.current.get(key, []) if c.sha == sha and c.source_file != rel),
                None,
            )
            if duplicate:
                raise _Rejection(
                    "duplicate_file",
                    f"Tệp trùng hoàn toàn với tệp đã nhận '{duplicate}'. Không cần gửi lại; tệp này không được nạp.",
                    f"This file is an exact copy of '{duplicate}', already received. It was not loaded again.",
                )
            try:
                result = prefetched.result() if prefetched and prefetched.was_read else read_file(path)
                check_template_place(result, kind, code)  # a template lists its own unit's people
            except FileRejected as exc:
                if not os.path.lexists(path):  # deleted while it was read: not a broken file
                    self.seen.discard((rel, sha))
                    return FileOutcome(rel, "vanished", message_en="file no longer in the landing zone")
                raise _Rejection(exc.issue_code, exc.message_vi, exc.message_en) from exc
            except FileNotFoundError:
                log.warning("%s vanished from the landing zone during the pass; skipped", rel)
                self.seen.discard((rel, sha))
                return FileOutcome(rel, "vanished", message_en="file no longer in the landing zone")
            except Exception as exc:  # a reader bug must not stop the other files; recorded, never hidden
                log.exception("unexpected error while reading %s", path)
                # the log has the details; the message (manifest, unit workbook) names no place on our server
                detail = scrub_paths(str(exc).splitlines()[0] if str(exc).strip() else "", path)[:200]
                raise _Rejection(
                    "internal_error",
                    f"Lỗi hệ thống khi đọc tệp ({type(exc).__name__}); bộ phận kỹ thuật sẽ kiểm tra và báo lại.",
                    f"Internal error while reading the file: {type(exc).__name__}: {detail}",
                ) from exc
        except _Rejection as rej:
            # A rejected version supersedes nothing: earlier good rows stay until a good file replaces them.
            return self._reject(base, rej)

        datasets = frozenset(b.dataset for b in result.blocks)
        replaced_by = f"{rel}@{sha[:12]}"
        lineage = {**base, "unit_code": code, "unit_kind": kind, "period": period}
        data, issues, t = _block_tables(result, lineage)
        template_issues, template_rows = template_tables(result, lineage)
        issues += template_issues
        if template_rows is not None:
            self.batch.template_rows.append(template_rows)
        # Retire what this file replaces: the earlier version of the same path, or another current file of the
        # same unit and period that carried the same dataset(s) (a corrected re-submission) -- unless, for the
        # persons list, this file adds to it (see _combine).
        replaced, rule, reason_vi, reason_en = self._combine(
            rel_path, key, result, datasets, data.get("persons")
        )
        for old in replaced:
            self._retire(key, old, replaced_by)
        if rel in self.rejected_current:
            self.batch.retire.append((rel, "", ""))
            self.rejected_current.discard(rel)
        for ds, tables in data.items():
            self._append(ds, tables)
        self.batch.issues.extend(issues)
        skipped = t["blank"] + t["total"] + t["note"] + t["section"]
        status = "loaded_with_issues" if t["rejected"] else "loaded"
        notes_vi = [f"{len(result.blocks)} bảng dữ liệu"]
        notes_en = [f"{len(result.blocks)} data table(s)"]
        if rule != "first":
            notes_vi.append(reason_vi)
            notes_en.append(reason_en)
        if t["section"]:
            notes_vi.append(f"{t['section']} dòng tiêu đề nhóm (áp dụng cho các dòng bên dưới)")
            notes_en.append(f"{t['section']} section heading row(s) (applied to the rows below them)")
        if (notes := template_notes(result, period)) is not None:
            notes_vi.append(notes[0])
            notes_en.append(notes[1])
        if result.skipped_sheets:
            notes_vi.append("các sheet không dùng: " + "; ".join(s for s, _ in result.skipped_sheets))
            notes_en.append(
                "sheets not used: " + "; ".join(f"{s} ({why})" for s, why in result.skipped_sheets)
            )
        self.batch.manifest.append(
            {
                **base,
                "datasets": ",".join(sorted(datasets)),
                "sheets": ",".join(b.sheet_name for b in result.blocks if b.sheet_name),
                "encoding": ", ".join([result.encoding, *sorted({r for b in result.blocks for r in b.repairs})]),
                "rows_read": t["read"], "rows_loaded": t["data"], "rows_rejected": t["rejected"],
                "rows_skipped": skipped, "rows_skipped_blank": t["blank"], "rows_skipped_total": t["total"],
                "rows_skipped_note": t["note"], "rows_skipped_section": t["section"], "status": status,
                "is_current": True, "message_vi": "; ".join(notes_vi), "message_en": "; ".join(notes_en),
                "combine_rule": rule, "combine_reason": f"{reason_vi} / {reason_en}",
            }
        )  # fmt: skip
        self.batch.files.add((rel, sha))
        self.batch.rows += t["data"]
        self.current.setdefault(key, []).append(_Current(rel, sha, datasets))
        if len(self.batch.manifest) >= self.batch_files or self.batch.rows >= self.batch_rows:
            self.flush()
        return FileOutcome(
            rel, status, datasets=tuple(sorted(datasets)), rows_read=t["read"], rows_loaded=t["data"],
            rows_rejected=t["rejected"], rows_skipped=skipped, combine_rule=rule,
        )  # fmt: skip

    # --- supplement or replace -----------------------------------------------------------------------------
    def _combine(
        self,
        rel_path: Path,
        key: tuple[str, str, str],
        result: ReadResult,
        datasets: frozenset[str],
        persons: list[pa.Table] | None,
    ) -> tuple[list[_Current], str, str, str]:
        """Which current files of the unit and period this file replaces, and why: (replaced, combine_rule,
        reason_vi, reason_en). The same path, or a shared register dataset, always replaces. An earlier persons
        list is replaced or added to, in this order: a quality officer's override, the words of the file name or
        title, the share of the earlier file's people this one repeats (per earlier file)."""
        rel = rel_path.as_posix()
        decisions: list[tuple[_Current, str, str, str]] = []  # (earlier file, rule, why_vi, why_en)
        earlier_lists: list[_Current] = []
        for c in self.current.get(key, []):
            shared = c.datasets & datasets
            if c.source_file == rel:
                decisions.append((c, "replace", "gửi lại cùng tệp", "a new version of the same file"))
            elif shared - {"persons"}:
                names = ", ".join(sorted(shared - {"persons"}))
                decisions.append((c, "replace", f"cùng loại dữ liệu {names}", f"same dataset: {names}"))
            elif shared:
                earlier_lists.append(c)
        if earlier_lists:
            titles = [line for b in result.blocks if b.dataset == "persons" for line in b.title_lines]
            decided = self._override(rel) or template_decision(result) or _words_decision(rel_path.stem, titles)
            for c in earlier_lists:
                decisions.append((c, *(decided or self._content_decision(c, persons))))
        if not decisions:
            return (
                [], "first", "tệp đầu tiên của đơn vị cho kỳ và loại dữ liệu này",
                "the unit's first file of this dataset for the period",
            )  # fmt: skip
        groups: dict[tuple[str, str, str], list[str]] = {}
        for c, rule, why_vi, why_en in decisions:
            groups.setdefault((rule, why_vi, why_en), []).append(Path(c.source_file).name)
        vi = [
            f"{'thay thế' if rule == 'replace' else 'bổ sung cho'} {', '.join(names)} ({why_vi})"
            for (rule, why_vi, _), names in groups.items()
        ]
        en = [
            f"{'replaces' if rule == 'replace' else 'adds to'} {', '.join(names)} ({why_en})"
            for (rule, _, why_en), names in groups.items()
        ]
        replaced = [c for c, rule, _, _ in decisions if rule == "replace"]
        return replaced, "replace" if replaced else "supplement", "; ".join(vi), "; ".join(en)

    def _override(self, rel: str) -> tuple[str, str, str] | None:
        found = self.overrides.get(unicodedata.normalize("NFC", rel))
        if found is None:
            return None
        rule, reason, decided_by = found
        who_vi, who_en = decided_by or "cán bộ chất lượng", decided_by or "a quality officer"
        reason = reason.replace(" / ", " - ")
        return (
            rule,
            f"quyết định của {who_vi}" + (f": {reason}" if reason else ""),
            f"decision by {who_en}" + (f": {reason}" if reason else ""),
        )

    def _content_decision(self, old: _Current, persons: list[pa.Table] | None) -> tuple[str, str, str]:
        """Replace when this file repeats at least REPLACE_SHARE of the earlier file's people."""
        earlier = self._persons_of(old)
        if earlier.num_rows == 0:
            return "replace", "tệp trước không có dòng dữ liệu nào", "the earlier file has no data rows"
        new = pa.concat_tables(persons) if persons else earlier.schema.empty_table()
        share = repeated_share(earlier, new)
        pct = round(share * 100)
        if share >= REPLACE_SHARE:
            return "replace", f"lặp lại {pct} % số người của tệp đó", f"repeats {pct} % of its people"
        return "supplement", f"chỉ lặp lại {pct} % số người của tệp đó", f"repeats only {pct} % of its people"

    def _persons_of(self, old: _Current) -> pa.Table:
        """The earlier file's people as loaded (raw.persons), once its rows are committed."""
        if (old.source_file, old.sha) in self.batch.files:
            self.flush()  # loaded in this batch: commit it first
        self.writer.drain()
        return self.reader.sql(
            f"select {', '.join(_KEY_FIELDS)} from ({as_sent_sql('persons', RESTRICTED_CATALOG)}) "
            "where source_file = ? and file_sha256 = ?",
            params=[old.source_file, old.sha],
        ).to_arrow_table()

    def reject_link(self, path: Path) -> FileOutcome:
        """A manifest row 'rejected' (code ``symlink``) for a symbolic link, to a file or a folder, inside or
        outside the zone. The link is never followed: no stat, open or hash of its target (its 'sha256' is the
        link's own text's, so the same link is recorded once)."""
        rel_path = path.relative_to(self.landing)
        rel = rel_path.as_posix()
        try:
            st = path.lstat()
            sha = hashlib.sha256(b"symlink\0" + os.fsencode(os.readlink(path))).hexdigest()
        except OSError:
            return FileOutcome(rel, "vanished", message_en=WITHDRAWN_EN)
        if (rel, sha) in self.seen:
            return FileOutcome(rel, "unchanged")
        self.seen.add((rel, sha))
        base = {
            "source_file": rel, "file_sha256": sha, "file_size": st.st_size,
            **self.receipt(sha, st.st_mtime), "ingested_at": self.now, **_loose_place(rel_path, self.now),
        }  # fmt: skip
        return self._reject(base, _Rejection("symlink", SYMLINK_VI, SYMLINK_EN))

    def receipt(self, sha: str, mtime: float) -> dict:
        """``received_at`` (first sight of this file version), ``received_on_setup`` and ``edited_at`` (mtime)."""
        at, on_setup = self.receipts.setdefault(sha, (self.now, self.setup_pass))
        return {"received_at": at, "received_on_setup": on_setup, "edited_at": _naive_utc(mtime)}

    def withdraw_missing(self, present: set[str]) -> list[FileOutcome]:
        """Retire the current manifest row of every file no longer in the landing zone (status 'withdrawn', why
        appended to its message); its rows leave raw.<dataset>. The manifest keeps the history."""
        self.flush()  # what this pass loaded is committed first: a withdrawal is its own transaction
        self.writer.drain()
        rows = self.reader.execute(
            "select source_file, file_sha256 from quality.file_manifest where is_current and status <> 'ignored'"
        ).fetchall()
        gone = [(rel, sha) for rel, sha in rows if rel not in present]
        if not gone:
            return []
        self.batch.withdraw.extend(gone)
        gone_set = set(gone)
        for rel, _sha in gone:
            self.rejected_current.discard(rel)
        for files in self.current.values():
            files[:] = [c for c in files if (c.source_file, c.sha) not in gone_set]
        return [FileOutcome(rel, "withdrawn", message_en=WITHDRAWN_EN) for rel, _ in gone]

    def ignore(self, path: Path) -> FileOutcome:
        """A manifest row (status 'ignored', why) for a lock or hidden file, once per path; never read."""
        rel_path = path.relative_to(self.landing)
        rel = rel_path.as_posix()
        if rel in self.ignored_seen:
            return FileOutcome(rel, "unchanged")
        try:
            stat = path.stat()
            sha = sha256_of(path)
        except OSError:  # gone already (Excel removes its lock file when the workbook is closed)
            return FileOutcome(rel, "unchanged")
        self.ignored_seen.add(rel)
        parts = rel_path.parts
        placed = len(parts) == 4 and parse_period(parts[0]) is not None and parts[1] in UNIT_KINDS
        message_vi, message_en = _ignored_reason(rel_path)
        self.batch.manifest.append(
            {
                "source_file": rel, "file_sha256": sha, "file_size": stat.st_size,
                "unit_code": parts[2] if placed else None, "unit_kind": parts[1] if placed else None,
                "period": parts[0] if placed else None,
                **self.receipt(sha, stat.st_mtime), "ingested_at": self.now,
                "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "rows_skipped": 0,
                "rows_skipped_blank": 0, "rows_skipped_total": 0, "rows_skipped_note": 0, "rows_skipped_section": 0,
                "status": "ignored", "is_current": True, "message_vi": message_vi, "message_en": message_en,
            }
        )  # fmt: skip
        return FileOutcome(rel, "ignored", message_en=message_en)


# --- How a persons file combines with the earlier one ---------------------------------------------------------
_KEY_FIELDS = ("full_name", "birth_date", "birth_year_male", "birth_year_female", "cccd")
_SUPPLEMENT_WORDS = {"bo sung": "bổ sung"}
_REPLACE_WORDS = {"cap nhat": "cập nhật", "thay the": "thay thế", "sua": "sửa", "dieu chinh": "điều chỉnh"}


def _fold(text: str) -> str:
    """Lower case without diacritics, words separated by one space: 'Danh_sách BỔ SUNG' -> 'danh sach bo sung'."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.split(r"[^0-9a-z]+", text)).strip()


def _words_in(text: str, words: dict[str, str]) -> str | None:
    """The first of ``words`` (folded) in ``text`` as a whole word, or written together ('bosung', 'bo_sung')."""
    folded = f" {_fold(text)} "
    for word, shown in words.items():
        if f" {word} " in folded or (" " in word and word.replace(" ", "") in folded):
            return shown
    return None


def _words_decision(file_stem: str, title_lines: list[str]) -> tuple[str, str, str] | None:
    """'bổ sung' -> supplement; 'cập nhật', 'thay thế', 'sửa', 'điều chỉnh' -> replace; the file name first, then
    the title lines. A text with words of both kinds decides nothing."""
    for text, where_vi, where_en in (
        (file_stem, "tên tệp", "file name"),
        (" ".join(title_lines), "tiêu đề", "title"),
    ):
        add, replace = _words_in(text, _SUPPLEMENT_WORDS), _words_in(text, _REPLACE_WORDS)
        if add and not replace:
            return "supplement", f"{where_vi} có '{add}'", f"{where_en} says '{add}'"
        if replace and not add:
            return "replace", f"{where_vi} có '{replace}'", f"{where_en} says '{replace}'"
    return None


def _read_overrides(path: Path) -> dict[str, tuple[str, str, str]]:
    """source_file -> (rule, reason, decided_by) from the overrides seed; a row with an unknown rule is skipped
    (and logged), a missing file means no overrides."""
    if not path.exists():
        return {}
    out: dict[str, tuple[str, str, str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            source = unicodedata.normalize("NFC", (row.get("source_file") or "").strip().replace("\\", "/"))
            source = source.removeprefix("./")
            rule = (row.get("rule") or "").strip().lower()
            if not source:
                continue
            if rule not in ("supplement", "replace"):
                log.warning(
                    "%s: rule %r for %s is not 'supplement' or 'replace'; ignored", path, rule, source
                )
                continue
            out[source] = (rule, (row.get("reason") or "").strip(), (row.get("decided_by") or "").strip())
    return out


def _person_keys(rows: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Per row: the CCCD's digits (null unless 9+ digits) and 'name key|birth year' (null without a name). The
    name key drops case, diacritics, spaces and punctuation, so 'NGUYỄN VĂN  AN' and 'Nguyen Van An' agree."""

    def col(name: str) -> pa.Array:
        if name not in rows.column_names:
            return pa.nulls(rows.num_rows, pa.string())
        c = rows.column(name)
        return c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c

    digits = pc.replace_substring_regex(col("cccd"), r"\D+", "")
    null = pa.scalar(None, pa.string())
    cccd = pc.if_else(pc.fill_null(pc.greater_equal(pc.utf8_length(digits), 9), False), digits, null)
    name = pc.utf8_normalize(col("full_name"), form="NFD")
    name = pc.replace_substring_regex(name, r"\p{M}+", "")
    name = pc.utf8_lower(pc.replace_substring_regex(name, "[đĐ]", "d"))
    name = pc.replace_substring_regex(name, r"[^a-z0-9]+", "")
    name = pc.if_else(pc.fill_null(pc.greater(pc.utf8_length(name), 0), False), name, null)
    born = pc.coalesce(col("birth_date"), col("birth_year_male"), col("birth_year_female"))
    year = pc.struct_field(pc.extract_regex(born, r"(?P<y>(?:19|20)\d{2})"), "y")
    key = pc.binary_join_element_wise(name, pc.fill_null(year, ""), "|")
    return cccd, key


def repeated_share(earlier: pa.Table, new: pa.Table) -> float:
    """The share of ``earlier``'s people that ``new`` repeats. Two rows are one person by CCCD when both have
    one, else by name key + birth year."""
    if earlier.num_rows == 0:
        return 0.0
    old_cccd, old_key = _person_keys(earlier)
    new_cccd, new_key = _person_keys(new)
    new_without_cccd = pc.filter(new_key, pc.is_null(new_cccd))
    by_cccd = pc.fill_null(pc.is_in(old_cccd, value_set=pc.drop_null(new_cccd)), False)
    by_key_any = pc.fill_null(pc.is_in(old_key, value_set=pc.drop_null(new_key)), False)
    by_key_no_cccd = pc.fill_null(pc.is_in(old_key, value_set=pc.drop_null(new_without_cccd)), False)
    has_cccd = pc.is_valid(old_cccd)
    repeated = pc.if_else(has_cccd, pc.or_(by_cccd, by_key_no_cccd), by_key_any)
    return float(pc.sum(pc.cast(repeated, pa.int64())).as_py() or 0) / earlier.num_rows


# Row groups of the raw tables: a quarter of DuckDB's default. A transaction writes each full row group to the
# file as it fills (DuckDB's optimistic writes), on the writer thread while the next files are read; with the
# default size a submission of ~100,000 rows fills none, and all of it is compressed and written at commit.
RAW_ROW_GROUP_SIZE = 16_384
APPEND_ROWS = 4 * RAW_ROW_GROUP_SIZE  # rows per INSERT (see _Loader._append)


def _usable_cpus() -> int:
    """CPUs this process may run on (its affinity on Linux; all of them where the OS does not say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _attach(path: str, read_only: bool = False, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config=config or {})
    try:
        con.execute(f"attach ? as warehouse (row_group_size {RAW_ROW_GROUP_SIZE})", [path])
        store = ensure_restricted_store(restricted_path(Path(path)))
        con.execute(f"attach ? as {RESTRICTED_CATALOG} (row_group_size {RAW_ROW_GROUP_SIZE})", [str(store)])
        con.execute("use warehouse")
    except Exception:
        con.close()
        raise
    return con


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse attached with the raw tables' row-group size; waits (bounded) while another process holds
    the file's lock (ingest.connect)."""
    return connect_warehouse(warehouse, connect=_attach)


def load_landing(
    landing: Path,
    warehouse: Path,
    now: datetime | None = None,
    *,
    batch_files: int = 100,
    batch_rows: int = 250_000,
    read_workers: int | None = None,
    overrides: Path | None = None,
) -> LoadSummary:
    """Load every new or changed file under ``landing`` into ``warehouse``. Idempotent.

    Files are read one by one and written in transactions of up to ``batch_files`` files / ``batch_rows`` rows
    (a commit per file would cost more than reading a small file). The next files are hashed and read ahead in
    ``read_workers`` threads (default: the CPUs this process may use, at most 4) while the current one is written.
    ``overrides``: the quality officers' supplement/replace decisions (default: the seed
    ``registry/file_combination_overrides.csv``).
    """
    summary = LoadSummary()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    now = now or _naive_utc()
    with _connect(warehouse) as con:
        ensure_tables(con)
        if orphans := sweep_restricted_orphans(con):
            log.warning("deleted %d personal-field rows of a load that did not commit", orphans)
        loader = _Loader(con, landing, now, batch_files, batch_rows, overrides)
        try:
            if landing.exists():
                workers = read_workers if read_workers is not None else min(4, _usable_cpus())
                files, links = _walk(landing)
                candidates = sorted(
                    (p for p in files if not _is_ignored(landing, p)), key=lambda p: (_mtime(p), p.as_posix())
                )
                for path, prefetched in _read_ahead(loader, candidates, workers):
                    summary.files.append(loader.load(path, prefetched))
                for path in sorted(links):
                    summary.files.append(loader.reject_link(path))
                for path in sorted(p for p in files if _is_ignored(landing, p)):
                    summary.files.append(loader.ignore(path))
                # A landing zone with nothing in it at all is more likely unmounted than emptied by its units:
                # nothing is withdrawn then (an emptied unit folder still counts as something).
                if files or links or any(landing.iterdir()):
                    present = {p.relative_to(landing).as_posix() for p in (*files, *links)}
                    summary.files.extend(loader.withdraw_missing(present))
            loader.flush()
        finally:
            loader.writer.close()
            loader.reader.close()
    return summary
