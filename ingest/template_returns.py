"""Pre-filled templates coming back: recognise one exactly, read it with its own mapping, classify its rows.

A unit's template for its next report (``publish.templates``) carries its last list of people and a very hidden,
protected sheet (``MARKER_SHEET``) that names the template (format version, unit, period, the data sheet, its
header row and the field of every column) and lists one row per pre-filled row: a stable row key (a keyed hash of
the source row's id: file, version, sheet and row, never a personal value), a keyed digest of the values written
and the row where it was written. Both are keyed hashes (BLAKE2b in its MAC mode, 64 bits) under a key derived
from the pseudonymisation secret (``TRITHUC_PSEUDO_KEY`` / ``_FILE``), and the sheet as a whole is signed the same
way.

When such a file lands, :func:`read_returned_template` reads its data sheet by the recorded mapping (no header
guessing: only our own header texts are looked for, in case a row was inserted above the header) and classifies
each row, its hidden row key telling which pre-filled row it is:

* ``confirmed`` — a pre-filled row whose values are as they were written (the same digest);
* ``edited`` — a pre-filled row with some value changed;
* ``removed`` — a pre-filled row whose status now says the person left (moved away, abroad, deceased);
* ``new`` — a row without a key (the empty block, or inserted), or a copy of a pre-filled row;
* ``removed_without_status`` — a pre-filled row deleted (or emptied) without a status: no departure is
  recorded, and the unit is told (a row issue, ``template_row_removed``) to restore it and choose a status.

A pre-filled row's status may change only as the template's guide explains (:data:`STATUS_CHANGES`, the one list
both read): a returned row whose status breaks it (a retired person back at work, anyone back from 'Từ trần') is
loaded as written and flagged for the unit (a row issue, ``template_status_transition``).

The rows themselves are classified as in any file (data, blank, total, note, section, rejected), so rows read =
loaded + rejected + skipped holds as everywhere. A template whose hidden sheet fails its signature (edited, or
made under another key) is read as an ordinary list, by its header, and the manifest says so.
``quality.template_rows`` keeps one row per classified row (no personal value: row keys and row numbers).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.errors import FileRejected
from ingest.headers import ROW_NUMBER, HeaderMatch
from ingest.limits import PendingSheets, check_cell_lengths, check_rows_and_columns
from ingest.readers import (
    HEADER_SCAN_ROWS,
    ReadResult,
    _build_block,
    _Header,
    _sheet_columns,
    _title_lines,
)
from ingest.text_repair import (
    NULL_STRING,
    arrow_to_numpy,
    numpy_to_arrow,
    pick_strings,
    scan_sheet,
    string_array,
    string_scalar,
)
from settings import DBT_PROJECT_DIR

__all__ = [
    "DEPARTURE_STATUS_CODES",
    "MARKER_SHEET",
    "ROWS_HEADER",
    "ROW_KEY_FIELD",
    "STATUS_CHANGES",
    "STATUS_NAMES",
    "TEMPLATE_FORMAT",
    "TEMPLATE_STATUSES",
    "TEMPLATE_VERSION",
    "TemplateColumn",
    "TemplateKeyMissing",
    "TemplateMeta",
    "TemplateOfAnotherUnit",
    "TemplateReadResult",
    "TemplateReturn",
    "allowed_status_change",
    "canonical",
    "cell_text",
    "check_template_place",
    "ensure_template_table",
    "insert_template_rows",
    "key_id",
    "pack_rows",
    "read_returned_template",
    "row_digest",
    "row_key",
    "sign",
    "status_list",
    "template_decision",
    "template_notes",
    "template_secret",
    "template_summary_lines",
    "template_tables",
    "unpack_rows",
]

MARKER_SHEET = "_mau_dien_san"  # very hidden and protected in every template
TEMPLATE_FORMAT = "trithuc-template"
TEMPLATE_VERSION = "2"  # 2: each pre-filled row's status code in the row table; own sheets named
ROW_KEY_FIELD = "_row_key"  # the hidden column holding each pre-filled row's key
# Statuses that take a person off the unit's list (status_synonyms codes): a pre-filled row given one is 'removed'.
DEPARTURE_STATUS_CODES = ("MOVED_AWAY", "ABROAD", "DECEASED")
# The statuses a template offers, by the names its drop-down shows (each a spelling of its code in the
# status_synonyms seed, checked by publish.templates.code_lists).
STATUS_NAMES = {
    "ACTIVE": "Đang công tác",
    "RETIRED": "Đã nghỉ hưu",
    "MOVED_AWAY": "Chuyển công tác",
    "ABROAD": "Ở nước ngoài",
    "DECEASED": "Từ trần",
}
# The status changes a pre-filled row may make (keeping its status is always allowed): the template's guide
# explains these, the loader flags a returned row that makes another. Moved away and deceased are final: such
# people are not carried into the next template.
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    "ACTIVE": ("RETIRED", "MOVED_AWAY", "ABROAD", "DECEASED"),
    "RETIRED": ("MOVED_AWAY", "ABROAD", "DECEASED"),
    "ABROAD": ("ACTIVE", "RETIRED", "MOVED_AWAY", "DECEASED"),
    "MOVED_AWAY": (),
    "DECEASED": (),
}
STATUS_SYNONYMS_CSV = DBT_PROJECT_DIR / "seeds" / "synonyms" / "status_synonyms.csv"
TEMPLATE_STATUSES = {
    "confirmed": ("giữ nguyên (đã xác nhận)", "confirmed (unchanged)"),
    "edited": ("đã sửa", "edited"),
    "new": ("thêm mới", "new"),
    "removed": ("rời danh sách (có ghi tình trạng)", "removed (with a status)"),
    "removed_without_status": ("bị xoá (không ghi tình trạng)", "removed without a status"),
}
ISSUE_REMOVED = "template_row_removed"
ISSUE_STATUS_TRANSITION = "template_status_transition"
_KEY_ENV, _KEY_FILE_ENV = "TRITHUC_PSEUDO_KEY", "TRITHUC_PSEUDO_KEY_FILE"
_HEX_CHARS = 16  # 64-bit keyed hashes: a row key is unique within a list, an edit changes the digest
_SEP_FIELD, _SEP_ITEM, _SEP_PART = "\x1f", "\x1e", "\x1d"
# Arrow scalars made once, without pandas (pyarrow imports it to convert a Python str to a scalar)
_EMPTY, _DIGEST, _SEP = string_scalar(""), string_scalar("digest"), string_scalar(_SEP_FIELD)
# the hidden sheet: name/value pairs in columns A:B, the row table packed in column D
_META_COLUMN, _ROWS_COLUMN = 0, 3
ROWS_HEADER = "rows: row_key,digest,template_row,status_code;..."
ROWS_CELL_CHARS = 30_000  # entries per cell of column D, under Excel's 32,767 characters


class TemplateKeyMissing(RuntimeError):
    """No pseudonymisation secret: templates can be neither made nor verified."""


# --- The protocol: keys, digests, signature ---------------------------------------------------------------------
def template_secret(*, required: bool = False) -> bytes | None:
    """The templates' MAC key: derived from the pseudonymisation secret (``TRITHUC_PSEUDO_KEY``, else the file
    ``TRITHUC_PSEUDO_KEY_FILE`` names), so a row key never equals a ``person_key``. None when no secret is set
    (``required``: raise :class:`TemplateKeyMissing` instead)."""
    secret = os.environ.get(_KEY_ENV, "").encode("utf-8")
    if not secret and os.environ.get(_KEY_FILE_ENV):
        path = Path(os.environ[_KEY_FILE_ENV])
        if path.is_file():
            secret = path.read_text(encoding="utf-8").strip().encode("utf-8")
    if not secret:
        if required:
            raise TemplateKeyMissing(
                "No pseudonymisation key: set TRITHUC_PSEUDO_KEY or TRITHUC_PSEUDO_KEY_FILE (make writes a local "
                "key file) to build pre-filled templates. / Chưa có khóa: đặt TRITHUC_PSEUDO_KEY hoặc "
                "TRITHUC_PSEUDO_KEY_FILE."
            )
        return None
    return hmac.digest(secret, b"trithuc-templates/v1", "sha256")


def _mac(secret: bytes, text: str) -> str:
    return _mac_bytes(secret, text.encode("utf-8"))


def _keyed(secret: bytes):
    """Keyed BLAKE2b (RFC 7693's MAC mode): one pass, a third of HMAC-SHA256's time on a list of 100,000 rows.
    Its state is copied for each message of a batch (:func:`_digests`) instead of keyed again."""
    return hashlib.blake2b(key=secret, digest_size=_HEX_CHARS // 2)


def _mac_bytes(secret: bytes, data: bytes) -> str:
    h = _keyed(secret)
    h.update(data)
    return h.hexdigest()


def key_id(secret: bytes) -> str:
    """A short, public fingerprint of the key: a template made under another key is told apart from a forged one."""
    return _mac(secret, "key-id")[:12]


def row_key(secret: bytes, source_file: str, file_sha256: str, sheet_name: str, source_row: int) -> str:
    """A pre-filled row's stable key: a keyed hash of the raw row's id (``ingest.datasets.RAW_ROW_KEY``)."""
    return _mac(
        secret, _SEP_FIELD.join(("row", source_file, file_sha256, sheet_name or "", str(int(source_row))))
    )


def canonical(value: object) -> str:
    """A cell's value as compared: its text as read back, '' for an empty cell. Dates are compared as the reader
    sees them ('1980-05-03'), so the writer passes that form. The writer writes text in NFC without surrounding
    spaces (:func:`cell_text`); any change to a cell, a space or another Unicode normal form included, is an edit."""
    return "" if value is None else str(value)


def cell_text(value: object) -> str:
    """The text a template writes for a value: NFC, without surrounding white space."""
    return unicodedata.normalize("NFC", str(value)).strip()


def row_digest(secret: bytes, key: str, values: Sequence[object]) -> str:
    """A keyed digest of one row's values (in the template's column order), bound to its row key."""
    return _mac(secret, _SEP_FIELD.join(("digest", key, *(canonical(v) for v in values))))


def pack_rows(rows: Sequence[tuple[str, str, str, str]]) -> list[str]:
    """The row table as the cells of the hidden sheet's column D (under its header): 'key,digest,row,status'
    entries (status: the pre-filled status's code of STATUS_NAMES, '' for none or another text) joined by ';', a
    cell holding at most ROWS_CELL_CHARS characters. A list of 100,000 people is 90 cells, not
    300,000: the hidden sheet costs little to write, to check and to read."""
    cells, current, size = [], [], 0
    for entry in (",".join(r) for r in rows):
        if current and size + len(entry) + 1 > ROWS_CELL_CHARS:
            cells.append(";".join(current))
            current, size = [], 0
        current.append(entry)
        size += len(entry) + 1
    if current:
        cells.append(";".join(current))
    return cells


def unpack_rows(cells: Sequence[object]) -> list[tuple[str, str, str, str]]:
    """The row table from column D's cells (its header and empty cells passed over), as (key, digest, row, status)
    entries: the loader's own parser (:class:`_Prefilled`), row by row."""
    table, _ = _Prefilled.parse(cells)
    rows = [str(r) for r in table.rows.tolist()]
    return list(zip(table.keys.to_pylist(), table.digests.to_pylist(), rows, table.statuses.to_pylist(), strict=True))


def sign(secret: bytes, meta: Sequence[tuple[str, str]], rows: Sequence[tuple[str, ...]]) -> str:
    """The hidden sheet's signature: its name/value pairs (the signature itself excluded) and its row table."""
    return _signature(secret, meta, _SEP_ITEM.join(_SEP_FIELD.join(r) for r in rows))


def _signature(secret: bytes, meta: Sequence[tuple[str, str]], rows_text: str) -> str:
    """:func:`sign` of a row table already joined (fields by _SEP_FIELD, entries by _SEP_ITEM)."""
    text = _SEP_ITEM.join(f"{k}{_SEP_FIELD}{v}" for k, v in meta)
    return _mac(secret, "sign" + _SEP_PART + text + _SEP_PART + rows_text)


# --- What the hidden sheet says ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TemplateColumn:
    field: str  # a persons field, ROW_NUMBER ('_row_number', STT) or ROW_KEY_FIELD
    column: int  # 0-based
    header: str


@dataclass(frozen=True)
class TemplateMeta:
    unit_code: str
    unit_kind: str
    period: str  # the period the template is for
    base_period: str  # the period of the list it was filled from ('' for an empty template)
    built_at: str
    data_sheet: str
    header_row: int  # 1-based
    columns: tuple[TemplateColumn, ...]
    prefilled_rows: int
    key_id: str
    # the template's other sheets (guide, code lists, codes): not a unit's addition
    own_sheets: tuple[str, ...] = ()
    version: str = TEMPLATE_VERSION

    @property
    def data_fields(self) -> tuple[TemplateColumn, ...]:
        """The persons fields' columns, in sheet order: what is landed and what the digest covers."""
        return tuple(c for c in self.columns if not c.field.startswith("_"))

    def pairs(self) -> list[tuple[str, str]]:
        """The name/value pairs written to the hidden sheet (the signature is appended after them)."""
        cols = [{"field": c.field, "column": c.column, "header": c.header} for c in self.columns]
        return [
            ("format", TEMPLATE_FORMAT),
            ("version", self.version),
            ("unit_code", self.unit_code),
            ("unit_kind", self.unit_kind),
            ("period", self.period),
            ("base_period", self.base_period),
            ("built_at", self.built_at),
            ("data_sheet", self.data_sheet),
            ("header_row", str(self.header_row)),
            ("prefilled_rows", str(self.prefilled_rows)),
            ("key_id", self.key_id),
            ("columns", json.dumps(cols, ensure_ascii=False, separators=(",", ":"))),
            ("own_sheets", json.dumps(list(self.own_sheets), ensure_ascii=False, separators=(",", ":"))),
        ]

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> TemplateMeta:
        cols = tuple(
            TemplateColumn(c["field"], int(c["column"]), c["header"]) for c in json.loads(pairs["columns"])
        )
        return cls(
            unit_code=pairs["unit_code"], unit_kind=pairs["unit_kind"], period=pairs["period"],
            base_period=pairs.get("base_period", ""), built_at=pairs.get("built_at", ""),
            data_sheet=pairs["data_sheet"], header_row=int(pairs["header_row"]), columns=cols,
            prefilled_rows=int(pairs["prefilled_rows"]), key_id=pairs["key_id"],
            own_sheets=tuple(json.loads(pairs["own_sheets"])), version=pairs["version"],
        )  # fmt: skip


@dataclass
class TemplateReturn:
    """What a returned template holds beyond its rows: who it was for and what became of each pre-filled row."""

    meta: TemplateMeta | None
    verified: bool
    note_vi: str = ""
    note_en: str = ""
    sheet_name: str = ""
    # one row per row of the data sheet that is data or rejected, in sheet order (columns CLASSIFIED_COLUMNS):
    # source_row, template_row and row_key (null for a new row), template_status
    classified: pa.Table | None = None
    # pre-filled rows deleted (or emptied) without a status: (template row, row key)
    removed: list[tuple[int, str]] = field(default_factory=list)
    # pre-filled rows whose status changed in a way STATUS_CHANGES does not allow: (row, old code, status written)
    status_breaks: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def statuses(self) -> list[str]:
        """The template status of each classified row, in sheet order."""
        return [] if self.classified is None else self.classified.column("template_status").to_pylist()

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(TEMPLATE_STATUSES, 0)
        if self.classified is not None and self.classified.num_rows:
            names, n = pc.value_counts(self.classified.column("template_status")).flatten()
            out.update(zip(names.to_pylist(), n.to_pylist(), strict=True))
        out["removed_without_status"] = len(self.removed)
        return out


@dataclass
class TemplateReadResult(ReadResult):
    """A ReadResult of a file carrying the template marker sheet; ``template`` says what became of it."""

    template: TemplateReturn | None = None


class TemplateOfAnotherUnit(FileRejected):
    issue_code = "template_other_unit"

    def __init__(self, path: Path | str, meta: TemplateMeta, kind: str, code: str) -> None:
        name = Path(path).name
        super().__init__(
            path,
            f"Tệp '{name}' là mẫu điền sẵn của đơn vị {meta.unit_code} ({meta.unit_kind}), không phải của đơn vị "
            f"{code}; tệp không được nạp. Dùng đúng mẫu của đơn vị mình, hoặc đặt tệp vào thư mục của đơn vị "
            f"{meta.unit_code}.",
            f"File '{name}' is the pre-filled template of unit {meta.unit_code} ({meta.unit_kind}), not of unit "
            f"{code} ({kind}); it was not loaded. Use the unit's own template, or put the file in unit "
            f"{meta.unit_code}'s folder.",
        )


# --- Reading a returned template ---------------------------------------------------------------------------------
_SHEET_NAME_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="' + re.escape(MARKER_SHEET.encode()) + rb'"')


def _has_marker(path: Path) -> bool:
    """Whether the workbook lists the marker sheet: one look at xl/workbook.xml (a few KB), no sheet read."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 4 << 20:  # a workbook.xml this big is no template of ours
                return False
            return bool(_SHEET_NAME_RE.search(zf.read(info)))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _unverified(why_vi: str, why_en: str) -> TemplateReturn:
    return TemplateReturn(
        meta=None, verified=False,
        note_vi=f"tệp có dạng mẫu điền sẵn nhưng {why_vi}, nên được đọc như danh sách thường (theo dòng tiêu đề)",
        note_en=f"the file looks like a pre-filled template but {why_en}, so it was read as an ordinary list (by "
        "its header)",
    )  # fmt: skip


@dataclass(frozen=True)
class _Prefilled:
    """The pre-filled rows as the hidden sheet lists them, in template order, as columns."""

    keys: pa.Array  # row keys (string)
    digests: pa.Array  # digests of the values written (string)
    rows: np.ndarray  # the template row each was written to (1-based)
    statuses: pa.Array  # the status code pre-filled (string, '' for none)

    @classmethod
    def parse(cls, cells: Sequence[object]) -> tuple[_Prefilled, str]:
        """(the rows, the row table as signed) from column D's cells: split in Arrow, not row by row in Python.
        Raises ValueError on an entry that is not 'key,digest,row,status'."""
        text = ";".join(str(c) for c in cells if c and c != ROWS_HEADER)
        entries = pc.split_pattern(string_array([text]), ";").flatten() if text else string_array([])
        parts = pc.split_pattern(entries, ",")
        lengths = arrow_to_numpy(pc.list_value_length(parts))
        if len(lengths) and (lengths.min() != 4 or lengths.max() != 4):
            raise ValueError("a row table entry is not key,digest,row,status")
        flat = parts.flatten()

        def part(i: int) -> pa.Array:
            return flat.take(numpy_to_arrow(np.arange(i, len(flat), 4, dtype=np.int64), pa.int64()))

        rows = arrow_to_numpy(pc.cast(part(2), pa.int64()))  # ArrowInvalid (a ValueError) for a non-number
        signed = text.replace(",", _SEP_FIELD).replace(";", _SEP_ITEM)
        return cls(part(0), part(1), rows, part(3)), signed


_NONE_PREFILLED = _Prefilled(
    string_array([]), string_array([]), np.zeros(0, dtype=np.int64), string_array([])
)


def _read_meta(
    reader: fastexcel.ExcelReader, secret: bytes | None
) -> tuple[TemplateMeta | None, _Prefilled, TemplateReturn | None]:
    """(meta, pre-filled rows, None) for a signed hidden sheet, else (None, no rows, why not)."""
    none = _NONE_PREFILLED
    try:
        batch = reader.load_sheet(MARKER_SHEET, header_row=None, skip_rows=0, dtypes="string", eager=True)
    except Exception:  # noqa: BLE001 - an unreadable marker sheet is no template of ours
        return None, none, _unverified("không đọc được trang ẩn", "its hidden sheet cannot be read")
    cols = [c.to_pylist() for c in batch.columns]
    height = len(cols[0]) if cols else 0

    def col(i: int) -> list:
        return cols[i] if i < len(cols) else [None] * height

    pairs = [
        (str(k), "" if v is None else str(v))
        for k, v in zip(col(_META_COLUMN), col(_META_COLUMN + 1), strict=True)
        if k
    ]
    found = dict(pairs)
    if found.get("format") != TEMPLATE_FORMAT or found.get("version") != TEMPLATE_VERSION:
        return (
            None,
            none,
            _unverified(
                f"phiên bản mẫu không được hỗ trợ ({found.get('version', '?')})",
                f"its template version is not supported ({found.get('version', '?')})",
            ),
        )
    if secret is None:
        return None, none, _unverified("máy chủ chưa có khóa để xác minh", "no key is set to verify it")
    if found.get("key_id") != key_id(secret):
        return None, none, _unverified("mẫu được tạo với khóa khác", "it was made under another key")
    try:
        prefilled, rows_text = _Prefilled.parse(col(_ROWS_COLUMN))
        signed = [(k, v) for k, v in pairs if k != "signature"]
        if not hmac.compare_digest(found.get("signature", ""), _signature(secret, signed, rows_text)):
            return None, none, _unverified("trang ẩn của mẫu đã bị sửa", "its hidden sheet was changed")
        return TemplateMeta.from_pairs(found), prefilled, None
    except (KeyError, ValueError, TypeError):
        return None, none, _unverified("trang ẩn của mẫu không đúng dạng", "its hidden sheet is malformed")


def _data_columns(
    reader: fastexcel.ExcelReader, meta: TemplateMeta
) -> tuple[dict[int, pa.Array], dict[str, int] | None]:
    """The list sheet's columns the template needs (sheet column -> array) and where each field is (with
    '_header_row', 0-based); (columns, None) when a field's header is gone. Only the recorded columns are read when
    the header is still where it was written; else the whole sheet, and each header is looked for, by its exact
    text, in the first rows (a row inserted above, columns moved)."""
    wanted = list(meta.columns)
    headers = {c.field: canonical(c.header) for c in wanted}
    recorded = meta.header_row - 1
    try:
        picked = _sheet_columns(reader, meta.data_sheet, [c.column for c in wanted])
    except Exception:  # noqa: BLE001 - a column gone (the sheet narrower than written): look at the whole sheet
        picked = None
    if picked is not None and all(
        len(a) > recorded and canonical(a[recorded].as_py()) == headers[c.field]
        for c, a in zip(wanted, picked, strict=True)
    ):
        cols = {c.column: a for c, a in zip(wanted, picked, strict=True)}
        return cols, {"_header_row": recorded, **{c.field: c.column for c in wanted}}
    cols = dict(enumerate(_sheet_columns(reader, meta.data_sheet)))
    head = {i: [canonical(v) for v in a.slice(0, HEADER_SCAN_ROWS).to_pylist()] for i, a in cols.items()}
    for r in range(min(HEADER_SCAN_ROWS, max((len(a) for a in cols.values()), default=0))):
        texts = {h[r]: i for i, h in head.items() if r < len(h) and h[r]}
        if all(t in texts for t in headers.values()):
            return cols, {"_header_row": r, **{f: texts[t] for f, t in headers.items()}}
    return cols, None


@lru_cache(maxsize=1)
def _status_spellings() -> tuple[tuple[str, str], ...]:
    """(folded spelling, code) of the status synonyms seed, longest first."""
    with open(STATUS_SYNONYMS_CSV, encoding="utf-8", newline="") as fh:
        out = {(_fold(row["value"]), row["code"]) for row in csv.DictReader(fh)}
    return tuple(sorted(out, key=lambda p: (-len(p[0]), p)))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[0-9a-z]+", text))


def _status_code(status: str | None) -> str | None:
    """The code of a status text: the longest spelling of the seed it is, alone or followed by more words
    ('Chuyển công tác về TP.HCM' is MOVED_AWAY, 'Công tác nước ngoài' ABROAD); None when it is none."""
    if not status:
        return None
    folded = _fold(status)
    return next((code for s, code in _status_spellings() if folded == s or folded.startswith(s + " ")), None)


def allowed_status_change(old: str, new: str) -> bool:
    """Whether a pre-filled status ``old`` may become ``new`` (codes): unchanged, or as STATUS_CHANGES says."""
    return new == old or new in STATUS_CHANGES.get(old, ())


def read_returned_template(
    path: Path, read_plain: Callable[[Path], ReadResult], pending: PendingSheets | None = None
) -> ReadResult | None:
    """A returned template read by its own mapping, or None when ``path`` is no template (then the caller reads
    it as usual). A template that cannot be verified is read by ``read_plain`` (header detection) and says so.
    ``pending``: the worksheets ``ingest.limits.check_file`` left to measure; the marker sheet and the list are
    measured just before they are loaded, the sheets a verified template never loads (the codes, the guide) are
    not (``read_plain`` measures every sheet left). Raises FileRejected subclasses as the readers do."""
    path = Path(path)
    listed = pending.sheet_names if pending is not None else None  # the limits' reading of workbook.xml, if any
    if not (MARKER_SHEET in listed if listed is not None else _has_marker(path)):
        return None
    try:
        reader = fastexcel.read_excel(path)  # the shared strings and the sheet list: no sheet is read yet
    except Exception:
        if pending is not None:
            pending.check_all()  # a limit a sheet breaches is the reason given, as when all were measured first
        raise
    if pending is not None:
        pending.check_sheets([MARKER_SHEET], reader.sheet_names)
    meta, prefilled, problem = _read_meta(reader, template_secret())
    if meta is not None and meta.data_sheet not in reader.sheet_names:
        meta, problem = (
            None,
            _unverified(f"không còn trang '{meta.data_sheet}'", f"its sheet '{meta.data_sheet}' is gone"),
        )
    if meta is not None:
        if pending is not None:
            pending.check_sheets([meta.data_sheet], reader.sheet_names)
        cols, where = _data_columns(reader, meta)
        arrays = list(cols.values())
        height = max((len(a) for a in arrays), default=0)
        check_rows_and_columns(
            path, height, max(cols, default=-1) + 1, f" (trang tính / sheet '{meta.data_sheet}')"
        )
        check_cell_lengths(path, meta.data_sheet, arrays, 1)
        if where is None:
            meta, problem = (
                None,
                _unverified(
                    "dòng tiêu đề cột của trang 'Danh sách' đã bị sửa hoặc mất cột",
                    "the header row of its list was changed or lost a column",
                ),
            )
    if meta is None:
        plain = read_plain(path)
        fields = {f: getattr(plain, f) for f in ("path", "encoding", "blocks", "skipped_sheets")}
        return TemplateReadResult(**fields, template=problem)
    return _read_verified(path, reader, meta, prefilled, cols, where)


def _read_verified(
    path: Path,
    reader: fastexcel.ExcelReader,
    meta: TemplateMeta,
    prefilled: _Prefilled,
    cols: dict[int, pa.Array],
    where: dict[str, int],
) -> TemplateReadResult:
    header_index = where["_header_row"]
    height = max(len(a) for a in cols.values())
    start = header_index + 1
    fields = meta.data_fields
    empty = pa.nulls(max(0, height - start), pa.string())

    def below(field_name: str) -> pa.Array:
        """The column of a field below the header (all null when the sheet has no such column)."""
        i = where.get(field_name)
        return cols[i].slice(start) if i in cols else empty

    # read as any list is: STT first (a bare row number does not make a row), then the fields in sheet order
    data = [below(ROW_NUMBER)] + [below(c.field) for c in fields]
    match = HeaderMatch(dataset="persons")
    match.row_number_column = 0
    for i, c in enumerate(fields, start=1):
        match.fields_by_column[i] = c.field
        match.column_map[c.field] = c.header
    header = _Header(match, (header_index,), [None, *(c.header for c in fields)])
    text = scan_sheet(data)
    source_rows = np.arange(start + 1, height + 1, dtype=np.int32)
    sheet = unicodedata.normalize("NFC", meta.data_sheet)
    block = _build_block(
        header, sheet, data, source_rows, first_row=1, repair=text.needs_repair, blank_cells=False,
        legacy=text.legacy, merged_rows=None,
    )  # fmt: skip
    ordered = [cols[i] for i in sorted(cols)]
    block.title_lines = _title_lines([[a[r].as_py() for a in ordered] for r in range(header_index)])
    outcome = _classify(template_secret(required=True), block, data[1:], below(ROW_KEY_FIELD), prefilled)
    outcome.meta, outcome.sheet_name = meta, sheet
    others = [
        (s, "trang tính thêm vào mẫu không được đọc: chép người vào trang 'Danh sách' / a sheet added to the "
            "template is not read: copy its people into the list sheet")
        for s in reader.sheet_names
        if s not in (meta.data_sheet, MARKER_SHEET, *meta.own_sheets)
    ]  # fmt: skip
    return TemplateReadResult(
        path=path, encoding="xlsx", blocks=[block], skipped_sheets=others, template=outcome
    )


def _canonical_column(col: pa.Array) -> pa.Array:
    """:func:`canonical` over a column: '' for an empty cell (a scalar made without pandas, as the readers do)."""
    return pc.fill_null(col, _EMPTY)


def _digests(secret: bytes, keys: pa.Array, values: list[pa.Array]) -> pa.Array:
    """:func:`row_digest` of every row, as an Arrow string array: the messages are joined column-wise in Arrow,
    only the MAC runs per row (from a copy of the keyed state), the hex text is made once for all rows."""
    msgs = pc.binary_join_element_wise(_DIGEST, keys, *(_canonical_column(v) for v in values), _SEP)
    keyed = _keyed(secret)
    raw = []
    for m in msgs.cast(pa.binary()).to_pylist():
        h = keyed.copy()
        h.update(m)
        raw.append(h.digest())
    offsets = np.arange(0, _HEX_CHARS * (len(raw) + 1), _HEX_CHARS, dtype=np.int32)
    text = b"".join(raw).hex().encode("ascii")
    return pa.Array.from_buffers(pa.string(), len(raw), [None, pa.py_buffer(offsets), pa.py_buffer(text)])


def _classify(
    secret: bytes, block, values: list[pa.Array], key_column: pa.Array, prefilled: _Prefilled
) -> TemplateReturn:
    """Each data or rejected row: confirmed, edited, removed (a departure status) or new; pre-filled rows found in
    no such row: removed without status; an edited data row whose status changed as STATUS_CHANGES does not
    allow: a status break. ``values``: the fields' columns below the header as read (before any repair), in the
    template's column order; ``key_column`` the hidden row keys, aligned with them. Column-wise (Arrow, NumPy):
    only the edited rows are looked at one by one."""
    rows = block.rows
    n = rows.num_rows
    counted = arrow_to_numpy(pc.is_in(rows.column("row_kind"), value_set=_COUNTED_KINDS))
    keys = _canonical_column(key_column.slice(0, n))
    digests = _digests(secret, keys, [v.slice(0, n) for v in values])  # every row: one pass
    found = pc.index_in(keys, value_set=prefilled.keys)  # which pre-filled row each key is (null: none)
    index = arrow_to_numpy(pc.fill_null(found, _INT32_MINUS_ONE))
    keyed = counted & (index >= 0)
    same = keyed
    if len(prefilled.keys):
        expected = pc.take(prefilled.digests, pc.fill_null(found, _INT32_ZERO))
        same = keyed & arrow_to_numpy(pc.equal(expected, digests))
    # which row carries each pre-filled key: the first whose values are unchanged, else the first (a copy is new)
    at = np.flatnonzero(keyed)
    order = np.lexsort((at, ~same[at], index[at]))
    ranked = index[at][order]
    first = np.ones(len(ranked), dtype=bool)
    first[1:] = ranked[1:] != ranked[:-1]
    owner_rows, owned_index = at[order][first], ranked[first]
    owner = np.full(n, -1, dtype=np.int64)
    owner[owner_rows] = owned_index

    out = TemplateReturn(meta=None, verified=True)
    where = np.flatnonzero(counted)
    mine = owner[where]
    kind = np.where(mine < 0, 0, np.where(same[where], 1, 2))  # CLASSIFIED_STATUSES: new, confirmed, edited
    source_rows = arrow_to_numpy(rows.column("source_row"))
    statuses_column = rows.column("status") if "status" in rows.column_names else pa.nulls(n, pa.string())
    # the edited rows: a departure, a status change to check (their cells taken column-wise, then row by row)
    edited = np.flatnonzero(kind == 2)
    at_rows = numpy_to_arrow(where[edited].astype(np.int64), pa.int64())
    edited_cells = zip(
        edited.tolist(),
        source_rows[where[edited]].tolist(),
        statuses_column.take(at_rows).to_pylist(),
        rows.column("row_kind").take(at_rows).to_pylist(),
        prefilled.statuses.take(numpy_to_arrow(mine[edited].astype(np.int64), pa.int64())).to_pylist(),
        strict=True,
    )
    codes: dict[str | None, str | None] = {}  # a list holds a few status texts: each is looked up once
    for j, source_row, written, row_kind, old in edited_cells:
        if row_kind == "data" and written not in codes:
            codes[written] = _status_code(written)
        new = codes[written] if row_kind == "data" else None
        if old and new and not allowed_status_change(old, new):
            out.status_breaks.append((int(source_row), old, written))
        if new in DEPARTURE_STATUS_CODES:
            kind[j] = 3  # removed
    prefilled_row = mine >= 0
    if len(prefilled.rows):
        at = np.where(prefilled_row, mine, 0)
        template_rows = _with_nulls(prefilled.rows[at], prefilled_row)
        row_keys = pc.if_else(
            numpy_to_arrow(prefilled_row), prefilled.keys.take(numpy_to_arrow(at, pa.int64())), NULL_STRING
        )
    else:  # an empty template: every row is new
        template_rows, row_keys = pa.nulls(len(mine), pa.int32()), pa.nulls(len(mine), pa.string())
    out.classified = pa.table({
        "source_row": numpy_to_arrow(source_rows[where].astype(np.int32), pa.int32()),
        "template_row": template_rows,
        "row_key": row_keys,
        "template_status": pick_strings(list(CLASSIFIED_STATUSES), kind),
    })  # fmt: skip
    taken = np.zeros(len(prefilled.rows), dtype=bool)
    taken[owned_index] = True
    gone = np.flatnonzero(~taken)
    pre_keys = prefilled.keys.take(numpy_to_arrow(gone.astype(np.int64), pa.int64())).to_pylist()
    out.removed = sorted(zip(prefilled.rows[gone].tolist(), pre_keys, strict=True))
    return out


CLASSIFIED_STATUSES = ("new", "confirmed", "edited", "removed")  # by index, as _classify numbers them


def _with_nulls(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """An int32 NumPy array as Arrow, null where ``valid`` is False."""
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    data = np.ascontiguousarray(values, dtype=np.int32)
    return pa.Array.from_buffers(pa.int32(), len(values), [validity, pa.py_buffer(data)])


_COUNTED_KINDS = string_array(["data", "rejected"])
# made from NumPy: a Python int made a scalar imports pandas
_INT32_MINUS_ONE, _INT32_ZERO = numpy_to_arrow(np.array([-1, 0], dtype=np.int32), pa.int32())


# --- What the loader does with it --------------------------------------------------------------------------------
def _template_of(result: ReadResult) -> TemplateReturn | None:
    return result.template if isinstance(result, TemplateReadResult) else None


def check_template_place(result: ReadResult, kind: str, code: str) -> None:
    """A verified template landed in another unit's folder is rejected (it lists that unit's people)."""
    template = _template_of(result)
    if (
        template
        and template.verified
        and template.meta
        and (template.meta.unit_kind, template.meta.unit_code) != (kind, code)
    ):
        raise TemplateOfAnotherUnit(result.path, template.meta, kind, code)


def template_decision(result: ReadResult) -> tuple[str, str, str] | None:
    """A verified template is a whole list: it replaces the unit's earlier list of the period (combine rule)."""
    template = _template_of(result)
    if template and template.verified:
        return (
            "replace",
            "mẫu điền sẵn trả lại là danh sách đầy đủ",
            "a returned pre-filled template is a complete list",
        )
    return None


def template_notes(result: ReadResult, period: str | None = None) -> tuple[str, str] | None:
    """The manifest's words for a template: what became of its rows, or why it was read as an ordinary list."""
    template = _template_of(result)
    if template is None:
        return None
    if not template.verified:
        return template.note_vi, template.note_en
    counts = template.counts()
    meta = template.meta
    vi = ", ".join(f"{counts[s]} dòng {TEMPLATE_STATUSES[s][0]}" for s in TEMPLATE_STATUSES)
    en = ", ".join(f"{counts[s]} {TEMPLATE_STATUSES[s][1]}" for s in TEMPLATE_STATUSES)
    vi, en = f"mẫu điền sẵn kỳ {meta.period}: {vi}", f"pre-filled template for {meta.period}: {en}"
    if period and meta.period != period:
        vi += f" (mẫu của kỳ {meta.period}, gửi vào kỳ {period})"
        en += f" (a template for {meta.period}, sent for {period})"
    return vi, en


_ISSUE_COLUMNS = (
    "source_file", "sheet_name", "source_row", "column_name", "raw_value", "issue_code", "severity", "message_vi",
    "message_en", "unit_code", "unit_kind", "period", "dataset", "file_sha256",
)  # fmt: skip
TEMPLATE_ROW_COLUMNS = (
    "source_file", "file_sha256", "sheet_name", "source_row", "template_row", "row_key", "template_status",
    "template_period", "unit_code", "unit_kind", "period",
)  # fmt: skip
TEMPLATE_ROWS_DDL = """
create table if not exists quality.template_rows (
    source_file varchar not null,
    file_sha256 varchar not null,
    sheet_name varchar,
    source_row integer,
    template_row integer,
    row_key varchar,
    template_status varchar not null,
    template_period varchar,
    unit_code varchar,
    unit_kind varchar,
    period varchar
)
"""


def _removed_messages(template_row: int, header_row: int) -> tuple[str, str]:
    stt = template_row - header_row
    return (
        f"Dòng {template_row} (STT {stt}) của mẫu điền sẵn đã bị xoá mà không ghi tình trạng; người này không được "
        "ghi nhận là đã nghỉ hưu, chuyển công tác, ra nước ngoài hay từ trần. Nếu người này đã rời đơn vị: khôi "
        "phục dòng và chọn tình trạng ở cột 'Tình trạng'; nếu vẫn thuộc đơn vị: khôi phục dòng như cũ. Gửi lại tệp.",
        f"Row {template_row} (No. {stt}) of the pre-filled template was deleted without a status; no departure "
        "(retired, moved, abroad, deceased) is recorded for the person. If they left, restore the row and choose "
        "the status in column 'Tình trạng'; if they are still with the unit, restore the row as it was. Send the "
        "file again.",
    )


def status_list(codes: Sequence[str], last: str = "hoặc", quote: str = "'") -> str:
    """The names of ``codes`` listed as the guide and the feedback write them: 'A', 'B' hoặc 'C' (``last``: the word
    before the last one; ``quote``: around each name)."""
    names = [f"{quote}{STATUS_NAMES[c]}{quote}" for c in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def _transition_messages(row: int, old: str, written: str) -> tuple[str, str]:
    allowed = STATUS_CHANGES.get(old, ())
    name = STATUS_NAMES[old]
    may_vi = (
        f"người '{name}' chỉ có thể chuyển sang {status_list(allowed, 'hoặc')}" if allowed
        else f"người '{name}' không chuyển sang tình trạng khác"
    )  # fmt: skip
    may_en = (
        f"a person '{name}' may only become {status_list(allowed, 'or')}" if allowed
        else f"a person '{name}' keeps that status"
    )  # fmt: skip
    return (
        f"Dòng {row}: tình trạng đổi từ '{name}' (mẫu điền sẵn) sang '{written}', không đúng cách chuyển tình trạng "
        f"trong trang 'Hướng dẫn' ({may_vi}). Dòng vẫn được nhận như đã ghi. Nếu chọn nhầm: chọn lại '{name}' hoặc "
        "một tình trạng được phép; nếu tình trạng cũ bị ghi sai: giữ tình trạng mới và ghi lý do ở cột 'Ghi chú'. "
        "Gửi lại tệp.",
        f"Row {row}: the status changed from '{name}' (as pre-filled) to '{written}', which the template's guide "
        f"does not allow ({may_en}). The row was loaded as written. If it was a slip, choose '{name}' again or an "
        "allowed status; if the earlier status was wrong, keep the new one and give the reason in column 'Ghi chú'. "
        "Send the file again.",
    )


def _issue_table(
    template: TemplateReturn,
    lineage: dict,
    code: str,
    rows: list[int],
    values: list[str | None],
    messages: list[tuple[str, str]],
) -> pa.Table:
    """Row issues (warnings on the status column) of one kind for a verified template."""
    n = len(rows)
    cols = {
        "source_file": [lineage["source_file"]] * n, "sheet_name": [template.sheet_name] * n, "source_row": rows,
        "column_name": ["status"] * n, "raw_value": values, "issue_code": [code] * n, "severity": ["warning"] * n,
        "message_vi": [m[0] for m in messages], "message_en": [m[1] for m in messages],
        "unit_code": [lineage["unit_code"]] * n, "unit_kind": [lineage["unit_kind"]] * n,
        "period": [lineage["period"]] * n, "dataset": ["persons"] * n, "file_sha256": [lineage["file_sha256"]] * n,
    }  # fmt: skip
    return _table(cols, _ISSUE_COLUMNS)


def template_tables(result: ReadResult, lineage: dict) -> tuple[list[pa.Table], pa.Table | None]:
    """(row issues, quality.template_rows rows) of a verified template; ([], None) for any other file."""
    template = _template_of(result)
    if template is None or not template.verified:
        return [], None
    meta = template.meta
    issues: list[pa.Table] = []
    if template.removed:
        rows = [row for row, _ in template.removed]
        messages = [_removed_messages(row, meta.header_row) for row in rows]
        issues.append(_issue_table(template, lineage, ISSUE_REMOVED, rows, [None] * len(rows), messages))
    if template.status_breaks:
        breaks = template.status_breaks
        messages = [_transition_messages(row, old, written) for row, old, written in breaks]
        issues.append(_issue_table(
            template, lineage, ISSUE_STATUS_TRANSITION, [row for row, _, _ in breaks],
            [written for _, _, written in breaks], messages,
        ))  # fmt: skip
    classified, gone = template.classified, len(template.removed)
    n = classified.num_rows + gone

    def same(value: str | None) -> pa.Array:  # a column of one value (no per-row Python object)
        return pa.nulls(n, pa.string()) if value is None else pa.repeat(string_scalar(value), n)

    def then(column: str, more: pa.Array) -> pa.Array:  # the classified rows, then the removed ones
        return pa.concat_arrays([*classified.column(column).chunks, more])

    columns = {
        "source_file": same(lineage["source_file"]), "file_sha256": same(lineage["file_sha256"]),
        "sheet_name": same(template.sheet_name),
        "source_row": then("source_row", pa.nulls(gone, pa.int32())),
        "template_row": then("template_row", _int_array([row for row, _ in template.removed])),
        "row_key": then("row_key", string_array([key for _, key in template.removed])),
        "template_status": then("template_status", pa.repeat(string_scalar("removed_without_status"), gone)),
        "template_period": same(meta.period), "unit_code": same(lineage["unit_code"]),
        "unit_kind": same(lineage["unit_kind"]), "period": same(lineage["period"]),
    }  # fmt: skip
    return issues, pa.table({c: columns[c] for c in TEMPLATE_ROW_COLUMNS})


_INT_COLUMNS = frozenset({"source_row", "template_row"})


def _int_array(values: list[int | None]) -> pa.Array:
    """int32 with nulls, built from buffers (as ingest.text_repair does: pa.array would import pandas)."""
    valid = np.fromiter((v is not None for v in values), dtype=np.bool_, count=len(values))
    data = np.fromiter((0 if v is None else v for v in values), dtype=np.int32, count=len(values))
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.int32(), len(values), [validity, pa.py_buffer(data)])


def _table(cols: dict[str, list], order: Sequence[str]) -> pa.Table:
    return pa.table({c: _int_array(cols[c]) if c in _INT_COLUMNS else string_array(cols[c]) for c in order})


def ensure_template_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TEMPLATE_ROWS_DDL)


def insert_template_rows(con: duckdb.DuckDBPyConnection, tables: list[pa.Table]) -> None:
    data = pa.concat_tables(tables)
    con.register("_template_rows", data)
    try:
        cols = ", ".join(TEMPLATE_ROW_COLUMNS)
        con.execute(f"insert into quality.template_rows ({cols}) select {cols} from _template_rows")
    finally:
        con.unregister("_template_rows")


# --- For the unit's feedback workbook ----------------------------------------------------------------------------
def template_summary_lines(con: duckdb.DuckDBPyConnection, period: str) -> dict[tuple[str, str], list[str]]:
    """Per unit, one line per current returned template of ``period``: what became of its rows, in the words the
    template's guide uses. Empty when no template came back (or the table is missing)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_catalog = current_database() "
        "and table_schema = 'quality' and table_name = 'template_rows'"
    ).fetchone()[0]
    if not exists:
        return {}
    found = con.execute(
        """
        select t.unit_code, t.unit_kind, t.source_file, t.template_status, count(*)
        from quality.template_rows as t
        inner join quality.file_manifest as m
            on m.source_file = t.source_file and m.file_sha256 = t.file_sha256 and m.is_current
        where t.period = ?
        group by all
        order by all
        """,
        [period],
    ).fetchall()
    per_file: dict[tuple[str, str, str], dict[str, int]] = {}
    for code, kind, source, status, n in found:
        per_file.setdefault((code, kind, source), {})[status] = int(n)
    out: dict[tuple[str, str], list[str]] = {}
    for (code, kind, source), counts in per_file.items():
        words = ", ".join(f"{counts.get(s, 0)} dòng {TEMPLATE_STATUSES[s][0]}" for s in TEMPLATE_STATUSES)
        out.setdefault((code, kind), []).append(f"• {Path(source).name}: {words}")
    return out
