"""Read a submitted .xlsx/.xlsm/.xls/.ods/.csv/.txt file into typed blocks of text rows, one per recognised table.

Pure Python (no Dagster). Workbooks are read with fastexcel (calamine, Arrow); CSV with pyarrow.csv: clean
UTF-8 as is, anything else after the whole buffer is decoded. Every row below a header is accounted for: it
is 'data', 'blank', 'total', 'note', 'section' or 'rejected' (with a reason), and carries the row number a person
sees.

Rules for the files clerks make (each one generic, tested in tests/ingest/test_readers.py):
- a sheet typed in a legacy font (TCVN3/VNI) is repaired as a whole, before headers are matched and rows
  classified; a column pasted from such a file is repaired by its own vote;
- the header is one or two lines, plus lines it is merged down into and a '(1) (2) ...' column-number line;
- total rows: a total label first in the row with no name or a head count in the name column, or a total
  label in the name column; footers and the signature block below the data are notes;
- 'Nam' | 'Nữ' tick columns give the sex; the same columns holding years are the birth-year layout;
- a table without a year column takes the one year its title states;
- section rows (persons only): a group heading inside the table ('BỆNH VIỆN ĐA KHOA ĐỒNG NAI', 'II. TRÍ THỨC ĐÃ
  NGHỈ HƯU') is skipped and its label carried to the rows below it in the field 'section'.
"""

from __future__ import annotations

import codecs
import csv
import functools
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
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
    PasswordProtected,
    TruncatedWorkbook,
    UnrecognisedHeader,
    UnsupportedFormat,
)
from ingest.headers import (
    SEX_TICK_FIELDS,
    HeaderMatch,
    combine_header_rows,
    is_known_header,
    recognise_dataset,
)
from ingest.limits import check_cell_lengths, check_file, check_rows_and_columns
from ingest.text_repair import (
    ARROW_FALSE,
    LEGACY_SIGNS_RE,
    NULL_STRING,
    arrow_to_numpy,
    buffer_as_string,
    decode_bytes,
    has_repairable_text,
    numpy_to_arrow,
    pick_strings,
    repair_column,
    repair_text,
    scan_sheet,
    sheet_legacy_kind,
    string_array,
    string_scalar,
)
from settings import SECTION_HEADING_WORDS_CSV

__all__ = [
    "ACCEPTED_SUFFIXES",
    "ISSUE_COLUMNS",
    "ROW_KINDS",
    "ReadResult",
    "TableBlock",
    "check_accepted_suffix",
    "read_file",
]

# Appended, never reordered: the classifier indexes into this tuple.
ROW_KINDS = ("data", "blank", "total", "note", "rejected", "section")
ISSUE_COLUMNS = ("issue_code", "issue_column", "issue_value", "message_vi", "message_en")
# The file kinds a unit may send, by name ending: the one definition, read by this reader and by the loader
# (ingest/load.py), which rejects any other kind before hashing the file. Anything else is 'unsupported_format'.
# - .txt is read as delimited text: Excel's "Unicode Text" / "Text (Tab delimited)" save is a CSV by another name
#   (tab-separated, often UTF-16), which the CSV reader handles.
# - .xlsb (Excel Binary Workbook) is refused: its sheets are binary records, which ingest/limits.py cannot measure
#   before the reader allocates a sheet (it streams sheet XML), so a hostile .xlsb would bypass the sheet limits.
#   The unit is asked to save it as .xlsx.
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
ACCEPTED_SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES
HEADER_SCAN_ROWS = 30  # header rows are looked for in the first rows of a sheet only
_UTF8_SAMPLE = 1 << 16  # bytes decoded up front; Arrow's parse validates the rest

_COLUMN_NUMBER_RE = re.compile(r"^\(?\s*(\d{1,3})\s*\)?$")
_DATE_MIDNIGHT_RE = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
# A total label starts the cell ('Tổng cộng', 'Cộng: 12 người', 'TỔNG SỐ'); the end is spelled out because \b is
# ASCII-only in RE2 and 'số' ends in a non-ASCII letter.
_TOTAL_RE = (
    r"(?i)^\s*(tổng\s*cộng|tổng\s*số|tổng|cộng|tong\s*cong|tong\s*so|total|grand\s*total|sum)"
    r"(\s|[:.(\-]|$)"
)
# What a total row puts in the name (key) column: a count ('17', '17 người', '17 trí thức').
_COUNT_RE = r"(?i)^\s*\d[\d.,\s]*(người|nguoi|ng|trí\s*thức|tri\s*thuc|hồ\s*sơ|cán\s*bộ)?\.?\s*$"
_BARE_NUMBER_RE = r"^\s*\d+\.?\s*$"
# A tick column ('Nữ' with an 'x' for women): any mark but an explicit 'no' counts as ticked.
_UNTICKED_RE = r"(?i)^\s*(không|khong|k|no|0|-|–)\s*$"
_SEX_TICK_VALUES = {"_sex_male": "Nam", "_sex_female": "Nữ"}
_YEAR_OR_DATE_RE = (
    r"^\s*((19|20)\d{2}(\.0)?|\d{1,2}[/.\-]\d{1,2}[/.\-](19|20)\d{2}|(19|20)\d{2}-\d{2}-\d{2})\s*$"
)
_NOTE_RE = (
    r"(?i)^\s*(ghi\s*chú|ghi\s*chu|lưu\s*ý|chú\s*thích|người\s*lập|nguoi\s*lap|\(?\s*ký|xác\s*nhận|thủ\s*trưởng"
    r"|chủ\s*tịch|phó\s*chủ\s*tịch|giám\s*đốc|kế\s*toán|trưởng\s*phòng|nơi\s*nhận|tm\.|kt\.|t/m)"
    r"|ngày\s*[\d.…_ ]*\s*tháng\s*[\d.…_ ]*\s*năm"
)
_NOTE_MAX_CELLS = 3  # a footer line fills a few cells at most
# Section rows. A marker cell: a row number ('1', '2.') or a Roman numeral / letter ('II', 'B.', 'a)'); the latter
# says 'heading' by itself. An inline marker starts the label ('I. TRÍ THỨC ĐANG CÔNG TÁC', '1.2. Khoa Nội') and is
# stripped from it; it needs its dot or bracket, so 'Y TẾ' keeps its 'Y'.
_MARKER_NUMBER_RE = r"^\s*\d{1,3}\s*[.)]?\s*$"
_MARKER_STRONG_RE = r"^\s*([IVXivx]{1,5}|[A-Za-z])\s*[.)]?\s*$"
_INLINE_STRONG_RE = r"^\s*([IVX]{1,5}|[A-Za-z])\s*[.)\-–]\s*\S"
_INLINE_MARKER_RE = r"^\s*(([IVX]{1,5}|[A-Za-z])\s*[.)\-–]|\d{1,3}(\.\d{1,3})*\s*[.)])\s*"
SECTION_SEPARATOR = " » "
SECTION_DEPTH = 6  # labels kept per row: the last ones above it
_SECTION_CASE_SAMPLE = 2000  # names looked at to tell whether the list writes names in capitals
TITLE_LINES = 5  # title lines kept per table (the first non-empty lines above the header)
TITLE_LINE_CHARS = 200
_NOTE_LONG_TEXT = 30  # a single text this long below the data is a note
_EMPTY = string_scalar("")


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
    # The first non-empty lines above the header ('DANH SÁCH TRÍ THỨC BỔ SUNG ...'), cells joined by ' ', each cut
    # to TITLE_LINE_CHARS: the loader reads them to tell a supplement from an update.
    title_lines: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return int(pc.sum(pc.equal(self.rows["row_kind"], string_scalar(kind))).as_py() or 0)

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
    check_accepted_suffix(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise  # gone since the scan: the loader skips it (not a broken file)
    except OSError as exc:
        raise TruncatedWorkbook(path, f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise EmptyFile(path)
    try:
        # kind by content and resource limits, before any reader decompresses or allocates (ingest.limits); an
        # .xlsx's sheets are measured just before they are loaded: all of them, unless the file is a returned
        # template, whose reader loads (and so measures) only its marker sheet and its list
        pending = check_file(path, suffix, defer_sheets=True)
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)

        def read_plain(p: Path) -> ReadResult:
            if pending is not None:
                pending.check_all()  # every sheet is loaded: every sheet measured first
            return _read_workbook(p)

        # a pre-filled template coming back is read by the mapping its hidden sheet records (no header guessing)
        from ingest.template_returns import read_returned_template

        return read_returned_template(path, read_plain, pending) or read_plain(path)
    except FileRejected:
        raise
    except FileNotFoundError as exc:
        if not path.exists():
            raise  # deleted while being read: the loader skips it
        raise _unreadable(path, exc) from exc
    except Exception as exc:  # noqa: BLE001 - a bad file must become a named rejection, never a traceback
        raise _unreadable(path, exc) from exc


def check_accepted_suffix(path: Path | str) -> None:
    """Raise ``UnsupportedFormat`` unless the file's name ends in one of ``ACCEPTED_SUFFIXES`` (any case). Reads
    nothing: the loader asks it before hashing a file, the reader before opening one."""
    if Path(path).suffix.lower() not in ACCEPTED_SUFFIXES:
        raise UnsupportedFormat(path)


def _unreadable(path: Path, exc: BaseException, where: str = "") -> FileRejected:
    """A reader's failure as a rejection: 'password-protected' when the reader says so (an .xls with a
    password), else 'corrupt or truncated'."""
    text = f"{type(exc).__name__}: {exc}"
    if re.search(r"(?i)password|encrypt", text):
        return PasswordProtected(path)
    return TruncatedWorkbook(path, where + text)


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


def _is_sub_header(parent: list[str | None], child: list[str | None], match: HeaderMatch) -> bool:
    """The second line of a two-line header: fewer cells than the line above (labels only under the merged
    groups), nothing in the key column and no row number, as no data row of a list would be."""
    if len(_nonempty(child)) >= len(_nonempty(parent)):
        return False
    key = DATASETS[match.dataset].key_field
    key_col = next((i for i, f in match.fields_by_column.items() if f == key), None)
    for col in (key_col, match.row_number_column):
        if col is not None and col < len(child) and child[col] is not None and str(child[col]).strip():
            return False
    return key_col is not None


def _detect_header(
    head: list[list[str | None]], merges: list[tuple[int, int, int, int]] | None = None
) -> _Header | None:
    """The header row(s) among the first rows. ``merges`` (0-based r1, c1, r2, c2; workbooks only) tell a
    header merged over two lines, whose second line may be empty."""
    spans: dict[int, int] = {}  # row -> last row a vertical merge starting there reaches
    for r1, _c1, r2, _c2 in merges or ():
        if r2 > r1:
            spans[r1] = max(spans.get(r1, r1), r2)
    best: _Header | None = None
    for r, row in enumerate(head):
        if best is not None and r > best.rows[-1] + 2:
            break  # data rows below a header found: a better header does not come after them
        # a header (or the first line of a two-line one) has at least two known column names
        if sum(is_known_header(c) for c in row if c is not None) < 2:
            continue
        single = recognise_dataset(row)
        candidate = _Header(single, (r,), list(row)) if _acceptable(single, row) else None
        if r + 1 < len(head) and _nonempty(head[r + 1]) and not _is_column_number_row(head[r + 1]):
            options = combine_header_rows(row, head[r + 1])
            labels = [o[0] for o in options]
            pair = recognise_dataset(labels, options)
            if _acceptable(pair, labels) and (
                candidate is None
                or pair.mapped_count > candidate.match.mapped_count
                or (
                    pair.mapped_count == candidate.match.mapped_count
                    and (spans.get(r, r) > r or _is_sub_header(row, head[r + 1], pair))
                )
            ):
                candidate = _Header(pair, (r, r + 1), labels)
        if candidate and (best is None or candidate.match.mapped_count > best.match.mapped_count):
            best = candidate
    if best is None:
        return None
    # Empty lines a merged header cell reaches down into belong to the header, not to the data.
    reach = max(spans.get(r, r) for r in best.rows)
    while best.rows[-1] < reach and best.rows[-1] + 1 < len(head) and not _nonempty(head[best.rows[-1] + 1]):
        best.rows = (*best.rows, best.rows[-1] + 1)
    after = best.rows[-1] + 1
    if after < len(head) and _is_column_number_row(head[after]):
        best.rows = (*best.rows, after)
    return best


def _headers_seen(head: list[list[str | None]]) -> list[str]:
    rows = [_nonempty(r) for r in head]
    return max(rows, key=len) if rows else []


# --- Row classification (vectorised) ---------------------------------------------------------------------
def _any_blank_cell(cols: list[pa.Array]) -> bool:
    chunks = [ch for c in cols for ch in (c.chunks if isinstance(c, pa.ChunkedArray) else [c]) if len(ch)]
    if not chunks:
        return False
    whole = pa.chunked_array(chunks, type=pa.string())
    return bool(pc.any(pc.fill_null(pc.match_substring_regex(whole, r"^\s*$"), ARROW_FALSE)).as_py())


def _blank_to_null(col: pa.Array) -> pa.Array:
    # anchored, so non-blank cells fail on their first character: cheap on big columns
    blank = pc.fill_null(pc.match_substring_regex(col, r"^\s*$"), ARROW_FALSE)
    if not pc.any(blank).as_py():
        return col
    return pc.if_else(blank, NULL_STRING, col)


def _match_regex(col: pa.Array, pattern: str) -> np.ndarray:
    return arrow_to_numpy(pc.match_substring_regex(col, pattern))


def _first_text(cols: list[pa.Array], n: int, skip_numbers_in: int | None) -> pa.Array:
    """Per row, the first non-empty cell, trimmed; a bare row number in the STT column is passed over."""
    if not cols:
        return pa.nulls(n, pa.string())
    use = list(cols)
    if skip_numbers_in is not None and skip_numbers_in < len(use):
        stt = use[skip_numbers_in]
        use[skip_numbers_in] = pc.if_else(
            pc.fill_null(pc.match_substring_regex(stt, _BARE_NUMBER_RE), ARROW_FALSE),
            NULL_STRING,
            stt,
        )
    return pc.utf8_trim_whitespace(pc.coalesce(*use, NULL_STRING))


def _sex_from_ticks(match: HeaderMatch, cols: list[pa.Array], n: int) -> pa.Array | None:
    """'Nữ' (and/or 'Nam') tick columns, alone or under 'Giới tính': the ticked column's name becomes the sex
    ('Nam'/'Nữ'); no tick gives no sex."""
    ticks = {f: i for i, f in match.fields_by_column.items() if f in SEX_TICK_FIELDS}
    if not ticks:
        return None
    out = pa.nulls(n, pa.string())
    for fld in ("_sex_female", "_sex_male"):  # male applied last: both ticked reads as the first column, Nam
        i = ticks.get(fld)
        if i is None or i >= len(cols):
            continue
        col = cols[i]
        ticked = pc.and_(
            pc.is_valid(col), pc.invert(pc.fill_null(pc.match_substring_regex(col, _UNTICKED_RE), ARROW_FALSE))
        )
        out = pc.if_else(pc.fill_null(ticked, ARROW_FALSE), string_scalar(_SEX_TICK_VALUES[fld]), out)
    return out


def _tick_columns_holding_years(
    match: HeaderMatch, cols: list[pa.Array], by_field: dict[str, pa.Array], column_map: dict[str, str]
) -> None:
    """'Nam' | 'Nữ' columns without the 'Năm sinh' line above them, holding years (or dates), are the two-column
    birth-year layout, not tick columns: they go to birth_year_male / birth_year_female."""
    targets = {"_sex_male": "birth_year_male", "_sex_female": "birth_year_female"}
    for i, fld in list(match.fields_by_column.items()):
        target = targets.get(fld)
        if target is None or target in by_field or i >= len(cols):
            continue
        col = cols[i]
        filled = int(pc.sum(pc.is_valid(col)).as_py() or 0)
        years = int(pc.sum(pc.fill_null(pc.match_substring_regex(col, _YEAR_OR_DATE_RE), ARROW_FALSE)).as_py() or 0)
        if filled and years * 5 >= filled * 4:  # four in five filled cells are years or dates
            by_field[target] = col
            column_map[target] = column_map.pop(fld)
            match.fields_by_column[i] = target


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
    legacy: str | None = None,
    merged_rows: Callable[[], set[int]] | None = None,
) -> TableBlock:
    """``data_columns`` are every column below the header (string arrays, equal length). ``legacy`` is the
    sheet's legacy font ('tcvn3'/'vni') when it has one. Every column is repaired before rows are classified,
    so a TCVN3 'Ghi chó' or 'NG¦êI LËP BIÓU' is told from data like its Unicode spelling. ``merged_rows`` gives,
    when asked, the sheet rows (0-based) a merge spans across columns (workbooks only): a heading merged across
    the table is a section row."""
    match = header.match
    dataset = DATASETS[match.dataset]
    n = len(source_rows)
    cols = list(data_columns)
    if blank_cells and _any_blank_cell(cols):
        cols = [_blank_to_null(c) for c in cols]
    filled = [pc.is_valid(c) for c in cols]
    counts = np.zeros(n, dtype=np.int32)
    counts_wo_stt = np.zeros(n, dtype=np.int32)
    for i, f in enumerate(filled):
        arr = arrow_to_numpy(f).astype(np.int32)
        counts += arr
        if i == match.row_number_column:  # a bare row number alone does not make a row
            arr = arr & ~_match_regex(cols[i], _BARE_NUMBER_RE)
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

    # Repair every column first: classification below reads the repaired text.
    repairs: list[str] = []
    if repair and (legacy is not None or has_repairable_text(cols)):
        repaired = []
        for col in cols:
            col, fixed = repair_column(col, legacy)
            repairs.extend(r for r in fixed if r not in repairs)
            repaired.append(col)
        cols = repaired
    by_field: dict[str, pa.Array] = {}
    column_map = dict(match.column_map)
    for idx, fld in match.fields_by_column.items():
        if fld in SEX_TICK_FIELDS:
            continue
        by_field[fld] = cols[idx] if idx < len(cols) else pa.nulls(n, pa.string())
    _tick_columns_holding_years(match, cols, by_field, column_map)
    if "sex" not in by_field:
        ticks = _sex_from_ticks(match, cols, n)
        if ticks is not None:
            by_field["sex"] = ticks
            column_map["sex"] = " | ".join(column_map[f] for f in SEX_TICK_FIELDS if f in column_map)
    for f in SEX_TICK_FIELDS:
        column_map.pop(f, None)

    first_text = _first_text(cols, n, match.row_number_column)
    blank = counts_wo_stt == 0
    key_col = by_field.get(dataset.key_field) if dataset.key_field else None
    key_empty = (
        arrow_to_numpy(pc.is_null(key_col)) if key_col is not None else np.ones(n, dtype=bool)
    )
    label_is_total = _match_regex(first_text, _TOTAL_RE)
    if key_col is not None:
        key_is_total = _match_regex(key_col, _TOTAL_RE)
        key_is_count = _match_regex(key_col, _COUNT_RE) if dataset.key_field == "full_name" else key_empty
    else:
        key_is_total = key_is_count = np.zeros(n, dtype=bool)
    # 'Tổng cộng' in the key column, or a total label first in the row with no name (or a head count) in the key
    # column: 'Tổng số' | '17 người'.
    total = ~blank & (key_is_total | (label_is_total & (key_empty | key_is_count)))
    marker = ~blank & (counts <= _NOTE_MAX_CELLS) & _match_regex(first_text, _NOTE_RE)
    candidate_data = ~blank & ~total & ~marker & ~key_empty
    last_data = int(np.flatnonzero(candidate_data)[-1]) if candidate_data.any() else -1
    note = marker.copy()
    # A footer marker below the data starts the signature block: the short rows under it ('Người lập biểu',
    # a blank, then the signer's name in the name column) are notes too.
    # Only a full row counts as the start of the data here: in a sheet with no data at all, the signer's name
    # below the footer would otherwise look like a person.
    wide = candidate_data & (counts > _NOTE_MAX_CELLS)
    first_data = int(np.flatnonzero(wide)[0]) if wide.any() else -1
    for m in np.flatnonzero(marker & (np.arange(n) > first_data)):
        below = np.arange(n) >= m
        if not (below & ~blank & (counts > _NOTE_MAX_CELLS)).any():
            note |= ~blank & below
            last_data = min(last_data, int(m) - 1)
            break
    text_len = arrow_to_numpy(pc.utf8_length(pc.fill_null(first_text, _EMPTY)))
    note |= ~blank & ~total & (counts == 1) & (text_len >= _NOTE_LONG_TEXT) & (np.arange(n) > last_data)
    note &= ~total
    extra = too_many_fields if too_many_fields is not None else np.zeros(n, dtype=bool)
    section = np.zeros(n, dtype=bool)
    section_labels: list[str] = []
    if "section" in dataset.field_names and "section" not in by_field:
        section, section_labels = _section_rows(
            match, dataset.key_field, cols, counts, ~blank & ~total & ~note & ~extra, key_col, source_rows,
            merged_rows,
        )  # fmt: skip
    rejected = ~blank & ~total & ~note & ~section & (key_empty | extra)
    # index into ROW_KINDS
    kind = np.select([blank, total, note, section, rejected], [1, 2, 3, 5, 4], default=0)
    if section_labels:
        by_field["section"] = _carry_sections(section, section_labels, (kind == 0) | (kind == 4))

    issue = _issues(match, dataset.key_field, key_empty, extra, rejected, raw_lines, n)
    columns: dict[str, pa.Array] = {
        "source_row": numpy_to_arrow(source_rows.astype(np.int32), pa.int32()),
        "row_kind": pick_strings(list(ROW_KINDS), kind),
        **issue,
    }
    for fld in dataset.field_names:
        columns[fld] = by_field.get(fld, pa.nulls(n, pa.string()))
    header_rows = tuple(first_row + r for r in header.rows)
    return TableBlock(
        dataset=match.dataset,
        sheet_name=sheet_name,
        header_rows=header_rows,
        column_map=column_map,
        unmapped_headers=list(match.unmapped),
        rows=pa.table(columns),
        repairs=repairs,
    )


def _section_rows(
    match: HeaderMatch,
    key_field: str | None,
    cols: list[pa.Array],
    counts: np.ndarray,
    eligible: np.ndarray,
    key_col: pa.Array | None,
    source_rows: np.ndarray,
    merged_rows: Callable[[], set[int]] | None,
) -> tuple[np.ndarray, list[str]]:
    """Group headings inside a table: (mask of section rows, their labels in order, marker stripped).

    A section row holds one text label and at most one marker cell (a row number, Roman numeral or letter in the
    STT column, or left of the name column when there is none), nothing else, and reads as a heading: mostly
    capitals (unless the list writes its names in capitals), a Roman numeral or letter marker, a trailing ':', or
    merged across columns. The label sits at or left of the name column, unless merged. A title-case name alone
    ('Nguyễn Văn An') stays a data row. Vectorised over the few rows with one or two cells; a sheet of full
    rows costs one comparison.
    """
    n = len(counts)
    none = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(eligible & (counts >= 1) & (counts <= 2))
    if not len(idx):
        return none, []
    key_index = next((i for i, f in match.fields_by_column.items() if f == key_field), None)
    if match.row_number_column is not None:
        marker_cols = {match.row_number_column}
    else:
        marker_cols = set(range(key_index)) if key_index else {0}
    take = numpy_to_arrow(idx.astype(np.int64), pa.int64())
    m = len(idx)
    n_label = np.zeros(m, dtype=np.int32)
    n_marker = np.zeros(m, dtype=np.int32)
    strong = np.zeros(m, dtype=bool)
    label_col = np.full(m, -1, dtype=np.int32)
    label = pa.nulls(m, pa.string())
    for i, col in enumerate(cols):
        sub = pc.take(col, take)
        if isinstance(sub, pa.ChunkedArray):
            sub = sub.combine_chunks()
        filled = arrow_to_numpy(pc.is_valid(sub))
        if not filled.any():
            continue
        is_marker = np.zeros(m, dtype=bool)
        if i in marker_cols:
            is_strong = filled & _match_regex(sub, _MARKER_STRONG_RE)
            is_marker = is_strong | (filled & _match_regex(sub, _MARKER_NUMBER_RE))
            strong |= is_strong
        is_label = filled & ~is_marker
        n_marker += is_marker
        n_label += is_label
        first = is_label & (label_col < 0)
        label_col[first] = i
        label = pc.if_else(numpy_to_arrow(first), sub, label)
    single = (n_label == 1) & (n_marker <= 1)
    if not single.any():
        return none, []
    label = pc.utf8_trim_whitespace(label)
    strong |= _match_regex(label, _INLINE_STRONG_RE)
    clean = pc.utf8_trim_whitespace(pc.replace_substring_regex(label, _INLINE_MARKER_RE, ""))
    colon = _match_regex(clean, r":\s*$")
    clean = pc.utf8_trim_whitespace(pc.replace_substring_regex(clean, r"[\s:]+$", ""))
    upper = arrow_to_numpy(pc.fill_null(pc.count_substring_regex(clean, r"\p{Lu}"), 0))
    lower = arrow_to_numpy(pc.fill_null(pc.count_substring_regex(clean, r"\p{Ll}"), 0))
    single &= (upper + lower) >= 2  # a label has words, not a lone number or sign
    caps = single & (upper >= 2) & (upper >= 3 * lower)
    at_left = label_col <= key_index if key_index is not None else np.ones(m, dtype=bool)
    if match.row_number_column is not None:
        at_left |= label_col <= match.row_number_column
    if (caps & ~strong & ~colon).any() and key_col is not None and _names_in_capitals(key_col, eligible, idx):
        caps = np.zeros(m, dtype=bool)  # a list of names in capitals: capitals say nothing
    # a label that begins with an organisation or school-level word ('Trường Tiểu học Tân Mai', 'Khoa Nội') is a
    # heading even in title case: no person's name begins so
    org = single & _match_regex(clean, _heading_words_re())
    heading = single & at_left & (caps | strong | colon | org)
    rest = single & ~heading
    if rest.any() and merged_rows is not None:
        merged = merged_rows()
        if merged:
            sheet_rows = source_rows[idx].astype(np.int64) - 1
            heading |= rest & np.isin(sheet_rows, np.fromiter(merged, dtype=np.int64, count=len(merged)))
    if not heading.any():
        return none, []
    out = none.copy()
    out[idx[heading]] = True
    labels = pc.filter(clean, numpy_to_arrow(heading)).to_pylist()
    return out, [unicodedata.normalize("NFC", t) for t in labels]


@functools.cache
def _heading_words_re() -> str:
    """An RE2 pattern: the label begins with a word of seeds/synonyms/section_heading_words.csv (any case)."""
    with open(SECTION_HEADING_WORDS_CSV, encoding="utf-8") as fh:
        words = sorted({unicodedata.normalize("NFC", r["words"].strip()) for r in csv.DictReader(fh) if r["words"].strip()},
                       key=len, reverse=True)
    return r"(?i)^(" + "|".join(re.escape(w) for w in words) + r")(\s|[,.:;\-–]|$)"


def _names_in_capitals(key_col: pa.Array, eligible: np.ndarray, candidates: np.ndarray) -> bool:
    """Does the list write names in capitals ('NGUYỄN THỊ LAN')? Half of a sample of its full rows' names."""
    full = eligible.copy()
    full[candidates] = False
    rows = np.flatnonzero(full)
    if not len(rows):
        rows = candidates
    if len(rows) > _SECTION_CASE_SAMPLE:
        rows = rows[:: len(rows) // _SECTION_CASE_SAMPLE + 1]
    names = pc.drop_null(pc.take(key_col, numpy_to_arrow(rows.astype(np.int64), pa.int64())))
    if not len(names):
        return False
    upper = arrow_to_numpy(pc.count_substring_regex(names, r"\p{Lu}"))
    lower = arrow_to_numpy(pc.count_substring_regex(names, r"\p{Ll}"))
    return bool(((upper >= 2) & (upper >= 3 * lower)).mean() >= 0.5)


def _carry_sections(section: np.ndarray, labels: list[str], to_rows: np.ndarray) -> pa.Array:
    """Per row, the labels of the sections above it (last SECTION_DEPTH, joined by SECTION_SEPARATOR); null for
    rows above the first section and for rows not in ``to_rows``. The loop runs over the section rows only.

    A heading that begins with the same word as one already open is its sibling, not its child: it closes that
    heading and everything opened under it ('KHOA ĐIỀU DƯỠNG' then 'KHOA DƯỢC'; 'I. TRÍ THỨC ĐANG CÔNG TÁC' then
    'II. TRÍ THỨC ĐÃ NGHỈ HƯU'; 'BỆNH VIỆN A » BÁC SĨ' then 'BỆNH VIỆN B')."""
    paths: list[str] = []
    stack: list[str] = []
    for text in labels:
        first = text.split(maxsplit=1)[0].casefold() if text.strip() else ""
        sibling = next((i for i, open_ in enumerate(stack) if open_.split(maxsplit=1)[0].casefold() == first), None)
        if sibling is not None:
            stack = stack[:sibling]
        stack = [*stack[-(SECTION_DEPTH - 1) :], text]
        paths.append(SECTION_SEPARATOR.join(stack))
    where = np.flatnonzero(section)
    index = np.searchsorted(where, np.arange(len(section)), side="right") - 1
    index[~to_rows] = -1
    # a null index takes a null: no if_else pass over the long strings afterwards (pick_strings' way)
    return string_array(paths).take(pa.array(index.astype(np.int32), type=pa.int32(), mask=index < 0))


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
            # the line itself holds the person's data: the issue says only how many fields it has
            value[too_many] = [_field_count(line) for line in np.array(raw_lines, dtype=object)[too_many]]
        vi[too_many] = (
            "Dòng có nhiều ô hơn dòng tiêu đề (thường do dấu phẩy trong nội dung không nằm trong ngoặc kép). "
            "Đề nghị sửa dòng này rồi gửi lại."
        )
        en[too_many] = (
            "Row has more fields than the header (often an unquoted comma inside a value). "
            "Please fix this row and send the file again."
        )
    return {
        "issue_code": _object_strings(codes),
        "issue_column": _object_strings(column),
        "issue_value": _object_strings(value),
        "message_vi": _object_strings(vi),
        "message_en": _object_strings(en),
    }


def _field_count(line: str | None) -> str | None:
    """'14 ô / 14 fields': how a too-long CSV line is described, without quoting any of its values."""
    if line is None:
        return None
    fields = max(line.count(sep) for sep in (",", ";", "\t", "|")) + 1
    return f"{fields} ô / {fields} fields"


def _object_strings(values: np.ndarray) -> pa.Array:
    """An object array of few distinct strings (None for null) as Arrow; only the filled cells reach Python."""
    present = np.flatnonzero(np.not_equal(values, None))
    if not len(present):
        return pa.nulls(len(values), pa.string())
    filled = values[present]
    choices = list(dict.fromkeys(filled))
    lookup = {c: i for i, c in enumerate(choices)}
    index = np.full(len(values), -1, dtype=np.int32)
    index[present] = np.fromiter((lookup[v] for v in filled), dtype=np.int32, count=len(filled))
    return pick_strings(choices, index)


def _has_data(block: TableBlock) -> bool:
    kinds = block.rows["row_kind"]
    return bool(pc.any(pc.is_in(kinds, string_array(["data", "rejected"]))).as_py() or False)


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
    if not any(_has_data(b) for b in blocks):
        raise HeaderOnly(path, [b.sheet_name for b in blocks])
    # A sheet with the header but no data rows (an empty 'Hợp đồng' list) stays: its blank and note rows are
    # rows read like any other.
    return ReadResult(path=path, encoding=encoding, blocks=blocks, skipped_sheets=skipped)


# --- Workbooks -------------------------------------------------------------------------------------------
def _sheet_columns(
    reader: fastexcel.ExcelReader, name: str, use_columns: list[int] | None = None
) -> list[pa.Array]:
    # header_row=None + skip_rows=0 keeps leading empty rows, so row i of the Arrow data is Excel row i+1.
    # eager: straight to an Arrow record batch, without the intermediate sheet object (about 15% faster)
    # use_columns: only these columns, in this order (a returned template's known columns: ingest.template_returns)
    batch = reader.load_sheet(
        name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True, eager=True,
        **({"use_columns": use_columns} if use_columns is not None else {}),
    )
    cols = []
    for col in batch.columns:
        col = col.cast(pa.string()) if col.type != pa.string() else col
        # ends_with compares the tail only; the regex below runs on columns that hold dates
        if pc.any(pc.fill_null(pc.ends_with(col, " 00:00:00"), ARROW_FALSE)).as_py():
            col = pc.replace_substring_regex(col, _DATE_MIDNIGHT_RE, r"\1")
        cols.append(col)
    return cols


def _read_workbook(path: Path) -> ReadResult:
    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - calamine/zip errors become a named rejection
        raise _unreadable(path, exc) from exc
    blocks: list[TableBlock] = []
    rows_in_file = 0
    skipped: list[tuple[str, str]] = []
    headers_seen: dict[str, list[str]] = {}
    merges: dict[str, list[tuple[int, int, int, int]]] | None = None

    def merged_rows(sheet: str) -> set[int]:
        """Rows (0-based) a merge spans across columns in ``sheet``; the merges are read once per file."""
        nonlocal merges
        if merges is None:
            merges = _merged_cells(path)
        return {r for r1, c1, r2, c2 in merges.get(sheet, ()) if c2 > c1 for r in range(r1, r2 + 1)}

    for name in names:
        try:
            cols = _sheet_columns(reader, name)
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(path, exc, f"sheet '{name}': ") from exc
        height = len(cols[0]) if cols else 0
        rows_in_file += height
        # the sheets were measured before reading (ingest.limits); the file's total and the cells are known now
        check_rows_and_columns(path, rows_in_file, len(cols), f" (trang tính / sheet '{name}')")
        check_cell_lengths(path, name, cols, 1)
        if height == 0:
            skipped.append((name, "empty sheet / trang tính trống"))
            headers_seen[name] = []
            continue
        text = scan_sheet(cols)
        legacy = text.legacy
        scan = min(HEADER_SCAN_ROWS, height)
        head_cols = [c.slice(0, scan).to_pylist() for c in cols]
        head = [[_repair_cell(head_cols[j][i], legacy) for j in range(len(cols))] for i in range(scan)]
        header = _detect_header(head, merges.get(name) if merges is not None else None)
        if header is not None and merges is None and _may_need_merges(head, header):
            merges = _merged_cells(path)  # only read when a header line may be merged over an empty line
            header = _detect_header(head, merges.get(name))
        headers_seen[name] = _headers_seen(head)
        if header is None:
            skipped.append((name, "no recognisable header row / không nhận ra dòng tiêu đề"))
            continue
        start = header.rows[-1] + 1
        data = [c.slice(start) for c in cols]
        source_rows = np.arange(start + 1, height + 1, dtype=np.int32)
        # the sheet name as every other text we emit: NFC (a Mac clerk's 'Biểu 01' is NFD)
        label = unicodedata.normalize("NFC", name)
        # fastexcel already reads whitespace-only cells as empty (whitespace_as_null)
        block = _build_block(
            header,
            label,
            data,
            source_rows,
            first_row=1,
            repair=text.needs_repair,
            blank_cells=False,
            legacy=legacy,
            merged_rows=lambda sheet=name: merged_rows(sheet),
        )
        block.title_lines = _title_lines(head[: header.rows[0]])
        blocks.append(_year_from_title(block, head[: header.rows[0]]))
    return _finish(path, "xlsx", blocks, skipped, headers_seen)


def _title_lines(title: list[list[str | None]]) -> list[str]:
    """The first TITLE_LINES non-empty lines above the header, each its cells joined by ' ' (NFC, at most
    TITLE_LINE_CHARS characters): 'UBND XÃ LONG THÀNH', 'DANH SÁCH TRÍ THỨC BỔ SUNG NĂM 2026'."""
    lines = []
    for row in title:
        text = " ".join(c.strip() for c in _nonempty(row))
        if text:
            lines.append(unicodedata.normalize("NFC", text)[:TITLE_LINE_CHARS])
        if len(lines) >= TITLE_LINES:
            break
    return lines


_TITLE_YEAR_RE = re.compile(r"(?i)\bn[ăa]m\s+((?:19|20)\d{2})\b(?!\s*[-–/]\s*\d)")


def _year_from_title(block: TableBlock, title: list[list[str | None]]) -> TableBlock:
    """A table without a year column whose title states its one year ('DÂN SỐ TRUNG BÌNH ... NĂM 2025'): that
    year is the year of every row. Only for datasets with a 'year' field; a title with no year or several
    ('năm học 2025-2026', two years) gives nothing. column_map says where the value came from."""
    if "year" not in DATASETS[block.dataset].field_names or "year" in block.column_map:
        return block
    texts = [str(c) for row in title for c in row if c is not None and str(c).strip()]
    years = {m.group(1) for t in texts for m in _TITLE_YEAR_RE.finditer(t)}
    if len(years) != 1:
        return block
    [year] = years
    source = next(t for t in texts if _TITLE_YEAR_RE.search(t))
    rows = block.rows
    col = pick_strings([year], np.zeros(rows.num_rows, dtype=np.int32))
    block.rows = rows.set_column(rows.schema.get_field_index("year"), "year", col)
    block.column_map["year"] = f"(tiêu đề / title) {source}"
    return block


def _may_need_merges(head: list[list[str | None]], header: _Header) -> bool:
    """A header followed by an empty line: merged down into it (header) or a true blank (data area)."""
    after = header.rows[-1] + 1
    return after < len(head) and not _nonempty(head[after])


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_RE_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL_RE = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_RE_TARGET_FIRST = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _merged_cells(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges per sheet name (0-based r1, c1, r2, c2) of an .xlsx/.xlsm; {} for other formats or on any
    error (merges only refine header detection). fastexcel does not expose them; the sheet XML lists them."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            wb = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            targets = {i: t for i, t in _REL_RE.findall(rels)}
            targets.update({i: t for t, i in _REL_RE_TARGET_FIRST.findall(rels)})
            sheets = {n: i for n, i in _SHEET_RE.findall(wb)}
            sheets.update({n: i for i, n in _SHEET_RE_ID_FIRST.findall(wb)})
            out: dict[str, list[tuple[int, int, int, int]]] = {}
            for name, rid in sheets.items():
                target = targets.get(rid)
                if target is None:
                    continue
                t = target.decode()
                member = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
                ranges = []
                xml = zf.read(member)
                # the merges follow the cell data: the regex starts there, not at the top of a big sheet
                start = xml.find(b"mergeCell")
                for c1, r1, c2, r2 in _MERGE_RE.findall(xml, max(0, start - 8)) if start >= 0 else ():
                    ranges.append((int(r1) - 1, _col_index(c1), int(r2 or r1) - 1, _col_index(c2 or c1)))
                out[html.unescape(name.decode("utf-8"))] = ranges
            return out
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, ValueError):
        return {}


def _repair_cell(value: str | None, legacy: str | None = None) -> str | None:
    return repair_text(value, legacy) if isinstance(value, str) else value


# --- CSV -------------------------------------------------------------------------------------------------
def _sniff_delimiter(first_lines: list[str]) -> str:
    sample = "\n".join(first_lines)
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _fast_utf8(raw: bytes, delimiter_guess: bytes) -> tuple[str, bytes, bool, bool] | None:
    """Clean UTF-8 (the common case) goes to Arrow as is: (encoding, payload, legacy signs, blank cells).
    Two RE2 passes over the buffer replace per-column work; None when the slow path is needed.

    UTF-8 validity is checked here on a sample only: Arrow's parse checks every value and raises on invalid
    UTF-8, and the caller then takes the slow path. Legacy signs are looked for in the whole buffer, so
    repair is never skipped for a file with TCVN3/VNI/NFD text anywhere."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    payload = raw[3:] if bom else raw
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or payload[:4096].count(b"\x00"):
        return None
    try:  # an incremental decoder does not fail on a character cut at the end of the sample
        codecs.getincrementaldecoder("utf-8")().decode(payload[:_UTF8_SAMPLE], final=False)
    except UnicodeDecodeError:
        return None
    whole = buffer_as_string(payload)
    d = re.escape(delimiter_guess.decode())
    blank_cells = f"(?m)(^|{d})[ \\t]+(\\r?$|{d})"
    anything = pc.match_substring_regex(whole, f"{LEGACY_SIGNS_RE}|{blank_cells}")[0].as_py()
    if not anything:
        return ("utf-8-sig" if bom else "utf-8", payload, False, ARROW_FALSE)
    if pc.match_substring_regex(whole, LEGACY_SIGNS_RE)[0].as_py():
        return None  # let decode_bytes normalise the whole text, then repair columns
    return ("utf-8-sig" if bom else "utf-8", payload, False, True)


def _read_csv(path: Path, allow_fast: bool = True) -> ReadResult:
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFile(path)
    head_bytes = raw[: 1 << 18]
    delimiter_guess = _sniff_delimiter(head_bytes.decode("utf-8", errors="ignore").splitlines()[:5])
    fast = _fast_utf8(raw, delimiter_guess.encode()) if allow_fast else None
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
    raw_head: list[list[str]] = []
    record_first_line: list[int] = []  # 1-based physical line where each scanned record starts
    next_line = 1
    for row in reader:
        record_first_line.append(next_line)
        next_line = reader.line_num + 1
        raw_head.append(row)
        if len(raw_head) >= HEADER_SCAN_ROWS:
            break
    # UTF-8 text typed in a legacy font (TCVN3/VNI bytes decoded as Latin-1 before being saved): the first lines
    # vote, as the sheet does in a workbook. Files decoded from TCVN3/VNI bytes are Unicode already.
    sheet_kind = None
    if fast is None and encoding not in ("tcvn3", "vni"):
        sheet_kind = sheet_legacy_kind([pa.array([c for r in raw_head for c in r], type=pa.string())])
    head: list[list[str | None]] = [[_repair_cell(c, sheet_kind) for c in r] for r in raw_head]
    header = _detect_header(head)
    if header is None:
        raise UnrecognisedHeader(path, {"": _headers_seen(head)})
    skip = header.rows[-1] + 1  # records
    first_data_line = record_first_line[skip] if skip < len(record_first_line) else next_line
    ncols = _data_width(header.labels, head[skip:])
    # rows and columns before parsing: a line per record at least, so twice the limit in lines is too many
    # records whatever the quoting; the exact count is checked once parsed
    newlines = payload.count(b"\n")
    check_rows_and_columns(path, newlines // 2, ncols)
    try:
        table, invalid = _parse_csv(payload, delimiter, skip, ncols)
    except pa.ArrowInvalid:
        if fast is None:
            raise
        return _read_csv(path, allow_fast=False)  # not UTF-8 after all (past the sample): decode it
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
    check_rows_and_columns(path, total, ncols)
    check_cell_lengths(path, "", cols, first_data_line, source_rows)
    lines_after_header = newlines - (first_data_line - 1) + (not payload.endswith(b"\n"))
    if lines_after_header != total:  # some quoted value spans lines
        source_rows = _shift_for_multiline(cols, source_rows)
    title = head[: header.rows[0]]
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
        legacy=sheet_kind,
    )
    for r in repairs:
        if r not in block.repairs:
            block.repairs.insert(0, r)
    block.title_lines = _title_lines(title)
    block = _year_from_title(block, title)
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
        if pc.any(pc.fill_null(pc.match_substring(col, "\n"), ARROW_FALSE)).as_py():
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
