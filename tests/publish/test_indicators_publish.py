"""Indicator exports (Parquet, CSV with BOM, Excel) and the static HTML report, on a hand-made marts warehouse
(marts.indicator_catalog built by the real model SQL from the real seed, the code lists from the real seeds).
The workbook is read back cell by cell and its print setup from its XML; the report is opened in a real headless
Chromium and must show its vega charts without any network, and fit a phone's width."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pandas as pd
import pytest
import yaml
from python_calamine import CalamineWorkbook

from publish.indicators import (
    PeriodNotInWarehouse,
    WarehouseNotReady,
    export_period,
    render_report,
)
from publish.indicators.constants import (
    AGE_GROUP_VI,
    BREAKDOWN_VI,
    CATALOG_COLUMNS,
    CATALOG_PRINTED_COLUMNS,
    CATALOG_SHEET_NAME,
    CONF_STATUS_VI,
    GEO_LEVEL_VI,
    GROUP_SHEET_NAMES,
    OBS_STATUS_VI,
    STATUS_LABELS_VI,
    WORKBOOK_COLUMNS,
    WORKBOOK_PRINTED_COLUMNS,
)

REPO = Path(__file__).resolve().parents[2]
DBT = REPO / "dbt_project"
SEED = DBT / "seeds" / "indicators" / "indicator_definitions.csv"
CATALOG_MODEL = DBT / "models" / "marts" / "indicators" / "indicator_catalog.sql"
CODE_LISTS = {
    "admin_units_dong_nai": DBT / "seeds" / "codes" / "admin_units_dong_nai.csv",
    "employment_sectors": DBT / "seeds" / "codes" / "employment_sectors.csv",
    "science_fields": DBT / "seeds" / "codes" / "science_fields.csv",
}
PII_WORDS = ("full_name", "cccd", "phone", "email", "birth_date", "name_key")
# The Parquet/CSV columns before issue #17: new columns may only come after them (readers go by position too).
COLUMNS_BEFORE_17 = [
    "group_code", "indicator_code", "measure_code", "name_vi", "period", "geo_level", "geo_code", "breakdown",
    "sex_code", "age_group", "sector_code", "science_field_code", "unit_vi", "numerator", "denominator", "value",
    "target_2030", "target_2030_text", "gap_2030", "status", "change_from_previous", "completeness", "obs_status",
    "conf_status", "obs_note",
]  # fmt: skip
# What a missing value looks like when a program prints it instead of leaving the cell empty.
MISSING_AS_TEXT = re.compile(r"(?i)nan|none|nat|null|<na>|inf|-inf")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

_VALUES_DDL = """
create table marts.indicator_values (
    indicator_code varchar, measure_code varchar, period varchar, geo_level varchar, geo_code varchar,
    breakdown varchar, sex_code varchar, age_group varchar, sector_code varchar, science_field_code varchar,
    unit varchar, numerator double, denominator double, value double, target_2030 double, target_2030_high double,
    gap_2030 double, status varchar, change_from_previous double, completeness double, units_expected integer,
    units_received integer, obs_status varchar, conf_status varchar, obs_note varchar)
"""


def _value(measure: str, period: str, value: float | None, **extra) -> dict:
    row = {
        "indicator_code": measure.split("_")[0],
        "measure_code": measure,
        "period": period,
        "geo_level": "city",
        "geo_code": "_T",
        "breakdown": "total",
        "sex_code": "_T",
        "age_group": "_T",
        "sector_code": "_T",
        "science_field_code": "_T",
        "unit": "percent",
        "numerator": None,
        "denominator": None,
        "value": value,
        "target_2030": None,
        "target_2030_high": None,
        "gap_2030": None,
        "status": None,
        "change_from_previous": None,
        "completeness": 1.0,
        "units_expected": 1,
        "units_received": 1,
        "obs_status": "A" if value is not None else "M",
        "conf_status": "F",
        "obs_note": None if value is not None else "no source data for this measure in this period",
    }
    row.update(extra)
    return row


def _catalog_model_sql() -> str:
    """The dbt model marts.indicator_catalog, its ref() pointed at the seed file."""
    sql = CATALOG_MODEL.read_text(encoding="utf-8")
    ref = "{{ ref('indicator_definitions') }}"
    assert ref in sql
    return sql.replace(ref, f"read_csv('{SEED}', header = true, all_varchar = true)")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("indicators_publish") / "warehouse.duckdb"
    rows = [
        _value(
            "A1",
            "2025-H2",
            8.0,
            unit="per_10000",
            numerator=160,
            denominator=200000,
            target_2030=12,
            gap_2030=4,
            status="on_track",
        ),
        _value(
            "A1",
            "2026-H1",
            8.5,
            unit="per_10000",
            numerator=170,
            denominator=200000,
            target_2030=12,
            gap_2030=3.5,
            status="on_track",
            obs_status="P",
            completeness=0.9,
        ),
        _value(
            "A1",
            "2026-H1",
            11.0,
            unit="per_10000",
            geo_level="ward",
            geo_code="26068",
            numerator=110,
            denominator=100000,
            target_2030=12,
            gap_2030=1,
            status="on_track",
        ),
        _value(
            "A1",
            "2026-H1",
            6.0,
            unit="per_10000",
            geo_level="ward",
            geo_code="26041",
            numerator=30,
            denominator=50000,
            target_2030=12,
            gap_2030=6,
            status="off_track",
        ),
        _value(
            "A1",
            "2026-H1",
            None,
            unit="per_10000",
            geo_level="ward",
            geo_code="26017",
            conf_status="A",
            obs_status="A",
            obs_note=None,
        ),
        _value(
            "A3",
            "2025-H2",
            1.6,
            numerator=32000,
            denominator=2000000,
            target_2030=1.5,
            gap_2030=-0.1,
            status="achieved",
        ),
        _value("A3", "2026-H1", None, obs_note="annual indicator: measured in H2 periods"),
        _value("C2", "2026-H1", 40.0, numerator=40, denominator=100, status="no_target"),
        _value(
            "D1",
            "2026-H1",
            35.0,
            numerator=35,
            denominator=100,
            target_2030=40,
            gap_2030=5,
            status="off_track",
        ),
        _value("E1_STE", "2026-H1", 12.0, unit="count", numerator=12, status="no_target"),
        _value("B6", "2026-H1", None),
        # breakdown rows (one breakdown column at a time, the others _T), as the indicator models write them
        _value(
            "D1",
            "2026-H1",
            45.0,
            breakdown="sex_code",
            sex_code="F",
            numerator=18,
            denominator=40,
            target_2030=40,
            gap_2030=-5,
            status="achieved",
        ),
        _value(
            "A1",
            "2026-H1",
            2.0,
            unit="per_10000",
            breakdown="age_group",
            age_group="<30",
            numerator=40,
            denominator=200000,
            target_2030=12,
            gap_2030=10,
            status="off_track",
        ),
        _value(
            "A1",
            "2026-H1",
            5.0,
            unit="per_10000",
            breakdown="sector_code",
            sector_code="HES",
            numerator=100,
            denominator=200000,
            target_2030=12,
            gap_2030=7,
            status="off_track",
        ),
        _value(
            "A1",
            "2026-H1",
            None,
            unit="per_10000",
            breakdown="science_field_code",
            science_field_code="1",
            conf_status="A",
            obs_status="A",
            obs_note=None,
        ),
    ]
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(f"create table marts.indicator_catalog as {_catalog_model_sql()}")
        con.execute(_VALUES_DDL)
        con.execute("create schema reference")
        for table, csv in CODE_LISTS.items():  # codes are varchar in the seeds' column types
            con.execute(
                f"create table reference.{table} as select * from read_csv('{csv}', header = true, all_varchar = true)"
            )
        frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("insert into marts.indicator_values by name select * from frame")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return export_period(warehouse, "2026-H1", tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="module")
def report(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2026-H1 report, rendered once for the tests that read it."""
    root = tmp_path_factory.mktemp("report") / "reports"
    page = render_report(warehouse, "2026-H1", root)
    assert page == root / "indicators" / "2026-H1.html"
    return page


def _sheet(book: CalamineWorkbook, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python()


def _records(rows: list[list]) -> list[dict]:
    """The data rows of a sheet (title in row 1, header in row 2) as dicts by header."""
    header = rows[1]
    return [dict(zip(header, row, strict=True)) for row in rows[2:]]


def test_exports_written_and_readable(exported: list[Path]) -> None:
    paths = exported
    assert [p.suffix for p in paths] == [".parquet", ".csv", ".xlsx"]
    assert all(p.parent.name == "2026-H1" for p in paths)

    parquet = pd.read_parquet(paths[0])
    assert set(parquet["period"]) == {"2026-H1"}
    assert len(parquet) == 13  # only the period's rows (7 A1, A3, C2, 2 D1, E1_STE, B6)
    assert (
        parquet.loc[(parquet["measure_code"] == "D1") & (parquet["breakdown"] == "total"), "value"].item()
        == 35.0
    )

    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert list(csv.columns) == list(parquet.columns)
    assert "Nhân lực nghiên cứu" in raw.decode("utf-8-sig")

    book = CalamineWorkbook.from_path(str(paths[2]))
    assert book.sheet_names == ["README", *GROUP_SHEET_NAMES.values(), CATALOG_SHEET_NAME]
    readme = _sheet(book, "README")
    readme_text = "\n".join(str(cell) for row in readme for cell in row)
    for column in parquet.columns:
        assert column in readme_text, f"README does not define {column}"
    for _, header, *_ in WORKBOOK_COLUMNS:
        assert header in readme_text, f"README does not define the workbook column {header}"
    for flag in (
        "achieved",
        "on_track",
        "off_track",
        "no_target",
        "Ẩn sơ cấp",
        "Ẩn thứ cấp",
        "Khoa học tự nhiên",
    ):
        assert flag in readme_text
    group_a = _sheet(book, GROUP_SHEET_NAMES["A"])
    assert group_a[1] == [header for _, header, *_ in WORKBOOK_COLUMNS]
    assert {row["Mã chỉ tiêu"] for row in _records(group_a)} == {"A1", "A3"}
    # the reading copy speaks Vietnamese; Parquet and CSV keep the mart's note and add the Vietnamese one
    a3_row = next(row for row in _records(group_a) if row["Mã chỉ tiêu"] == "A3")
    assert a3_row["Ghi chú"] == "Chỉ tiêu năm: tính ở kỳ cuối năm (H2)"
    assert "annual indicator: measured in H2 periods" in set(parquet["obs_note"].dropna())
    assert "Chỉ tiêu năm: tính ở kỳ cuối năm (H2)" in set(parquet["obs_note_vi"].dropna())


def test_parquet_and_csv_columns_only_grow_and_name_the_wards(exported: list[Path]) -> None:
    """Machine exports keep every code column where it was; the ward name, unit code and Vietnamese status and
    note come after them."""
    parquet = pd.read_parquet(exported[0])
    assert list(parquet.columns)[: len(COLUMNS_BEFORE_17)] == COLUMNS_BEFORE_17
    assert list(parquet.columns)[len(COLUMNS_BEFORE_17) :] == [
        "unit",
        "geo_name_vi",
        "status_vi",
        "obs_note_vi",
    ]
    by_area = parquet[parquet["breakdown"] == "total"].set_index(["measure_code", "geo_code"])
    assert by_area.loc[("A1", "26068"), "geo_name_vi"] == "Phường Biên Hòa"
    assert by_area.loc[("A1", "26041"), "geo_name_vi"] == "Phường Trấn Biên"
    assert by_area.loc[("A1", "_T"), "geo_name_vi"] == "Toàn thành phố"
    assert by_area.loc[("A1", "26041"), "status_vi"] == "Chậm lộ trình"
    assert by_area.loc[("E1_STE", "_T"), "unit"] == "count"
    assert parquet["status"].isin([*STATUS_LABELS_VI, None]).all()  # codes stay codes
    csv = pd.read_csv(exported[1], encoding="utf-8-sig", dtype=str)
    assert "Phường Biên Hòa" in set(csv["geo_name_vi"])


def test_workbook_shows_codes_in_vietnamese_beside_their_codes(exported: list[Path]) -> None:
    book = CalamineWorkbook.from_path(str(exported[2]))
    rows = [row for name in GROUP_SHEET_NAMES.values() for row in _records(_sheet(book, name))]
    assert len(rows) == 13

    def one(**where) -> dict:
        found = [row for row in rows if all(row[k] == v for k, v in where.items())]
        assert len(found) == 1, (where, found)
        return found[0]

    ward = one(**{"Mã chỉ tiêu": "A1", "Mã địa bàn": "26068"})
    assert ward["Địa bàn"] == "Phường Biên Hòa" and ward["Cấp địa bàn"] == "Phường, xã"
    assert (
        ward["Cấp địa bàn (mã)"] == "ward"
        and ward["Phân tổ theo"] == "Tổng"
        and ward["Phân tổ theo (mã)"] == "total"
    )
    assert ward["Đánh giá"] == "Đúng lộ trình" and ward["Đánh giá (mã)"] == "on_track"
    assert (
        ward["Giá trị"] == 11.0 and ward["Tử số"] == 110.0 and ward["Mẫu số"] == 100000.0
    )  # numbers, not text

    city = one(**{"Mã chỉ tiêu": "A1", "Mã địa bàn": "_T", "Phân tổ theo (mã)": "total"})
    assert city["Địa bàn"] == "Toàn thành phố" and city["Cấp địa bàn"] == "Toàn thành phố"
    assert city["Trạng thái số liệu"] == "Tạm thời" and city["Trạng thái số liệu (mã)"] == "P"
    assert city["Bảo mật"] == "Công bố" and city["Bảo mật (mã)"] == "F"
    assert (
        city["Mục tiêu 2030 (theo Kế hoạch)"] == "12 người/vạn dân"
        and city["Đơn vị tính (mã)"] == "per_10000"
    )

    women = one(**{"Mã chỉ tiêu": "D1", "Phân tổ theo (mã)": "sex_code"})
    assert (women["Phân tổ theo"], women["Nhóm phân tổ"], women["Nhóm phân tổ (mã)"]) == (
        "Giới tính",
        "Nữ",
        "F",
    )
    assert women["Đánh giá"] == "Đã đạt" and women["Chỉ tiêu (mã)"] == "D1" and women["Nhóm (mã)"] == "D"
    young = one(**{"Mã chỉ tiêu": "A1", "Phân tổ theo (mã)": "age_group"})
    assert (young["Phân tổ theo"], young["Nhóm phân tổ"], young["Nhóm phân tổ (mã)"]) == (
        "Nhóm tuổi",
        "Dưới 30 tuổi",
        "<30",
    )
    higher_ed = one(**{"Mã chỉ tiêu": "A1", "Phân tổ theo (mã)": "sector_code"})
    assert higher_ed["Nhóm phân tổ"] == "Khu vực giáo dục đại học"  # the name from the sector code list
    hidden = one(**{"Mã chỉ tiêu": "A1", "Phân tổ theo (mã)": "science_field_code"})
    assert hidden["Nhóm phân tổ"] == "Khoa học tự nhiên" and hidden["Nhóm phân tổ (mã)"] == "1"
    assert hidden["Bảo mật"] == "Ẩn (sơ cấp)" and hidden["Giá trị"] == "" and hidden["Tử số"] == ""
    no_target = one(**{"Mã chỉ tiêu": "C2"})
    assert no_target["Mục tiêu 2030 (theo Kế hoạch)"] == "Không có mục tiêu số"
    assert no_target["Đánh giá"] == "Không có mục tiêu số" and no_target["Đánh giá (mã)"] == "no_target"
    missing = one(**{"Mã chỉ tiêu": "B6"})
    assert missing["Trạng thái số liệu"] == "Thiếu số liệu" and missing["Đánh giá"] == ""
    assert missing["Ghi chú"] == "Chưa có dữ liệu nguồn cho chỉ tiêu này trong kỳ"

    # the reading columns carry no English code; each code column holds the codes of its reading column
    codes = {*GEO_LEVEL_VI, *BREAKDOWN_VI, *STATUS_LABELS_VI, "_T", "_U", "per_10000", "percent", "count"}
    for _, header, _, kind, _ in WORKBOOK_COLUMNS[:WORKBOOK_PRINTED_COLUMNS]:
        if kind != "code":
            leaked = {row[header] for row in rows} & codes
            assert not leaked, f"column {header} shows codes {leaked}"
    assert all("(mã)" in header for _, header, *_ in WORKBOOK_COLUMNS[WORKBOOK_PRINTED_COLUMNS:])


def test_no_cell_of_the_workbook_says_nan_or_none(exported: list[Path]) -> None:
    book = CalamineWorkbook.from_path(str(exported[2]))
    for name in book.sheet_names:
        for r, row in enumerate(_sheet(book, name)):
            for c, cell in enumerate(row):
                assert not (isinstance(cell, str) and MISSING_AS_TEXT.fullmatch(cell.strip())), (
                    name,
                    r,
                    c,
                    cell,
                )
                assert not (isinstance(cell, float) and cell != cell), (name, r, c)


def test_catalog_sheet_defines_every_indicator(exported: list[Path]) -> None:
    book = CalamineWorkbook.from_path(str(exported[2]))
    sheet = _sheet(book, CATALOG_SHEET_NAME)
    assert sheet[1] == [header for _, header, *_ in CATALOG_COLUMNS]
    seed = pd.read_csv(SEED, dtype=str, keep_default_na=False).sort_values(
        "sort_order", key=lambda s: s.astype(int)
    )
    rows = _records(sheet)
    assert [row["Mã thành phần"] for row in rows] == list(seed["measure_code"])
    by_code = {row["Mã thành phần"]: row for row in rows}
    a1, a1_seed = by_code["A1"], seed.set_index("measure_code").loc["A1"]
    assert a1["Mã chỉ tiêu"] == "A1" and a1["Tên chỉ tiêu"] == a1_seed["name_vi"]
    assert a1["Nhóm chiến lược"] == a1_seed["group_name_vi"] and a1["Nhóm (mã)"] == "A"
    assert a1["Đơn vị tính"] == "người/vạn dân" and a1["Đơn vị tính (mã)"] == "per_10000"
    assert a1["Cách tính"] == a1_seed["formula_vi"]
    assert a1["Tử số (định nghĩa, tiếng Anh)"] == a1_seed["numerator_en"]
    assert a1["Mẫu số (định nghĩa, tiếng Anh)"] == a1_seed["denominator_en"]
    assert a1["Ghi chú định nghĩa (tiếng Anh)"] == a1_seed["definition_note"]
    assert a1["Mục tiêu 2030 (số)"] == 12.0 and a1["Mục tiêu 2030 (theo Kế hoạch)"] == "12 người/vạn dân"
    assert a1["Tầm nhìn 2045"] == "khoảng 15 người/vạn dân"
    assert a1["Tần suất"] == "6 tháng" and a1["Tần suất (mã)"] == "half_year"
    assert a1["Cấp địa bàn có số liệu"] == "Toàn thành phố; Phường, xã"
    assert a1["Phân tổ có số liệu"] == "Giới tính; Nhóm tuổi; Khu vực (Frascati); Lĩnh vực KH&CN"
    assert (
        by_code["A3"]["Tần suất"] == "Hằng năm (kỳ H2)"
        and by_code["A3"]["Phân tổ có số liệu"] == "Chỉ có số tổng"
    )
    assert by_code["C2"]["Mục tiêu 2030 (theo Kế hoạch)"] == "Không có mục tiêu số"


def _workbook_xml(path: Path) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    """(workbook.xml, {sheet name: its worksheet XML}) of an .xlsx."""
    with zipfile.ZipFile(path) as z:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        sheets = {
            sheet.get("name"): ElementTree.fromstring(z.read("xl/" + targets[sheet.get(f"{REL}id")]))
            for sheet in workbook.iter(f"{MAIN}sheet")
        }
    return workbook, sheets


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def test_every_sheet_prints_one_page_wide_with_its_header_on_every_page(exported: list[Path]) -> None:
    """A4 landscape, fitted to one page wide (as many pages down as it takes), the header row repeated on every
    printed page, frozen under the header, an autofilter on it and a width for every column. The group sheets
    and the catalogue print their reading columns (the code columns on their right repeat them as codes)."""
    workbook, sheets = _workbook_xml(exported[2])
    names = list(sheets)
    assert names == ["README", *GROUP_SHEET_NAMES.values(), CATALOG_SHEET_NAME]
    defined: dict[tuple[str, str], str] = {
        (d.get("name"), names[int(d.get("localSheetId"))]): d.text
        for d in workbook.iter(f"{MAIN}definedName")
    }
    book = CalamineWorkbook.from_path(str(exported[2]))
    printed = {
        CATALOG_SHEET_NAME: CATALOG_PRINTED_COLUMNS,
        **dict.fromkeys(GROUP_SHEET_NAMES.values(), WORKBOOK_PRINTED_COLUMNS),
    }
    for name, sheet in sheets.items():
        quoted = name if re.fullmatch(r"\w+", name) else "'" + name + "'"
        page = sheet.find(f"{MAIN}pageSetup")
        assert page is not None, name
        assert page.get("orientation") == "landscape", name
        assert page.get("paperSize") == "9", name  # A4
        assert page.get("fitToWidth", "1") == "1" and page.get("fitToHeight") == "0", name  # 1 is the default
        assert sheet.find(f"{MAIN}sheetPr/{MAIN}pageSetUpPr").get("fitToPage") == "1", name
        assert defined[("_xlnm.Print_Titles", name)] == f"{quoted}!$2:$2", name
        pane = sheet.find(f"{MAIN}sheetViews/{MAIN}sheetView/{MAIN}pane")
        assert pane.get("state") == "frozen" and pane.get("ySplit") == "2", name
        header = _sheet(book, name)[1]
        assert sheet.find(f"{MAIN}autoFilter").get("ref").startswith("A2:"), name
        widths = {}
        for col in sheet.iter(f"{MAIN}col"):
            for number in range(int(col.get("min")), int(col.get("max")) + 1):
                widths[number] = float(col.get("width"))
        assert set(widths) >= set(range(1, len(header) + 1)), name
        assert all(6 <= widths[n] <= 90 for n in range(1, len(header) + 1)), (name, widths)
        area = re.fullmatch(
            rf"{re.escape(quoted)}!\$A\$1:\$([A-Z]+)\$\d+", defined[("_xlnm.Print_Area", name)]
        )
        assert area, defined[("_xlnm.Print_Area", name)]
        assert _column_number(area.group(1)) == printed.get(name, len(header)), name


def test_workbook_formats_counts_and_rates(exported: list[Path]) -> None:
    """Counts '#,##0', rates '#,##0.00' (by column); a value whose unit is a count without decimals (by row)."""
    with zipfile.ZipFile(exported[2]) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        _, sheets = _workbook_xml(exported[2])
    custom = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    cell_formats = [xf.get("numFmtId") for xf in styles.find(f"{MAIN}cellXfs")]

    def format_of(sheet: ElementTree.Element, number: int) -> str:
        col = next(c for c in sheet.iter(f"{MAIN}col") if int(c.get("min")) <= number <= int(c.get("max")))
        fmt_id = cell_formats[int(col.get("style"))]
        return custom.get(
            fmt_id, {"0": "General", "3": "#,##0", "4": "#,##0.00", "9": "0%"}.get(fmt_id, fmt_id)
        )

    headers = [header for _, header, *_ in WORKBOOK_COLUMNS]
    sheet = sheets[GROUP_SHEET_NAMES["A"]]
    for header, expected in (
        ("Tử số", "#,##0"),
        ("Mẫu số", "#,##0"),
        ("Giá trị", "#,##0.00"),
        ("Mức đầy đủ", "0%"),
    ):
        assert format_of(sheet, headers.index(header) + 1) == expected, header
    unit_letter = _column_letters(headers.index("Đơn vị tính (mã)") + 1)
    value_letter = _column_letters(headers.index("Giá trị") + 1)
    rules = {
        cf.get("sqref").split(":")[0]: [r.find(f"{MAIN}formula").text for r in cf]
        for cf in sheet.iter(f"{MAIN}conditionalFormatting")
    }
    assert f'${unit_letter}3="count"' in rules[f"{value_letter}3"]


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def test_every_code_the_marts_can_write_has_vietnamese_words() -> None:
    """The accepted values of marts.indicator_values, the breakdowns of the catalogue and the age groups of the
    person model all have their words (a new code must not reach the workbook untranslated)."""
    models = yaml.safe_load((DBT / "models" / "marts" / "indicators" / "_indicators__models.yml").read_text())
    values = next(m for m in models["models"] if m["name"] == "indicator_values")
    words = {
        "geo_level": GEO_LEVEL_VI,
        "status": STATUS_LABELS_VI,
        "obs_status": OBS_STATUS_VI,
        "conf_status": CONF_STATUS_VI,
    }
    checked = set()
    for column in values["columns"]:
        for test in column.get("data_tests", []):
            if isinstance(test, dict) and "accepted_values" in test:
                accepted = set(test["accepted_values"]["arguments"]["values"])
                assert accepted <= set(words[column["name"]]), column["name"]
                checked.add(column["name"])
    assert checked == set(words)
    seed = pd.read_csv(SEED, dtype=str)
    breakdowns = {b for text in seed["breakdowns"].dropna() for b in text.split(";")}
    assert breakdowns and breakdowns <= set(BREAKDOWN_VI)
    sql = (DBT / "models" / "intermediate" / "registers" / "int_persons_as_of_periods.sql").read_text()
    case = sql[: sql.index("end as age_group")].rsplit("case", 1)[1]
    ages = set(re.findall(r"(?:then|else) '([^']+)'", case))
    assert ages == set(AGE_GROUP_VI)


def test_every_note_the_indicator_models_write_has_its_vietnamese_text() -> None:
    import re

    from publish.indicators.constants import OBS_NOTES_VI

    sql = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("models/intermediate/registers", "models/marts/indicators")
        for path in (REPO / "dbt_project" / folder).glob("*.sql")
    )
    notes = set(re.findall(r"(?:then|else) '([a-z][^']* [^']*)'", sql))
    assert "annual indicator: measured in H2 periods" in notes and len(notes) >= 5
    assert notes <= set(OBS_NOTES_VI), f"no Vietnamese text for {sorted(notes - set(OBS_NOTES_VI))}"


def test_exports_carry_no_personal_data(exported: list[Path]) -> None:
    paths = exported
    columns = [c.lower() for c in pd.read_parquet(paths[0]).columns]
    assert not [c for c in columns if any(word in c for word in PII_WORDS)]
    suppressed = pd.read_parquet(paths[0]).query("conf_status != 'F'")
    assert suppressed["value"].isna().all() and suppressed["numerator"].isna().all()


def test_unknown_period_and_missing_warehouse_are_named_errors(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(PeriodNotInWarehouse, match="2030-H1"):
        export_period(warehouse, "2030-H1", tmp_path)
    with pytest.raises(WarehouseNotReady):
        render_report(tmp_path / "nothing.duckdb", "2026-H1", tmp_path)


@pytest.mark.browser
def test_report_speaks_to_its_reader(report: Path) -> None:
    """No 'nan' or 'None' on the page, numbers in the Vietnamese way (decimal comma, counts as integers), each card
    saying how the indicator is computed, and ward rankings naming the wards beside their codes."""
    text = report.read_text(encoding="utf-8")
    body = text.split("<body", 1)[1].split("<script", 1)[0]  # the page, not the inlined JavaScript
    assert not re.search(r"(?i)\bnan\b|\bNone\b", body)
    assert "8,50 người/vạn dân" in body  # A1 2026-H1: 8.5 -> 8,50
    assert "12 doanh nghiệp" in body and "12,00" not in body  # E1_STE: a count
    assert "không có mục tiêu số" in body  # C2 has no numeric 2030 target
    assert body.count("Cách tính:") >= 4
    assert "Phường Biên Hòa (26068)" in text  # the ranking's labels are in the chart specs


def test_report_cards_define_their_indicator_and_link_the_other_pages(report: Path) -> None:
    """Each card folds the catalogue's definition (numerator, denominator, definition note, 2045 vision) under
    its formula, and the numbers behind its chart (by period and by breakdown) in a table; the page links the
    quality page and the data dictionary beside it, and is written for any screen width."""
    text = report.read_text(encoding="utf-8")
    body = text.split("<body", 1)[1].split("<script", 1)[0]
    seed = pd.read_csv(SEED, dtype=str).set_index("measure_code")
    cards = re.findall(r'<article class="card" id="card-([^"]+)">(.*?)</article>', body, flags=re.S)
    assert {code for code, _ in cards} == {"A1", "A3", "B6", "C2", "D1", "E1_STE"}
    for code, card in cards:
        about = html_lib.unescape(card.split('<details class="about">', 1)[1].split("</details>", 1)[0])
        for column in ("numerator_en", "denominator_en", "definition_note"):
            wanted = seed.loc[code, column]
            assert pd.isna(wanted) or wanted in about, (code, column)
        assert "nan" not in about.split() and "None" not in about, code
        assert card.index("Cách tính:") < card.index('<details class="about">'), code
        assert '<div class="table-wrap"><table' in card, code
    a1 = dict(cards)["A1"]
    assert "Tầm nhìn 2045</dt><dd>khoảng 15 người/vạn dân" in a1 and "Tần suất</dt><dd>6 tháng" in a1
    assert "Nhóm tuổi: Dưới 30 tuổi" in a1 and "Khu vực (Frascati): Khu vực giáo dục đại học" in a1
    assert re.search(r"Lĩnh vực KH&amp;CN: Khoa học tự nhiên</td><td class=\"num\">ẩn</td>", a1)  # suppressed
    assert "Giới tính: Nữ" in dict(cards)["D1"]
    overview = body.split('<section id="overview">', 1)[1].split("</section>", 1)[0]
    assert overview.count("<tr>") == 1 + len(cards) and '<div class="table-wrap">' in overview
    assert '<a href="../quality/index.html">' in body
    assert '<a href="../data_dictionary/index.html">Từ điển dữ liệu</a>' in body and "make docs" in body
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    # one </body> and one </html>: a tool that inserts before "</body>" cannot cut the inlined vega in two
    assert text.count("</body>") == 1 and text.count("</html>") == 1


def test_report_renders_charts_in_headless_chromium(report: Path, tmp_path: Path, chromium: Path) -> None:
    page = report
    text = page.read_text(encoding="utf-8")
    assert "<script src=" not in text and "cdn.jsdelivr" not in text  # everything inlined
    assert "Chậm lộ trình" in text and "Đã đạt" in text and "Chưa có số liệu" in text

    result = subprocess.run(
        [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert 'id="trend-A1"' in dom, result.stderr[-2000:]
    for chart_id in ("trend-A1", "wards-A1", "trend-D1"):
        block = dom[dom.index(f'id="{chart_id}"') :]
        block = block[: block.index("</svg>") + 6] if "</svg>" in block else block[:3000]
        assert "<svg" in block and 'class="marks"' in block, f"{chart_id} did not render: {block[:500]}"
        assert "Lỗi biểu đồ" not in block
    assert dom.count('class="marks"') >= 3  # vega's rendered SVG groups
    # the ward ranking lists the published wards, not the suppressed one
    ranking = dom[dom.index('id="wards-A1"') :]
    ranking = ranking[: ranking.index("</svg>")]
    assert "26068" in ranking and "26041" in ranking and "26017" not in ranking


def test_a_future_period_in_the_warehouse_is_never_published(
    warehouse: Path, tmp_path: Path, monkeypatch
) -> None:
    """Issue #15: rows for 2099-H1 (a file that should have been rejected) do not make exports or a report. The
    package is partitioned by reporting period (6c51fce): a run over the periods found publishes the reporting
    ones, and 2099-H1 is no partition to ask for."""
    import dagster as dg

    from orchestration.defs.indicators.assets import indicator_package
    from orchestration.defs.partitions import RANGE_END_TAG, RANGE_START_TAG, period_range_tags
    from orchestration.defs.resources import WarehouseResource

    copy = tmp_path / "wh" / "trithuc.duckdb"
    copy.parent.mkdir()
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "insert into marts.indicator_values select * replace ('2099-H1' as period) "
            "from marts.indicator_values where period = '2026-H1'"
        )
        found = [r[0] for r in con.execute("select distinct period from marts.indicator_values").fetchall()]
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(copy))
    monkeypatch.setenv("TRITHUC_TODAY", "2026-07-15")
    tags = period_range_tags(found)
    assert tags == {RANGE_START_TAG: "2025-H2", RANGE_END_TAG: "2026-H1"}
    result = dg.materialize(
        [indicator_package], resources={"warehouse": WarehouseResource(database=str(copy))}, tags=tags
    )
    assert result.success
    assert sorted(p.name for p in (copy.parent / "exports").iterdir()) == ["2025-H2", "2026-H1"]
    assert not (copy.parent / "reports" / "indicators" / "2099-H1.html").exists()
    with pytest.raises(dg.DagsterError):
        dg.materialize(
            [indicator_package],
            resources={"warehouse": WarehouseResource(database=str(copy))},
            partition_key="2099-H1",
        )
    assert not (copy.parent / "exports" / "2099-H1").exists()


# Laid out in an iframe exactly as wide as asked, every <details> open: headless Chromium never makes its window
# narrower than 500 px, so tests.browser.overflow_px(width=420) measures 500 px; an iframe of 420 px does not.
_FRAME_PROBE = """<script>window.addEventListener('load', () => setTimeout(() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  setTimeout(() => {
    const root = document.documentElement, box = (e) => e.getBoundingClientRect();
    const charts = [...document.querySelectorAll('.vega-chart')].map((c) => {
      const svg = c.querySelector('svg');
      return {id: c.id, box: box(c).width, top: box(c).top, left: box(c).left,
              svg: svg ? box(svg).width : null, marks: c.querySelectorAll('svg g.role-mark').length};
    });
    const tables = [...document.querySelectorAll('.table-wrap')].map((t) => ({
      client: t.clientWidth, scroll: t.scrollWidth, right: box(t).right}));
    const page = box(document.querySelector('.page'));
    parent.postMessage({width: window.innerWidth, overflow: root.scrollWidth - root.clientWidth,
                        page: {left: page.left, width: page.width}, charts, tables}, '*');
  }, 400);
}, 800));</script>"""


def _layout_in_frame(page: Path, width: int) -> dict:
    from tests.browser import probe_in_frame

    return probe_in_frame(page, width=width, script=_FRAME_PROBE, budget_ms=8000)


@pytest.mark.browser
def test_report_fits_a_phone_and_uses_a_wide_screen(report: Path, chromium: Path) -> None:
    from tests.browser import overflow_px, screenshot

    page = report
    assert overflow_px(page, width=420) == 0
    assert overflow_px(page, width=1600) == 0

    phone = _layout_in_frame(page, 420)
    assert phone["width"] == 420 and phone["overflow"] == 0, phone
    charts = {chart["id"]: chart for chart in phone["charts"]}
    assert {"trend-A1", "wards-A1", "trend-D1", "trend-E1_STE"} <= set(charts)
    for chart in charts.values():  # drawn (vega's svg marks), and as wide as its box, not wider
        assert chart["marks"] > 0 and chart["svg"] is not None, chart
        assert chart["svg"] <= chart["box"] + 0.5 and chart["box"] <= 420, chart
    assert all(table["right"] <= 420 for table in phone["tables"]), phone["tables"]
    assert any(
        table["scroll"] > table["client"] for table in phone["tables"]
    )  # a wide table scrolls in its box

    wide = _layout_in_frame(page, 1600)
    assert wide["overflow"] == 0 and wide["page"]["width"] == 1280 and wide["page"]["left"] == 160, wide[
        "page"
    ]
    wide_charts = {chart["id"]: chart for chart in wide["charts"]}
    trend, wards = wide_charts["trend-A1"], wide_charts["wards-A1"]
    assert trend["top"] == wards["top"] and wards["left"] > trend["left"] + trend["box"]  # side by side
    assert 500 < trend["box"] and trend["svg"] <= trend["box"] + 0.5

    for width in (420, 1600):
        assert screenshot(page.as_uri(), "indicator_report", width=width).stat().st_size > 0
    # (below 500 px tests.browser lays the page out in an iframe of exactly that width)


def test_one_read_serves_a_periods_exports_and_report_and_only_that_period(warehouse: Path, tmp_path: Path) -> None:
    """publish_period reads the rows once for both: the same files as the two functions reading them themselves; a
    frame read for another period is refused, not published under this one."""
    from publish.indicators import publish_period
    from publish.indicators.data import read_indicator_values

    files, page = publish_period(warehouse, "2026-H1", tmp_path / "once")
    alone = export_period(warehouse, "2026-H1", tmp_path / "alone")
    assert [p.name for p in files] == [p.name for p in alone]
    for mine, theirs in zip(files, alone, strict=True):
        if mine.suffix != ".xlsx":  # the workbook's zip records when it was written
            assert mine.read_bytes() == theirs.read_bytes(), mine.name
    assert page == tmp_path / "once" / "reports" / "indicators" / "2026-H1.html"
    earlier = read_indicator_values(warehouse, "2025-H2")
    with pytest.raises(ValueError, match="read for period 2025-H2, not for 2026-H1"):
        export_period(warehouse, "2026-H1", tmp_path / "wrong", earlier)
    with pytest.raises(ValueError, match="not for 2026-H1"):
        render_report(warehouse, "2026-H1", tmp_path / "wrong", earlier)
