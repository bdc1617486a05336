"""One unit's template as an .xlsx (xlsxwriter), in memory.

Sheets: 'Danh sách' (the list: pre-filled rows in the unit's own order, then an empty block for new people),
'Hướng dẫn' (what to change, what not to touch, the deadline, how to send it back), 'Danh mục' (hidden: the code
lists), 'Mã' (hidden: the code of every coded cell of the list, by formula) and the marker sheet (very hidden,
protected: ``ingest.template_returns``). Coded columns are drop-downs of names; a value not in its list is coloured.
On 'Mã', row for row with the list, one array formula per coded column looks the names up (VLOOKUP on 'Danh mục'),
'?' for a value not in the list: the codes stay out of the list sheet, which is all the loader reads (``make
bench``, section templates, times a returned template against a plain list). Dates are dates, the CCCD is text
checked for 12 digits. Text from the units' files stays text (no formula, link or number is made of it).
Every sheet prints on A4 landscape, one page wide, the header row repeated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_range_abs, xl_rowcol_to_cell

from ingest.headers import ROW_NUMBER
from ingest.periods import Period, reporting_halves
from ingest.registry import Unit
from ingest.template_returns import (
    MARKER_SHEET,
    ROW_KEY_FIELD,
    ROWS_HEADER,
    STATUS_CHANGES,
    STATUS_NAMES,
    TemplateColumn,
    TemplateMeta,
    cell_text,
    key_id,
    pack_rows,
    row_digest,
    row_key,
    sign,
    status_list,
)
from publish.quality.feedback import TEXT_ONLY
from publish.templates.code_lists import CodeList
from publish.templates.data import BaseList
from publish.templates.layout import (
    CODES_SHEET,
    DATA_SHEET,
    GUIDE_SHEET,
    HEADER_ROW,
    LISTS_SHEET,
    ROW_KEY_HEADER,
    STT_HEADER,
    Column,
    columns_for,
)

DEPARTMENT_VI = "Sở Khoa học và Công nghệ"
MIN_BLOCK, MAX_BLOCK = 30, 300  # empty rows below the pre-filled ones: 30 + a tenth of the list, at most 300
_DATE_FORMAT = "dd/mm/yyyy"
_BIRTH_RANGE = (date(1900, 1, 1), date(2015, 12, 31))
_GUIDE_LINE_CHARS = 105  # characters of a line of the guide's text column (width 100)


@dataclass(frozen=True)
class BuiltTemplate:
    data: bytes
    meta: TemplateMeta
    prefilled: int


def block_rows(prefilled: int) -> int:
    return min(MAX_BLOCK, MIN_BLOCK + prefilled // 10)


def _name(code_list: CodeList, part: str) -> str:
    """The workbook name of a list's names ('ten_dt') or of its table of names and codes ('bang_dt') on the
    hidden 'Danh mục' sheet."""
    return f"{part}_{code_list.short}"


def build_workbook(
    unit: Unit,
    period: Period,
    base: BaseList | None,
    lists: dict[str, CodeList],
    secret: bytes,
    built_at: datetime,
) -> BuiltTemplate:
    """The template of ``unit`` for ``period`` pre-filled from ``base`` (None: an empty list)."""
    rows = base.rows if base else []
    fields = columns_for(base.used if base else set())
    coded = [c for c in fields if c.kind == "coded"]
    # columns: STT, the fields, the hidden row key; on the codes sheet, one column per coded field
    col_of = {c.field: i for i, c in enumerate(fields, start=1)}
    key_col = len(fields) + 1
    header0 = HEADER_ROW - 1  # 0-based
    first = header0 + 1
    last = first + len(rows) + block_rows(len(rows)) - 1

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, **TEXT_ONLY})
    wb.set_properties({
        "title": f"Danh sách trí thức - {unit.name_vi} - kỳ {period.code}",
        "subject": "Mẫu điền sẵn danh sách trí thức",
        "author": DEPARTMENT_VI,
        "created": built_at,
    })  # fmt: skip
    fmt = _formats(wb)
    sheet = wb.add_worksheet(DATA_SHEET)
    guide = wb.add_worksheet(GUIDE_SHEET)
    code_sheet = wb.add_worksheet(LISTS_SHEET)
    codes = wb.add_worksheet(CODES_SHEET)
    marker = wb.add_worksheet(MARKER_SHEET)
    sheet.activate()

    # --- the code lists (hidden sheet), named ranges for the drop-downs and the formulas
    for j, (_key, code_list) in enumerate(sorted(lists.items())):
        name_c, code_c = 2 * j, 2 * j + 1
        code_sheet.write_string(0, name_c, f"Danh mục: {code_list.title}", fmt["head"])
        code_sheet.write_string(0, code_c, "Mã", fmt["head"])
        for r, (name, code) in enumerate(code_list.entries, start=1):
            code_sheet.write_string(r, name_c, name)
            code_sheet.write_string(r, code_c, code)
        n = len(code_list.entries)
        lists_sheet = quote_sheetname(LISTS_SHEET)
        wb.define_name(_name(code_list, "ten"), f"={lists_sheet}!{xl_range_abs(1, name_c, n, name_c)}")
        wb.define_name(_name(code_list, "bang"), f"={lists_sheet}!{xl_range_abs(1, name_c, n, code_c)}")
        code_sheet.set_column(name_c, name_c, 32)
    code_sheet.hide()
    code_sheet.protect()

    # --- the list sheet
    title = f"DANH SÁCH TRÍ THỨC - {unit.name_vi.upper()} - KỲ BÁO CÁO {period.code}"
    sheet.write_string(0, 0, title, fmt["title"])
    sheet.write_string(
        1, 0,
        "Mẫu điền sẵn từ danh sách đơn vị đã gửi"
        + (f" (kỳ {base.base_period})" if base else "")
        + f". Hạn gửi: {period.deadline:%d/%m/%Y}. Đọc trang 'Hướng dẫn' trước khi sửa; không xoá dòng của người đã "
        "rời đơn vị mà chọn 'Tình trạng'.",
        fmt["note"],
    )  # fmt: skip
    sheet.write_string(header0, 0, STT_HEADER, fmt["head"])
    sheet.set_column(0, 0, 6, fmt["num"])
    for c in fields:
        i = col_of[c.field]
        sheet.write_string(header0, i, c.header, fmt["head"])
        sheet.set_column(i, i, c.width, fmt["date"] if c.kind == "date" else fmt["text"])
    sheet.write_string(header0, key_col, ROW_KEY_HEADER, fmt["head"])
    sheet.set_column(key_col, key_col, 34, fmt["text"], {"hidden": True})
    sheet.set_row(header0, 45)

    key_rows: list[tuple[str, str, str, str]] = []
    cached: dict[str, list[str]] = {c.field: [] for c in coded}  # the codes the formulas compute, row by row
    for n, row in enumerate(rows):
        r = first + n
        sheet.write_number(r, 0, n + 1, fmt["num_cell"])
        shown: list[object] = []
        for c in fields:
            value = row.values.get(c.field) if c.prefill else None
            i = col_of[c.field]
            if isinstance(value, date):
                sheet.write_datetime(r, i, datetime(value.year, value.month, value.day), fmt["date_cell"])
                shown.append(value.isoformat())
            elif value is None or cell_text(value) == "":
                sheet.write_blank(r, i, None, fmt["cell"])
                shown.append("")
            else:
                text = cell_text(value)
                sheet.write_string(r, i, text, fmt["cell"])
                shown.append(text)
        for c in coded:
            value = row.values.get(c.field) if c.prefill else None
            text = cell_text(value) if value is not None else ""
            cached[c.field].append("" if not text else _code_of(lists[c.code_list], text))
        key = row_key(secret, row.source_file, row.file_sha256, row.sheet_name, row.source_row)
        sheet.write_string(r, key_col, key)
        status = cached["status"][-1] if "status" in cached else ""
        key_rows.append(
            (key, row_digest(secret, key, shown), str(r + 1), status if status in STATUS_NAMES else "")
        )
    for r in range(first + len(rows), last + 1):
        sheet.write_blank(r, 0, None, fmt["new"])
        for c in fields:
            sheet.write_blank(r, col_of[c.field], None, fmt["new_date"] if c.kind == "date" else fmt["new"])
    _checks(sheet, fields, coded, col_of, lists, first, last, fmt)
    sheet.autofilter(header0, 0, last, len(fields))
    sheet.freeze_panes(first, 2)
    _print_setup(sheet, unit, period, header0)

    # --- the codes, row for row with the list
    _write_codes(codes, unit, period, coded, col_of, lists, cached, first, last, fmt)

    # --- the guide
    _write_guide(guide, unit, period, base, fields, fmt)

    # --- the marker sheet: what the loader recognises the template by
    columns = (
        TemplateColumn(ROW_NUMBER, 0, STT_HEADER),
        *(TemplateColumn(c.field, col_of[c.field], c.header) for c in fields),
        TemplateColumn(ROW_KEY_FIELD, key_col, ROW_KEY_HEADER),
    )
    meta = TemplateMeta(
        unit_code=unit.code, unit_kind=unit.kind, period=period.code, base_period=base.base_period if base else "",
        built_at=built_at.isoformat(timespec="seconds"), data_sheet=DATA_SHEET, header_row=HEADER_ROW,
        columns=columns, prefilled_rows=len(rows), key_id=key_id(secret),
        own_sheets=(GUIDE_SHEET, LISTS_SHEET, CODES_SHEET),
    )  # fmt: skip
    pairs = meta.pairs()
    for r, (k, v) in enumerate([*pairs, ("signature", sign(secret, pairs, key_rows))]):
        marker.write_string(r, 0, k)
        marker.write_string(r, 1, v)
    marker.write_string(0, 3, ROWS_HEADER)
    for r, cell in enumerate(pack_rows(key_rows), start=1):
        marker.write_string(r, 3, cell)
    marker.very_hidden()
    marker.protect()
    wb.close()
    return BuiltTemplate(buf.getvalue(), meta, len(rows))


def _code_of(code_list: CodeList, text: str) -> str:
    """The code the sheet's formula will compute for ``text`` (MATCH ignores case): '?' when not in the list."""
    code = code_list.code_of(text)
    return "?" if code is None else code


def _write_codes(
    codes, unit: Unit, period: Period, coded, col_of, lists, cached, first: int, last: int, fmt
) -> None:
    """The hidden 'Mã' sheet: for each coded column of the list, one array formula over the list's column giving
    each name's code ('?' for a name not in its list, '' for an empty cell), in the same rows as the list. One
    formula a column, not one a cell: the codes cost the file a few bytes a row, and a row inserted in the list
    moves no code off its row (the formula reads the list's rows in order). Its results are written as the cached
    values. The formula starts at the header row (hidden here: the 'code' of the header text is '?'), as the top
    cell of an array holds its cached value as a number when it looks like one (xlsxwriter: '01' would read 1)."""
    header0 = HEADER_ROW - 1
    codes.write_string(0, 0, f"MÃ DANH MỤC CỦA CÁC CỘT CHỌN - {unit.name_vi.upper()} - KỲ {period.code} (tự tính "
                       f"theo từng dòng của trang '{DATA_SHEET}', cùng số dòng; không sửa)", fmt["title"])  # fmt: skip
    data_sheet = quote_sheetname(DATA_SHEET)
    for j, c in enumerate(coded):
        source = f"{data_sheet}!{xl_range_abs(header0, col_of[c.field], last, col_of[c.field])}"
        table = _name(lists[c.code_list], "bang")
        codes.write_string(header0 - 1, j, f"Mã: {c.header}", fmt["head"])
        codes.set_column(j, j, 12)
        # REPT(code, 0 or 1) for '' on an empty cell: IF over a range would make LibreOffice evaluate the whole
        # range once per row (minutes for 50,000 rows); IFERROR only turns a name not in the list into '?'
        codes.write_array_formula(
            header0, j, last, j, f'{{=REPT(IFERROR(VLOOKUP({source},{table},2,FALSE),"?"),SIGN(LEN({source})))}}',
            None, "?",
        )  # fmt: skip
        values = cached[c.field]
        for r in range(first, last + 1):
            code = values[r - first] if r - first < len(values) else ""
            if code:
                codes.write_string(r, j, code)
            else:
                codes.write_blank(r, j, None, fmt["code_blank"])
    codes.set_row(header0 - 1, 45)
    codes.set_row(header0, None, None, {"hidden": True})
    codes.hide()
    codes.protect()


def _checks(sheet, fields: tuple[Column, ...], coded, col_of, lists, first: int, last: int, fmt) -> None:
    """Drop-downs, the CCCD and date rules, and the colour of a value outside its list."""
    for c in coded:
        i = col_of[c.field]
        strict = lists[c.code_list].strict
        sheet.data_validation(first, i, last, i, {
            "validate": "list",
            "source": f"={_name(lists[c.code_list], 'ten')}",
            "input_title": c.header[:32],
            "input_message": c.hint[:255],
            "error_title": "Giá trị không có trong danh mục",
            "error_message": (
                "Chọn một giá trị trong danh sách (bấm mũi tên ▼ ở góc ô)."
                if strict else "Giá trị không có trong danh sách phường, xã. Vẫn giữ giá trị này?"
            ),
            "error_type": "stop" if strict else "warning",
        })  # fmt: skip
        ref = xl_rowcol_to_cell(first, i, col_abs=True)
        sheet.conditional_format(first, i, last, i, {
            "type": "formula", "criteria": f'=AND({ref}<>"",ISNA(MATCH({ref},{_name(lists[c.code_list], "ten")},0)))',
            "format": fmt["bad"],
        })  # fmt: skip
    cccd = next((c for c in fields if c.kind == "cccd"), None)
    if cccd is not None:
        i = col_of[cccd.field]
        ref = xl_rowcol_to_cell(first, i)
        sheet.data_validation(first, i, last, i, {
            "validate": "custom",
            "value": f'=AND(LEN({ref})=12,ISNUMBER(--{ref}),{ref}=TEXT(--{ref},"000000000000"))',
            "input_title": cccd.header[:32],
            "input_message": cccd.hint,
            "error_title": "Số CCCD chưa đúng",
            "error_message": "Số CCCD gồm đúng 12 chữ số (kể cả số 0 ở đầu), không có dấu cách hay ký tự khác. "
            "Chỉ có CMND 9 số: ghi số CMND và ghi chú lại.",
            "error_type": "warning",
        })  # fmt: skip
        sheet.conditional_format(first, i, last, i, {
            "type": "formula",
            "criteria": f'=AND({ref}<>"",OR(LEN({ref})<>12,ISERROR(--{ref})))',
            "format": fmt["bad"],
        })  # fmt: skip
    born = next((c for c in fields if c.kind == "date"), None)
    if born is not None:
        i = col_of[born.field]
        sheet.data_validation(first, i, last, i, {
            "validate": "date",
            "criteria": "between",
            "minimum": _BIRTH_RANGE[0],
            "maximum": _BIRTH_RANGE[1],
            "ignore_blank": True,
            "input_title": "Ngày sinh",
            "input_message": born.hint,
            "error_title": "Ngày sinh chưa đúng",
            "error_message": "Ghi ngày sinh dạng ngày/tháng/năm (ví dụ 05/03/1980). Nếu chỉ biết năm: gõ '1975 "
            "(có dấu nháy ở trước).",
            "error_type": "warning",
        })  # fmt: skip
    for c in fields:
        if c.kind == "text" and c.hint:
            i = col_of[c.field]
            sheet.data_validation(first, i, last, i, {
                "validate": "any", "input_title": c.header[:32], "input_message": c.hint[:255],
            })  # fmt: skip


def _formats(wb) -> dict:
    border = {"border": 1, "border_color": "#A6A6A6", "valign": "top"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "note": wb.add_format({"italic": True, "font_color": "#404040"}),
        "head": wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
                "locked": True,
            }
        ),  # fmt: skip
        "text": wb.add_format({"num_format": "@"}),
        "date": wb.add_format({"num_format": _DATE_FORMAT}),
        "num": wb.add_format({}),
        "cell": wb.add_format({"num_format": "@", **border}),
        "date_cell": wb.add_format({"num_format": _DATE_FORMAT, **border}),
        "num_cell": wb.add_format(border),
        "new": wb.add_format({"num_format": "@", "bg_color": "#FFFBE6", **border}),
        "new_date": wb.add_format({"num_format": _DATE_FORMAT, "bg_color": "#FFFBE6", **border}),
        "bad": wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006"}),
        "code_blank": wb.add_format({"num_format": "@"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "label": wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1}),
    }


def _print_setup(sheet, unit: Unit, period: Period, header_row: int) -> None:
    """As the feedback workbooks: A4 landscape, one page wide, the header row on every page, the unit and period
    in the page header, page numbers in the footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.repeat_rows(header_row)
    who = f"{unit.name_vi} ({unit.code})".replace("&", "&&")
    sheet.set_header(f"&L{who[:200]}&RKỳ {period.code}")
    sheet.set_footer("&CTrang &P/&N")


def _deadlines_in_words() -> str:
    """'kỳ 6 tháng: trước 20/6; kỳ năm: trước 05/12', from the seed reporting_halves (ingest.periods)."""
    return "; ".join(
        f"{'kỳ năm' if h.is_annual else 'kỳ 6 tháng'}: trước {h.deadline_vi}"
        for h in reporting_halves().values()
    )


def _write_guide(guide, unit: Unit, period: Period, base: BaseList | None, fields, fmt) -> None:
    deadline = f"{period.deadline:%d/%m/%Y}"
    half = f"6 tháng đầu năm {period.year}" if period.half == 1 else f"năm {period.year}"
    folder = f"{period.code}/{unit.kind}/{unit.code}/"
    if base:
        names = ", ".join(f"'{f.rsplit('/', 1)[-1]}'" for f in base.files)
        source = (
            f"Đã điền sẵn {len(base.rows)} người từ danh sách đơn vị gửi kỳ {base.base_period} ({names}), đúng thứ "
            "tự đơn vị đã sắp xếp. Người đã báo từ trần hoặc chuyển đi ở kỳ đó không còn trong danh sách."
        )
    else:
        source = (
            "Đơn vị chưa có danh sách kỳ trước trong kho dữ liệu: ghi toàn bộ danh sách vào các dòng trống."
        )
    changes = "\n".join(
        f"• {STATUS_NAMES[old]} → {status_list(new, quote='')}." if new
        else f"• {STATUS_NAMES[old]}: không đổi sang tình trạng khác."
        for old, new in STATUS_CHANGES.items()
    )  # fmt: skip
    meanings = "\n".join(
        f"• {STATUS_NAMES[code]}: {text}"
        for code, text in (
            ("ACTIVE", "đang làm việc (hoặc đang sinh sống) tại đơn vị."),
            ("RETIRED", "đã nghỉ hưu; vẫn giữ trong danh sách."),
            (
                "MOVED_AWAY",
                "đã chuyển công tác hoặc chuyển nơi ở ra khỏi đơn vị; kỳ sau không còn trong danh sách.",
            ),
            ("ABROAD", "đã ra nước ngoài (định cư, làm việc hoặc học tập ở nước ngoài)."),
            ("DECEASED", "đã từ trần; kỳ sau không còn trong danh sách."),
        )
    )
    lines = [
        ("Đơn vị", f"{unit.name_vi} ({unit.code})"),
        ("Kỳ báo cáo", f"{period.code} ({half})"),
        ("Hạn gửi", f"{deadline} ({_deadlines_in_words()})"),
        ("Dữ liệu điền sẵn", source),
        (
            "Việc cần làm",
            "1. Kiểm tra từng dòng có sẵn. Người không thay đổi gì: để nguyên dòng (được tính là đã xác nhận).\n"
            "2. Thông tin thay đổi (trình độ, học hàm, chức vụ, nơi công tác...): sửa ngay trong ô. Các cột có "
            "mũi tên ▼ (giới tính, dân tộc, trình độ, học hàm, lĩnh vực, phường xã, tình trạng): chọn trong danh "
            "sách, không gõ cách viết khác.\n"
            "3. Người đã rời đơn vị (chuyển công tác, ra nước ngoài, từ trần) hoặc đã nghỉ hưu: KHÔNG xoá dòng; "
            "chọn tình trạng ở cột 'Tình trạng'. Dòng bị xoá mà không ghi tình trạng sẽ được báo lại để sửa.\n"
            "4. Người mới: ghi vào các dòng trống tô màu phía dưới, mỗi người một dòng (thiếu dòng thì chèn thêm "
            "dòng bên trên dòng trống cuối cùng).\n"
            "5. Ô tô màu đỏ: giá trị chưa khớp danh mục hoặc số CCCD chưa đủ 12 chữ số: sửa lại.",
        ),
        (
            "Tình trạng và cách chuyển",
            "Chọn một tình trạng trong danh sách; người không thay đổi: để nguyên. Tình trạng đã điền sẵn chỉ đổi "
            "theo các cách dưới đây; đổi cách khác (ví dụ Đã nghỉ hưu → Đang công tác) sẽ được báo lại để kiểm "
            "tra. Nếu tình trạng kỳ trước bị ghi sai, ghi lý do ở cột 'Ghi chú'.\n"
            + changes
            + "\nÝ nghĩa:\n"
            + meanings,
        ),
        (
            "Cách ghi",
            "• Ngày sinh: ngày/tháng/năm (ví dụ 05/03/1980); nếu chỉ biết năm, gõ dấu nháy trước năm: '1975.\n"
            "• Số CCCD: đủ 12 chữ số, giữ số 0 ở đầu (cột đã định dạng văn bản).\n"
            "• Nơi cư trú: tên phường, xã mới (từ ngày 01/7/2025); người ở ngoài tỉnh: ghi tên tỉnh.",
        ),
        (
            "Không được sửa",
            "Tên các trang tính; dòng tiêu đề cột và thứ tự các cột (không chèn, xoá hay đổi tên cột); cột ẩn "
            "(khoá dòng) và các trang ẩn (danh mục, mã danh mục): chúng giúp nhận biết đúng từng người. Không chép danh sách "
            "sang tệp khác: tệp chép sang vẫn được nhận nhưng như một danh sách thường, không biết dòng nào đã "
            "xác nhận.",
        ),
        (
            "Gửi lại",
            f"Lưu tệp (định dạng .xlsx, tên tệp tuỳ ý) rồi đặt vào thư mục nhận dữ liệu {folder} hoặc gửi cho "
            f"{DEPARTMENT_VI} trước ngày {deadline}. Mỗi lần sửa, gửi lại cả tệp.",
        ),
        (
            "Bảo mật",
            "Tệp có thông tin cá nhân (họ tên, ngày sinh, số CCCD, nơi cư trú): chỉ lưu trên máy của đơn vị, không "
            "gửi qua mạng xã hội hay thư điện tử công cộng, xoá bản sao khi đã gửi.",
        ),
        (
            "Các cột của danh sách",
            "\n".join(f"• {c.header}" + (f": {c.hint}" if c.hint else "") for c in fields),
        ),
    ]
    guide.write_string(0, 0, f"HƯỚNG DẪN ĐIỀN MẪU DANH SÁCH TRÍ THỨC - KỲ {period.code}", fmt["title"])
    guide.write_string(1, 0, "Mục", fmt["head"])
    guide.write_string(1, 1, "Nội dung", fmt["head"])
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 100)
    for r, (k, v) in enumerate(lines, start=2):
        guide.write_string(r, 0, k, fmt["label"])
        guide.write_string(r, 1, v, fmt["wrap"])
        # wrapped rows get their height here: not every spreadsheet program fits them on opening
        guide.set_row(r, 15 * sum(max(1, -(-len(line) // _GUIDE_LINE_CHARS)) for line in v.split("\n")))
    _print_setup(guide, unit, period, 1)
