"""Feedback workbooks for submitting units, in Vietnamese: what we received, what is missing, what to fix.

``write_feedback(warehouse, period)`` writes ``<warehouse dir>/reports/feedback/<period>/<unit_code>.xlsx`` for
every unit with a problem in that period (nothing or not everything received, late, rejected files or rows,
row issues, duplicates). Sheet 'Tóm tắt' tells the unit its scorecard in words, and how its current files were
combined (a later list replaced the earlier one or added to it, and why); sheet 'Dòng cần sửa' lists every
problem row from quality.row_issues and every rejected file from quality.file_manifest: file, sheet, the row
number the unit sees, column, value sent (personal values masked), what is wrong and how to fix it.
When the unit sent a pre-filled template back, the summary says what became of its rows (confirmed, edited, new,
removed with or without a status: ``ingest.template_returns``); when its template for the next period exists
(``publish.templates``), the summary says it is sent with the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from expectations._warehouse import read_only, relation_columns, relation_exists
from expectations.errors import TableMissing
from ingest.datasets import DATASETS
from ingest.periods import parse_period
from ingest.private_files import make_private, private_dir
from ingest.template_returns import template_summary_lines
from publish.templates.paths import template_path

SCORECARD = "quality.unit_scorecard"
ROW_ISSUES = "quality.row_issues"
MANIFEST = "quality.file_manifest"
SUMMARY_SHEET = "Tóm tắt"
ROWS_SHEET = "Dòng cần sửa"
# xlsxwriter options for any workbook holding text from a submitted file: text stays text (no formulas, links
# or numbers made out of strings), whatever it starts with.
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
PROBLEM_STATUSES = ("missing", "incomplete", "late", "errors", "warnings")
# Widths (characters) that print on one landscape A4 page wide at about 80 % (every sheet is fitted to one page
# wide): long texts wrap in their cells instead of pushing columns onto a second page.
ROW_COLUMNS = (
    ("Tệp gốc", 24),
    ("Trang tính", 12),
    ("Dòng", 7),
    ("Cột", 20),
    ("Giá trị đã gửi", 20),
    ("Mức độ", 12),
    ("Vấn đề", 44),
    ("Cách sửa", 42),
)
SUMMARY_COLUMNS = (("Mục", 26), ("Nội dung", 88))
SUMMARY_HEADER_ROW = 1  # row 0: the title; row 1: the header repeated on every printed page; then the lines
COMBINE_RULE_VI = {
    "first": "tệp đầu tiên",
    "replace": "thay thế tệp trước",
    "supplement": "bổ sung cho tệp trước",
}
SEVERITY_VI = {"error": "Lỗi (dòng bị loại)", "warning": "Cảnh báo"}
DATASET_VI = {name: ds.label_vi for name, ds in DATASETS.items()}
FIELD_VI = {f.name: f.label_vi for ds in DATASETS.values() for f in ds.fields}
# How to fix, by issue code; an unknown code falls back to the message itself (which says what to do).
FIX_VI = {
    "unmapped_value": "Ghi lại theo đúng danh mục (xem tên trong danh mục mã), hoặc đề nghị Sở KH&CN bổ sung cách viết.",
    "ward_ambiguous": "Ghi tên phường, xã mới (sau ngày 01/7/2025).",
    "cccd_not_digits": "Chỉ ghi 12 chữ số của CCCD, không có chữ hay ký tự khác.",
    "cccd_is_old_cmnd": "Thay số CMND 9 chữ số bằng số CCCD 12 chữ số.",
    "cccd_wrong_length": "Kiểm tra lại số CCCD trên thẻ: đủ 12 chữ số; định dạng cột CCCD là văn bản (Text).",
    "cccd_unknown_province": "Kiểm tra 3 chữ số đầu của CCCD (mã tỉnh nơi đăng ký khai sinh).",
    "cccd_birth_century_implausible": "Kiểm tra chữ số thứ 4 của CCCD.",
    "cccd_sex_mismatch": "Kiểm tra giới tính hoặc số CCCD: chữ số thứ 4 phải khớp giới tính.",
    "cccd_birth_year_mismatch": "Kiểm tra năm sinh hoặc số CCCD: chữ số 5-6 là hai số cuối năm sinh.",
    "cccd_leading_zero_restored": "Định dạng cột CCCD là văn bản (Text) để Excel không xoá số 0 đầu.",
    "date_unparseable": "Ghi ngày theo dạng dd/mm/yyyy (hoặc mm/yyyy, yyyy nếu chỉ biết tháng/năm).",
    "birth_year_implausible": "Kiểm tra lại năm sinh.",
    "template_row_removed": "Khôi phục dòng trong mẫu rồi chọn tình trạng (Đã nghỉ hưu, Chuyển công tác, Ở nước ngoài, "
    "Từ trần); nếu người này vẫn thuộc đơn vị, khôi phục dòng như cũ.",
    "template_status_transition": "Chọn lại tình trạng cũ hoặc một tình trạng được phép (xem trang 'Hướng dẫn'); "
    "nếu tình trạng cũ bị ghi sai, ghi lý do ở cột 'Ghi chú'.",
}
FIX_FALLBACK_VI = {
    "error": "Sửa dòng theo nội dung cột 'Vấn đề' rồi gửi lại tệp.",
    "warning": "Kiểm tra và sửa theo nội dung cột 'Vấn đề' trong lần gửi tới.",
}


@dataclass(frozen=True)
class FeedbackWorkbook:
    unit_code: str
    period: str
    path: Path
    problem_rows: int


def feedback_dir(warehouse: Path, period: str) -> Path:
    return Path(warehouse).resolve().parent / "reports" / "feedback" / period


def write_feedback(warehouse: Path, period: str) -> list[FeedbackWorkbook]:
    """One workbook per unit with a problem in ``period``; returns what was written."""
    with read_only(Path(warehouse)) as con:
        if not relation_exists(con, SCORECARD):
            raise TableMissing(SCORECARD, "feedback")
        cards = con.execute(
            f"select * from {SCORECARD} where period = ? and submission_status in ({', '.join('?' * len(PROBLEM_STATUSES))}) "
            "order by problem_score desc, unit_code",
            [period, *PROBLEM_STATUSES],
        ).df()
        rows = _problem_rows(con, period)
        combined = _combined_files(con, period)
        returned = template_summary_lines(con, period)  # pre-filled templates sent back: what became of rows
    out = feedback_dir(warehouse, period)
    # 0700 folders, 0600 workbooks: each quotes a unit's own rows back to it (masked, yet about persons)
    private_dir(out.parent)
    private_dir(out)
    written = []
    by_unit = dict(iter(rows.groupby(["unit_code", "unit_kind"], sort=False, dropna=False)))
    for card in cards.to_dict("records"):
        unit_rows = by_unit.get((card["unit_code"], card["unit_kind"]), rows.iloc[:0])
        path = out / f"{card['unit_code']}.xlsx"
        unit = (card["unit_code"], card["unit_kind"])
        _write_workbook(path, card, unit_rows, combined.get(unit, []), _template_lines(warehouse, period, card, returned))
        written.append(FeedbackWorkbook(card["unit_code"], period, path, len(unit_rows)))
    return written


def _problem_rows(con: Any, period: str) -> pd.DataFrame:
    issues = (
        f"""
        select source_file, sheet_name, source_row, column_name, raw_value, issue_code, severity, message_vi,
            unit_code, unit_kind, file_sha256
        from {ROW_ISSUES} where period = ?
        """
        if relation_exists(con, ROW_ISSUES)
        else "select * from (select null::varchar as source_file) where false and ? is null"
    )
    # A rejected file appears once: from row_issues when ingestion recorded it there, else from the manifest.
    frame = con.execute(
        f"""
        with issues as ({issues}),
        rejected_files as (
            select m.source_file, '' as sheet_name, null::integer as source_row, null::varchar as column_name,
                null::varchar as raw_value, 'file_rejected' as issue_code, 'error' as severity,
                coalesce(m.message_vi, 'Tệp bị từ chối.') as message_vi, m.unit_code, m.unit_kind, m.file_sha256
            from {MANIFEST} as m
            where m.period = ? and m.is_current and m.status = 'rejected'
                and not exists (
                    select 1 from issues as i
                    where i.source_file = m.source_file and i.file_sha256 = m.file_sha256 and i.source_row is null
                )
        ),
        final as (
            select source_file, sheet_name, source_row, column_name, raw_value, issue_code, severity, message_vi,
                unit_code, unit_kind
            from issues
            union all
            select source_file, sheet_name, source_row, column_name, raw_value, issue_code, severity, message_vi,
                unit_code, unit_kind
            from rejected_files
        )
        select * from final
        order by source_file, sheet_name, source_row nulls first, column_name
        """,
        [period, period],
    ).df()
    return frame


def _combined_files(con: Any, period: str) -> dict[tuple[str, str], list[str]]:
    """Per unit, one line per current loaded file: its name and how it was combined with the unit's earlier
    files, in Vietnamese (the part of combine_reason before ' / '). Empty for a manifest without the columns."""
    if not relation_exists(con, MANIFEST) or not {"combine_rule", "combine_reason"} <= set(
        relation_columns(con, MANIFEST)
    ):
        return {}
    found = con.execute(
        f"""
        select unit_code, unit_kind, source_file, combine_rule, combine_reason
        from {MANIFEST}
        where period = ? and is_current and status in ('loaded', 'loaded_with_issues')
        order by received_at, source_file
        """,
        [period],
    ).fetchall()
    out: dict[tuple[str, str], list[str]] = {}
    for unit_code, unit_kind, source_file, rule, reason in found:
        why = str(reason).split(" / ", 1)[0] if reason else COMBINE_RULE_VI.get(rule or "", "")
        out.setdefault((unit_code, unit_kind), []).append(
            f"• {Path(str(source_file)).name}: {why}".rstrip(": ")
        )
    return out


def _fmt_share(value: Any) -> str:
    """0.982 -> '98,2 %' (a Vietnamese reader's decimal comma)."""
    if value is None or pd.isna(value):
        return "không áp dụng"
    return f"{float(value) * 100:.1f}".replace(".", ",") + " %"


def _datasets_vi(text: Any) -> str:
    names = [n for n in str(text or "").split(",") if n]
    return "; ".join(DATASET_VI.get(n, n) for n in names) or "không có"


def _template_lines(warehouse: Path, period: str, card: dict, returned: dict) -> list[tuple[str, str]]:
    """The summary's lines on pre-filled templates: what became of the rows of the one the unit sent back, and the
    one made for its next report (publish.templates), when it exists."""
    lines = []
    sent = returned.get((card["unit_code"], card["unit_kind"]))
    if sent:
        lines.append(("Mẫu điền sẵn đã gửi lại", "\n".join(sent)))
    following = parse_period(str(period))
    if following is not None:
        nxt = following.next()
        if template_path(warehouse, nxt.code, str(card["unit_code"])).exists():
            lines.append((
                "Mẫu cho kỳ sau",
                f"Tệp {card['unit_code']}.xlsx gửi kèm: danh sách kỳ {nxt.code} đã điền sẵn người của đơn vị. Giữ "
                f"nguyên dòng không đổi, sửa dòng thay đổi, chọn tình trạng cho người đã rời đơn vị (không xoá dòng), "
                f"thêm người mới vào các dòng trống; gửi lại trước {nxt.deadline:%d/%m/%Y}.",
            ))  # fmt: skip
    return lines


def _summary_lines(
    card: dict, problem_rows: int, combined: list[str] = (), extra: list[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    deadline = pd.Timestamp(card["deadline"]).strftime("%d/%m/%Y")
    if not card["is_submitted"]:
        timing = f"Chưa nhận được dữ liệu (hạn nộp {deadline})."
    elif _known(card["is_on_time"]) and card["is_on_time"]:
        timing = f"Đúng hạn (hạn nộp {deadline})."
    else:
        timing = f"Trễ hạn {int(card['days_late'])} ngày (hạn nộp {deadline}): {_datasets_vi(card['datasets_late'])}."
    todo = []
    if card["datasets_missing"]:
        todo.append(f"Gửi dữ liệu còn thiếu: {_datasets_vi(card['datasets_missing'])}.")
    if card["files_rejected"]:
        todo.append(
            f"Sửa và gửi lại {int(card['files_rejected'])} tệp bị từ chối (xem trang 'Dòng cần sửa')."
        )
    if card["rows_rejected"]:
        todo.append(f"Sửa {int(card['rows_rejected'])} dòng bị loại và gửi lại tệp.")
    if card["issue_warnings"]:
        todo.append(
            f"Kiểm tra {int(card['issue_warnings'])} cảnh báo (mã không khớp danh mục, CCCD, ngày tháng...)."
        )
    if card["duplicate_rows"]:
        todo.append(f"Xoá {int(card['duplicate_rows'])} dòng trùng lặp trong cùng một tệp.")
    if card["is_submitted"] and _known(card["is_on_time"]) and not card["is_on_time"]:
        todo.append("Lần sau gửi trước hạn.")
    return [
        ("Đơn vị", f"{card['unit_name_vi']} ({card['unit_code']})"),
        ("Kỳ báo cáo", str(card["period"])),
        ("Hạn nộp", deadline),
        ("Dữ liệu phải gửi", _datasets_vi(card["datasets_expected"])),
        ("Đã nhận", _datasets_vi(card["datasets_received"])),
        ("Còn thiếu", _datasets_vi(card["datasets_missing"])),
        ("Thời hạn", timing),
        (
            "Số tệp đã nhận",
            f"{int(card['file_versions_received'])} (bị từ chối: {int(card['files_rejected'])})",
        ),
        (
            "Số dòng",
            f"đọc {int(card['rows_read'])}, nhận {int(card['rows_loaded'])}, bị loại {int(card['rows_rejected'])}, "
            f"bỏ qua (dòng trống, tổng cộng, ghi chú) {int(card['rows_skipped'])}",
        ),
        ("Trường bắt buộc đã điền", _fmt_share(card["required_filled_share"])),
        ("Giá trị khớp danh mục mã", _fmt_share(card["coded_mapped_share"])),
        ("Số CCCD hợp lệ", _fmt_share(card["cccd_valid_share"])),
        ("Dòng trùng lặp", str(int(card["duplicate_rows"]))),
        ("Số vấn đề cần xem", f"{problem_rows} (chi tiết ở trang 'Dòng cần sửa')"),
        ("Việc cần làm", "\n".join(f"• {t}" for t in todo) or "Không có."),
    ] + ([("Cách ghép các tệp đã nhận", "\n".join(combined))] if combined else []) + list(extra)


def _write_workbook(
    path: Path, card: dict, rows: pd.DataFrame, combined: list[str] = (), extra: list[tuple[str, str]] = ()
) -> None:
    # in_memory: the parts are zipped from memory, not written to temporary files first (a third faster).
    # TEXT_ONLY: file names, sheet names and values come from the units' files; a name such as "=HYPERLINK(...)"
    # must stay text, never become a live formula or link in the workbook the unit opens.
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, **TEXT_ONLY})
    try:
        head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        label = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        title = wb.add_format({"bold": True, "font_size": 14})

        summary = wb.add_worksheet(SUMMARY_SHEET)
        summary.write(0, 0, f"Phản hồi chất lượng dữ liệu trí thức - kỳ {card['period']}", title)
        for col, (name, width) in enumerate(SUMMARY_COLUMNS):
            summary.write(SUMMARY_HEADER_ROW, col, name, head)
            summary.set_column(col, col, width)
        for i, (k, v) in enumerate(_summary_lines(card, len(rows), combined, extra), start=SUMMARY_HEADER_ROW + 1):
            summary.write(i, 0, k, label)
            summary.write(i, 1, v, wrap)
        _print_setup(summary, card, SUMMARY_HEADER_ROW)

        sheet = wb.add_worksheet(ROWS_SHEET)
        for col, (name, width) in enumerate(ROW_COLUMNS):
            sheet.write(0, col, name, head)
            sheet.set_column(col, col, width)
        _print_setup(sheet, card, 0)
        for r, rec in enumerate(rows.to_dict("records"), start=1):
            sheet.write_string(
                r, 0, Path(str(rec["source_file"])).name if _known(rec["source_file"]) else "", wrap
            )
            sheet.write_string(r, 1, _text(rec["sheet_name"]), wrap)
            if rec["source_row"] is not None and not pd.isna(rec["source_row"]):
                sheet.write_number(r, 2, int(rec["source_row"]), wrap)
            else:
                sheet.write(r, 2, "cả tệp", wrap)
            column = _text(rec["column_name"])
            sheet.write_string(r, 3, FIELD_VI.get(column, column), wrap)
            sheet.write_string(r, 4, _shown_value(rec["raw_value"]), wrap)
            sheet.write(r, 5, SEVERITY_VI.get(rec["severity"], _text(rec["severity"])), wrap)
            sheet.write_string(r, 6, _text(rec["message_vi"]), wrap)
            sheet.write(r, 7, FIX_VI.get(rec["issue_code"], FIX_FALLBACK_VI.get(rec["severity"], "")), wrap)
        sheet.autofilter(0, 0, max(len(rows), 1), len(ROW_COLUMNS) - 1)
    finally:
        wb.close()
        if path.exists():  # created in a 0700 folder, then narrowed to 0600
            make_private(path)


def _print_setup(sheet: Any, card: dict, header_row: int) -> None:
    """Every sheet prints the same way: A4 landscape, one page wide (as many pages down as needed), the header row
    repeated at the top of each page and frozen on screen, the unit and period in the page header and page
    numbers in the footer."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.freeze_panes(header_row + 1, 0)
    unit = f"{card.get('unit_name_vi') or ''} ({card.get('unit_code') or ''})".replace("&", "&&")
    sheet.set_header(f"&L{unit[:200]}&RKỳ {str(card.get('period') or '').replace('&', '&&')}")
    sheet.set_footer("&CTrang &P/&N")


def _known(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def _shown_value(value: Any) -> str:
    """A sent value as the unit reads it back. A masked value ('############' for a CCCD, '##/##/####' for a date)
    is said in words: a cell of '#' looks like Excel's 'column too narrow'."""
    text = _text(value)
    if text and set(text) <= set("#*/.-: "):
        if set(text) == {"#"}:
            return f"(đã ẩn: {len(text)} chữ số)"
        return f"(đã ẩn, dạng {text})"
    return text


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)
