"""Labels, column lists and flag meanings shared by the exports and the report (one place)."""

from __future__ import annotations

# The exported columns, in order, with their Vietnamese labels and meaning (README sheet).
EXPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("group_code", "Nhóm", "Nhóm chiến lược a-đ của Kế hoạch (A-E)"),
    ("indicator_code", "Mã chỉ tiêu", "Mã chỉ tiêu theo Kế hoạch (A1 ... E2)"),
    ("measure_code", "Mã thành phần", "Mã chỉ số thành phần (VD: B1_PGS, B1_TS)"),
    ("name_vi", "Tên chỉ tiêu", "Tên chỉ số thành phần"),
    ("period", "Kỳ báo cáo", "Kỳ 6 tháng (YYYY-H1) hoặc năm (YYYY-H2)"),
    ("geo_level", "Cấp địa bàn", "city = toàn thành phố, ward = phường, xã (nơi cư trú)"),
    ("geo_code", "Mã địa bàn", "_T = toàn thành phố; mã phường, xã (5 chữ số) sau 01/7/2025"),
    ("breakdown", "Phân tổ", "total = tổng; hoặc tên cột phân tổ của dòng"),
    ("sex_code", "Giới tính", "M = nam, F = nữ, _T = tổng, _U = không rõ"),
    ("age_group", "Nhóm tuổi", "<30, 30-44, 45-59, 60+ (tuổi cuối kỳ); _T tổng; _U không rõ"),
    ("sector_code", "Khu vực", "Khu vực Frascati: GOV, HES, BES, PNP, ROW; _T tổng; _U không rõ"),
    ("science_field_code", "Lĩnh vực KH&CN", "Lĩnh vực KH&CN cấp 1 (1-6); _T tổng; _U không rõ"),
    ("unit_vi", "Đơn vị tính", "Đơn vị của giá trị"),
    ("numerator", "Tử số", "Số đếm ở tử số (trống khi ô bị ẩn)"),
    ("denominator", "Mẫu số", "Số đếm ở mẫu số, hoặc dân số với chỉ tiêu trên vạn dân"),
    ("value", "Giá trị", "Giá trị chỉ tiêu (trống khi thiếu số liệu hoặc ô bị ẩn)"),
    ("target_2030", "Mục tiêu 2030", "Mục tiêu số đến năm 2030 (cận dưới nếu là khoảng)"),
    ("target_2030_text", "Mục tiêu 2030 (văn bản)", "Mục tiêu như Kế hoạch ghi"),
    ("gap_2030", "Khoảng cách tới mục tiêu", "Mục tiêu 2030 trừ giá trị (dương = còn phải tăng)"),
    ("status", "Đánh giá", "achieved / on_track / off_track / no_target (xem bảng mã)"),
    ("change_from_previous", "Thay đổi so với kỳ trước", "Giá trị kỳ này trừ kỳ trước"),
    ("completeness", "Mức đầy đủ", "Tỷ lệ đơn vị phải báo cáo đã nộp (0-1)"),
    ("obs_status", "Trạng thái số liệu", "SDMX OBS_STATUS: A, P, M (xem bảng mã)"),
    ("conf_status", "Bảo mật", "SDMX CONF_STATUS: F, A, D (xem bảng mã)"),
    (
        "obs_note",
        "Ghi chú",
        "Lý do khi thiếu số liệu (tiếng Anh, như trong kho; bản tiếng Việt ở cột obs_note_vi)",
    ),
    # added by issue #17 (after the original columns, so readers that go by position keep working)
    (
        "unit",
        "Đơn vị tính (mã)",
        "percent = %, per_10000 = trên vạn dân, count = số đếm, percent_per_year = %/năm",
    ),
    ("geo_name_vi", "Tên địa bàn", "Toàn thành phố, hoặc tên phường, xã theo danh mục đơn vị hành chính"),
    ("status_vi", "Đánh giá (tiếng Việt)", "Nhãn tiếng Việt của cột status"),
    ("obs_note_vi", "Ghi chú (tiếng Việt)", "Nội dung cột obs_note bằng tiếng Việt"),
)

FLAG_MEANINGS: tuple[tuple[str, str, str], ...] = (
    ("status", "achieved", "Đã đạt mục tiêu 2030"),
    (
        "status",
        "on_track",
        "Đúng lộ trình: không thấp hơn đường thẳng từ kỳ đo đầu tiên tới mục tiêu cuối 2030",
    ),
    ("status", "off_track", "Chậm lộ trình (hoặc chưa đạt mức yêu cầu hằng năm)"),
    ("status", "no_target", "Không có mục tiêu số (Kế hoạch yêu cầu tăng dần)"),
    ("obs_status", "A", "Số liệu bình thường: mọi đơn vị phải báo cáo đã nộp"),
    ("obs_status", "P", "Số liệu tạm thời: còn đơn vị chưa nộp (mức đầy đủ < 100%)"),
    ("obs_status", "M", "Thiếu số liệu: dữ liệu chưa cho phép tính chỉ tiêu (xem Ghi chú)"),
    ("conf_status", "F", "Công bố tự do"),
    ("conf_status", "A", "Ẩn sơ cấp: ô được tính từ 1-3 người"),
    ("conf_status", "D", "Ẩn thứ cấp: ẩn thêm để không suy ra được ô bị ẩn từ tổng"),
)

STATUS_LABELS_VI: dict[str, str] = {
    "achieved": "Đã đạt",
    "on_track": "Đúng lộ trình",
    "off_track": "Chậm lộ trình",
    "no_target": "Không có mục tiêu số",
}
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#1a7f37",
    "on_track": "#2f6fb3",
    "off_track": "#c0392b",
    "no_target": "#6b6b6b",
}
MISSING_LABEL_VI = "Chưa có số liệu"

# obs_note as the dbt models write it (English, in the marts, Parquet and CSV) -> what the Vietnamese report and
# workbook show. tests/publish checks that every note the indicator models can write is here.
OBS_NOTES_VI: dict[str, str] = {
    "annual indicator: measured in H2 periods": "Chỉ tiêu năm: tính ở kỳ cuối năm (H2)",
    "no source data for this measure in this period": "Chưa có dữ liệu nguồn cho chỉ tiêu này trong kỳ",
    "no population figure for this area and year": "Chưa có số liệu dân số của địa bàn trong năm",
    "denominator is zero": "Mẫu số bằng 0",
    "denominator is zero or missing": "Mẫu số bằng 0 hoặc chưa có số liệu",
    "no applications in the previous year: growth undefined": (
        "Năm trước không có đơn đăng ký: không tính được tốc độ tăng"
    ),
    "no grants in the previous year: growth undefined": (
        "Năm trước không có văn bằng được cấp: không tính được tốc độ tăng"
    ),
}


def note_vi(note: object) -> object:
    """The Vietnamese text of an obs_note (an unknown note is shown as written)."""
    return OBS_NOTES_VI.get(note, note) if isinstance(note, str) else note


MISSING_COLOUR = "#9a9a9a"

GROUP_SHEET_NAMES: dict[str, str] = {
    "A": "Nhóm a - KHCN&ĐMST",
    "B": "Nhóm b - Giáo dục, kỹ năng",
    "C": "Nhóm c - Y tế",
    "D": "Nhóm d - Cơ cấu trí thức",
    "E": "Nhóm đ - Môi trường ĐMST",
}

# Vietnamese words for the codes of the marts (issue #17): the workbook shows these beside the codes, the report
# uses them in its tables. A code not listed here is shown as written (never a blank where there was a value).
TOTAL_VI = "Tổng"
UNKNOWN_VI = "Không rõ"
CITY_NAME_VI = "Toàn thành phố"
GEO_LEVEL_VI: dict[str, str] = {"city": CITY_NAME_VI, "ward": "Phường, xã"}
# breakdown = the column a row is broken down by; each row breaks down by one column at a time (the others are _T)
BREAKDOWN_VI: dict[str, str] = {
    "total": TOTAL_VI,
    "sex_code": "Giới tính",
    "age_group": "Nhóm tuổi",
    "sector_code": "Khu vực (Frascati)",
    "science_field_code": "Lĩnh vực KH&CN",
}
BREAKDOWN_COLUMNS: tuple[str, ...] = ("sex_code", "age_group", "sector_code", "science_field_code")
SEX_VI: dict[str, str] = {"M": "Nam", "F": "Nữ"}
AGE_GROUP_VI: dict[str, str] = {
    "<30": "Dưới 30 tuổi",
    "30-44": "Từ 30 đến 44 tuổi",
    "45-59": "Từ 45 đến 59 tuổi",
    "60+": "Từ 60 tuổi trở lên",
}
SPECIAL_CODES_VI: dict[str, str] = {"_T": TOTAL_VI, "_U": UNKNOWN_VI}
OBS_STATUS_VI: dict[str, str] = {"A": "Bình thường", "P": "Tạm thời", "M": "Thiếu số liệu"}
CONF_STATUS_VI: dict[str, str] = {"F": "Công bố", "A": "Ẩn (sơ cấp)", "D": "Ẩn (thứ cấp)"}
FREQUENCY_VI: dict[str, str] = {"half_year": "6 tháng", "annual": "Hằng năm (kỳ H2)"}
NO_TARGET_TEXT_VI = "Không có mục tiêu số"
UNIT_CODES_VI: dict[str, str] = {
    "percent": "Phần trăm (%)",
    "per_10000": "Trên 10.000 dân (vạn dân)",
    "count": "Số đếm (người, giải, doanh nghiệp ...: xem cột Đơn vị tính)",
    "percent_per_year": "Phần trăm mỗi năm (%/năm)",
}

# Sheets of the workbook besides README and the group sheets.
CATALOG_SHEET_NAME = "Danh mục chỉ tiêu"

# The group sheets of the workbook (the Vietnamese reading copy): (column, header, width, kind, meaning). The reading
# columns come first; the codes behind the Vietnamese words follow in their own columns on the right ("(mã)"), the
# same codes as in the CSV/Parquet files. Kinds: text, wrap, code, count (#,##0), number (#,##0.00; #,##0 on rows
# whose unit is a count), percent, status (coloured by the status code).
WORKBOOK_COLUMNS: tuple[tuple[str, str, int, str, str], ...] = (
    (
        "measure_code",
        "Mã chỉ tiêu",
        10,
        "code",
        "Mã chỉ tiêu (thành phần) theo Kế hoạch: A1 ... E2, B1_PGS ...",
    ),
    (
        "name_vi",
        "Tên chỉ tiêu",
        32,
        "wrap",
        "Tên chỉ tiêu (thành phần); định nghĩa ở sheet Danh mục chỉ tiêu",
    ),
    ("period", "Kỳ báo cáo", 9, "text", "Kỳ 6 tháng (YYYY-H1) hoặc năm (YYYY-H2)"),
    ("geo_level_vi", "Cấp địa bàn", 11, "wrap", "Toàn thành phố hoặc phường, xã (nơi cư trú)"),
    ("geo_code", "Mã địa bàn", 8, "code", "_T = toàn thành phố; mã phường, xã (5 chữ số) sau 01/7/2025"),
    (
        "geo_name_vi",
        "Địa bàn",
        18,
        "wrap",
        "Toàn thành phố, hoặc tên phường, xã theo danh mục đơn vị hành chính",
    ),
    (
        "breakdown_vi",
        "Phân tổ theo",
        12,
        "wrap",
        "Tổng, hoặc tiêu chí phân tổ của dòng (mỗi dòng một tiêu chí)",
    ),
    (
        "category_vi",
        "Nhóm phân tổ",
        18,
        "wrap",
        "Nhóm của tiêu chí phân tổ (VD: Nữ; Dưới 30 tuổi); Tổng ở dòng tổng",
    ),
    ("unit_vi", "Đơn vị tính", 11, "wrap", "Đơn vị của giá trị"),
    ("numerator", "Tử số", 10, "count", "Số đếm ở tử số (trống khi ô bị ẩn)"),
    ("denominator", "Mẫu số", 11, "count", "Số đếm ở mẫu số, hoặc dân số với chỉ tiêu trên vạn dân"),
    ("value", "Giá trị", 10, "number", "Giá trị chỉ tiêu (trống khi thiếu số liệu hoặc ô bị ẩn)"),
    ("target_2030", "Mục tiêu 2030", 9, "number", "Mục tiêu số đến năm 2030 (cận dưới nếu là khoảng)"),
    ("target_2030_text", "Mục tiêu 2030 (theo Kế hoạch)", 14, "wrap", "Mục tiêu như Kế hoạch ghi"),
    (
        "gap_2030",
        "Khoảng cách tới mục tiêu",
        10,
        "number",
        "Mục tiêu 2030 trừ giá trị (dương = còn phải tăng)",
    ),
    ("status_vi", "Đánh giá", 13, "status", "Đã đạt / Đúng lộ trình / Chậm lộ trình / Không có mục tiêu số"),
    ("change_from_previous", "Thay đổi so với kỳ trước", 10, "number", "Giá trị kỳ này trừ kỳ trước"),
    ("completeness", "Mức đầy đủ", 8, "percent", "Tỷ lệ đơn vị phải báo cáo đã nộp"),
    (
        "obs_status_vi",
        "Trạng thái số liệu",
        12,
        "wrap",
        "Bình thường / Tạm thời / Thiếu số liệu (xem bảng mã)",
    ),
    ("conf_status_vi", "Bảo mật", 11, "wrap", "Công bố / Ẩn (sơ cấp) / Ẩn (thứ cấp) (xem bảng mã)"),
    ("obs_note_vi", "Ghi chú", 28, "wrap", "Lý do khi thiếu số liệu"),
    ("group_code", "Nhóm (mã)", 7, "code", "Nhóm chiến lược a-đ của Kế hoạch (A-E)"),
    ("indicator_code", "Chỉ tiêu (mã)", 8, "code", "Mã chỉ tiêu theo Kế hoạch (A1 ... E2)"),
    ("geo_level", "Cấp địa bàn (mã)", 8, "code", "city = toàn thành phố, ward = phường, xã"),
    (
        "breakdown",
        "Phân tổ theo (mã)",
        17,
        "code",
        "total, sex_code, age_group, sector_code, science_field_code",
    ),
    (
        "category",
        "Nhóm phân tổ (mã)",
        9,
        "code",
        "Mã của nhóm phân tổ (M, F, <30, HES, 1 ...); _T tổng; _U không rõ",
    ),
    ("unit", "Đơn vị tính (mã)", 10, "code", "percent, per_10000, count, percent_per_year"),
    ("status", "Đánh giá (mã)", 10, "code", "achieved / on_track / off_track / no_target"),
    ("obs_status", "Trạng thái số liệu (mã)", 9, "code", "SDMX OBS_STATUS: A, P, M"),
    ("conf_status", "Bảo mật (mã)", 8, "code", "SDMX CONF_STATUS: F, A, D"),
)
# Printed pages carry the reading columns only: every code column to their right repeats, as a code, what a
# reading column already says in words.
WORKBOOK_PRINTED_COLUMNS = 21

# The "Danh mục chỉ tiêu" sheet, from marts.indicator_catalog: (column, header, width, kind).
CATALOG_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("group_name_vi", "Nhóm chiến lược", 16, "wrap"),
    ("indicator_code", "Mã chỉ tiêu", 8, "code"),
    ("measure_code", "Mã thành phần", 11, "code"),
    ("name_vi", "Tên chỉ tiêu", 28, "wrap"),
    ("unit_vi", "Đơn vị tính", 10, "wrap"),
    ("formula_vi", "Cách tính", 28, "wrap"),
    ("numerator_definition", "Tử số (định nghĩa, tiếng Anh)", 26, "wrap"),
    ("denominator_definition", "Mẫu số (định nghĩa, tiếng Anh)", 24, "wrap"),
    ("definition_note", "Ghi chú định nghĩa (tiếng Anh)", 42, "wrap"),
    ("target_2030", "Mục tiêu 2030 (số)", 9, "number"),
    ("target_2030_text", "Mục tiêu 2030 (theo Kế hoạch)", 14, "wrap"),
    ("target_2045_text", "Tầm nhìn 2045", 13, "wrap"),
    ("frequency_vi", "Tần suất", 10, "wrap"),
    ("geo_levels_vi", "Cấp địa bàn có số liệu", 12, "wrap"),
    ("breakdowns_vi", "Phân tổ có số liệu", 14, "wrap"),
    ("source_units", "Đơn vị cung cấp số liệu", 16, "wrap"),
    ("group_code", "Nhóm (mã)", 7, "code"),
    ("unit", "Đơn vị tính (mã)", 10, "code"),
    ("frequency", "Tần suất (mã)", 10, "code"),
    ("geo_levels", "Cấp địa bàn (mã)", 9, "code"),
    ("breakdowns", "Phân tổ (mã)", 20, "code"),
)
CATALOG_PRINTED_COLUMNS = 16

# Never exported: personal data stays in schema pii.
FORBIDDEN_COLUMN_PARTS: tuple[str, ...] = ("full_name", "name_key", "cccd", "phone", "email", "birth_date")
