"""Per-period exports of the indicator marts for the statistics office: Parquet, CSV (UTF-8 with BOM) and an
Excel workbook with Vietnamese labels (one sheet per strategic group and a README sheet).

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

from orchestration.publish.indicators.constants import (
    EXPORT_COLUMNS,
    FLAG_MEANINGS,
    FORBIDDEN_COLUMN_PARTS,
    GROUP_SHEET_NAMES,
    STATUS_COLOURS,
    note_vi,
)
from orchestration.publish.indicators.data import read_indicator_values
from orchestration.publish.indicators.errors import PersonalDataInExport

__all__ = ["csv_safe", "csv_safe_text", "export_period"]

_FILE_STEM = "chi_tieu_tri_thuc"


def export_period(warehouse: Path, period: str, out_dir: Path) -> list[Path]:
    """Write ``out_dir/<period>/`` (e.g. warehouse/exports/2026-H1/): .parquet, .csv, .xlsx; return the paths."""
    frame = _export_frame(read_indicator_values(Path(warehouse), period), period)
    target = Path(out_dir) / period
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{_FILE_STEM}_{period}"
    parquet_path = target / f"{stem}.parquet"
    csv_path = target / f"{stem}.csv"
    xlsx_path = target / f"{stem}.xlsx"
    frame.to_parquet(parquet_path, index=False)
    csv_safe(frame).to_csv(csv_path, index=False, encoding="utf-8-sig")
    _write_workbook(frame, xlsx_path, period)
    return [parquet_path, csv_path, xlsx_path]


def _export_frame(values: pd.DataFrame, period: str) -> pd.DataFrame:
    columns = [name for name, _, _ in EXPORT_COLUMNS]
    leaked = [c for c in columns if any(part in c.lower() for part in FORBIDDEN_COLUMN_PARTS)]
    if leaked:
        raise PersonalDataInExport(leaked)
    return values.loc[values["period"] == period, columns].reset_index(drop=True)


def _write_workbook(frame: pd.DataFrame, path: Path, period: str) -> None:
    labels = {name: label for name, label, _ in EXPORT_COLUMNS}
    # the workbook is the Vietnamese reading copy: notes in Vietnamese (Parquet and CSV keep the mart's text)
    frame = frame.assign(obs_note=frame["obs_note"].map(note_vi))
    # xlsxwriter directly, rows at a time: pandas' to_excel formats every cell through its own layer (3x slower);
    # in_memory zips the parts from memory instead of temporary files
    # strings_to_formulas/urls off: text (a name, a note) is never turned into a live formula or link
    book = xlsxwriter.Workbook(
        str(path), {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#dde7f2", "border": 1}
        )
        title = book.add_format({"bold": True, "font_size": 14})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        number = book.add_format({"num_format": "#,##0.00"})
        count = book.add_format({"num_format": "#,##0"})
        percent = book.add_format({"num_format": "0%"})
        status_formats = {
            key: book.add_format({"font_color": colour, "bold": True})
            for key, colour in STATUS_COLOURS.items()
        }
        _write_readme(book, period, header, title, wrap)
        for group_code, sheet_name in GROUP_SHEET_NAMES.items():
            part = frame[frame["group_code"] == group_code]
            sheet = book.add_worksheet(sheet_name)
            for row, record in enumerate(part.itertuples(index=False, name=None), start=2):
                sheet.write_row(row, 0, [_cell(value) for value in record])
            sheet.write(0, 0, f"{sheet_name} - kỳ {period}", title)
            for col_idx, name in enumerate(labels):
                sheet.write(1, col_idx, labels[name], header)
                width = {"name_vi": 48, "obs_note": 40, "target_2030_text": 22}.get(name, 13)
                fmt = None
                if name in ("numerator", "denominator"):
                    fmt = count
                elif name in ("value", "target_2030", "gap_2030", "change_from_previous"):
                    fmt = number
                elif name == "completeness":
                    fmt = percent
                elif name in ("name_vi", "obs_note"):
                    fmt = wrap
                sheet.set_column(col_idx, col_idx, width, fmt)
            status_col = list(labels).index("status")
            last_row = len(part) + 1
            for key, fmt in status_formats.items():
                sheet.conditional_format(
                    2,
                    status_col,
                    max(last_row, 2),
                    status_col,
                    {"type": "cell", "criteria": "==", "value": f'"{key}"', "format": fmt},
                )
            sheet.freeze_panes(2, 4)
            sheet.autofilter(1, 0, max(last_row, 1), len(labels) - 1)
    finally:
        book.close()


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


def _write_readme(book: xlsxwriter.Workbook, period: str, header, title, wrap) -> None:
    sheet = book.add_worksheet("README")
    sheet.write(
        0, 0, f"Hệ thống chỉ tiêu phát triển đội ngũ trí thức thành phố Đồng Nai - kỳ {period}", title
    )
    sheet.write(
        1,
        0,
        "Chỉ có số liệu tổng hợp; không có thông tin cá nhân (họ tên, CCCD, điện thoại, thư điện tử).",
        wrap,
    )
    sheet.write_row(3, 0, ["Cột (tên trong tệp CSV/Parquet)", "Tên cột tiếng Việt", "Ý nghĩa"], header)
    row = 4
    for name, label, meaning in EXPORT_COLUMNS:
        sheet.write_row(row, 0, [name, label, meaning], wrap)
        row += 1
    row += 1
    sheet.write_row(row, 0, ["Cột", "Mã", "Ý nghĩa của mã"], header)
    for column, code, meaning in FLAG_MEANINGS:
        row += 1
        sheet.write_row(row, 0, [column, code, meaning], wrap)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 90)
