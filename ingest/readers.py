"""Read a submitted .xlsx/.xls/.ods/.csv file into typed blocks of text rows, one per recognised table.

Pure Python (no Dagster). Workbooks are read with fastexcel (calamine, Arrow); CSV with pyarrow.csv after
the whole buffer is decoded and repaired at once. Every row below a header is accounted for: it is
'data', 'blank', 'total', 'note' or 'rejected' (with a reason), and carries the row number a person sees.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingest.datasets import DATASETS
from ingest.errors import (
    EmptyFile,
    FileRejected,
    HeaderOnly,
    TruncatedWorkbook,
    UnrecognisedHeader,
    UnsupportedFormat,
)
from ingest.headers import HeaderMatch, combine_header_rows, recognise_dataset
from ingest.text_repair import (
    LEGACY_SIGNS_RE,
    buffer_as_string,
    decode_bytes,
    is_utf8,
    repair_column,
    repair_text,
)

__all__ = ["ROW_KINDS", "TableBlock", "ReadResult", "read_file", "ISSUE_COLUMNS"]

ROW_KINDS = ("data", "blank", "total", "note", "rejected")
ISSUE_COLUMNS = ("issue_code", "issue_column", "issue_value", "message_vi", "message_en")
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
HEADER_SCAN_ROWS = 30  # header rows are looked for in the first rows of a sheet only

_COLUMN_NUMBER_RE = re.compile(r"^\(?\s*(\d{1,3})\s*\)?$")
_DATE_MIDNIGHT_RE = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_TOTAL_RE = r"(?i)^\s*(tổng\s*cộng|tổng\s*số|tổng|cộng|tong\s*cong|tong\s*so|total|grand\s*total|sum)\b"
_NOTE_RE = (
    r"(?i)^\s*(ghi\s*chú|ghi\s*chu|lưu\s*ý|chú\s*thích|người\s*lập|nguoi\s*lap|\(?\s*ký|xác\s*nhận|thủ\s*trưởng"
    r"|chủ\s*tịch|phó\s*chủ\s*tịch|giám\s*đốc|kế\s*toán|trưởng\s*phòng|nơi\s*nhận|tm\.|kt\.|t/m)"
    r"|ngày\s*[\d.…_ ]*\s*tháng\s*[\d.…_ ]*\s*năm"
)
_NOTE_MAX_CELLS = 3  # a footer line fills a few cells at most
_NOTE_LONG_TEXT = 30  # a single text this long below the data is a note


@dataclass
class TableBlock:
    """One recognised table (a sheet, or the CSV) of one dataset."""

    dataset: str
    sheet_name: str  # '' for CSV
    header_rows: tuple[int, ...]  # 1-based row numbers of the header row(s), column-number row included
    column_map: dict[str, str]  # field -> original header text
    unmapped_headers: list[str]
    # source_row int32, row_kind, issue_code, issue_column, issue_value, message_vi, message_en, then one
    # string column per field of DATASETS[dataset].field_names (null where the file has no such column).
    rows: pa.Table
    repairs: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return int(pc.sum(pc.equal(self.rows["row_kind"], kind)).as_py() or 0)

    @property
    def rows_read(self) -> int:
        return self.rows.num_rows


@dataclass
class ReadResult:
    path: Path
    encoding: str  # 'xlsx' for workbooks, else the CSV's detected encoding
    blocks: list[TableBlock]
    skipped_sheets: list[tuple[str, str]]  # (sheet name, reason)


def read_file(path: Path) -> ReadResult:
    """Read one submitted file. Raises a ``FileRejected`` subclass (never a bare error) for a file that
    cannot be used at all: empty, unreadable, no recognisable header, or header without data."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        raise UnsupportedFormat(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TruncatedWorkbook(path, f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise EmptyFile(path)
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)
        return _read_workbook(path)
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a bad file must become a named rejection, never a traceback
        raise TruncatedWorkbook(path, f"{type(exc).__name__}: {exc}"[:300]) from exc


# --- Header detection ------------------------------------------------------------------------------------
@dataclass
class _Header:
    match: HeaderMatch
    rows: tuple[int, ...]  # 0-based indexes into the scanned rows
    labels: list[str | None]  # one label per column (two-row headers combined)


def _nonempty(row: list[str | None]) -> list[str]:
    return [str(c) for c in row if c is not None and str(c).strip()]


def _acceptable(match: HeaderMatch | None, row: list[str | None]) -> bool:
    if match is None:
        return False
    needed = max(2, len(DATASETS[match.dataset].signature))
    cells = len(_nonempty(row)) - (match.row_number_column is not None)
    return match.mapped_count >= needed and 2 * match.mapped_count >= cells


def _is_column_number_row(row: list[str | None]) -> bool:
    cells = _nonempty(row)
    if len(cells) < 2:
        return False
    numbers = []
    for cell in cells:
        m = _COLUMN_NUMBER_RE.match(cell.strip())
        if not m:
            return False
        numbers.append(int(m.group(1)))
    in_parens = all(c.strip().startswith("(") for c in cells)
    consecutive = all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
    return in_parens or consecutive


def _detect_header(head: list[list[str | None]]) -> _Header | None:
    best: _Header | None = None
    for r, row in enumerate(head):
        if not _nonempty(row):
            continue
        single = recognise_dataset(row)
        candidate = _Header(single, (r,), list(row)) if _acceptable(single, row) else None
        if r + 1 < len(head) and _nonempty(head[r + 1]):
            options = combine_header_rows(row, head[r + 1])
            labels = [o[0] for o in options]
            pair = recognise_dataset(labels, options)
            if _acceptable(pair, labels) and (
                candidate is None or pair.mapped_count > candidate.match.mapped_count
            ):
                candidate = _Header(pair, (r, r + 1), labels)
        if candidate and (best is None or candidate.match.mapped_count > best.match.mapped_count):
            best = candidate
    if best is None:
        return None
    after = best.rows[-1] + 1
    if after < len(head) and _is_column_number_row(head[after]):
        best.rows = (*best.rows, after)
    return best


def _headers_seen(head: list[list[str | None]]) -> list[str]:
    rows = [_nonempty(r) for r in head]
    return max(rows, key=len) if rows else []


# --- Row classification (vectorised) ---------------------------------------------------------------------
def _blank_to_null(col: pa.Array) -> pa.Array:
    # anchored, so non-blank cells fail on their first character: cheap on big columns
    blank = pc.fill_null(pc.match_substring_regex(col, r"^\s*$"), False)
    if not pc.any(blank).as_py():
        return col
    return pc.if_else(blank, pa.scalar(None, pa.string()), col)


def _build_block(
    header: _Header,
    sheet_name: str,
    data_columns: list[pa.Array],
    source_rows: np.ndarray,
    first_row: int,
    too_many_fields: np.ndarray | None = None,
    raw_lines: list[str | None] | None = None,
    repair: bool = True,
    blank_cells: bool = True,
) -> TableBlock:
    """``data_columns`` are every column below the header (string arrays, equal length)."""
    match = header.match
    dataset = DATASETS[match.dataset]
    n = len(source_rows)
    cols = [_blank_to_null(c) for c in data_columns] if blank_cells else list(data_columns)
    filled = [pc.is_valid(c) for c in cols]
    counts = np.zeros(n, dtype=np.int32)
    counts_wo_stt = np.zeros(n, dtype=np.int32)
    for i, f in enumerate(filled):
        arr = f.to_numpy(zero_copy_only=False).astype(np.int32)
        counts += arr
        if i == match.row_number_column:  # a bare row number alone does not make a row
            numeric = pc.fill_null(pc.match_substring_regex(cols[i], r"^\s*\d+\.?\s*$"), False)
            arr = arr & ~numeric.to_numpy(zero_copy_only=False)
        counts_wo_stt += arr
    if too_many_fields is not None:
        counts_wo_stt += too_many_fields.astype(np.int32)
        counts += too_many_fields.astype(np.int32)
    # rows_read stops at the last non-empty row
    nonempty_idx = np.flatnonzero(counts)
    end = int(nonempty_idx[-1]) + 1 if len(nonempty_idx) else 0
    cols = [c.slice(0, end) for c in cols]
    counts, counts_wo_stt, source_rows = counts[:end], counts_wo_stt[:end], source_rows[:end]
    if too_many_fields is not None:
        too_many_fields = too_many_fields[:end]
    n = end

    # Field columns, repaired
    repairs: list[str] = []
    by_field: dict[str, pa.Array] = {}
    for idx, fld in match.fields_by_column.items():
        col = cols[idx] if idx < len(cols) else pa.nulls(n, pa.string())
        if repair:
            col, fixed = repair_column(col)
            repairs.extend(r for r in fixed if r not in repairs)
        by_field[fld] = col

    empty_str = pa.scalar(None, pa.string())
    first_text = pc.coalesce(*cols, empty_str) if cols else pa.nulls(n, pa.string())
    first_text = pc.utf8_trim_whitespace(first_text)
    blank = counts_wo_stt == 0
    key_col = by_field.get(dataset.key_field) if dataset.key_field else None
    key_empty = (
        pc.is_null(key_col).to_numpy(zero_copy_only=False) if key_col is not None else np.ones(n, dtype=bool)
    )
    total_text = pc.fill_null(pc.match_substring_regex(first_text, _TOTAL_RE), False).to_numpy(
        zero_copy_only=False
    )
    key_is_total = (
        pc.fill_null(pc.match_substring_regex(key_col, _TOTAL_RE), False).to_numpy(zero_copy_only=False)
        if key_col is not None
        else np.zeros(n, dtype=bool)
    )
    total = ~blank & total_text & (key_empty | key_is_total)
    marker = (
        ~blank
        & (counts <= _NOTE_MAX_CELLS)
        & pc.fill_null(pc.match_substring_regex(first_text, _NOTE_RE), False).to_numpy(zero_copy_only=False)
    )
    candidate_data = ~blank & ~total & ~marker & ~key_empty
    last_data = int(np.flatnonzero(candidate_data)[-1]) if candidate_data.any() else -1
    note = marker.copy()
    # A footer marker below the data starts the signature block: the short rows under it ('Người lập biểu',
    # a blank, then the signer's name in the name column) are notes too.
    first_data = int(np.flatnonzero(candidate_data)[0]) if candidate_data.any() else n
    for m in np.flatnonzero(marker & (np.arange(n) > first_data)):
        below = np.arange(n) >= m
        if not (below & ~blank & (counts > _NOTE_MAX_CELLS)).any():
            note |= ~blank & below
            last_data = min(last_data, int(m) - 1)
            break
    text_len = pc.fill_null(pc.utf8_length(first_text), 0).to_numpy(zero_copy_only=False)
    note |= ~blank & ~total & (counts == 1) & (text_len >= _NOTE_LONG_TEXT) & (np.arange(n) > last_data)
    note &= ~total
    extra = too_many_fields if too_many_fields is not None else np.zeros(n, dtype=bool)
    rejected = ~blank & ~total & ~note & (key_empty | extra)
    kind = np.select(
        [blank, total, note, rejected], ["blank", "total", "note", "rejected"], default="data"
    ).astype(object)

    issue = _issues(match, dataset.key_field, key_empty, extra, rejected, raw_lines, n)
    columns: dict[str, pa.Array] = {
        "source_row": pa.array(source_rows, type=pa.int32()),
        "row_kind": pa.array(kind, type=pa.string()),
        **issue,
    }
    for fld in dataset.field_names:
        columns[fld] = by_field.get(fld, pa.nulls(n, pa.string()))
    header_rows = tuple(first_row + r for r in header.rows)
    return TableBlock(
        dataset=match.dataset,
        sheet_name=sheet_name,
        header_rows=header_rows,
        column_map=dict(match.column_map),
        unmapped_headers=list(match.unmapped),
        rows=pa.table(columns),
        repairs=repairs,
    )


def _issues(
    match: HeaderMatch,
    key_field: str | None,
    key_empty: np.ndarray,
    extra: np.ndarray,
    rejected: np.ndarray,
    raw_lines: list[str | None] | None,
    n: int,
) -> dict[str, pa.Array]:
    codes = np.full(n, None, dtype=object)
    column = np.full(n, None, dtype=object)
    value = np.full(n, None, dtype=object)
    vi = np.full(n, None, dtype=object)
    en = np.full(n, None, dtype=object)
    label = DATASETS[match.dataset].fields
    label_vi = next((f.label_vi for f in label if f.name == key_field), key_field or "")
    missing = rejected & key_empty & ~extra
    if missing.any():
        header = match.column_map.get(key_field or "")
        codes[missing] = "missing_key"
        column[missing] = key_field  # the canonical field; the header text is in the message
        if header is not None:
            vi[missing] = (
                f"Dòng thiếu '{label_vi}' (cột '{header}') nên không dùng được. "
                f"Đề nghị điền '{label_vi}' hoặc xoá dòng rồi gửi lại."
            )
            en[missing] = (
                f"Row has no '{key_field}' (column '{header}') so it cannot be used. "
                f"Please fill in '{label_vi}' or delete the row and send the file again."
            )
        else:
            codes[missing] = "missing_key_column"
            vi[missing] = (
                f"Tệp không có cột '{label_vi}' nên các dòng không dùng được. "
                f"Đề nghị thêm cột '{label_vi}' theo biểu mẫu rồi gửi lại."
            )
            en[missing] = (
                f"The file has no '{key_field}' column ('{label_vi}') so its rows cannot be used. "
                "Please add the column as in the template and send the file again."
            )
    too_many = rejected & extra
    if too_many.any():
        codes[too_many] = "too_many_fields"
        if raw_lines is not None:
            value[too_many] = np.array(raw_lines, dtype=object)[too_many]
        vi[too_many] = (
            "Dòng có nhiều ô hơn dòng tiêu đề (thường do dấu phẩy trong nội dung không nằm trong ngoặc kép). "
            "Đề nghị sửa dòng này rồi gửi lại."
        )
        en[too_many] = (
            "Row has more fields than the header (often an unquoted comma inside a value). "
            "Please fix this row and send the file again."
        )
    return {
        "issue_code": pa.array(codes, type=pa.string()),
        "issue_column": pa.array(column, type=pa.string()),
        "issue_value": pa.array(value, type=pa.string()),
        "message_vi": pa.array(vi, type=pa.string()),
        "message_en": pa.array(en, type=pa.string()),
    }


def _has_data(block: TableBlock) -> bool:
    kinds = block.rows["row_kind"]
    return bool(pc.any(pc.is_in(kinds, pa.array(["data", "rejected"]))).as_py() or False)


def _finish(
    path: Path,
    encoding: str,
    blocks: list[TableBlock],
    skipped: list[tuple[str, str]],
    headers_seen: dict[str, list[str]],
) -> ReadResult:
    if not blocks:
        if not any(headers_seen.values()):
            raise EmptyFile(path)
        raise UnrecognisedHeader(path, headers_seen)
    with_data = [b for b in blocks if _has_data(b)]
    if not with_data:
        raise HeaderOnly(path, [b.sheet_name for b in blocks])
    for b in blocks:
        if b not in with_data:
            skipped.append((b.sheet_name, "header only, no data rows / chỉ có tiêu đề, không có dữ liệu"))
    return ReadResult(path=path, encoding=encoding, blocks=with_data, skipped_sheets=skipped)


# --- Workbooks -------------------------------------------------------------------------------------------
def _sheet_columns(reader: fastexcel.ExcelReader, name: str) -> list[pa.Array]:
    # header_row=None + skip_rows=0 keeps leading empty rows, so row i of the Arrow data is Excel row i+1.
    sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True)
    batch = sheet.to_arrow()
    cols = []
    for col in batch.columns:
        col = col.cast(pa.string()) if col.type != pa.string() else col
        if pc.any(pc.fill_null(pc.match_substring_regex(col, " 00:00:00$"), False)).as_py():
            col = pc.replace_substring_regex(col, _DATE_MIDNIGHT_RE, r"\1")
        cols.append(col)
    return cols


def _read_workbook(path: Path) -> ReadResult:
    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - calamine/zip errors become a named rejection
        raise TruncatedWorkbook(path, f"{type(exc).__name__}: {exc}"[:300]) from exc
    blocks: list[TableBlock] = []
    skipped: list[tuple[str, str]] = []
    headers_seen: dict[str, list[str]] = {}
    for name in names:
        try:
            cols = _sheet_columns(reader, name)
        except Exception as exc:  # noqa: BLE001
            raise TruncatedWorkbook(path, f"sheet '{name}': {type(exc).__name__}: {exc}"[:300]) from exc
        height = len(cols[0]) if cols else 0
        if height == 0:
            skipped.append((name, "empty sheet / trang tính trống"))
            headers_seen[name] = []
            continue
        scan = min(HEADER_SCAN_ROWS, height)
        head_cols = [c.slice(0, scan).to_pylist() for c in cols]
        head = [[_repair_cell(head_cols[j][i]) for j in range(len(cols))] for i in range(scan)]
        header = _detect_header(head)
        headers_seen[name] = _headers_seen(head)
        if header is None:
            skipped.append((name, "no recognisable header row / không nhận ra dòng tiêu đề"))
            continue
        start = header.rows[-1] + 1
        data = [c.slice(start) for c in cols]
        source_rows = np.arange(start + 1, height + 1, dtype=np.int32)
        blocks.append(_build_block(header, name, data, source_rows, first_row=1))
    return _finish(path, "xlsx", blocks, skipped, headers_seen)


def _repair_cell(value: str | None) -> str | None:
    return repair_text(value) if isinstance(value, str) else value


# --- CSV -------------------------------------------------------------------------------------------------
def _sniff_delimiter(first_lines: list[str]) -> str:
    sample = "\n".join(first_lines)
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _fast_utf8(raw: bytes, delimiter_guess: bytes) -> tuple[str, bytes, bool, bool] | None:
    """Clean UTF-8 (the common case) goes to Arrow as is: (encoding, payload, legacy signs, blank cells).
    Two RE2 passes over the buffer replace per-column work; None when the slow path is needed."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    payload = raw[3:] if bom else raw
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or payload[:4096].count(b"\x00") or not is_utf8(payload):
        return None
    whole = buffer_as_string(payload)
    d = re.escape(delimiter_guess.decode())
    blank_cells = f"(?m)(^|{d})[ \\t]+(\\r?$|{d})"
    anything = pc.match_substring_regex(whole, f"{LEGACY_SIGNS_RE}|{blank_cells}")[0].as_py()
    if not anything:
        return ("utf-8-sig" if bom else "utf-8", payload, False, False)
    if pc.match_substring_regex(whole, LEGACY_SIGNS_RE)[0].as_py():
        return None  # let decode_bytes normalise the whole text, then repair columns
    return ("utf-8-sig" if bom else "utf-8", payload, False, True)


def _read_csv(path: Path) -> ReadResult:
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFile(path)
    head_bytes = raw[: 1 << 18]
    delimiter_guess = _sniff_delimiter(head_bytes.decode("utf-8", errors="ignore").splitlines()[:5])
    fast = _fast_utf8(raw, delimiter_guess.encode())
    if fast is not None:
        encoding, payload, legacy, blank_cells = fast
        text = payload[: 1 << 18].decode("utf-8", errors="ignore")
        repairs: tuple[str, ...] = ()
    else:
        decoded = decode_bytes(raw)
        encoding, text, repairs, legacy, blank_cells = (
            decoded.encoding,
            decoded.text,
            decoded.repairs,
            True,
            True,
        )
        if not text.strip():
            raise EmptyFile(path)
        payload = text.encode("utf-8")
    prefix = text[: 1 << 18]  # the header scan never needs the whole file
    lines = prefix.splitlines()[: HEADER_SCAN_ROWS * 4]
    delimiter = _sniff_delimiter(lines[:5])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    head: list[list[str | None]] = []
    record_first_line: list[int] = []  # 1-based physical line where each scanned record starts
    next_line = 1
    for row in reader:
        record_first_line.append(next_line)
        next_line = reader.line_num + 1
        head.append([_repair_cell(c) for c in row])
        if len(head) >= HEADER_SCAN_ROWS:
            break
    header = _detect_header(head)
    if header is None:
        raise UnrecognisedHeader(path, {"": _headers_seen(head)})
    skip = header.rows[-1] + 1  # records
    first_data_line = record_first_line[skip] if skip < len(record_first_line) else next_line
    ncols = _data_width(header.labels, head[skip:])
    table, invalid = _parse_csv(payload, delimiter, skip, ncols)
    n_valid = table.num_rows
    cols = [table.column(i) for i in range(ncols)]
    too_many = None
    raw_lines = None
    total = n_valid + len(invalid)
    all_rows = np.arange(first_data_line, first_data_line + total, dtype=np.int32)
    if invalid:
        bad_numbers = np.array([num for num, _ in invalid], dtype=np.int32)
        valid_rows = np.setdiff1d(all_rows, bad_numbers, assume_unique=True)[:n_valid]
        extra_cols: list[list[str | None]] = [[] for _ in range(ncols)]
        flags = []
        for _, line in invalid:
            fields = next(csv.reader([line], delimiter=delimiter), [])
            flags.append(len(fields) > ncols)
            padded = (fields + [None] * ncols)[:ncols]
            for j in range(ncols):
                extra_cols[j].append(padded[j] if padded[j] != "" else None)
        merged_rows = np.concatenate([valid_rows, bad_numbers])
        order = np.argsort(merged_rows, kind="stable")
        cols = [
            pc.take(pa.concat_arrays([c.combine_chunks(), pa.array(e, type=pa.string())]), pa.array(order))
            for c, e in zip(cols, extra_cols, strict=True)
        ]
        source_rows = merged_rows[order]
        too_many = np.concatenate([np.zeros(n_valid, dtype=bool), np.array(flags, dtype=bool)])[order]
        raw_lines = list(np.array([None] * n_valid + [line for _, line in invalid], dtype=object)[order])
    else:
        source_rows = all_rows
    lines_after_header = payload.count(b"\n") - (first_data_line - 1) + (not payload.endswith(b"\n"))
    if lines_after_header != total:  # some quoted value spans lines
        source_rows = _shift_for_multiline(cols, source_rows)
    header.rows = tuple(record_first_line[r] - 1 for r in header.rows)
    block = _build_block(
        header,
        "",
        cols,
        source_rows,
        first_row=1,
        too_many_fields=too_many,
        raw_lines=raw_lines,
        repair=legacy,
        blank_cells=blank_cells,
    )
    for r in repairs:
        if r not in block.repairs:
            block.repairs.insert(0, r)
    return _finish(path, encoding, [block], [], {"": _nonempty(header.labels)})


def _data_width(labels: list[str | None], following: list[list[str | None]]) -> int:
    """Fields per data line: what most of the first data lines have (a header with a stray trailing
    delimiter must not turn every line into a bad row), never fewer than the mapped header columns."""
    widths = [len(r) for r in following[:10] if _nonempty(r)]
    last_label = max((i for i, t in enumerate(labels) if t is not None and str(t).strip()), default=0)
    if not widths:
        return len(labels)
    common = max(set(widths), key=widths.count)
    return max(common, last_label + 1)


def _shift_for_multiline(cols: list[pa.Array], source_rows: np.ndarray) -> np.ndarray:
    """A quoted value with line breaks spans several lines: later records start further down."""
    extra = np.zeros(len(source_rows), dtype=np.int64)
    for col in cols:
        if pc.any(pc.fill_null(pc.match_substring(col, "\n"), False)).as_py():
            extra += pc.fill_null(pc.count_substring(col, "\n"), 0).to_numpy(zero_copy_only=False)
    if not extra.any():
        return source_rows
    shift = np.concatenate([[0], np.cumsum(extra)[:-1]])
    return (source_rows + shift).astype(np.int32)


def _parse_csv(
    payload: bytes, delimiter: str, skip: int, ncols: int
) -> tuple[pa.Table, list[tuple[int, str]]]:
    names = [f"c{i}" for i in range(ncols)]

    def attempt(use_threads: bool) -> tuple[pa.Table, list[tuple[int | None, str]]]:
        invalid: list[tuple[int | None, str]] = []

        def handler(row: pacsv.InvalidRow) -> str:
            invalid.append((row.number, row.text))
            return "skip"

        table = pacsv.read_csv(
            io.BytesIO(payload),
            read_options=pacsv.ReadOptions(
                skip_rows=skip, column_names=names, use_threads=use_threads, block_size=16 << 20
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handler,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
        return table, invalid

    table, invalid = attempt(use_threads=True)
    if invalid and any(num is None for num, _ in invalid):
        # Row numbers of bad rows are only known to a single-threaded parse; rare, so paid only then.
        table, invalid = attempt(use_threads=False)
    return table, [(int(num), text) for num, text in invalid if num is not None]
