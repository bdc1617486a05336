"""Land submitted files into DuckDB: one raw table per dataset, a manifest of every file, every row accounted for.

``load_landing`` walks the landing zone (``<period>/<unit_kind>/<unit_code>/<file>``) and, for each file version
not seen before (path + SHA-256), reads it with :func:`ingest.readers.read_file` and in one transaction:

* appends its data rows to ``raw.<dataset>`` with lineage columns,
* records rejected rows in ``quality.ingest_row_issues``,
* records the file in ``quality.file_manifest`` (rows read = loaded + rejected + skipped),
* retires the rows of the file it replaces: the earlier version of the same path, or the earlier current file of
  the same unit, period and dataset (a corrected re-submission). The manifest keeps the history.

A file in the wrong place, of an unknown unit or period, or unreadable, is rejected with a reason a person can act
on; the other files still load. Running again on the same files changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingest.datasets import DATASETS, LINEAGE_COLUMNS
from ingest.errors import FileRejected
from ingest.periods import parse_period
from ingest.readers import ReadResult, read_file
from ingest.registry import UNIT_KINDS, load_registry

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_IGNORED_PREFIXES = (".", "~$")

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
    replaced_by varchar
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
    status: str  # loaded | loaded_with_issues | rejected | unchanged
    datasets: tuple[str, ...] = ()
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    message_en: str = ""


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


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and quality schemas and tables if missing (idempotent)."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists quality")
    for ds in DATASETS.values():
        cols = [f'"{name}" varchar' for name in ds.field_names]
        cols += [f'"{name}" {_LINEAGE_TYPES[name]}' for name in LINEAGE_COLUMNS]
        con.execute(f"create table if not exists raw.{ds.name} ({', '.join(cols)})")
    con.execute(MANIFEST_DDL)
    con.execute(ISSUES_DDL)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def discover_files(landing: Path) -> list[Path]:
    """Every candidate file under the landing zone, oldest first (so a correction is applied after the original)."""
    files = [
        p
        for p in landing.rglob("*")
        if p.is_file() and not any(part.startswith(_IGNORED_PREFIXES) for part in p.relative_to(landing).parts)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.as_posix()))


def _place_of(rel: Path) -> tuple[str, str, str]:
    """(period, unit_kind, unit_code) from the file's place, or a rejection saying where it should go."""
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
    if rel.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise _Rejection(
            "unsupported_format",
            f"Định dạng tệp '{rel.suffix}' không được hỗ trợ. Gửi tệp Excel (.xlsx) hoặc CSV.",
            f"File format '{rel.suffix}' is not supported. Send an Excel (.xlsx) or CSV file.",
        )
    return period_text, kind, code


def _kind_counts(rows: pa.Table) -> dict[str, int]:
    counts = rows.group_by("row_kind").aggregate([("row_kind", "count")]).to_pylist()
    return {r["row_kind"]: r["row_kind_count"] for r in counts}


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, columns: Iterable[str]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    con.register("_incoming", data)
    try:
        con.execute(f"insert into {table} ({cols}) select {cols} from _incoming")
    finally:
        con.unregister("_incoming")


def _retire(con: duckdb.DuckDBPyConnection, source_file: str, sha: str, replaced_by: str) -> None:
    for ds in DATASETS:
        con.execute(f"delete from raw.{ds} where source_file = ? and file_sha256 = ?", [source_file, sha])
    con.execute(
        "update quality.file_manifest set is_current = false, status = 'replaced', replaced_by = ? "
        "where source_file = ? and file_sha256 = ? and is_current",
        [replaced_by, source_file, sha],
    )


def _load_result(
    con: duckdb.DuckDBPyConnection,
    result: ReadResult,
    *,
    rel: str,
    sha: str,
    period: str,
    kind: str,
    code: str,
    now: datetime,
) -> dict:
    totals = {"read": 0, "data": 0, "rejected": 0, "blank": 0, "total": 0, "note": 0}
    lineage = {
        "source_file": rel,
        "unit_code": code,
        "unit_kind": kind,
        "period": period,
        "file_sha256": sha,
        "ingested_at": now,
    }
    for block in result.blocks:
        rows = block.rows
        counts = _kind_counts(rows)
        for k in ("data", "rejected", "blank", "total", "note"):
            totals[k] += counts.get(k, 0)
        totals["read"] += rows.num_rows
        ds = DATASETS[block.dataset]
        kinds = rows.column("row_kind")
        data = rows.filter(pc.equal(kinds, "data"))
        if data.num_rows:
            n = data.num_rows
            out = data.select(list(ds.field_names))
            out = out.append_column("source_row", data.column("source_row").cast(pa.int32()))
            out = out.append_column("sheet_name", pa.array([block.sheet_name] * n, pa.string()))
            for col, value in lineage.items():
                typ = pa.timestamp("us") if col == "ingested_at" else pa.string()
                out = out.append_column(col, pa.array([value] * n, typ))
            _insert_arrow(con, f"raw.{ds.name}", out, ds.field_names + LINEAGE_COLUMNS)
        rejected = rows.filter(pc.equal(kinds, "rejected"))
        if rejected.num_rows:
            n = rejected.num_rows
            issues = pa.table(
                {
                    "source_file": [rel] * n,
                    "sheet_name": [block.sheet_name] * n,
                    "source_row": rejected.column("source_row").cast(pa.int32()),
                    "column_name": rejected.column("issue_column"),
                    "raw_value": rejected.column("issue_value"),
                    "issue_code": rejected.column("issue_code"),
                    "severity": ["error"] * n,
                    "message_vi": rejected.column("message_vi"),
                    "message_en": rejected.column("message_en"),
                    "unit_code": [code] * n,
                    "unit_kind": [kind] * n,
                    "period": [period] * n,
                    "dataset": [ds.name] * n,
                    "file_sha256": [sha] * n,
                }
            )
            _insert_arrow(con, "quality.ingest_row_issues", issues, issues.column_names)
    return totals


def _record_file(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"insert into quality.file_manifest ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )


def _file_issue(con, *, rel, sha, period, kind, code, issue_code, message_vi, message_en) -> None:
    con.execute(
        "insert into quality.ingest_row_issues (source_file, sheet_name, source_row, column_name, raw_value, "
        "issue_code, severity, message_vi, message_en, unit_code, unit_kind, period, dataset, file_sha256) "
        "values (?, null, null, null, null, ?, 'error', ?, ?, ?, ?, ?, null, ?)",
        [rel, issue_code, message_vi, message_en, code, kind, period, sha],
    )


def load_file(con: duckdb.DuckDBPyConnection, landing: Path, path: Path, now: datetime | None = None) -> FileOutcome:
    """Load one file version (no-op if this path + content was seen before). Call inside ``ensure_tables``."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    rel_path = path.relative_to(landing)
    rel = rel_path.as_posix()
    stat = path.stat()
    sha = sha256_of(path)
    seen = con.execute(
        "select count(*) from quality.file_manifest where source_file = ? and file_sha256 = ?", [rel, sha]
    ).fetchone()[0]
    if seen:
        return FileOutcome(rel, "unchanged")

    base = {
        "source_file": rel,
        "file_sha256": sha,
        "file_size": stat.st_size,
        "received_at": datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None),
        "ingested_at": now,
    }
    period = kind = code = None
    con.execute("begin transaction")
    try:
        try:
            period, kind, code = _place_of(rel_path)
            base.update(unit_code=code, unit_kind=kind, period=period)
            duplicate = con.execute(
                "select source_file from quality.file_manifest where file_sha256 = ? and is_current "
                "and unit_code = ? and period = ? and source_file <> ?",
                [sha, code, period, rel],
            ).fetchone()
            if duplicate:
                raise _Rejection(
                    "duplicate_file",
                    f"Tệp trùng hoàn toàn với tệp đã nhận '{duplicate[0]}'. Không cần gửi lại; tệp này không được nạp.",
                    f"This file is an exact copy of '{duplicate[0]}', already received. It was not loaded again.",
                )
            try:
                result = read_file(path)
            except FileRejected as exc:
                raise _Rejection(exc.issue_code, exc.message_vi, exc.message_en) from exc
        except _Rejection as rej:
            _record_file(
                con,
                {
                    **base,
                    "rows_read": 0,
                    "rows_loaded": 0,
                    "rows_rejected": 0,
                    "rows_skipped": 0,
                    "rows_skipped_blank": 0,
                    "rows_skipped_total": 0,
                    "rows_skipped_note": 0,
                    "status": "rejected",
                    "is_current": True,
                    "message_vi": rej.message_vi,
                    "message_en": rej.message_en,
                },
            )
            _file_issue(
                con,
                rel=rel,
                sha=sha,
                period=period,
                kind=kind,
                code=code,
                issue_code=rej.issue_code,
                message_vi=rej.message_vi,
                message_en=rej.message_en,
            )
            # A rejected version of a path supersedes nothing: earlier good rows stay until a good file replaces them.
            con.execute("commit")
            return FileOutcome(rel, "rejected", message_en=rej.message_en)

        datasets = tuple(sorted({b.dataset for b in result.blocks}))
        # Retire what this file replaces: the earlier version of the same path, or another current file of
        # the same unit and period that carried the same dataset(s) (a corrected re-submission).
        replaced = con.execute(
            "select distinct m.source_file, m.file_sha256 from quality.file_manifest m "
            "where m.is_current and m.status <> 'rejected' and m.unit_code = ? and m.unit_kind = ? and m.period = ? "
            "and (m.source_file = ? or list_has_any(string_split(m.datasets, ','), ?))",
            [code, kind, period, rel, list(datasets)],
        ).fetchall()
        for old_file, old_sha in replaced:
            _retire(con, old_file, old_sha, replaced_by=f"{rel}@{sha[:12]}")
        # An earlier rejected version of the same path is no longer current either.
        con.execute(
            "update quality.file_manifest set is_current = false where source_file = ? and status = 'rejected'",
            [rel],
        )
        t = _load_result(con, result, rel=rel, sha=sha, period=period, kind=kind, code=code, now=now)
        skipped = t["blank"] + t["total"] + t["note"]
        status = "loaded_with_issues" if t["rejected"] else "loaded"
        notes_vi = [f"{len(result.blocks)} bảng dữ liệu"]
        notes_en = [f"{len(result.blocks)} data table(s)"]
        if replaced:
            notes_vi.append("thay thế " + ", ".join(f for f, _ in replaced))
            notes_en.append("replaces " + ", ".join(f for f, _ in replaced))
        if result.skipped_sheets:
            notes_en.append("sheets not used: " + "; ".join(f"{s} ({why})" for s, why in result.skipped_sheets))
            notes_vi.append("các sheet không dùng: " + "; ".join(s for s, _ in result.skipped_sheets))
        _record_file(
            con,
            {
                **base,
                "datasets": ",".join(datasets),
                "sheets": ",".join(b.sheet_name for b in result.blocks if b.sheet_name),
                "encoding": ", ".join([result.encoding, *sorted({r for b in result.blocks for r in b.repairs})]),
                "rows_read": t["read"],
                "rows_loaded": t["data"],
                "rows_rejected": t["rejected"],
                "rows_skipped": skipped,
                "rows_skipped_blank": t["blank"],
                "rows_skipped_total": t["total"],
                "rows_skipped_note": t["note"],
                "status": status,
                "is_current": True,
                "message_vi": "; ".join(notes_vi),
                "message_en": "; ".join(notes_en),
            },
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return FileOutcome(
        rel,
        status,
        datasets=datasets,
        rows_read=t["read"],
        rows_loaded=t["data"],
        rows_rejected=t["rejected"],
        rows_skipped=skipped,
    )


def load_landing(landing: Path, warehouse: Path, now: datetime | None = None) -> LoadSummary:
    """Load every new or changed file under ``landing`` into ``warehouse``. Idempotent."""
    summary = LoadSummary()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(warehouse)) as con:
        ensure_tables(con)
        for path in discover_files(landing):
            try:
                summary.files.append(load_file(con, landing, path, now=now))
            except Exception as exc:  # a reader bug must not stop the other files; it is recorded, not hidden
                log.exception("unexpected error while loading %s", path)
                rel = path.relative_to(landing).as_posix()
                sha = sha256_of(path)
                con.execute("begin transaction")
                _record_file(
                    con,
                    {
                        "source_file": rel,
                        "file_sha256": sha,
                        "file_size": path.stat().st_size,
                        "rows_read": 0,
                        "rows_loaded": 0,
                        "rows_rejected": 0,
                        "rows_skipped": 0,
                        "status": "rejected",
                        "is_current": True,
                        "message_vi": f"Lỗi hệ thống khi đọc tệp ({type(exc).__name__}); bộ phận kỹ thuật sẽ kiểm tra.",
                        "message_en": f"Internal error while reading the file: {type(exc).__name__}: {exc}",
                        "ingested_at": now,
                    },
                )
                _file_issue(
                    con,
                    rel=rel,
                    sha=sha,
                    period=None,
                    kind=None,
                    code=None,
                    issue_code="internal_error",
                    message_vi="Lỗi hệ thống khi đọc tệp.",
                    message_en=f"{type(exc).__name__}: {exc}",
                )
                con.execute("commit")
                summary.files.append(FileOutcome(rel, "rejected", message_en=str(exc)))
    return summary
