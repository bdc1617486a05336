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
    ("obs_note", "Ghi chú", "Lý do khi thiếu số liệu"),
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

# Never exported: personal data stays in schema pii.
FORBIDDEN_COLUMN_PARTS: tuple[str, ...] = ("full_name", "name_key", "cccd", "phone", "email", "birth_date")
