"""Per-period exports of the indicator marts for the statistics office: Parquet, CSV (UTF-8 with BOM) and an
Excel workbook, the Vietnamese reading copy: a README sheet (sheets, columns, code lists), one sheet per strategic
group and the indicator catalogue ("Danh mục chỉ tiêu"), every sheet set up to print (A4 landscape, one page wide,
the header row on every page).

Parquet and CSV are the machine exports: the mart's codes, plus (after them) the unit code, the ward name and the
Vietnamese status and note. The workbook shows every code in Vietnamese words, with the code in its own column.

Only aggregates leave the warehouse: the column list is fixed in constants.EXPORT_COLUMNS and checked against
personal-data column names before anything is written.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from publish.indicators.constants import (
    AGE_GROUP_VI,
    BREAKDOWN_VI,
    CATALOG_COLUMNS,
    CATALOG_PRINTED_COLUMNS,
    CATALOG_SHEET_NAME,
    CONF_STATUS_VI,
    EXPORT_COLUMNS,
    FLAG_MEANINGS,
    FORBIDDEN_COLUMN_PARTS,
    FREQUENCY_VI,
    GEO_LEVEL_VI,
    GROUP_SHEET_NAMES,
    NO_TARGET_TEXT_VI,
    OBS_STATUS_VI,
    SEX_VI,
    SPECIAL_CODES_VI,
    STATUS_COLOURS,
    STATUS_LABELS_VI,
    UNIT_CODES_VI,
    WORKBOOK_COLUMNS,
    WORKBOOK_PRINTED_COLUMNS,
)
from publish.indicators.data import (
    LABEL_COLUMNS,
    column_of,
    in_words,
    indicator_values_for,
    read_indicator_catalog,
    with_vietnamese_labels,
)
from publish.indicators.errors import PersonalDataInExport

__all__ = ["csv_safe", "csv_safe_text", "export_period"]

_FILE_STEM = "chi_tieu_tri_thuc"
_TITLE_ROW, _HEADER_ROW, _FIRST_DATA_ROW = 0, 1, 2
_A4 = 9


def export_period(
    warehouse: Path, period: str, out_dir: Path, values: pd.DataFrame | None = None
) -> list[Path]:
    """Write ``out_dir/<period>/`` (e.g. warehouse/exports/2026-H1/): .parquet, .csv, .xlsx; return the paths.
    ``values``: ``read_indicator_values(warehouse, period)`` when the caller has read it already."""
    values = indicator_values_for(warehouse, period, values)
    rows = values[values["period"] == period].reset_index(drop=True)
    frame = _export_frame(rows, period)
    catalog = read_indicator_catalog(Path(warehouse))
    target = Path(out_dir) / period
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{_FILE_STEM}_{period}"
    parquet_path = target / f"{stem}.parquet"
    csv_path = target / f"{stem}.csv"
    xlsx_path = target / f"{stem}.xlsx"
    frame.to_parquet(parquet_path, index=False)
    csv_safe(frame).to_csv(csv_path, index=False, encoding="utf-8-sig")
    _write_workbook(rows, xlsx_path, period, catalog)
    return [parquet_path, csv_path, xlsx_path]


def _export_frame(values: pd.DataFrame, period: str) -> pd.DataFrame:
    columns = [name for name, _, _ in EXPORT_COLUMNS]
    leaked = [c for c in columns if any(part in c.lower() for part in FORBIDDEN_COLUMN_PARTS)]
    if leaked:
        raise PersonalDataInExport(leaked)
    return values.loc[values["period"] == period, columns].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------- cells


def _cell(value: Any) -> Any:
    """A value as xlsxwriter writes it; missing values (None, NaN, pd.NA) as empty cells, as pandas writes them."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"  # as pandas writes it (xlsxwriter refuses infinite numbers)
    if isinstance(value, date):
        return value.isoformat()  # unformatted, xlsxwriter would show a date as a serial number
    return value


def _cells(column: pd.Series) -> np.ndarray:
    """``_cell`` of every value of a column, vectorised for the common dtypes (numbers, text): the workbook is
    written row by row from these, with no Python call per cell."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        numbers = column.to_numpy()
        cells = numbers.astype(object)  # Python floats
        cells[np.isnan(numbers)] = None
        cells[np.isposinf(numbers)] = "inf"
        cells[np.isneginf(numbers)] = "-inf"
        return cells
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return column.to_numpy().astype(object)  # Python ints and bools
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        cells = column.to_numpy(dtype=object, copy=True)
        cells[pd.isna(cells)] = None
        return cells
    cells = np.empty(len(column), dtype=object)
    cells[:] = [_cell(value) for value in column.to_numpy(dtype=object)]
    return cells


def _records(table: pd.DataFrame) -> list[tuple]:
    return list(zip(*(_cells(table[name]) for name in table.columns), strict=True))


# ---------------------------------------------------------------------------------------------------- workbook


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#dde7f2", "border": 1}
        )
        top = {"valign": "top"}
        self.by_kind = {
            "text": book.add_format(top),
            "code": book.add_format(top),
            "wrap": book.add_format({**top, "text_wrap": True}),
            "status": book.add_format({**top, "bold": True}),
            "count": book.add_format({**top, "num_format": "#,##0"}),
            "number": book.add_format({**top, "num_format": "#,##0.00"}),
            "percent": book.add_format({**top, "num_format": "0%"}),
        }
        self.count_rows = book.add_format({"num_format": "#,##0"})  # conditional: values of count measures
        self.status = {
            key: book.add_format({"font_color": colour, "bold": True})
            for key, colour in STATUS_COLOURS.items()
        }


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a code in Excel's page header and footer


def _write_table(
    sheet: Worksheet,
    formats: _Formats,
    title: str,
    columns: list[tuple[str, str, int, str]],
    table: pd.DataFrame,
    *,
    printed: int,
    frozen_columns: int,
) -> int:
    """Title, header row and rows of ``table``, then the sheet's page setup; returns the last row written."""
    for row, record in enumerate(_records(table), start=_FIRST_DATA_ROW):
        sheet.write_row(row, 0, record)
    sheet.write(_TITLE_ROW, 0, title, formats.title)
    sheet.write_row(_HEADER_ROW, 0, [header for _, header, _, _ in columns], formats.header)
    for index, (_, _, width, kind) in enumerate(columns):
        sheet.set_column(index, index, width, formats.by_kind[kind])
    last_row = max(_FIRST_DATA_ROW + len(table) - 1, _HEADER_ROW)
    sheet.freeze_panes(_FIRST_DATA_ROW, frozen_columns)
    sheet.autofilter(_HEADER_ROW, 0, last_row, len(columns) - 1)
    # printing: A4 landscape, every printed column on one page wide (as many pages down as needed), the header
    # row again on every page, gridlines, the sheet's title and page numbers in the page header and footer
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(_HEADER_ROW)
    sheet.print_area(_TITLE_ROW, 0, last_row, min(printed, len(columns)) - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L{_header_text(title)}", {"margin": 0.25})
    sheet.set_footer("&CTrang &P / &N", {"margin": 0.25})
    sheet.hide_gridlines(0)
    return last_row


def _write_workbook(
    frame: pd.DataFrame, path: Path, period: str, catalog: pd.DataFrame | None = None
) -> None:
    """The Vietnamese reading copy of one period's rows (``frame``: indicator rows, with or without the labels of
    ``with_vietnamese_labels``) and the catalogue."""
    labelled = frame if set(LABEL_COLUMNS) <= set(frame.columns) else with_vietnamese_labels(frame)
    columns = [(name, header, width, kind) for name, header, width, kind, _ in WORKBOOK_COLUMNS]
    shown = {name: column_of(labelled, name) for name, _, _, _ in columns}
    no_target = column_of(labelled, "target_2030").isna() & column_of(labelled, "target_2030_text").isna()
    shown["target_2030_text"] = shown["target_2030_text"].astype(object).mask(no_target, NO_TARGET_TEXT_VI)
    table = pd.DataFrame(shown, index=labelled.index)
    # xlsxwriter directly, rows at a time: pandas' to_excel formats every cell through its own layer (3x slower);
    # in_memory zips the parts from memory instead of temporary files
    # strings_to_formulas/urls off: text (a name, a note) is never turned into a live formula or link
    book = xlsxwriter.Workbook(
        str(path), {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        formats = _Formats(book)
        _write_readme(book, formats, period, frame)
        names = [name for name, _, _, _ in columns]
        status_col, status_code_col = names.index("status_vi"), names.index("status")
        unit_code_col = names.index("unit")
        number_cols = [i for i, (_, _, _, kind) in enumerate(columns) if kind == "number"]
        for group_code, sheet_name in GROUP_SHEET_NAMES.items():
            part = table[table["group_code"] == group_code]
            sheet = book.add_worksheet(sheet_name)
            last_row = _write_table(
                sheet,
                formats,
                f"{sheet_name} - kỳ {period}",
                columns,
                part,
                printed=WORKBOOK_PRINTED_COLUMNS,
                frozen_columns=2,
            )
            first = _FIRST_DATA_ROW
            last = max(last_row, first)
            code_ref = f"${xl_col_to_name(status_code_col)}{first + 1}"
            for key, fmt in formats.status.items():
                sheet.conditional_format(
                    first,
                    status_col,
                    last,
                    status_col,
                    {"type": "formula", "criteria": f'={code_ref}="{key}"', "format": fmt},
                )
            unit_ref = f"${xl_col_to_name(unit_code_col)}{first + 1}"
            for col in number_cols:  # a count (E1: 12 doanh nghiệp) without decimals
                sheet.conditional_format(
                    first,
                    col,
                    last,
                    col,
                    {"type": "formula", "criteria": f'={unit_ref}="count"', "format": formats.count_rows},
                )
        _write_catalog(book, formats, period, catalog)
    finally:
        book.close()


def _write_catalog(
    book: xlsxwriter.Workbook, formats: _Formats, period: str, catalog: pd.DataFrame | None
) -> None:
    columns = list(CATALOG_COLUMNS)
    catalog = catalog if catalog is not None else pd.DataFrame(columns=[name for name, *_ in columns])
    table = catalog.copy()

    def listed(codes: pd.Series, words: dict[str, str]) -> pd.Series:
        return codes.map(
            lambda text: (
                "; ".join(words.get(code, code) for code in text.split(";"))
                if isinstance(text, str)
                else None
            )
        )

    table["frequency_vi"] = in_words(column_of(catalog, "frequency"), FREQUENCY_VI)
    table["geo_levels_vi"] = listed(column_of(catalog, "geo_levels"), GEO_LEVEL_VI)
    breakdowns = column_of(catalog, "breakdowns")
    table["breakdowns_vi"] = (
        listed(breakdowns, BREAKDOWN_VI)
        .astype(object)
        .mask(breakdowns.isna().to_numpy(dtype=bool), "Chỉ có số tổng")
    )
    table["target_2030_text"] = (
        column_of(catalog, "target_2030_text").astype(object).fillna(NO_TARGET_TEXT_VI)
    )
    table = pd.DataFrame({name: column_of(table, name) for name, *_ in columns}, index=table.index)
    sheet = book.add_worksheet(CATALOG_SHEET_NAME)
    _write_table(
        sheet,
        formats,
        f"Danh mục chỉ tiêu (định nghĩa, cách tính, mục tiêu) - kỳ {period}",
        columns,
        table,
        printed=CATALOG_PRINTED_COLUMNS,
        frozen_columns=3,
    )


# OWASP "CSV injection": a cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_text(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed with a single quote (as OWASP
    recommends); anything else unchanged. Numbers stay numbers (a negative number is not text)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell made safe by ``csv_safe_text``: for every CSV we write."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(csv_safe_text)
    return out


# ---------------------------------------------------------------------------------------------------- README


def _readme_rows(period: str, frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """(section, name or code, Vietnamese name or words, meaning) for the README sheet."""
    rows: list[tuple[str, str, str, str]] = [
        (
            "Lưu ý",
            "",
            "Không có thông tin cá nhân",
            "Chỉ có số liệu tổng hợp; không có thông tin cá nhân (họ tên, CCCD, điện thoại, thư điện tử). "
            "Ô tính từ 1-3 người được ẩn (cột Bảo mật).",
        ),
        ("Sheet", "README", "Đọc trước", "Các sheet, các cột và bảng mã của tệp này"),
        *(
            (
                "Sheet",
                name,
                f"Nhóm {code}",
                f"Số liệu kỳ {period}: toàn thành phố, từng phường, xã và từng phân tổ",
            )
            for code, name in GROUP_SHEET_NAMES.items()
        ),
        (
            "Sheet",
            CATALOG_SHEET_NAME,
            "Danh mục chỉ tiêu",
            "Định nghĩa từng chỉ tiêu: cách tính, tử số, mẫu số, ghi chú định nghĩa, mục tiêu 2030 và tầm nhìn 2045",
        ),
        (
            "In ấn",
            "",
            "Trang in",
            "Mỗi sheet in khổ A4 ngang, vừa một trang theo chiều ngang, dòng tiêu đề cột lặp lại ở mỗi trang. "
            "Các cột mã (bên phải, tên có '(mã)') không in: chúng ghi lại bằng mã điều mà cột chữ đã nói.",
        ),
    ]
    rows += [
        ("Cột của sheet nhóm", name, header, meaning) for name, header, _, _, meaning in WORKBOOK_COLUMNS
    ]
    rows += [("Cột của tệp CSV/Parquet", name, label, meaning) for name, label, meaning in EXPORT_COLUMNS]
    meanings = {(column, code): meaning for column, code, meaning in FLAG_MEANINGS}

    def codes(column: str, title: str, words: dict[str, str]) -> list[tuple[str, str, str, str]]:
        return [
            (f"Mã: {title} ({column})", code, word, meanings.get((column, code), ""))
            for code, word in words.items()
        ]

    def seen(code_column: str, name_column: str) -> dict[str, str]:
        """The codes of ``code_column`` in this period with their names from the warehouse's code lists."""
        if code_column not in frame:
            return {}
        pairs = pd.DataFrame({"code": frame[code_column], "name": column_of(frame, name_column)}).dropna(
            subset=["code"]
        )
        pairs = pairs[~pairs["code"].isin(list(SPECIAL_CODES_VI))].drop_duplicates("code").sort_values("code")
        return {
            str(c): str(n) if isinstance(n, str) else str(c)
            for c, n in zip(pairs["code"], pairs["name"], strict=True)
        }

    rows += codes("geo_level", "Cấp địa bàn", GEO_LEVEL_VI)
    rows += codes("breakdown", "Phân tổ theo", BREAKDOWN_VI)
    rows += codes("sex_code", "Giới tính", SEX_VI)
    rows += codes("age_group", "Nhóm tuổi", AGE_GROUP_VI)
    rows += codes("sector_code", "Khu vực (Frascati)", seen("sector_code", "sector_name_vi"))
    rows += codes(
        "science_field_code", "Lĩnh vực KH&CN cấp 1", seen("science_field_code", "science_field_name_vi")
    )
    rows += [
        ("Mã: mọi cột phân tổ", code, word, "Dòng tổng" if code == "_T" else "Người chưa có thông tin này")
        for code, word in SPECIAL_CODES_VI.items()
    ]
    rows += codes("unit", "Đơn vị tính", UNIT_CODES_VI)
    rows += codes("status", "Đánh giá", STATUS_LABELS_VI)
    rows += codes("obs_status", "Trạng thái số liệu", OBS_STATUS_VI)
    rows += codes("conf_status", "Bảo mật", CONF_STATUS_VI)
    return rows


_README_COLUMNS = [
    ("section", "Mục", 24, "wrap"),
    ("name", "Tên, mã trong tệp", 24, "wrap"),
    ("words", "Tên, nhãn tiếng Việt", 28, "wrap"),
    ("meaning", "Ý nghĩa", 80, "wrap"),
]


def _write_readme(book: xlsxwriter.Workbook, formats: _Formats, period: str, frame: pd.DataFrame) -> None:
    table = pd.DataFrame(
        _readme_rows(period, frame), columns=[name for name, *_ in _README_COLUMNS], dtype=object
    )
    sheet = book.add_worksheet("README")
    _write_table(
        sheet,
        formats,
        f"Hệ thống chỉ tiêu phát triển đội ngũ trí thức thành phố Đồng Nai - kỳ {period}",
        _README_COLUMNS,
        table,
        printed=len(_README_COLUMNS),
        frozen_columns=0,
    )
