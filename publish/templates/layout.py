"""The columns of a template's list sheet: which persons field, under which header, how it is typed and checked.

Every header is a spelling of ``ingest/header_synonyms.csv`` for its field (tested), so a template whose hidden
sheet cannot be verified is still read right as an ordinary list. The twelve standard columns come first, in the
order a clerk reads a person's line; the extra columns a unit's last list used follow (a university's faculty, a
health department's profession), then the note.
"""

from __future__ import annotations

from dataclasses import dataclass

DATA_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"  # hidden: the code lists the drop-downs and the code formulas read
CODES_SHEET = "Mã"  # hidden: the code of each coded cell of the list, by formula, row for row
TITLE_ROWS = 2  # a title and a line under it, then the header
HEADER_ROW = TITLE_ROWS + 1  # 1-based
STT_HEADER = "STT"
ROW_KEY_HEADER = "Khoá dòng (không sửa)"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: float
    kind: str = "text"  # text | date | cccd | coded
    code_list: str | None = None  # code_lists key for a coded column
    prefill: bool = True  # False: a value of the period itself (trained in the period, a note): shown empty
    hint: str = ""  # the cell's input message (a few words)


STANDARD = (
    Column("full_name", "Họ và tên", 24, hint="Họ và tên đầy đủ, có dấu."),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", 13, "date",
           hint="Ngày/tháng/năm. Nếu chỉ biết năm sinh: gõ dấu nháy trước năm, ví dụ '1975."),
    Column("sex", "Giới tính", 9, "coded", "sex", hint="Chọn Nam hoặc Nữ."),
    Column("cccd", "Số CCCD (12 số)", 15, "cccd", hint="Đủ 12 chữ số, giữ số 0 ở đầu."),
    Column("ethnicity", "Dân tộc", 12, "coded", "ethnicity", hint="Chọn trong danh sách."),
    Column("qualification", "Trình độ chuyên môn cao nhất", 18, "coded", "qualification",
           hint="Bằng cấp cao nhất: chọn trong danh sách."),
    Column("academic_title", "Học hàm", 12, "coded", "academic_title",
           hint="GS, PGS (hoặc danh hiệu) nếu có; để trống nếu không có."),
    Column("science_field", "Lĩnh vực KH&CN", 24, "coded", "science_field", hint="Chọn trong danh sách."),
    Column("position", "Chức vụ", 18),
    Column("employer", "Cơ quan, đơn vị công tác", 28),
    Column("residence_ward", "Nơi cư trú (phường, xã)", 20, "coded", "residence_ward",
           hint="Phường, xã mới (từ 01/7/2025). Ở ngoài tỉnh: ghi tên tỉnh."),
    Column("status", "Tình trạng", 16, "coded", "status",
           hint="Người đã rời đơn vị: KHÔNG xoá dòng, chọn Chuyển công tác / Ở nước ngoài / Từ trần."),
)  # fmt: skip
# Shown when the unit's last list used them (in this order), pre-filled with what it sent.
EXTRAS = (
    Column("major", "Chuyên ngành đào tạo", 20),
    Column("faculty", "Khoa / bộ môn", 18),
    Column("teaching_level", "Cấp học giảng dạy", 14),
    Column("role", "Vai trò / chức danh nghề nghiệp", 18),
    Column("occupation", "Nghề nghiệp", 16),
    Column("employer_type", "Loại hình cơ quan", 16),
    Column("overseas", "Trí thức người Việt Nam ở nước ngoài", 14),
    Column("lhh_member", "Hội viên Liên hiệp các hội KH&KT", 14),
    Column("trained", "Đào tạo, bồi dưỡng trong kỳ", 14, prefill=False, hint="Trong kỳ này (không chép kỳ trước)."),
    Column("digital_trained", "Được bồi dưỡng năng lực số", 14, prefill=False,
           hint="Trong kỳ này (không chép kỳ trước)."),
    Column("phone", "Số điện thoại", 14),
    Column("email", "Thư điện tử", 22),
)  # fmt: skip
NOTE = Column("note", "Ghi chú", 24, prefill=False)


def columns_for(used: set[str]) -> tuple[Column, ...]:
    """The list sheet's field columns: the standard ones, the extras among ``used`` (fields the unit's last list
    filled), then the note."""
    return STANDARD + tuple(c for c in EXTRAS if c.field in used) + (NOTE,)
