"""A hand-made set of raw person rows with known answers, used by the dbt build test."""

from __future__ import annotations


def _row(unit_code: str, unit_kind: str, period: str, row: int, **fields: object) -> dict[str, object]:
    source_file = f"{period}/{unit_kind}/{unit_code}/danh_sach.xlsx"
    return {
        **fields,
        "source_file": source_file,
        "sheet_name": "Sheet1",
        "source_row": row,
        "unit_code": unit_code,
        "unit_kind": unit_kind,
        "period": period,
        "file_sha256": f"sha-{unit_code}-{period}",
        "ingested_at": "2026-06-21 00:00:00",
    }


# A: valid CCCD 075085000123 (male, 1985), seen by a ward in two periods and by a university (title + degree).
# B: no CCCD, ward rows in two periods (two-column layout, old ward name + old district) -> one person by matching.
# C: invalid CCCD (sex digit disagrees), retired in 2026-H1.
# D: a different man with the same name as B but another birth year -> a different person.
# Dung's ethnicity 'Kinhh' is one letter off 'Kinh' (fuzzy fallback); C's SYT rows write no role (-> DOCTOR).
PERSONS: list[dict[str, object]] = [
    _row("26068", "ward", "2025-H2", 6, full_name="nguyễn  văn AN", birth_date="15/03/1985", sex="Nam",
         cccd="075085000123", ethnicity="Kinh", qualification="Thạc sỹ", residence_ward="P. Biên Hòa",
         status="Đang làm việc", phone="0912345678", email="An@Example.com"),
    _row("26068", "ward", "2026-H1", 7, full_name="Nguyễn Văn An", birth_date="31121", sex="nam",
         cccd="75085000123", ethnicity="Việt", qualification="ThS", residence_ward="26068",
         status="Đang công tác"),
    _row("DNU", "university", "2026-H1", 5, full_name="Nguyễn Văn An", birth_date="1985-03-15", sex="Nam",
         cccd="075 085 000 123", qualification="PGS.TS", science_field="Toán học và thống kê",
         occupation="Giảng viên", role="Giảng viên chính", employer="Trường Đại học Đồng Nai"),
    _row("26446", "ward", "2025-H2", 8, full_name="Trần Thị Bình", birth_year_female="1990",
         ethnicity="Khơ-me", qualification="Bác sĩ chuyên khoa II", residence_ward="Xã Xuân Thọ",
         residence_district="Huyện Xuân Lộc", occupation="22", status="Hưu"),
    _row("26446", "ward", "2026-H1", 9, full_name="Tran Thi Binh", birth_year_female="1990",
         qualification="BS.CKII", residence_ward="Xã Xuân Thọ, huyện Xuân Lộc", status="nghỉ hưu"),
    _row("SYT", "department", "2026-H1", 4, full_name="Lê Văn Cường", birth_date="03/1970", sex="Nữ",
         cccd="075070001234", qualification="Ths.BS", employer="Bệnh viện Đa khoa Đồng Nai",
         employer_type="Đơn vị sự nghiệp công lập", status="Đã nghỉ hưu", residence_ward="Xuân Tâm"),
    _row("SYT", "department", "2025-H2", 5, full_name="Lê Văn Cường", birth_date="03/1970", sex="Nữ",
         qualification="Ths.BS", employer="Bệnh viện Đa khoa Đồng Nai", status="Đang làm việc",
         ethnicity="Người Sao Hỏa", teaching_level="lớp lá"),
    _row("26446", "ward", "2026-H1", 10, full_name="Trần Thị Bình", birth_year_female="1975",
         residence_ward="Xuân Hòa", status="Đang làm việc"),
    _row("SGDDT", "department", "2026-H1", 3, full_name="Phạm Thị Dung", birth_date="2020", sex="F",
         cccd="123456789", teaching_level="THCS", role="Giáo viên", status="???", ethnicity="Kinhh"),
]
