"""Turn a planned file (sheets of title lines, header rows and body rows) into XLSX or CSV bytes.

The writer is the single place that numbers rows, so the truth (source_row, rows_read, skipped,
rejected) is computed from exactly what was written.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import xlsxwriter

from .legacy_encodings import as_latin1_text, encode_cp1258, encode_tcvn3, encode_vni

CREATED = datetime(2026, 1, 1, 8, 0, 0)  # fixed workbook creation date: same seed -> same bytes
_OLD_TONE = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
_OLD_TONE.update({k.capitalize(): v.capitalize() for k, v in _OLD_TONE.items()})
_OLD_TONE.update({k.upper(): v.upper() for k, v in list(_OLD_TONE.items())})


@dataclass
class Row:
    kind: str  # data | rejected | blank | total | note
    cells: list[object]
    truth: dict | None = None
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (field, raw_value, problem)
    agg: dict | None = None  # true values of an aggregate-dataset row


@dataclass
class Sheet:
    name: str
    title: list[list[object]] = field(default_factory=list)  # rows above the header
    header: list[list[object]] = field(default_factory=list)  # 1 or 2 rows
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # within header block (r1,c1,r2,c2)
    title_merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    colnum_row: bool = False
    body: list[Row] = field(default_factory=list)
    is_data: bool = True
    col_formats: dict[int, str] = field(default_factory=dict)  # 'cccd_num' | 'text'
    widths: dict[int, float] = field(default_factory=dict)


@dataclass
class FilePlan:
    rel_path: str
    unit_code: str
    unit_kind: str
    period: str
    dataset: str
    fmt: str  # xlsx | csv
    sheets: list[Sheet]
    text_form: str = "nfc"  # nfc | nfd | tcvn3 | vni
    old_tone: bool = False
    csv_encoding: str = "utf-8"  # utf-8 | utf-8-sig | utf-16 | cp1258 | tcvn3 | vni
    delimiter: str = ","
    broken_kind: str = ""
    expected_status: str = "loaded"
    replaces: str = ""
    submitted_at: datetime | None = None


@dataclass
class SheetResult:
    name: str
    header_rows: tuple[int, int]  # first and last header row (1-based)
    rows_read: int = 0
    rows_data: int = 0
    rows_rejected: int = 0
    rows_skipped_blank: int = 0
    rows_skipped_total: int = 0
    rows_skipped_note: int = 0
    person_rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    agg_rows: list[dict] = field(default_factory=list)


def transform_text(text: str, plan: FilePlan, *, for_csv: bool = False) -> str:
    """Apply the clerk's keyboard habits (old tone placement, NFD) and, in XLSX, the legacy-font view."""
    if plan.old_tone:
        for k, v in _OLD_TONE.items():
            text = text.replace(k, v)
    if plan.text_form == "nfd" or (for_csv and plan.csv_encoding == "nfd"):
        return unicodedata.normalize("NFD", text)
    if not for_csv and plan.text_form == "tcvn3":
        return as_latin1_text(encode_tcvn3(text))
    if not for_csv and plan.text_form == "vni":
        return as_latin1_text(encode_vni(text))
    return unicodedata.normalize("NFC", text)


def _nonempty(v: object) -> bool:
    return v is not None and not (isinstance(v, str) and v.strip() == "")


def _account(plan: FilePlan, sheet: Sheet, first_body_row: int, header_rows: tuple[int, int]) -> SheetResult:
    res = SheetResult(sheet.name, header_rows)
    last = 0
    for i, row in enumerate(sheet.body):
        if any(_nonempty(c) for c in row.cells):
            last = i + 1
    if sheet.is_data:
        for i, row in enumerate(sheet.body[:last]):
            r = first_body_row + i
            res.rows_read += 1
            kind = row.kind if any(_nonempty(c) for c in row.cells) else "blank"
            if kind == "data":
                res.rows_data += 1
            elif kind == "rejected":
                res.rows_rejected += 1
            elif kind == "blank":
                res.rows_skipped_blank += 1
            elif kind == "total":
                res.rows_skipped_total += 1
            else:
                res.rows_skipped_note += 1
            if row.truth is not None:
                res.person_rows.append(
                    {"source_file": plan.rel_path, "sheet_name": sheet.name if plan.fmt == "xlsx" else "",
                     "source_row": r, **row.truth, "expected_fate": "rejected" if kind == "rejected" else "loaded"}
                )
            if row.agg is not None:
                res.agg_rows.append({"source_file": plan.rel_path, "sheet_name": sheet.name if plan.fmt == "xlsx" else "",
                                     "source_row": r, **row.agg})
            for fld, raw, problem in row.problems:
                res.problems.append(
                    {"source_file": plan.rel_path, "sheet_name": sheet.name if plan.fmt == "xlsx" else "",
                     "source_row": r, "field": fld, "raw_value": raw, "problem": problem}
                )
    return res


def write_xlsx(plan: FilePlan) -> tuple[bytes, list[SheetResult]]:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"created": CREATED, "author": "Cán bộ phụ trách", "company": ""})
    legacy_font = {"tcvn3": ".VnTime", "vni": "VNI-Times"}.get(plan.text_form, "Times New Roman")
    base = {"font_name": legacy_font, "font_size": 12}
    f_text = wb.add_format(base)
    f_title = wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter"})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    f_cell = wb.add_format({**base, "border": 1})
    f_date = wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy"})
    f_cccd = wb.add_format({**base, "border": 1, "num_format": "000000000000"})
    f_num = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
    f_colnum = wb.add_format({**base, "italic": True, "align": "center", "border": 1})
    results: list[SheetResult] = []

    def put(ws, r: int, c: int, v: object, fmt) -> None:
        if v is None or v == "":
            if fmt is f_cell:
                ws.write_blank(r, c, None, fmt)
            return
        if isinstance(v, datetime | date):
            ws.write_datetime(r, c, datetime(v.year, v.month, v.day), f_date)
        elif isinstance(v, bool):
            ws.write_string(r, c, "x" if v else "", fmt)
        elif isinstance(v, int | float):
            ws.write_number(r, c, v, f_num if fmt is f_cell else fmt)
        else:
            ws.write_string(r, c, transform_text(str(v), plan), fmt)

    for sheet in plan.sheets:
        ws = wb.add_worksheet(transform_text(sheet.name, plan) if plan.text_form in ("nfc", "nfd") else sheet.name)
        r = 0
        for trow in sheet.title:
            for c, v in enumerate(trow):
                put(ws, r, c, v, f_title)
            r += 1
        for r1, c1, r2, c2 in sheet.title_merges:
            v = sheet.title[r1][c1]
            ws.merge_range(r1, c1, r2, c2, transform_text(str(v), plan) if v else "", f_title)
        h0 = r
        for hrow in sheet.header:
            for c, v in enumerate(hrow):
                put(ws, r, c, v, f_head)
            r += 1
        for r1, c1, r2, c2 in sheet.merges:
            v = sheet.header[r1][c1]
            ws.merge_range(h0 + r1, c1, h0 + r2, c2, transform_text(str(v), plan) if v else "", f_head)
        if sheet.colnum_row:
            ncol = max(len(h) for h in sheet.header)
            for c in range(ncol):
                ws.write_string(r, c, f"({c + 1})", f_colnum)
            r += 1
        header_rows = (h0 + 1, r)
        first_body = r + 1
        for row in sheet.body:
            for c, v in enumerate(row.cells):
                fmt = f_text if row.kind == "note" else f_cell
                if sheet.col_formats.get(c) == "cccd_num" and isinstance(v, str) and v.isdigit() and row.kind == "data":
                    ws.write_number(r, c, int(v), f_cccd)
                    continue
                put(ws, r, c, v, fmt)
            r += 1
        for c, w in sheet.widths.items():
            ws.set_column(c, c, w)
        results.append(_account(plan, sheet, first_body, header_rows))
    wb.close()
    return buf.getvalue(), results


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime | date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, bool):
        return "x" if v else ""
    return str(v)


def write_csv(plan: FilePlan) -> tuple[bytes, list[SheetResult]]:
    sheet = plan.sheets[0]
    out = io.StringIO()
    w = csv.writer(out, delimiter=plan.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    ncol = max(len(h) for h in sheet.header) if sheet.header else 0
    line = 0
    for trow in sheet.title:
        w.writerow([transform_text(_csv_cell(v), plan, for_csv=True) for v in (list(trow) + [""] * ncol)[:ncol]])
        line += 1
    h0 = line
    for hrow in sheet.header:
        w.writerow([transform_text(_csv_cell(v), plan, for_csv=True) for v in hrow])
        line += 1
    header_rows = (h0 + 1, line)
    for row in sheet.body:
        w.writerow([transform_text(_csv_cell(v), plan, for_csv=True) for v in (list(row.cells) + [""] * ncol)[:max(ncol, len(row.cells))]])
    text = out.getvalue()
    enc = plan.csv_encoding
    if enc == "tcvn3":
        data = encode_tcvn3(text)
    elif enc == "vni":
        data = encode_vni(text)
    elif enc == "cp1258":
        data = encode_cp1258(text)
    elif enc == "utf-16":
        data = text.encode("utf-16")  # with BOM, little-endian, as Excel's "Unicode text"
    else:
        data = text.encode(enc)
    return data, [_account(plan, sheet, line + 1, header_rows)]


def write_plan(plan: FilePlan) -> tuple[bytes, list[SheetResult]]:
    return write_xlsx(plan) if plan.fmt == "xlsx" else write_csv(plan)
