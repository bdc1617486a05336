"""What the pre-filled template tests share (tests/ingest/test_template_returns.py, tests/publish/test_templates.py,
and the benchmark tests/bench/template_bench.py): the period the units are filling in, a template made from a
hand-written list, a clerk's edits made with openpyxl as Excel would save them, and the template's sheets read back.

A plain module, not a conftest: only the tests that import it pay for it (openpyxl and calamine are imported when
used)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

UNIT = ("ward", "26068")  # (kind, code) of the unit whose templates the hand-made tests use
PERIOD, NEXT = "2027-H1", "2027-H2"  # the units are filling in 2027-H1's lists
TODAY = "2027-03-01"
NOW = datetime(2027, 3, 1)
# people a clerk adds in the empty block: (name, sex, CCCD, birth date)
NEW_PEOPLE = (
    ("Đặng Minh Khoa", "Nam", "075091000666", datetime(1991, 4, 1)),
    ("Bùi Thu Hà", "Nữ", "075193000777", datetime(1993, 4, 1)),
)


def template_bytes(base, lists, unit: tuple[str, str] = UNIT, period: str = PERIOD, now: datetime = NOW):
    """``publish.templates.workbook.build_workbook`` of ``unit``'s template filled from ``base`` (a BaseList), under
    the test key: the BuiltTemplate."""
    from ingest.periods import parse_period
    from ingest.registry import load_registry
    from ingest.template_returns import template_secret
    from publish.templates.workbook import build_workbook

    return build_workbook(
        load_registry()[unit], parse_period(period), base, lists, template_secret(required=True), now
    )


def write_template(folder: Path, lists, base, unit: tuple[str, str] = UNIT) -> Path:
    """The template written to ``folder/<unit code>.xlsx``."""
    path = folder / f"{unit[1]}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_bytes(base, lists, unit).data)
    return path


def header_columns(sheet) -> dict[str, int]:
    """Header text -> column number (1-based) of an openpyxl list sheet."""
    from publish.templates.layout import HEADER_ROW

    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}


def edit_template(path: Path, out: Path, edit: Callable) -> Path:
    """Open ``path`` with openpyxl, let ``edit(sheet, col)`` change the list (``col``: header text -> column
    number), save it as ``out``."""
    import openpyxl

    from publish.templates.layout import DATA_SHEET

    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    edit(sheet, header_columns(sheet))
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def row_of(sheet, col: dict[str, int], name: str) -> int:
    """The sheet row holding ``name`` in 'Họ và tên'."""
    from publish.templates.layout import HEADER_ROW

    return next(
        r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, col["Họ và tên"]).value == name
    )


def clerk_edits(sheet, col: dict[str, int], rows: Sequence[int], first_empty: int) -> None:
    """A clerk's usual round: of the pre-filled ``rows`` (five sheet rows), the first three edited (qualification,
    position, employer), the fourth given the status 'Từ trần' (allowed from every status a template pre-fills), the
    fifth deleted without a status; then NEW_PEOPLE written from ``first_empty``, the first empty row *after* the
    deletion."""
    degree, position, employer, died, deleted = rows
    qualification = sheet.cell(degree, col["Trình độ chuyên môn cao nhất"])
    qualification.value = "Thạc sĩ" if qualification.value == "Tiến sĩ" else "Tiến sĩ"
    sheet.cell(position, col["Chức vụ"]).value = "Trưởng phòng thí nghiệm"
    sheet.cell(employer, col["Cơ quan, đơn vị công tác"]).value = "Viện Khoa học Công nghệ Đồng Nai"
    sheet.cell(died, col["Tình trạng"]).value = "Từ trần"
    ward = sheet.cell(degree, col["Nơi cư trú (phường, xã)"]).value
    sheet.delete_rows(deleted)
    for i, (name, sex, cccd, born) in enumerate(NEW_PEOPLE):
        r = first_empty + i
        sheet.cell(r, col["Họ và tên"]).value = name
        sheet.cell(r, col["Ngày sinh (dd/mm/yyyy)"]).value = born
        sheet.cell(r, col["Giới tính"]).value = sex
        sheet.cell(r, col["Số CCCD (12 số)"]).value = cccd
        sheet.cell(r, col["Dân tộc"]).value = "Kinh"
        sheet.cell(r, col["Trình độ chuyên môn cao nhất"]).value = "Đại học"
        sheet.cell(r, col["Lĩnh vực KH&CN"]).value = "Khoa học máy tính và thông tin"
        sheet.cell(r, col["Nơi cư trú (phường, xã)"]).value = ward
        sheet.cell(r, col["Tình trạng"]).value = "Đang công tác"


def sheet_rows(path: Path, name: str) -> list[list]:
    """A sheet's cached values as calamine (the loader's reader) reads them."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def marker(path: Path) -> tuple[dict, list[tuple[str, str, str, str]]]:
    """(name/value pairs, row table) of a template's hidden marker sheet."""
    from ingest.template_returns import MARKER_SHEET, unpack_rows

    rows = sheet_rows(path, MARKER_SHEET)
    pairs = {r[0]: r[1] for r in rows if r and r[0]}
    return pairs, unpack_rows([r[3] for r in rows if len(r) > 3])


def q(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """A read-only query on a test warehouse (its restricted store attached as ``pii``)."""
    from ingest.connect import open_warehouse

    with open_warehouse(warehouse, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
