"""A hand-written corpus of submissions, laid out the way Vietnamese units really write their lists.

Why this exists: the sample generator (``samples``) writes the files our own code expects, so the warehouse
scores well on them and still drifts on real lists. Every row below was typed by hand, after the layouts of
public lists of wards, the health and education departments, universities and the Union of S&T Associations:
title lines, two-row merged headers, a "(1) (2) (3)" column-number row, section rows (a hospital, a school
level, a school, "II. TRÍ THỨC ĐÃ NGHỈ HƯU") above the rows they apply to, total rows, notes and signatures
below the table, addresses where a ward is asked, qualifications written with their major, CSV in UTF-8 with a
BOM, UTF-16 and Windows-1258, names in capitals or without diacritics, old ID numbers, a supplement and an
update of a list.

What each row *means* is in ``labels.csv`` beside this file, written by reading the rows, never by running the
warehouse code. This module only knows where each row lands: :func:`build_landing` writes the files into a
landing zone and returns the placement of every labelled row (``rid``, ``source_file``, ``sheet_name``,
``source_row``), the one part of the labels a writer must compute.

A row's ``rid`` is ``<file tag>-<kind><number>``: ``p`` a person row, ``s`` a section, ``t`` a total, ``n`` a
note or signature line. Blank lines carry no rid (the loader skips them and nothing is asserted about them).
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

# --- what a table is made of -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A group heading inside the table. ``style``: ``merge`` (text in column A merged across the table),
    ``stt`` (a marker such as 'I' in the STT column, the text merged across the rest), ``name`` (the text alone
    in the name column, no merge: how a clerk types a school's name above its teachers)."""

    rid: str
    text: str
    style: str = "merge"
    marker: str = ""


@dataclass(frozen=True)
class Total:
    """A total line: ``text`` in column ``col``; in a workbook merged over ``span`` columns when span > 1."""

    rid: str
    text: str
    col: int = 0
    span: int = 2


@dataclass(frozen=True)
class Note:
    """A note or signature line below the table: text by column index."""

    rid: str
    cells: dict[int, str]


BLANK = None  # an empty line (no rid: nothing is asserted about it)
Person = tuple  # (rid, cell, cell, ...): every column but STT, which the writer numbers


@dataclass
class Table:
    columns: list[str]  # the header as the unit wrote it (the lower row of a two-row header), STT first
    body: list
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # two-row header: (label, first, last col)
    numbers_row: bool = False  # the "(1) (2) (3)" line under the header
    stt: bool = True  # the first column is the row number, filled in by the writer


@dataclass
class Sheet:
    name: str
    title: list[str | tuple[str, str]]  # a line, or (left, right) for the two-column letterhead
    table: Table


@dataclass
class Workbook:
    path: str  # under the landing zone
    sheets: list[Sheet]
    mtime: datetime


@dataclass
class CsvFile:
    path: str
    title: list[str]
    table: Table
    mtime: datetime
    encoding: str = "utf-8-sig"  # 'utf-8-sig', 'utf-16' or 'cp1258'
    delimiter: str = ","


def _s(rid: str, text: str, marker: str = "", style: str | None = None) -> Section:
    return Section(rid, text, style or ("stt" if marker else "merge"), marker)


# --- 2025-H2 --------------------------------------------------------------------------------------------

H2 = datetime(2025, 11, 20, 9, 0)
H1 = datetime(2026, 6, 10, 9, 0)

# Sở Y tế: one workbook, a sheet per profession, hospitals as section rows, no employer column.
SYT_DOCTORS = Table(
    columns=["STT", "Họ và tên", "Nam", "Nữ", "Dân tộc", "Số CCCD", "Trình độ chuyên môn",
             "Chức danh nghề nghiệp", "Nơi cư trú"],
    groups=[("Năm sinh", 2, 3)],
    numbers_row=True,
    body=[
        _s("syt25a-s1", "BỆNH VIỆN ĐA KHOA ĐỒNG NAI"),
        ("syt25a-p01", "Nguyễn Văn Hùng", "1978", "", "Kinh", "075078003412", "BSCKII Nội khoa", "Bác sĩ",
         "KP 7, P. Tam Hiệp"),
        ("syt25a-p02", "Trần Thị Mỹ Linh", "", "1985", "Kinh", "075185002231", "CKI Nhi", "Bác sĩ CKI",
         "Tổ 5, KP 3, phường Tân Mai, TP Biên Hòa, Đồng Nai"),
        ("syt25a-p03", "Lê Hoàng Phúc", "1990", "", "Kinh", "075090004518", "Bác sĩ đa khoa", "Bác sĩ",
         "phường Trấn Biên"),
        ("syt25a-p04", "Phạm Thị Thanh Hương", "", "1982", "Hoa", "079182006721", "Thạc sĩ Y học", "Bác sĩ",
         "Số 12 đường 30/4, phường Trấn Biên, tỉnh Đồng Nai"),
        ("syt25a-p05", "Võ Minh Tuấn", "1975", "", "Kinh", "040075001122", "Tiến sĩ Y học", "Bác sĩ cao cấp",
         "P. Bình Đa, TP. Biên Hòa"),
        ("syt25a-p06", "Huỳnh Thị Ngọc Trâm", "", "1993", "Kinh", "075193007845", "Bác sĩ nội trú", "Bác sĩ", ""),
        ("syt25a-p07", "Đặng Quốc Bảo", "1988", "", "Kinh", 75088002956, "BS CKI", "",
         "phường Long Bình, TP Biên Hòa"),
        ("syt25a-p08", "Bùi Thị Kim Oanh", "", "1980", "Kinh", "075180005517", "BSCKI", "Bác sĩ CKI",
         "Hố Nai 3, Trảng Bom"),
        ("syt25a-p09", "Ngô Thanh Sơn", "1970", "", "Kinh", "038070004401", "Bác sĩ CKII", "Bác sĩ",
         "X. Tân Hiệp, H. Long Thành"),
        _s("syt25a-s2", "TRUNG TÂM Y TẾ KHU VỰC LONG THÀNH"),
        ("syt25a-p10", "Trịnh Văn Lộc", "1984", "", "Kinh", "075084009912", "Bác sĩ đa khoa", "Bác sĩ",
         "xã Bình An, Long Thành"),
        ("syt25a-p11", "Lý Thị Hồng", "", "1987", "Hoa", "075187003345", "BS CKI Sản", "Bác sĩ CKI",
         "TT. Long Thành"),
        ("syt25a-p12", "Điểu Thị Nga", "", "1991", "Chơ Ro", "075191008823", "Bác sĩ đa khoa", "Bác sĩ",
         "Ấp Bình Lâm, xã Lộc An, H. Long Thành"),
        ("syt25a-p13", "Phan Đức Anh", "1979", "", "Kinh", "075079006634", "Thạc sỹ Y học", "Bác sĩ",
         "xã Long Phước"),
        ("syt25a-p14", "Châu Thị Mai", "", "1995", "Khơ-me", "094195002277", "Bác sĩ đa khoa", "",
         "Long Đức, Long Thành"),
        ("syt25a-p15", "Nguyễn Hữu Thắng", "1966", "", "Kinh", "075066001198", "BSCKII", "Bác sĩ",
         "xã Bình An, H. Long Thành"),
        _s("syt25a-s3", "BỆNH VIỆN ĐA KHOA THỐNG NHẤT"),
        ("syt25a-p16", "Đỗ Thị Thu Hà", "", "1986", "Kinh", "075186004410", "Bác sĩ đa khoa", "Bác sĩ",
         "Ấp 2, xã Gia Tân 1, H. Thống Nhất"),
        ("syt25a-p17", "Nguyễn Văn Hưng", "1983", "", "Kinh", "042083005561", "Thạc sĩ Y học", "Bác sĩ",
         "KP 4, P. Tân Biên"),
        ("syt25a-p18", "Trần Văn Đức", "1990", "", "Tày", "075090008890", "Bác sĩ nội trú", "Bác sĩ",
         "xã Xuân Tâm, huyện Xuân Lộc"),
        ("syt25a-p19", "Hoàng Thị Lan Anh", "", "1989", "Nùng", "075189002264", "Bác sĩ Y học cổ truyền",
         "Bác sĩ", "Dầu Giây, Thống Nhất"),
        ("syt25a-p20", "Lâm Quang Vinh", "1976", "", "Hoa", "075076007732", "Tiến sĩ Y học", "Bác sĩ",
         "Tân Hiệp"),
        _s("syt25a-s4", "TRUNG TÂM Y TẾ KHU VỰC BIÊN HÒA"),
        ("syt25a-p21", "Võ Thị Bích Ngọc", "", "1992", "Kinh", "075192001356", "Bác sĩ đa khoa", "Bác sĩ",
         "P. Tân Mai"),
        ("syt25a-p22", "Nguyễn Thành Nhân", "1981", "", "Kinh", "075081004457", "BS.CKI", "Bác sĩ", "Trảng Dài"),
        ("syt25a-p23", "Phạm Văn Toàn", "1968", "", "Kinh", "075068003319", "Thạc sĩ Y tế công cộng", "Bác sĩ",
         "P.Quang Vinh, Biên Hòa"),
        ("syt25a-p24", "Trần Thị Ngọc Hân", "", "1994", "Kinh", "075194009901", "Bác sĩ Răng Hàm Mặt", "Bác sĩ",
         "Thanh Bình"),
        ("syt25a-p25", "Hồ Văn Thông", "1977", "", "Kinh", "075077003214", "BSCKI", "Bác sĩ", "Tam Phước"),
        ("syt25a-p26", "Quách Thị Ngọc Lài", "", "1990", "Hoa", "075190008256", "Bác sĩ đa khoa", "Bác sĩ",
         "Phước Tân, Biên Hòa"),
        ("syt25a-p27", "Nguyễn Thị Tuyết Nhung", "", "1985", "Kinh", "075185004412", "Bác sĩ Y học dự phòng",
         "Bác sĩ", "An Hòa, Biên Hòa"),
        Total("syt25a-t1", "Tổng cộng: 27 người", col=0, span=2),
        BLANK,
        Note("syt25a-n1", {0: "Ghi chú: Danh sách không bao gồm bác sĩ đang đi học dài hạn."}),
    ],
)

SYT_PHARMA_NURSES = Table(
    columns=["TT", "Họ tên", "Ngày sinh", "Giới tính", "Dân tộc", "CCCD", "Trình độ đào tạo", "Chức vụ",
             "Địa chỉ thường trú"],
    numbers_row=True,
    body=[
        _s("syt25b-s1", "BỆNH VIỆN ĐA KHOA ĐỒNG NAI"),
        ("syt25b-p01", "Nguyễn Thị Thùy Dung", "12/03/1990", "Nữ", "Kinh", "075190002345", "Dược sĩ đại học",
         "Dược sĩ", "P. Trung Dũng, TP. Biên Hòa"),
        ("syt25b-p02", "Lê Văn Khoa", "05/07/1982", "Nam", "Kinh", "075082003456", "DSCKI", "Dược sĩ CKI",
         "Hóa An, Biên Hòa"),
        ("syt25b-p03", "Trần Thị Thanh Tâm", "21/11/1988", "Nữ", "Kinh", "075188004567", "Cử nhân Điều dưỡng",
         "Điều dưỡng trưởng", "P. Bửu Long"),
        ("syt25b-p04", "Phạm Thị Hoa", "02/02/1995", "Nữ", "Kinh", "075195005678", "Cao đẳng Điều dưỡng",
         "Điều dưỡng", "KP 2, P. Tân Phong, Biên Hòa"),
        ("syt25b-p05", "Nguyễn Văn Tài", "14/08/1991", "Nam", "Kinh", "075091006789", "Cử nhân Xét nghiệm y học",
         "Kỹ thuật viên xét nghiệm", "P. Tam Hiệp"),
        ("syt25b-p06", "Đinh Thị Lệ", "30/09/1987", "Nữ", "Mường", "075187007890", "Cao đẳng Hộ sinh", "Hộ sinh",
         "Long Bình Tân, Biên Hòa"),
        ("syt25b-p07", "Trần Thị Thu Hà", "15/06/1985", "Nữ", "Kinh", "", "Cao đẳng Điều dưỡng", "Điều dưỡng",
         "phường An Bình, Biên Hòa"),
        ("syt25b-p08", "Võ Văn Bình", "03/04/1979", "Nam", "Kinh", "075079008901",
         "Cao đẳng Kỹ thuật hình ảnh y học", "Kỹ thuật viên", "P. Hố Nai, TP. Biên Hòa"),
        ("syt25b-p09", "Mai Văn Lực", "14/04/1991", "Nam", "Kinh", "075091005523", "Cao đẳng Kỹ thuật xét nghiệm",
         "Kỹ thuật viên xét nghiệm", "Tân Vạn, Biên Hòa"),
        _s("syt25b-s2", "TRUNG TÂM Y TẾ KHU VỰC LONG THÀNH"),
        ("syt25b-p10", "Nguyễn Thị Kim Yến", "17/01/1993", "Nữ", "Kinh", "075193001234", "Dược sĩ đại học",
         "Dược sĩ", "Ấp 3, X. Bình Sơn, H. Long Thành"),
        ("syt25b-p11", "Thạch Thị Sa Ly", "08/08/1996", "Nữ", "Khmer", "094196003344", "Trung cấp Y", "Y sĩ",
         "xã Long An, huyện Long Thành"),
        ("syt25b-p12", "Lê Thị Thu Trang", "25/12/1989", "Nữ", "Kinh", "075189004455", "Cao đẳng Điều dưỡng",
         "Điều dưỡng", "TT Long Thành"),
        ("syt25b-p13", "Trương Văn Hậu", "11/11/1984", "Nam", "Kinh", "075084005566", "Trung cấp Dược", "Dược sĩ",
         "X. Tam An, H. Long Thành"),
        ("syt25b-p14", "Phan Thị Mỹ Duyên", "06/06/1997", "Nữ", "Kinh", "075197006677", "Cử nhân Hộ sinh",
         "Hộ sinh", "xã An Phước"),
        ("syt25b-p15", "Nguyễn Ngọc Quý", "19/05/1986", "Nam", "Kinh", "075086007788", "Cao đẳng Xét nghiệm",
         "Kỹ thuật viên xét nghiệm", "Phước Bình, Long Thành"),
        ("syt25b-p16", "Lê Thị Hồng Phấn", "09/06/1984", "Nữ", "Kinh", "075184006634", "Trung cấp Hộ sinh",
         "Hộ sinh", "Long Bình Tân"),
        _s("syt25b-s3", "BỆNH VIỆN ĐA KHOA THỐNG NHẤT"),
        ("syt25b-p17", "Hồ Thị Thanh Thúy", "09/10/1983", "Nữ", "Kinh", "075183008899", "DSCKI", "Dược sĩ CKI",
         "Gia Tân 2, Thống Nhất"),
        ("syt25b-p18", "Lò Thị Xuân", "15/02/1990", "Nữ", "Thái", "075190009900", "Cao đẳng Điều dưỡng",
         "Điều dưỡng", "Quang Trung, Thống Nhất"),
        ("syt25b-p19", "Vũ Đình Khang", "22/07/1980", "Nam", "Kinh", "036080001122", "Cử nhân Kỹ thuật hình ảnh",
         "Kỹ thuật viên", "Hưng Lộc, Thống Nhất"),
        ("syt25b-p20", "Nguyễn Thị Bé Ba", "01/01/1978", "Nữ", "Kinh", "075178002233", "Trung cấp Y sĩ", "Y sĩ",
         "xã Xuân Thiện, H. Thống Nhất"),
        ("syt25b-p21", "Kiều Thị Ngọc Ánh", "13/09/1994", "Nữ", "Kinh", "075194003344", "Cao đẳng Hộ sinh",
         "Hộ sinh", "Phú Bình"),
        ("syt25b-p22", "Trần Minh Khôi", "27/03/1992", "Nam", "Kinh", "075092004455", "Dược sĩ đại học", "Dược sĩ",
         "Xuân Tâm, Xuân Lộc"),
        ("syt25b-p23", "H'Lan Niê", "30/03/1993", "Nữ", "Ê Đê", "066193007745", "Cử nhân Điều dưỡng",
         "Điều dưỡng", "P. Tân Biên"),
        Total("syt25b-t1", "Tổng số: 23 người", col=1, span=1),
        BLANK,
        Note("syt25b-n1", {6: "Đồng Nai, ngày 20 tháng 11 năm 2025"}),
        Note("syt25b-n2", {1: "Người lập biểu", 6: "KT. GIÁM ĐỐC"}),
        Note("syt25b-n3", {1: "(Ký, ghi rõ họ tên)", 6: "PHÓ GIÁM ĐỐC"}),
        BLANK,
        BLANK,
        Note("syt25b-n4", {1: "Nguyễn Thị Minh Thư", 6: "Trần Văn Bình"}),
    ],
)

SYT_2025 = Workbook(
    "2025-H2/department/SYT/danh_sach_tri_thuc_nganh_y_te_nam_2025.xlsx",
    [
        Sheet("Bác sĩ", [("SỞ Y TẾ THÀNH PHỐ ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                         ("", "Độc lập - Tự do - Hạnh phúc"), "",
                         "DANH SÁCH TRÍ THỨC NGÀNH Y TẾ NĂM 2025 - BÁC SĨ",
                         "(Kèm theo Công văn số 1234/SYT-TCCB ngày 15/11/2025 của Sở Y tế)", ""], SYT_DOCTORS),
        Sheet("Dược sĩ - Điều dưỡng", ["SỞ Y TẾ THÀNH PHỐ ĐỒNG NAI", "",
                                       "DANH SÁCH DƯỢC SĨ, ĐIỀU DƯỠNG, HỘ SINH, KỸ THUẬT VIÊN, Y SĨ", ""],
              SYT_PHARMA_NURSES),
    ],
    H2,
)

# Phường Tam Hiệp: status from the sections, a whole address (or nothing: lives in the ward) for residence.
TAM_HIEP_2025 = Workbook(
    "2025-H2/ward/26017/danh_sach_tri_thuc_phuong_tam_hiep_2025.xlsx",
    [Sheet("DS tri thuc", [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                           ("PHƯỜNG TAM HIỆP", "Độc lập - Tự do - Hạnh phúc"), "",
                           "DANH SÁCH TRÍ THỨC TRÊN ĐỊA BÀN PHƯỜNG TAM HIỆP NĂM 2025", ""],
           Table(
               columns=["STT", "Họ và tên", "Ngày tháng năm sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn",
                        "Chuyên ngành", "Nghề nghiệp", "Cơ quan công tác", "Nơi ở hiện nay", "Ghi chú"],
               body=[
                   _s("th25-s1", "TRÍ THỨC ĐANG CÔNG TÁC", marker="I"),
                   ("th25-p01", "Nguyễn Văn Hùng", "1978", "Nam", "Kinh", "Bác sĩ CKII", "Nội khoa", "Bác sĩ",
                    "Bệnh viện Đa khoa Đồng Nai", "KP 7, P. Tam Hiệp", ""),
                   ("th25-p02", "TRẦN THỊ MỸ LINH", "1985", "Nữ", "Kinh", "Chuyên khoa I", "Nhi", "Bác sĩ",
                    "BV Đa khoa Đồng Nai", "", ""),
                   ("th25-p03", "Võ Minh Tuấn", "1975", "Nam", "Kinh", "Tiến sĩ", "Y học", "Bác sĩ",
                    "BVĐK Đồng Nai", "P. Bình Đa", ""),
                   ("th25-p04", "Nguyễn Thị Hồng Nhung", "1984", "", "", "", "", "",
                    "Trường Đại học Đồng Nai", "", ""),
                   ("th25-p05", "Lê Quang Huy", "1970", "Nam", "Kinh", "Thạc sĩ", "Toán học", "Giảng viên",
                    "Trường ĐH Đồng Nai", "Tổ 12, KP 5, P. Tân Hiệp, TP Biên Hòa", ""),
                   ("th25-p06", "Phạm Quốc Cường", "14/02/1980", "Nam", "Kinh", "Kỹ sư Xây dựng",
                    "Xây dựng dân dụng", "Kỹ sư", "Công ty CP Xây dựng Biên Hòa", "Tổ 3, KP 1, P. Tân Mai", ""),
                   ("th25-p07", "Đoàn Thị Kim Chi", "1988", "Nữ", "Kinh", "Đại học Kế toán - Kiểm toán", "",
                    "Kế toán", "Công ty TNHH Changshin Việt Nam", "", ""),
                   ("th25-p08", "Trần Văn Tâm", "1983", "Nam", "Kinh", "KS", "Điện công nghiệp", "",
                    "Công ty Điện lực Đồng Nai", "", ""),
                   ("th25-p09", "Lưu Thị Bích Vân", "1991", "Nữ", "Hoa", "Thạc sỹ Quản lý kinh tế", "",
                    "Nhân viên văn phòng", "UBND phường Tam Hiệp", "", ""),
                   ("th25-p10", "Hoàng Văn Nam", "1986", "Nam", "Tày", "Đại học Sư phạm Vật lý", "", "Giáo viên",
                    "Trường THPT Nam Hà", "", ""),
                   ("th25-p11", "Ngô Thị Phương Thảo", "1992", "Nữ", "Kinh", "Cử nhân", "Ngôn ngữ Anh",
                    "Giáo viên tiểu học", "Trường Tiểu học Tân Mai", "", ""),
                   ("th25-p12", "Bùi Văn Thành", "1979", "Nam", "Kinh", "CN", "Công nghệ thông tin", "Trưởng phòng",
                    "Công ty CP Sonadezi", "KP 11, P. Tam Hiệp", ""),
                   ("th25-p13", "Lê Thị Ngọc Bích", "1990", "Nữ", "Kinh", "Dược sĩ đại học", "", "Dược sĩ",
                    "Nhà thuốc Ngọc Bích", "", ""),
                   ("th25-p14", "Trần Đình Phong", "1995", "Nam", "Kinh", "Cao đẳng", "Công nghệ kỹ thuật ô tô",
                    "Kỹ thuật viên", "Công ty TNHH Toyota Biên Hòa", "", ""),
                   ("th25-p15", "Dương Minh Trí", "1987", "Nam", "Kinh", "Thạc sĩ", "Kỹ thuật môi trường",
                    "Nghiên cứu viên", "Viện Kỹ thuật Nhiệt đới và Bảo vệ Môi trường", "", ""),
                   ("th25-p16", "Vương Thị Mai Anh", "1993", "Nữ", "Kinh", "Đại học Giáo dục Mầm non", "",
                    "Giáo viên mầm non", "Trường Mầm non Tuổi Thơ", "", ""),
                   ("th25-p17", "Cao Thị Hạnh", "1996", "Nữ", "Kinh", "Trung cấp Sư phạm Mầm non", "",
                    "Giáo viên mầm non", "Nhóm trẻ tư thục Hoa Hồng", "", ""),
                   ("th25-p18", "Huỳnh Văn Mười", "1982", "Nam", "Kinh", "Kỹ sư cơ khí", "", "Kỹ sư",
                    "Công ty TNHH Bosch Việt Nam", "Tổ 7, KP 2, P. Tân Hiệp", ""),
                   ("th25-p19", "Mai Thị Thu Thảo", "1989", "Nữ", "Kinh", "Thạc sĩ Kinh tế", "", "Giảng viên",
                    "Trường Đại học Lạc Hồng", "", ""),
                   ("th25-p20", "Trương Công Định", "1985", "Nam", "Kinh", "Đại học", "Luật", "Luật sư",
                    "Văn phòng Luật sư Trương Định", "", ""),
                   _s("th25-s2", "TRÍ THỨC ĐÃ NGHỈ HƯU", marker="II"),
                   ("th25-p21", "Nguyễn Văn Lành", "1955", "Nam", "Kinh", "Bác sĩ CKI", "Ngoại khoa", "Bác sĩ",
                    "", "", "Nghỉ hưu từ năm 2015"),
                   ("th25-p22", "Trần Thị Kim Loan", "1960", "Nữ", "Kinh", "Đại học Sư phạm Văn", "",
                    "Giáo viên", "Nguyên giáo viên Trường THCS Tân Mai", "", ""),
                   ("th25-p23", "Đặng Văn Khánh", "1958", "Nam", "Kinh", "Kỹ sư", "", "Kỹ sư", "",
                    "Tổ 2, KP 4, P. Tam Hiệp", ""),
                   ("th25-p24", "Phan Thị Lệ Thu", "1962", "Nữ", "Kinh", "Tiến sĩ Hóa học", "", "Giảng viên",
                    "", "", ""),
                   ("th25-p25", "Võ Thị Hai", "1959", "Nữ", "Kinh", "Trung cấp Y", "", "Y sĩ", "", "", ""),
                   Total("th25-t1", "Tổng cộng: 25 người", col=0, span=2),
                   Note("th25-n1", {1: "Ghi chú: Danh sách do các khu phố tổng hợp, rà soát."}),
                   BLANK,
                   Note("th25-n2", {1: "Người lập biểu", 8: "TM. ỦY BAN NHÂN DÂN"}),
                   Note("th25-n3", {8: "KT. CHỦ TỊCH"}),
                   Note("th25-n4", {8: "PHÓ CHỦ TỊCH"}),
                   BLANK,
                   Note("th25-n5", {1: "Phạm Thị Thanh Nga", 8: "Lê Văn Tư"}),
               ],
           ))],
    H2,
)

# Liên hiệp các Hội KH&KT: members by sector, title and degree in separate columns, a field of science.
LHH_2025 = Workbook(
    "2025-H2/department/LHH/danh_sach_hoi_vien_tri_thuc_LHH_2025.xlsx",
    [Sheet("Hội viên", ["LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT THÀNH PHỐ ĐỒNG NAI", "",
                        "DANH SÁCH TRÍ THỨC KHOA HỌC VÀ CÔNG NGHỆ LÀ HỘI VIÊN NĂM 2025", ""],
           Table(
               columns=["STT", "Họ và tên", "Năm sinh", "Giới tính", "Học hàm", "Học vị", "Lĩnh vực KH&CN",
                        "Chức danh", "Đơn vị công tác", "Loại hình cơ quan"],
               numbers_row=True,
               body=[
                   _s("lhh25-s1", "KHỐI VIỆN, TRUNG TÂM NGHIÊN CỨU", marker="I"),
                   ("lhh25-p01", "Dương Minh Trí", "1987", "Nam", "", "ThS", "Kỹ thuật môi trường",
                    "Nghiên cứu viên", "Viện Kỹ thuật Nhiệt đới và Bảo vệ Môi trường", "Tổ chức KH&CN công lập"),
                   ("lhh25-p02", "Lưu Quang Minh", "1973", "Nam", "", "TS", "Khoa học môi trường",
                    "Nghiên cứu viên chính", "Viện Nghiên cứu Tài nguyên và Môi trường Đồng Nai",
                    "Tổ chức KH&CN công lập"),
                   ("lhh25-p03", "Lê Văn Nam", "1975", "Nam", "", "TS", "Trồng trọt", "Nghiên cứu viên",
                    "Trung tâm Nghiên cứu Thực nghiệm Nông nghiệp Hưng Lộc", "Tổ chức KH&CN công lập"),
                   ("lhh25-p04", "Nguyễn Thị Minh Phương", "1981", "Nữ", "PGS", "TS",
                    "Công nghệ sinh học trong nông nghiệp", "Viện trưởng", "Viện Công nghệ sinh học Đồng Nai",
                    "Tổ chức KH&CN công lập"),
                   ("lhh25-p05", "Trần Thị Hải Yến", "1990", "Nữ", "", "ThS", "Hóa học", "Nghiên cứu viên",
                    "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", "Đơn vị sự nghiệp công lập"),
                   ("lhh25-p06", "Phạm Văn Khôi", "1966", "Nam", "", "TS", "Thú y", "Nghiên cứu viên cao cấp",
                    "Chi cục Chăn nuôi và Thú y", "Cơ quan nhà nước"),
                   _s("lhh25-s2", "KHỐI TRƯỜNG ĐẠI HỌC, CAO ĐẲNG", marker="II"),
                   ("lhh25-p07", "Nguyễn Minh Quân", "1976", "Nam", "PGS", "TS", "Toán học", "Giảng viên",
                    "Trường Đại học Đồng Nai", "Trường đại học công lập"),
                   ("lhh25-p08", "Đinh Thị Phương Lan", "1982", "Nữ", "", "TS", "Kinh tế và kinh doanh",
                    "Giảng viên", "Trường ĐH Đồng Nai", "Trường đại học công lập"),
                   ("lhh25-p09", "Nguyễn Quốc Huy", "1976", "Nam", "PGS", "TS", "Dược học", "Giảng viên",
                    "Trường Cao đẳng Y tế Đồng Nai", "Trường cao đẳng công lập"),
                   ("lhh25-p10", "Mai Thị Thu Thảo", "1989", "Nữ", "", "ThS", "Kinh tế và kinh doanh",
                    "Giảng viên", "Trường Đại học Lạc Hồng", "Trường đại học tư thục"),
                   _s("lhh25-s3", "KHỐI DOANH NGHIỆP", marker="III"),
                   ("lhh25-p11", "Phạm Quốc Cường", "1980", "Nam", "", "Kỹ sư", "Kỹ thuật dân dụng", "Kỹ sư",
                    "Công ty CP Xây dựng Biên Hòa", "Doanh nghiệp ngoài nhà nước"),
                   ("lhh25-p12", "Huỳnh Văn Mười", "1982", "Nam", "", "KS", "Kỹ thuật cơ khí", "Kỹ sư",
                    "Công ty TNHH Bosch Việt Nam", "Doanh nghiệp có vốn đầu tư nước ngoài"),
                   ("lhh25-p13", "Nguyễn Thị Hồng Loan", "1985", "Nữ", "", "ThS", "Kỹ thuật thực phẩm", "Kỹ sư",
                    "Công ty CP Thực phẩm Đồng Nai", "Doanh nghiệp ngoài nhà nước"),
                   ("lhh25-p14", "Tạ Quang Hiếu", "1992", "", "", "KS", "Khoa học máy tính", "Kỹ sư",
                    "Công ty TNHH Phần mềm Biên Hòa", "Doanh nghiệp ngoài nhà nước"),
                   ("lhh25-p15", "Lâm Thị Mỹ Dung", "1988", "Nữ", "", "ThS", "Kỹ thuật điện", "Kỹ sư",
                    "Công ty Điện lực Đồng Nai", "Doanh nghiệp nhà nước"),
                   ("lhh25-p16", "Võ Thanh Hải", "1979", "Nam", "", "TS", "Kỹ thuật hóa học", "Giám đốc",
                    "Công ty TNHH Hóa chất Tân Phú", "Doanh nghiệp ngoài nhà nước"),
                   Total("lhh25-t1", "Tổng cộng: 16 hội viên", col=0, span=2),
                   BLANK,
                   Note("lhh25-n1", {1: "Người lập biểu", 7: "CHỦ TỊCH"}),
                   BLANK,
                   Note("lhh25-n2", {1: "Đỗ Thị Ngọc Hà", 7: "Phạm Văn Sáu"}),
               ],
           ))],
    H2 + pd.Timedelta(hours=1),
)

# Xã Xuân Lộc: exported from Excel as "Unicode text" (UTF-16, tab-separated), the old district in its own column.
XUAN_LOC_2025 = CsvFile(
    "2025-H2/ward/26425/ds_tri_thuc_xa_xuan_loc_2025.csv",
    ["ỦY BAN NHÂN DÂN XÃ XUÂN LỘC", "DANH SÁCH TRÍ THỨC TRÊN ĐỊA BÀN XÃ NĂM 2025"],
    Table(
        columns=["STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn", "Nghề nghiệp",
                 "Nơi làm việc", "Nơi cư trú (phường, xã)", "Huyện cũ", "Tình trạng"],
        body=[
            _s("xl25-s1", "CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", marker="A"),
            ("xl25-p01", "Trần Thị Thu Hà", "1985", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Giáo viên mầm non",
             "Trường Mầm non Xuân Hiệp", "Xuân Hiệp", "Xuân Lộc", ""),
            ("xl25-p02", "Điểu Thị Hương", "1992", "Nữ", "Chơ Ro", "Cao đẳng Sư phạm Mầm non",
             "Giáo viên mầm non", "Trường MN Xuân Hiệp", "Suối Cát", "Xuân Lộc", ""),
            ("xl25-p03", "Hồ Thị Kim Xuyến", "1992", "Nữ", "Kinh", "Đại học Sư phạm Tin học", "Giáo viên THCS",
             "Trường THCS Xuân Hòa", "Gia Ray", "Xuân Lộc", ""),
            ("xl25-p04", "Lâm Văn Tài", "1980", "Nam", "Kinh", "Bác sĩ đa khoa", "Bác sĩ",
             "Trung tâm Y tế khu vực Xuân Lộc", "", "", ""),
            ("xl25-p05", "Phạm Thị Ngọc Diệp", "1987", "Nữ", "Kinh", "Thạc sĩ Y học", "Bác sĩ",
             "TTYT khu vực Xuân Lộc", "Xuân Trường", "Xuân Lộc", ""),
            ("xl25-p06", "Nguyễn Thành Trung", "1975", "Nam", "Kinh", "Kỹ sư Nông nghiệp", "Kỹ sư",
             "Phòng Kinh tế xã Xuân Lộc", "", "", ""),
            ("xl25-p07", "Triệu Thị Mai", "1990", "Nữ", "Dao", "Đại học Luật", "Công chức", "UBND xã Xuân Lộc",
             "Xuân Thọ", "Xuân Lộc", ""),
            ("xl25-p08", "Điểu Văn Út", "1988", "Nam", "Chơ Ro", "Cao đẳng Sư phạm Tiểu học", "Giáo viên tiểu học",
             "Trường Tiểu học Suối Cát", "", "", ""),
            ("xl25-p09", "Vòng Thị Lan", "1991", "Nữ", "Hoa", "Cử nhân Sư phạm Toán", "Giáo viên THCS",
             "Trường THCS Xuân Thọ", "", "", ""),
            ("xl25-p10", "Ngô Minh Khang", "1969", "Nam", "Kinh", "Đại học Sư phạm", "Giáo viên", "", "", "",
             "Nghỉ hưu"),
            ("xl25-p11", "Lê Văn Hai", "1985", "Nam", "Kinh", "Kỹ sư Xây dựng", "Kỹ sư",
             "Ban Quản lý dự án xã Xuân Lộc", "Xuân Hiệp", "Xuân Lộc", ""),
            ("xl25-p12", "Phạm Thị Mỹ Hạnh", "1990", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Giáo viên mầm non",
             "Trường MN Suối Cát", "", "", ""),
            _s("xl25-s2", "TRÍ THỨC NGOÀI KHU VỰC NHÀ NƯỚC", marker="B"),
            ("xl25-p13", "Trần Hữu Nghĩa", "1984", "Nam", "Kinh", "Kỹ sư Cơ khí", "Kỹ sư",
             "Công ty TNHH Cơ khí Xuân Lộc", "Xuân Tâm", "Xuân Lộc", ""),
            ("xl25-p14", "Võ Thị Diễm My", "1993", "Nữ", "Kinh", "Dược sĩ đại học", "Dược sĩ", "Nhà thuốc Diễm My",
             "Gia Ray", "", ""),
            ("xl25-p15", "Huỳnh Văn Đông", "1979", "Nam", "Kinh", "Trung cấp Thú y", "Kỹ thuật viên",
             "Trạm Chăn nuôi và Thú y Xuân Lộc", "", "", ""),
            ("xl25-p16", "Nguyễn Thị Kim Liên", "1986", "Nữ", "Kinh", "Thạc sĩ Quản trị kinh doanh", "Giám đốc",
             "Công ty TNHH Nông sản Xuân Lộc", "Bảo Hòa", "Xuân Lộc", ""),
            ("xl25-p17", "Phan Thanh Bình", "1982", "Nam", "Kinh", "Kỹ sư xây dựng", "", "Tự do", "", "", ""),
            ("xl25-p18", "Lý Thị Ngọc", "1995", "Nữ", "Hoa", "Cao đẳng Điều dưỡng", "Điều dưỡng",
             "Phòng khám đa khoa Gia Ray", "", "", "Đã chuyển đi nơi khác"),
            Total("xl25-t1", "Tổng cộng: 18 người"),
            Note("xl25-n1", {0: "Ghi chú: Số liệu do các ấp, khu phố báo cáo đến ngày 15/11/2025."}),
            Note("xl25-n2", {1: "Người lập biểu"}),
            Note("xl25-n3", {1: "Trịnh Văn Phúc"}),
        ],
    ),
    H2 + pd.Timedelta(hours=2),
    encoding="utf-16",
    delimiter="\t",
)

# Trường Đại học Đồng Nai (institution_level university): a two-row header "Trình độ" over "Học hàm" | "Học vị",
# faculties as section rows, birth dates as real Excel dates, degree and title run together ("PGS.TS").
_DNU_COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Học hàm", "Học vị", "Chuyên ngành",
                "Lĩnh vực KH&CN", "Chức danh"]
DNU_2025 = Workbook(
    "2025-H2/university/DNU/DNU_danh_sach_giang_vien_2025.xlsx",
    [Sheet("Giảng viên", [("UBND THÀNH PHỐ ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                          ("TRƯỜNG ĐẠI HỌC ĐỒNG NAI", "Độc lập - Tự do - Hạnh phúc"), "",
                          "DANH SÁCH ĐỘI NGŨ GIẢNG VIÊN, NGHIÊN CỨU VIÊN NĂM 2025", ""],
           Table(
               columns=_DNU_COLUMNS,
               groups=[("Trình độ", 5, 6)],
               body=[
                   _s("dnu25-s1", "KHOA SƯ PHẠM KHOA HỌC TỰ NHIÊN"),
                   ("dnu25-p01", "Nguyễn Minh Quân", date(1976, 5, 12), "Nam", "075076001357", "PGS", "TS",
                    "Toán giải tích", "Toán học", "Giảng viên cao cấp"),
                   ("dnu25-p02", "Lê Quang Huy", date(1970, 9, 3), "Nam", "075070002468", "", "ThS.", "Đại số",
                    "Toán học", "Giảng viên chính"),
                   ("dnu25-p03", "Nguyễn Thị Hồng Nhung", date(1984, 4, 21), "Nữ", "075184003579", "", "TS.",
                    "Vật lý lý thuyết", "Vật lý", "Giảng viên"),
                   ("dnu25-p04", "Trần Văn Khải", date(1968, 10, 15), "Nam", "040068004680", "GS", "TSKH",
                    "Hóa lý", "Hóa học", "Giảng viên cao cấp"),
                   ("dnu25-p05", "Phạm Thị Diễm", date(1987, 1, 30), "Nữ", "075187005791", "", "ThS",
                    "Hóa hữu cơ", "Hóa học", "Giảng viên"),
                   ("dnu25-p06", "Hồ Văn Lợi", date(1979, 8, 8), "Nam", "075079006802", "", "PGS.TS",
                    "Sinh học thực nghiệm", "Sinh học", "GVC"),
                   ("dnu25-p07", "Trần Thị Kim Ngân", date(1991, 9, 9), "Nữ", "075191007802", "", "ThS",
                    "Toán ứng dụng", "Toán học", ""),
                   _s("dnu25-s2", "KHOA KINH TẾ"),
                   ("dnu25-p08", "Đinh Thị Phương Lan", date(1982, 11, 11), "Nữ", "075182007913", "", "TS",
                    "Quản trị kinh doanh", "Kinh tế và kinh doanh", "Giảng viên chính"),
                   ("dnu25-p09", "Võ Thành Nhân", date(1990, 6, 25), "Nam", "075090008024", "", "ThS.",
                    "Tài chính - Ngân hàng", "Kinh tế", "Giảng viên"),
                   ("dnu25-p10", "Nguyễn Thị Thu Hiền", date(1985, 12, 2), "Nữ", "075185009135", "", "ThS.",
                    "Kế toán", "Kinh tế và kinh doanh", "Giảng viên"),
                   ("dnu25-p11", "Bùi Minh Tâm", date(1975, 3, 19), "Nam", "075075001246", "PGS", "TS.",
                    "Kinh tế học", "Kinh tế", "Giảng viên cao cấp"),
                   _s("dnu25-s3", "KHOA NGOẠI NGỮ"),
                   ("dnu25-p12", "Trương Thị Bích Thủy", date(1983, 7, 7), "Nữ", "075183002357", "", "ThS.",
                    "Lý luận và phương pháp dạy học tiếng Anh", "Khoa học giáo dục", "Giảng viên"),
                   ("dnu25-p13", "Nguyễn Hoàng Anh Thư", date(1992, 2, 14), "Nữ", "075192003468", "", "ThS",
                    "Ngôn ngữ Anh", "Ngôn ngữ học", "Giảng viên"),
                   ("dnu25-p14", "Lương Văn Tín", date(1980, 9, 29), "Nam", "075080004579", "", "TS",
                    "Ngôn ngữ học", "Ngôn ngữ học và văn học", "Giảng viên chính"),
                   _s("dnu25-s4", "PHÒNG KHOA HỌC VÀ HỢP TÁC QUỐC TẾ"),
                   ("dnu25-p15", "Lê Thị Mỹ Hạnh", date(1988, 5, 16), "Nữ", "075188005680", "", "ThS.",
                    "Quản lý giáo dục", "Khoa học giáo dục", "Nghiên cứu viên"),
                   ("dnu25-p16", "Phan Văn Đạt", date(1986, 10, 20), "Nam", "075086006791", "", "KS",
                    "Công nghệ thông tin", "Khoa học máy tính", "Kỹ sư"),
                   Total("dnu25-t1", "Tổng cộng: 16 người", col=0, span=2),
                   BLANK,
                   Note("dnu25-n1", {1: "Người lập biểu", 7: "HIỆU TRƯỞNG"}),
                   BLANK,
                   Note("dnu25-n2", {1: "Ngô Thị Kim Dung", 7: "Trần Minh Hùng"}),
               ],
           ))],
    H2 + pd.Timedelta(hours=3),
)

# Trường Cao đẳng Y tế Đồng Nai (institution_level college): an export from an HR system, no diacritics at all.
CDYT_2025 = CsvFile(
    "2025-H2/university/CDYT/cdyt_ds_giang_vien_2025.csv",
    [],
    Table(
        columns=["STT", "Ho va ten", "Ngay sinh", "Gioi tinh", "So CCCD", "Hoc ham", "Hoc vi", "Chuyen nganh",
                 "Chuc danh"],
        body=[
            _s("cdyt25-s1", "KHOA Y", style="name"),
            ("cdyt25-p01", "Nguyen Van Thanh", "10/02/1978", "Nam", "075078002581", "", "Thac si", "Y hoc",
             "Giang vien chinh"),
            ("cdyt25-p02", "Tran Thi Ngoc Diep", "05/05/1984", "Nu", "075184003692", "", "Tien si",
             "Y te cong cong", "Giang vien"),
            ("cdyt25-p03", "Le Van Phuoc", "18/07/1972", "Nam", "075072004703", "", "BSCKII", "Noi khoa",
             "Giang vien"),
            ("cdyt25-p04", "Pham Thi Thu", "22/09/1989", "Nu", "075189005814", "", "Thac si", "Duoc ly",
             "Giang vien"),
            _s("cdyt25-s2", "KHOA DIEU DUONG", style="name"),
            ("cdyt25-p05", "Vo Thi Kim Phuong", "01/03/1986", "Nu", "075186006925", "", "Thac si", "Dieu duong",
             "Giang vien"),
            ("cdyt25-p06", "Nguyen Thi Bich Tuyen", "14/06/1990", "Nu", "075190007036", "", "Cu nhan",
             "Dieu duong", "Giang vien"),
            ("cdyt25-p07", "Dang Van Hai", "30/11/1981", "Nam", "075081008147", "", "Tien si", "Dieu duong",
             "Giang vien chinh"),
            ("cdyt25-p08", "Huynh Thi Le", "09/04/1993", "Nu", "075193009258", "", "Thac si", "Dieu duong",
             "Giang vien"),
            _s("cdyt25-s3", "KHOA DUOC", style="name"),
            ("cdyt25-p09", "Ly Minh Chau", "17/08/1980", "Nam", "075080001369", "", "Duoc si CKI", "Duoc",
             "Giang vien"),
            ("cdyt25-p10", "Tran Thi My Dung", "25/12/1987", "Nu", "075187002470", "", "Thac si", "Duoc lieu",
             "Giang vien"),
            ("cdyt25-p11", "Nguyen Quoc Huy", "03/03/1976", "Nam", "075076003581", "PGS", "Tien si", "Hoa duoc",
             "Giang vien cao cap"),
            ("cdyt25-p12", "Bui Thi Hoa", "12/12/1991", "Nu", "075191004692", "", "Dai hoc", "Duoc", ""),
            Total("cdyt25-t1", "Tong cong: 12 nguoi"),
        ],
    ),
    H2 + pd.Timedelta(hours=4),
)

# Sở Giáo dục và Đào tạo: teaching level from the level sections, schools as sections typed in the name column.
GD_2025 = Workbook(
    "2025-H2/department/SGDDT/danh_sach_giao_vien_tri_thuc_2025.xlsx",
    [Sheet("Giáo viên", [("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                         ("THÀNH PHỐ ĐỒNG NAI", "Độc lập - Tự do - Hạnh phúc"), "",
                         "DANH SÁCH GIÁO VIÊN CÓ TRÌNH ĐỘ TỪ TRUNG CẤP TRỞ LÊN NĂM HỌC 2025 - 2026", ""],
           Table(
               columns=["TT", "Họ và tên giáo viên", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ đào tạo",
                        "Chức vụ", "Nơi ở hiện nay"],
               numbers_row=True,
               body=[
                   _s("gd25-s01", "MẦM NON"),
                   _s("gd25-s02", "Trường Mầm non Hoa Mai", style="name"),
                   ("gd25-p01", "Nguyễn Thị Ngọc Hân", "12/04/1990", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non",
                    "Giáo viên", "KP 5, P. Tam Hiệp"),
                   ("gd25-p02", "Lê Thị Kim Thoa", "03/08/1986", "Nữ", "Kinh", "Đại học Giáo dục Mầm non",
                    "Giáo viên", "P. Long Bình"),
                   ("gd25-p03", "Phạm Thị Yến Nhi", "20/10/1995", "Nữ", "Kinh", "Trung cấp Sư phạm Mầm non",
                    "Giáo viên", ""),
                   ("gd25-p04", "Đỗ Thị Hồng Gấm", "07/07/1980", "Nữ", "Kinh", "Đại học Sư phạm Mầm non", "",
                    "P. Tân Mai"),
                   ("gd25-p05", "Lưu Thị Ngọc Trinh", "18/02/1994", "Nữ", "Kinh", "Đại học Giáo dục Mầm non",
                    "Giáo viên", "KP 3, P. Bình Đa"),
                   _s("gd25-s03", "Trường Mầm non Xuân Hiệp", style="name"),
                   ("gd25-p06", "Trần Thị Thu Hà", "02/09/1985", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non",
                    "Giáo viên", "Ấp 2, xã Xuân Hiệp, H. Xuân Lộc"),
                   ("gd25-p07", "Điểu Thị Hương", "11/11/1992", "Nữ", "Chơ-ro", "Cao đẳng Sư phạm Mầm non",
                    "Giáo viên", "xã Suối Cát, Xuân Lộc"),
                   ("gd25-p08", "Nguyễn Thị Mỹ Lệ", "05/05/1998", "Nữ", "Kinh", "Trung cấp Sư phạm Mầm non",
                    "Giáo viên", "Xuân Tâm"),
                   _s("gd25-s04", "TIỂU HỌC"),
                   _s("gd25-s05", "Trường Tiểu học Nguyễn Du", style="name"),
                   ("gd25-p09", "Nguyễn Thị Thanh Thủy", "14/02/1990", "Nữ", "Kinh", "Đại học Sư phạm Tiểu học",
                    "Giáo viên", "P. Trung Dũng"),
                   ("gd25-p10", "Hoàng Văn Minh", "22/03/1984", "Nam", "Tày", "Cao đẳng Sư phạm Tiểu học",
                    "Giáo viên", "P. Thống Nhất, Biên Hòa"),
                   ("gd25-p11", "Lê Thị Hoài Thương", "09/09/1988", "Nữ", "Kinh", "ThS. Giáo dục học", "Giáo viên",
                    "Số 45 đường Phạm Văn Thuận, P. Tân Mai, TP. Biên Hòa"),
                   ("gd25-p12", "Trịnh Thị Lan", "30/06/1979", "Nữ", "Kinh", "Trung cấp Sư phạm", "Giáo viên",
                    "P. Tân Hiệp, Biên Hòa"),
                   ("gd25-p13", "Trần Thị Kiều Oanh", "07/05/1986", "Nữ", "Kinh", "Cao đẳng Sư phạm Tiểu học",
                    "Giáo viên", "P. Quang Vinh"),
                   _s("gd25-s06", "Trường Tiểu học Gia Tân", style="name"),
                   ("gd25-p14", "Nguyễn Văn Hòa", "15/01/1986", "Nam", "Kinh", "Đại học Sư phạm Tiểu học",
                    "Giáo viên", "Ấp Bạch Lâm, xã Gia Tân 2, H. Thống Nhất"),
                   ("gd25-p15", "Phạm Thị Huyền Trang", "08/12/1993", "Nữ", "Kinh", "Cử nhân Giáo dục Tiểu học",
                    "Giáo viên", "xã Gia Kiệm"),
                   ("gd25-p16", "Vũ Thị Ngọc", "12/12/1982", "Nữ", "Mường", "Cao đẳng Sư phạm", "Giáo viên",
                    "Quang Trung, Thống Nhất"),
                   ("gd25-p17", "Nguyễn Thị Thanh Hằng", "23/05/1991", "Nữ", "Kinh", "Đại học Sư phạm Tiếng Anh",
                    "Giáo viên", "Gia Tân 1"),
                   _s("gd25-s07", "TRUNG HỌC CƠ SỞ"),
                   _s("gd25-s08", "Trường THCS Trần Hưng Đạo", style="name"),
                   ("gd25-p18", "Đặng Thị Ngọc Lan", "17/10/1980", "Nữ", "Kinh", "Thạc sĩ Lý luận và PPDH Toán",
                    "Giáo viên", "P. Hiệp Hòa"),
                   ("gd25-p19", "Trần Văn Thịnh", "01/01/1983", "Nam", "Kinh", "Đại học Sư phạm Vật lý",
                    "Giáo viên", "P. Bửu Hòa"),
                   ("gd25-p20", "Nguyễn Thị Bích Liên", "14/07/1987", "Nữ", "Kinh", "Đại học Sư phạm Ngữ văn",
                    "Giáo viên", "KP 1, P. Tân Vạn"),
                   ("gd25-p21", "Lê Văn Hiếu", "25/11/1977", "Nam", "Kinh", "Cao đẳng Sư phạm Toán - Lý",
                    "Giáo viên", "P. Tân Hạnh"),
                   ("gd25-p22", "Phùng Thị Tuyết Mai", "05/03/1990", "Nữ", "Hoa", "Đại học Sư phạm Hóa học",
                    "Giáo viên", "Tân Phong, Biên Hòa"),
                   ("gd25-p23", "Nguyễn Đức Thiện", "11/09/1984", "Nam", "Kinh", "Thạc sĩ Ngữ văn", "Giáo viên",
                    "P. Hóa An"),
                   ("gd25-p24", "Lê Thị Thu Sương", "29/04/1991", "Nữ", "Kinh", "Đại học Sư phạm Địa lý",
                    "Giáo viên", ""),
                   _s("gd25-s09", "Trường THCS Xuân Hòa", style="name"),
                   ("gd25-p25", "Nguyễn Văn Hùng", "19/08/1978", "Nam", "Kinh", "Đại học Sư phạm Toán",
                    "Giáo viên", "xã Xuân Hưng, H. Xuân Lộc"),
                   ("gd25-p26", "Lê Thị Ánh", "02/02/1988", "Nữ", "Kinh", "Đại học Sư phạm Sinh học", "Giáo viên",
                    "xã Xuân Hòa, Xuân Lộc"),
                   ("gd25-p27", "Võ Minh Triết", "10/10/1985", "Nam", "Kinh", "Cao đẳng Sư phạm Thể dục",
                    "Giáo viên", "Xuân Tâm, Xuân Lộc"),
                   ("gd25-p28", "Hồ Thị Kim Xuyến", "13/03/1992", "Nữ", "Kinh", "Đại học Sư phạm Tin học",
                    "Giáo viên", "TT Gia Ray"),
                   Total("gd25-t1", "Tổng cộng: 28 giáo viên", col=0, span=2),
                   BLANK,
                   Note("gd25-n1", {5: "Đồng Nai, ngày 25 tháng 11 năm 2025"}),
                   Note("gd25-n2", {1: "Người lập biểu", 5: "KT. GIÁM ĐỐC"}),
                   Note("gd25-n3", {5: "PHÓ GIÁM ĐỐC"}),
                   BLANK,
                   Note("gd25-n4", {1: "Hoàng Thị Thu Trang", 5: "Nguyễn Văn Phước"}),
               ],
           ))],
    H2 + pd.Timedelta(hours=5),
)

# Xã Trảng Bom: birth year in a "Nam" or a "Nữ" column (two-row header), the status written in the notes.
TRANG_BOM_2025 = Workbook(
    "2025-H2/ward/26248/DS_tri_thuc_xa_Trang_Bom_2025.xlsx",
    [Sheet("Sheet1", ["ỦY BAN NHÂN DÂN XÃ TRẢNG BOM", "",
                      "DANH SÁCH TRÍ THỨC TRÊN ĐỊA BÀN XÃ", "(Tính đến ngày 30/11/2025)", ""],
           Table(
               columns=["STT", "Họ và tên", "Nam", "Nữ", "Dân tộc", "Trình độ chuyên môn", "Nghề nghiệp",
                        "Nơi làm việc", "Nơi thường trú", "Ghi chú"],
               groups=[("Năm sinh", 2, 3)],
               numbers_row=True,
               body=[
                   ("tbo25-p01", "Nguyễn Văn Bảy", "1968", "", "Kinh", "Đại học Sư phạm Toán", "Giáo viên THPT",
                    "Trường THPT Trảng Bom", "Thị trấn Trảng Bom", ""),
                   ("tbo25-p02", "Lê Thị Mộng Cầm", "", "1985", "Kinh", "Cao đẳng Sư phạm Mầm non",
                    "Giáo viên mầm non", "Trường MN Sông Trầu", "Sông Trầu", ""),
                   ("tbo25-p03", "Trần Quang Dũng", "1979", "", "Kinh", "Bác sĩ CKI", "Bác sĩ",
                    "TTYT khu vực Trảng Bom", "", ""),
                   ("tbo25-p04", "Phạm Thị Lan Hương", "", "1990", "Kinh", "Đại học Sư phạm Tiểu học",
                    "Giáo viên tiểu học", "Trường TH Quảng Tiến", "Quảng Tiến, Trảng Bom", ""),
                   ("tbo25-p05", "Nguyễn Văn Bình", "1983", "", "Kinh", "Kỹ sư Điện", "Kỹ sư",
                    "Công ty TNHH Nidec Việt Nam", "Giang Điền", ""),
                   ("tbo25-p06", "Vũ Thị Hoa", "", "1976", "Kinh", "Thạc sĩ Quản lý giáo dục", "Hiệu trưởng",
                    "Trường THCS Trảng Bom", "", ""),
                   ("tbo25-p07", "Hà Thị Thu", "", "1992", "Tày", "Cao đẳng Điều dưỡng", "Điều dưỡng",
                    "TTYT khu vực Trảng Bom", "Bắc Sơn, Trảng Bom", ""),
                   ("tbo25-p08", "Đặng Hữu Phước", "1987", "", "Kinh", "Dược sĩ CKI", "Dược sĩ",
                    "Nhà thuốc Hữu Phước", "", ""),
                   ("tbo25-p09", "Lương Thị Kim Anh", "", "1993", "Kinh", "Đại học Kế toán - Kiểm toán", "Kế toán",
                    "Công ty TNHH Changshin", "Sông Trầu", ""),
                   ("tbo25-p10", "Bùi Văn Cường", "1981", "", "Mường", "Cao đẳng Sư phạm Tiểu học",
                    "Giáo viên tiểu học", "Trường TH Sông Trầu", "", ""),
                   ("tbo25-p11", "Nguyễn Thị Ngọc Mai", "", "1989", "Kinh", "Bác sĩ đa khoa", "Bác sĩ",
                    "BV Đa khoa Thống Nhất", "Cây Gáo, Trảng Bom", ""),
                   ("tbo25-p12", "Lê Hoàng Nam", "1984", "", "Kinh", "Thạc sĩ", "Giảng viên",
                    "Trường Đại học Công nghệ Miền Đông", "", ""),
                   ("tbo25-p13", "Phan Thị Tuyết", "", "1963", "Kinh", "Đại học Sư phạm", "Giáo viên", "", "",
                    "Đã nghỉ hưu"),
                   ("tbo25-p14", "Trần Văn Lực", "1958", "", "Kinh", "Kỹ sư Cơ khí", "Kỹ sư", "", "", "Nghỉ hưu"),
                   ("tbo25-p15", "Ngô Thị Thanh Tâm", "", "1995", "Hoa", "Cử nhân Ngôn ngữ Trung Quốc",
                    "Phiên dịch viên", "Công ty TNHH Pou Chen Việt Nam", "", ""),
                   ("tbo25-p16", "Hoàng Minh Tuấn", "1990", "", "Nùng", "Kỹ sư Nông nghiệp", "Kỹ sư",
                    "Phòng Kinh tế xã Trảng Bom", "Thanh Bình, Trảng Bom", ""),
                   ("tbo25-p17", "Đào Thị Hằng", "", "1988", "Kinh", "Thạc sĩ Y học", "Bác sĩ",
                    "TTYT khu vực Trảng Bom", "", "Đang đi học ở nước ngoài (Nhật Bản) từ 9/2025"),
                   ("tbo25-p18", "Nguyễn Văn Hậu", "1986", "", "Kinh", "Trung cấp Y", "Y sĩ",
                    "Trạm Y tế xã Trảng Bom", "", ""),
                   ("tbo25-p19", "Lê Thị Thùy Trang", "", "1991", "Kinh", "Đại học Sư phạm Tiếng Anh",
                    "Giáo viên THCS", "Trường THCS Quảng Tiến", "", ""),
                   ("tbo25-p20", "Tô Văn Hiệp", "1980", "", "Kinh", "Cử nhân Luật", "", "UBND xã Trảng Bom", "", ""),
                   Total("tbo25-t1", "Tổng cộng: 20 người (Nam: 10, Nữ: 10)", col=0, span=2),
                   BLANK,
                   Note("tbo25-n1", {1: "Người lập biểu", 7: "TM. ỦY BAN NHÂN DÂN"}),
                   Note("tbo25-n2", {7: "CHỦ TỊCH"}),
                   BLANK,
                   Note("tbo25-n3", {1: "Lê Thị Hương", 7: "Nguyễn Văn Sơn"}),
               ],
           ))],
    H2 + pd.Timedelta(hours=6),
)


# --- 2026-H1 --------------------------------------------------------------------------------------------

# DNU again: three lecturers gone (Lê Quang Huy, Võ Thành Nhân, Nguyễn Hoàng Anh Thư), two new, one new
# doctorate and one new title; names in capitals; one ID with a digit dropped, one with two digits swapped.
DNU_2026 = Workbook(
    "2026-H1/university/DNU/DNU_danh_sach_giang_vien_6_thang_dau_nam_2026.xlsx",
    [Sheet("Giảng viên", [("UBND THÀNH PHỐ ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                          ("TRƯỜNG ĐẠI HỌC ĐỒNG NAI", "Độc lập - Tự do - Hạnh phúc"), "",
                          "DANH SÁCH ĐỘI NGŨ GIẢNG VIÊN, NGHIÊN CỨU VIÊN 6 THÁNG ĐẦU NĂM 2026", ""],
           Table(
               columns=_DNU_COLUMNS,
               groups=[("Trình độ", 5, 6)],
               body=[
                   _s("dnu26-s1", "KHOA SƯ PHẠM KHOA HỌC TỰ NHIÊN", style="name"),
                   ("dnu26-p01", "NGUYỄN MINH QUÂN", "12/05/1976", "Nam", "075076001357", "PGS", "TS",
                    "Toán giải tích", "Toán học", "Giảng viên cao cấp"),
                   ("dnu26-p02", "NGUYỄN THỊ HỒNG NHUNG", "21/04/1984", "Nữ", "075184003579", "", "TS.",
                    "Vật lý lý thuyết", "Vật lý", "Giảng viên"),
                   ("dnu26-p03", "TRẦN VĂN KHẢI", "15/10/1968", "Nam", "04006800468", "GS", "TSKH", "Hóa lý",
                    "Hóa học", "Giảng viên cao cấp"),
                   ("dnu26-p04", "PHẠM THỊ DIỄM", "30/01/1987", "Nữ", "075187005791", "", "ThS", "Hóa hữu cơ",
                    "Hóa học", "Giảng viên"),
                   ("dnu26-p05", "HỒ VĂN LỢI", "08/08/1979", "Nam", "075079006802", "", "PGS.TS",
                    "Sinh học thực nghiệm", "Sinh học", "GVC"),
                   ("dnu26-p06", "TRẦN THỊ KIM NGÂN", "09/09/1991", "Nữ", "075191007802", "", "ThS",
                    "Toán ứng dụng", "Toán học", ""),
                   ("dnu26-p07", "ĐỖ QUANG VINH", "04/04/1989", "Nam", "075089008913", "", "TS.",
                    "Khoa học máy tính", "Khoa học máy tính", "Giảng viên"),
                   ("dnu26-p08", "NGUYỄN THỊ ÁNH TUYẾT", "23/08/1993", "Nữ", "075193009024", "", "ThS.",
                    "Hóa phân tích", "Hóa học", "Giảng viên"),
                   _s("dnu26-s2", "KHOA KINH TẾ", style="name"),
                   ("dnu26-p09", "ĐINH THỊ PHƯƠNG LAN", "11/11/1982", "Nữ", "075182007913", "PGS", "TS",
                    "Quản trị kinh doanh", "Kinh tế và kinh doanh", "Giảng viên chính"),
                   ("dnu26-p10", "NGUYỄN THỊ THU HIỀN", "02/12/1985", "Nữ", "075185009135", "", "TS.",
                    "Kế toán", "Kinh tế và kinh doanh", "Giảng viên"),
                   ("dnu26-p11", "BÙI MINH TÂM", "19/03/1975", "Nam", "075075001264", "PGS", "TS.",
                    "Kinh tế học", "Kinh tế", "Giảng viên cao cấp"),
                   _s("dnu26-s3", "KHOA NGOẠI NGỮ", style="name"),
                   ("dnu26-p12", "TRƯƠNG THỊ BÍCH THỦY", "07/07/1983", "Nữ", "075183002357", "", "ThS.",
                    "Lý luận và phương pháp dạy học tiếng Anh", "Khoa học giáo dục", "Giảng viên"),
                   ("dnu26-p13", "LƯƠNG VĂN TÍN", "29/09/1980", "Nam", "075080004579", "", "TS",
                    "Ngôn ngữ học", "Ngôn ngữ học và văn học", "Giảng viên chính"),
                   _s("dnu26-s4", "PHÒNG KHOA HỌC VÀ HỢP TÁC QUỐC TẾ", style="name"),
                   ("dnu26-p14", "LÊ THỊ MỸ HẠNH", "16/05/1988", "Nữ", "075188005680", "", "ThS.",
                    "Quản lý giáo dục", "Khoa học giáo dục", "Nghiên cứu viên"),
                   ("dnu26-p15", "PHAN VĂN ĐẠT", "20/10/1986", "Nam", "075086006791", "", "KS",
                    "Công nghệ thông tin", "Khoa học máy tính", "Kỹ sư"),
                   Total("dnu26-t1", "Tổng cộng: 15 người", col=0, span=2),
                   BLANK,
                   Note("dnu26-n1", {1: "Người lập biểu", 7: "HIỆU TRƯỞNG"}),
                   BLANK,
                   Note("dnu26-n2", {1: "Ngô Thị Kim Dung", 7: "Trần Minh Hùng"}),
               ],
           ))],
    H1,
)

# CDYT again, now from the office's own workbook (with diacritics): three gone, two new, one new doctorate.
CDYT_2026 = Workbook(
    "2026-H1/university/CDYT/CDYT_danh_sach_giang_vien_HK1_2026.xlsx",
    [Sheet("DS giảng viên", ["TRƯỜNG CAO ĐẲNG Y TẾ ĐỒNG NAI", "", "DANH SÁCH GIẢNG VIÊN NĂM 2026", ""],
           Table(
               columns=["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Học hàm", "Học vị",
                        "Chuyên ngành", "Chức danh"],
               numbers_row=True,
               body=[
                   _s("cdyt26-s1", "KHOA Y"),
                   ("cdyt26-p01", "Nguyễn Văn Thành", "10/02/1978", "Nam", "075078002581", "", "Thạc sĩ", "Y học",
                    "Giảng viên chính"),
                   ("cdyt26-p02", "Trần Thị Ngọc Diệp", "05/05/1984", "Nữ", "075184003692", "", "Tiến sĩ",
                    "Y tế công cộng", "Giảng viên"),
                   ("cdyt26-p03", "Phạm Thị Thu", "22/09/1989", "Nữ", "075189005814", "", "Tiến sĩ", "Dược lý",
                    "Giảng viên"),
                   ("cdyt26-p04", "Phạm Hoàng Nam", "06/06/1988", "Nam", "075088005703", "", "Thạc sĩ",
                    "Kỹ thuật xét nghiệm y học", "Giảng viên"),
                   _s("cdyt26-s2", "KHOA ĐIỀU DƯỠNG"),
                   ("cdyt26-p05", "Võ Thị Kim Phượng", "01/03/1986", "Nữ", "075186006925", "", "Thạc sĩ",
                    "Điều dưỡng", "Giảng viên"),
                   ("cdyt26-p06", "Đặng Văn Hải", "30/11/1981", "Nam", "075081008147", "", "Tiến sĩ", "Điều dưỡng",
                    "Giảng viên chính"),
                   ("cdyt26-p07", "Huỳnh Thị Lệ", "09/04/1993", "Nữ", "075193009258", "", "Thạc sĩ", "Điều dưỡng",
                    "Giảng viên"),
                   ("cdyt26-p08", "Lê Thị Thanh Xuân", "19/01/1992", "Nữ", "075192006814", "", "Tiến sĩ",
                    "Điều dưỡng", "Giảng viên"),
                   _s("cdyt26-s3", "KHOA DƯỢC"),
                   ("cdyt26-p09", "Lý Minh Châu", "17/08/1980", "Nam", "075080001369", "", "Dược sĩ CKI", "Dược",
                    "Giảng viên"),
                   ("cdyt26-p10", "Nguyễn Quốc Huy", "03/03/1976", "Nam", "075076003581", "PGS", "Tiến sĩ",
                    "Hóa dược", "Giảng viên cao cấp"),
                   ("cdyt26-p11", "Bùi Thị Hoa", "12/12/1991", "Nữ", "075191004692", "", "Đại học", "Dược", ""),
                   Total("cdyt26-t1", "Tổng cộng: 11 người", col=0, span=2),
                   Note("cdyt26-n1", {1: "Người lập biểu", 6: "HIỆU TRƯỞNG"}),
                   BLANK,
                   Note("cdyt26-n2", {1: "Võ Thị Thanh", 6: "Nguyễn Văn Dũng"}),
               ],
           ))],
    H1 + pd.Timedelta(hours=1),
)

# SGDDT again as CSV (UTF-8 with BOM): a "Cấp học" column now, level and school headings kept as text lines.
GD_2026 = CsvFile(
    "2026-H1/department/SGDDT/danh_sach_giao_vien_HK1_2026.csv",
    ["SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ ĐỒNG NAI",
     "DANH SÁCH GIÁO VIÊN CÓ TRÌNH ĐỘ TỪ TRUNG CẤP TRỞ LÊN - HỌC KỲ I NĂM 2026"],
    Table(
        columns=["STT", "Họ và tên", "Ngày tháng năm sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn",
                 "Cấp học", "Chức vụ", "Nơi cư trú"],
        body=[
            _s("gd26-s01", "MẦM NON", marker="I"),
            _s("gd26-s02", "Trường Mầm non Hoa Mai", style="name"),
            ("gd26-p01", "Nguyễn Thị Ngọc Hân", "12/04/1990", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Mầm non",
             "Giáo viên", "KP 5, P. Tam Hiệp"),
            ("gd26-p02", "Lê Thị Kim Thoa", "03/08/1986", "Nữ", "Kinh", "Đại học Giáo dục Mầm non", "Mầm non",
             "Giáo viên", "P. Long Bình"),
            ("gd26-p03", "Đỗ Thị Hồng Gấm", "07/07/1980", "Nữ", "Kinh", "Đại học Sư phạm Mầm non", "Mầm non", "",
             "P. Tân Mai"),
            ("gd26-p04", "Lưu Thị Ngọc Trinh", "18/02/1994", "Nữ", "Kinh", "Đại học Giáo dục Mầm non", "Mầm non",
             "Giáo viên", "KP 3, P. Bình Đa"),
            ("gd26-p05", "Bùi Thị Thanh Trúc", "21/07/1999", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Mầm non",
             "Giáo viên", "P. Tân Biên, TP. Biên Hòa"),
            _s("gd26-s03", "Trường Mầm non Xuân Hiệp", style="name"),
            ("gd26-p06", "Trần Thị Thu Hà", "02/09/1985", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Mầm non",
             "Giáo viên", "Ấp 2, xã Xuân Hiệp, H. Xuân Lộc"),
            ("gd26-p07", "Điểu Thị Hương", "11/11/1992", "Nữ", "Chơ Ro", "Cao đẳng Sư phạm Mầm non", "Mầm non",
             "Giáo viên", "xã Suối Cát, Xuân Lộc"),
            ("gd26-p08", "Nguyễn Thị Mỹ Lệ", "05/05/1998", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Mầm non",
             "Giáo viên", "Xuân Tâm"),
            _s("gd26-s04", "TIỂU HỌC", marker="II"),
            _s("gd26-s05", "Trường Tiểu học Nguyễn Du", style="name"),
            ("gd26-p09", "Nguyễn Thị Thanh Thủy", "14/02/1990", "Nữ", "Kinh", "Đại học Sư phạm Tiểu học",
             "Tiểu học", "Giáo viên", "P. Trung Dũng"),
            ("gd26-p10", "Hoàng Văn Minh", "22/03/1984", "Nam", "Tày", "Đại học Sư phạm Tiểu học", "Tiểu học",
             "Giáo viên", "P. Thống Nhất, Biên Hòa"),
            ("gd26-p11", "Lê Thị Hoài Thương", "09/09/1988", "Nữ", "Kinh", "ThS. Giáo dục học", "Tiểu học",
             "Giáo viên", "Số 45 đường Phạm Văn Thuận, P. Tân Mai, TP. Biên Hòa"),
            ("gd26-p12", "Trần Thị Kiều Oanh", "07/05/1986", "Nữ", "Kinh", "Cao đẳng Sư phạm Tiểu học", "Tiểu học",
             "Giáo viên", "P. Quang Vinh"),
            _s("gd26-s06", "Trường Tiểu học Gia Tân", style="name"),
            ("gd26-p13", "Nguyễn Văn Hòa", "15/01/1986", "Nam", "Kinh", "Đại học Sư phạm Tiểu học", "Tiểu học",
             "Giáo viên", "Ấp Bạch Lâm, xã Gia Tân 2, H. Thống Nhất"),
            ("gd26-p14", "Phạm Thị Huyền Trang", "08/12/1993", "Nữ", "Kinh", "Cử nhân Giáo dục Tiểu học",
             "Tiểu học", "Giáo viên", "xã Gia Kiệm"),
            ("gd26-p15", "Vũ Thị Ngọc", "12/12/1982", "Nữ", "Mường", "Cao đẳng Sư phạm", "Tiểu học", "Giáo viên",
             "Quang Trung, Thống Nhất"),
            ("gd26-p16", "Nguyễn Thị Thanh Hằng", "23/05/1991", "Nữ", "Kinh", "Đại học Sư phạm Tiếng Anh",
             "Tiểu học", "Giáo viên", "Gia Tân 1"),
            _s("gd26-s07", "TRUNG HỌC CƠ SỞ", marker="III"),
            _s("gd26-s08", "Trường THCS Trần Hưng Đạo", style="name"),
            ("gd26-p17", "Đặng Thị Ngọc Lan", "17/10/1980", "Nữ", "Kinh", "Thạc sĩ Lý luận và PPDH Toán", "THCS",
             "Giáo viên", "P. Hiệp Hòa"),
            ("gd26-p18", "Trần Văn Thịnh", "01/01/1983", "Nam", "Kinh", "Đại học Sư phạm Vật lý", "THCS",
             "Giáo viên", "P. Bửu Hòa"),
            ("gd26-p19", "Nguyễn Thị Bích Liên", "14/07/1987", "Nữ", "Kinh", "Đại học Sư phạm Ngữ văn", "THCS",
             "Giáo viên", "KP 1, P. Tân Vạn"),
            ("gd26-p20", "Phùng Thị Tuyết Mai", "05/03/1990", "Nữ", "Hoa", "Đại học Sư phạm Hóa học", "THCS",
             "Giáo viên", "Tân Phong, Biên Hòa"),
            ("gd26-p21", "Nguyễn Đức Thiện", "11/09/1984", "Nam", "Kinh", "Thạc sĩ Ngữ văn", "THCS", "Giáo viên",
             "P. Hóa An"),
            ("gd26-p22", "Lê Thị Thu Sương", "29/04/1991", "Nữ", "Kinh", "Đại học Sư phạm Địa lý", "THCS",
             "Giáo viên", ""),
            _s("gd26-s09", "Trường THCS Xuân Hòa", style="name"),
            ("gd26-p23", "Nguyễn Văn Hùng", "19/08/1978", "Nam", "Kinh", "Đại học Sư phạm Toán", "THCS",
             "Giáo viên", "xã Xuân Hưng, H. Xuân Lộc"),
            ("gd26-p24", "Lê Thị Ánh", "02/02/1988", "Nữ", "Kinh", "Đại học Sư phạm Sinh học", "THCS", "Giáo viên",
             "xã Xuân Hòa, Xuân Lộc"),
            ("gd26-p25", "Võ Minh Triết", "10/10/1985", "Nam", "Kinh", "Cao đẳng Sư phạm Thể dục", "THCS",
             "Giáo viên", "Xuân Tâm, Xuân Lộc"),
            ("gd26-p26", "Hồ Thị Kim Xuyến", "13/03/1992", "Nữ", "Kinh", "Đại học Sư phạm Tin học", "THCS",
             "Giáo viên", "TT Gia Ray"),
            ("gd26-p27", "Đinh Công Hậu", "26/12/1994", "Nam", "Kinh", "Đại học Sư phạm Lịch sử", "THCS",
             "Giáo viên", "Bảo Hòa, Xuân Lộc"),
            Total("gd26-t1", "Tổng cộng: 27 giáo viên"),
            Note("gd26-n1", {1: "Người lập biểu"}),
            Note("gd26-n2", {1: "Hoàng Thị Thu Trang"}),
        ],
    ),
    H1 + pd.Timedelta(hours=2),
)

# Xã Trảng Bom again (CSV, UTF-8 with BOM): names typed in capitals without diacritics, a status column now.
TRANG_BOM_2026 = CsvFile(
    "2026-H1/ward/26248/ds_tri_thuc_trang_bom_6_thang_2026.csv",
    ["UBND XÃ TRẢNG BOM", "DANH SÁCH TRÍ THỨC 6 THÁNG ĐẦU NĂM 2026"],
    Table(
        columns=["STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn", "Nghề nghiệp",
                 "Nơi làm việc", "Nơi cư trú", "Tình trạng"],
        body=[
            ("tbo26-p01", "NGUYEN VAN BAY", "1968", "Nam", "Kinh", "Đại học Sư phạm Toán", "Giáo viên THPT",
             "Trường THPT Trảng Bom", "Thị trấn Trảng Bom", "Đang công tác"),
            ("tbo26-p02", "LE THI MONG CAM", "1985", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Giáo viên mầm non",
             "Trường MN Sông Trầu", "Sông Trầu", "Đang công tác"),
            ("tbo26-p03", "TRAN QUANG DUNG", "1979", "Nam", "Kinh", "Bác sĩ CKI", "Bác sĩ", "TTYT khu vực Trảng Bom",
             "", "Đang công tác"),
            ("tbo26-p04", "PHAM THI LAN HUONG", "1990", "Nữ", "Kinh", "Đại học Sư phạm Tiểu học",
             "Giáo viên tiểu học", "Trường TH Quảng Tiến", "Quảng Tiến, Trảng Bom", "Đang công tác"),
            ("tbo26-p05", "VU THI HOA", "1976", "Nữ", "Kinh", "Thạc sĩ Quản lý giáo dục", "Hiệu trưởng",
             "Trường THCS Trảng Bom", "", "Nghỉ hưu"),
            ("tbo26-p06", "HA THI THU", "1992", "Nữ", "Tày", "Cao đẳng Điều dưỡng", "Điều dưỡng",
             "TTYT khu vực Trảng Bom", "Bắc Sơn, Trảng Bom", "Đang công tác"),
            ("tbo26-p07", "DANG HUU PHUOC", "1987", "Nam", "Kinh", "Dược sĩ CKI", "Dược sĩ", "Nhà thuốc Hữu Phước",
             "", "Đang công tác"),
            ("tbo26-p08", "LUONG THI KIM ANH", "1993", "Nữ", "Kinh", "Đại học Kế toán - Kiểm toán", "Kế toán",
             "Công ty TNHH Changshin", "Sông Trầu", "Đang công tác"),
            ("tbo26-p09", "BUI VAN CUONG", "1981", "Nam", "Mường", "Cao đẳng Sư phạm Tiểu học",
             "Giáo viên tiểu học", "Trường TH Sông Trầu", "", "Đang công tác"),
            ("tbo26-p10", "NGUYEN THI NGOC MAI", "1989", "Nữ", "Kinh", "Bác sĩ đa khoa", "Bác sĩ",
             "BV Đa khoa Thống Nhất", "Cây Gáo, Trảng Bom", "Đang công tác"),
            ("tbo26-p11", "LE HOANG NAM", "1984", "Nam", "Kinh", "Thạc sĩ", "Giảng viên",
             "Trường Đại học Công nghệ Miền Đông", "", "Đang công tác"),
            ("tbo26-p12", "PHAN THI TUYET", "1963", "Nữ", "Kinh", "Đại học Sư phạm", "Giáo viên", "", "",
             "Nghỉ hưu"),
            ("tbo26-p13", "TRAN VAN LUC", "1958", "Nam", "Kinh", "Kỹ sư Cơ khí", "Kỹ sư", "", "", "Nghỉ hưu"),
            ("tbo26-p14", "NGO THI THANH TAM", "1995", "Nữ", "Hoa", "Cử nhân Ngôn ngữ Trung Quốc",
             "Phiên dịch viên", "Công ty TNHH Pou Chen Việt Nam", "", "Đang công tác"),
            ("tbo26-p15", "HOANG MINH TUAN", "1990", "Nam", "Nùng", "Kỹ sư Nông nghiệp", "Kỹ sư",
             "Phòng Kinh tế xã Trảng Bom", "Thanh Bình, Trảng Bom", "Đang công tác"),
            ("tbo26-p16", "DAO THI HANG", "1988", "Nữ", "Kinh", "Thạc sĩ Y học", "Bác sĩ", "TTYT khu vực Trảng Bom",
             "", "Ở nước ngoài"),
            ("tbo26-p17", "NGUYEN VAN HAU", "1986", "Nam", "Kinh", "Trung cấp Y", "Y sĩ", "Trạm Y tế xã Trảng Bom",
             "", "Đang công tác"),
            ("tbo26-p18", "LE THI THUY TRANG", "1991", "Nữ", "Kinh", "Đại học Sư phạm Tiếng Anh", "Giáo viên THCS",
             "Trường THCS Quảng Tiến", "", "Đang công tác"),
            ("tbo26-p19", "TO VAN HIEP", "1980", "Nam", "Kinh", "Cử nhân Luật", "", "UBND xã Trảng Bom", "",
             "Đang công tác"),
            ("tbo26-p20", "TRAN THI MY HANH", "1996", "Nữ", "Kinh", "Cao đẳng Sư phạm Mầm non", "Giáo viên mầm non",
             "Trường MN Sông Trầu", "", "Đang công tác"),
            ("tbo26-p21", "NGUYEN HUU TAI", "1990", "Nam", "Kinh", "Bác sĩ đa khoa", "Bác sĩ",
             "TTYT khu vực Trảng Bom", "", "Đang công tác"),
            Total("tbo26-t1", "Tổng cộng: 21 người"),
            Note("tbo26-n1", {1: "Người lập biểu"}),
            Note("tbo26-n2", {1: "Lê Thị Hương"}),
        ],
    ),
    H1 + pd.Timedelta(hours=3),
)

# Xã Bình An: the list, then a supplement ("bổ sung") of three people that adds to it.
_BA_COLUMNS = ["STT", "Họ và tên", "Nam", "Nữ", "Dân tộc", "Trình độ", "Chuyên ngành", "Nghề nghiệp",
               "Nơi làm việc", "Địa chỉ thường trú", "Tình trạng"]
BINH_AN_2026 = Workbook(
    "2026-H1/ward/26389/ds_tri_thuc_xa_binh_an_6_thang_2026.xlsx",
    [Sheet("Trí thức", [("ỦY BAN NHÂN DÂN XÃ BÌNH AN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                        ("", "Độc lập - Tự do - Hạnh phúc"), "",
                        "DANH SÁCH TRÍ THỨC TRÊN ĐỊA BÀN XÃ BÌNH AN 6 THÁNG ĐẦU NĂM 2026", ""],
           Table(
               columns=_BA_COLUMNS,
               groups=[("Năm sinh", 2, 3)],
               numbers_row=True,
               body=[
                   _s("ba26-s1", "I. TRÍ THỨC ĐANG CÔNG TÁC, LÀM VIỆC"),
                   ("ba26-p01", "Trịnh Văn Lộc", "1984", "", "Kinh", "Bác sĩ đa khoa", "", "Bác sĩ",
                    "TTYT khu vực Long Thành", "Ấp 1, xã Bình An", "Đang công tác"),
                   ("ba26-p02", "Nguyễn Thị Thanh Thủy", "", "1990", "Kinh", "Đại học Kế toán - Kiểm toán", "Kế toán",
                    "Kế toán viên", "Công ty CP Đồng Tiến", "Ấp 4, xã Long Đức, Long Thành", "Đang làm việc"),
                   ("ba26-p03", "Lê Minh Hoàng", "1987", "", "Kinh", "Kỹ sư Xây dựng", "Xây dựng cầu đường", "Kỹ sư",
                    "Ban Quản lý dự án Cảng hàng không Long Thành", "", "Đang công tác"),
                   ("ba26-p04", "Trần Thị Bảo Ngọc", "", "1991", "Kinh", "Thạc sỹ", "Quản trị kinh doanh",
                    "Giảng viên", "Trường Đại học Công nghệ Đồng Nai", "", ""),
                   ("ba26-p05", "Điểu Văn Hiền", "1989", "", "Chơ Ro", "Cao đẳng Sư phạm", "Tiểu học",
                    "Giáo viên tiểu học", "Trường Tiểu học Bình An", "", "Đang công tác"),
                   ("ba26-p06", "Phạm Văn Dũng", "1972", "", "Kinh", "Tiến sĩ", "Nông học", "Nghiên cứu viên",
                    "Viện Khoa học Kỹ thuật Nông nghiệp miền Nam", "Ấp 2, xã Bình An", "Đang công tác"),
                   ("ba26-p07", "Nguyễn Thị Hồng Vân", "", "1994", "Kinh", "Cao đẳng Điều dưỡng", "", "Điều dưỡng",
                    "Phòng khám Đa khoa Long Thành", "", "Đang làm việc"),
                   ("ba26-p08", "Đỗ Thị Mai", "", "1985", "Kinh", "Đại học Giáo dục Mầm non", "Mầm non",
                    "Giáo viên mầm non", "Trường Mầm non Bình An", "", "Đang công tác"),
                   ("ba26-p09", "Trần Quốc Việt", "1990", "", "Kinh", "KS", "Công nghệ thông tin", "Lập trình viên",
                    "Công ty TNHH FPT Software", "", "Đang làm việc"),
                   ("ba26-p10", "Nguyễn Thị Kim Cúc", "", "1968", "Hoa", "Dược sĩ trung học", "", "Dược sĩ",
                    "Nhà thuốc Kim Cúc", "", "Đang làm việc"),
                   ("ba26-p11", "Lê Thành Công", "1980", "", "Kinh", "Thạc sĩ Quản lý kinh tế", "", "Giám đốc",
                    "Công ty TNHH Thành Công", "", "Đang làm việc"),
                   ("ba26-p12", "Đinh Văn Tuấn", "1976", "", "Kinh", "Đại học", "Kế toán", "",
                    "UBND xã Bình An", "", ""),
                   _s("ba26-s2", "II. TRÍ THỨC NGHỈ HƯU, CHUYỂN ĐI, Ở NƯỚC NGOÀI"),
                   ("ba26-p13", "Nguyễn Hữu Thắng", "1966", "", "Kinh", "BSCKII", "Nội", "Bác sĩ",
                    "TTYT khu vực Long Thành", "Ấp 3, xã Bình An", "Nghỉ hưu"),
                   ("ba26-p14", "Huỳnh Tấn Phát", "1965", "", "Kinh", "Kỹ sư Nông nghiệp", "Trồng trọt", "Kỹ sư", "",
                    "", "Nghỉ hưu"),
                   ("ba26-p15", "Võ Hoàng Yến", "", "1993", "Kinh", "Thạc sĩ", "Ngôn ngữ Anh", "Giáo viên", "", "",
                    "Chuyển đi nơi khác"),
                   ("ba26-p16", "Phan Thị Ngọc Hà", "", "1988", "Kinh", "Tiến sĩ", "Sinh học", "Nghiên cứu viên",
                    "Đại học Tokyo, Nhật Bản", "", "Đang ở nước ngoài"),
                   Total("ba26-t1", "Cộng: 16 người", col=0, span=2),
                   BLANK,
                   Note("ba26-n1", {1: "Người lập biểu", 8: "TM. ỦY BAN NHÂN DÂN"}),
                   Note("ba26-n2", {8: "CHỦ TỊCH"}),
                   BLANK,
                   Note("ba26-n3", {1: "Phạm Thị Lài", 8: "Võ Văn Tám"}),
               ],
           ))],
    H1 + pd.Timedelta(hours=4),
)

BINH_AN_2026_SUPPLEMENT = Workbook(
    "2026-H1/ward/26389/ds_tri_thuc_bo_sung_xa_binh_an_2026.xlsx",
    [Sheet("Bổ sung", [("ỦY BAN NHÂN DÂN XÃ BÌNH AN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "",
                       "DANH SÁCH TRÍ THỨC BỔ SUNG 6 THÁNG ĐẦU NĂM 2026",
                       "(Bổ sung danh sách đã gửi ngày 10/6/2026)", ""],
           Table(
               columns=_BA_COLUMNS,
               groups=[("Năm sinh", 2, 3)],
               body=[
                   ("ba26b-p01", "Nguyễn Văn Tư", "1982", "", "Kinh", "Cử nhân", "Luật", "Công chức tư pháp",
                    "UBND xã Bình An", "", "Đang công tác"),
                   ("ba26b-p02", "Trần Thị Diệu Linh", "", "1997", "Kinh", "Cao đẳng Sư phạm Mầm non", "",
                    "Giáo viên mầm non", "Trường Mầm non Bình An", "", "Đang công tác"),
                   ("ba26b-p03", "Lý Văn Sang", "1986", "", "Hoa", "Kỹ sư Điện", "", "Kỹ sư",
                    "Công ty Điện lực Long Thành", "Ấp 5, xã Bình An", "Đang công tác"),
                   Total("ba26b-t1", "Tổng cộng: 03 người", col=0, span=2),
                   Note("ba26b-n1", {1: "Người lập biểu", 8: "CHỦ TỊCH"}),
               ],
           ))],
    H1 + pd.Timedelta(hours=8),
)

# Phường Trấn Biên: a first list (CSV), then an updated list ("cập nhật") that replaces it: one man removed,
# two people added, one moved from the working to the retired section.
_TRB_COLUMNS = ["STT", "Họ tên", "Năm sinh", "Giới tính", "Số CCCD/ĐDCN", "Trình độ chuyên môn", "Học hàm",
                "Nghề nghiệp", "Đơn vị công tác", "Phường/xã", "Tình trạng"]
TRAN_BIEN_2026 = CsvFile(
    "2026-H1/ward/26041/danh_sach_tri_thuc_phuong_tran_bien.csv",
    ["UBND PHƯỜNG TRẤN BIÊN", "DANH SÁCH TRÍ THỨC NĂM 2026"],
    Table(
        columns=_TRB_COLUMNS,
        body=[
            _s("trb26r-s1", "Trí thức đang công tác", marker="I"),
            ("trb26r-p01", "Phạm Thị Thanh Hương", "1982", "Nữ", "079182006721", "Thạc sĩ Y học", "", "Bác sĩ",
             "Bệnh viện Đa khoa Đồng Nai", "Trấn Biên", ""),
            ("trb26r-p02", "Lê Hoàng Phúc", "1990", "Nam", "075090004518", "Bác sĩ đa khoa", "", "Bác sĩ",
             "BVĐK Đồng Nai", "P. Trấn Biên", ""),
            ("trb26r-p03", "Nguyễn Thị Thùy Dung", "1990", "Nữ", "075190002345", "Dược sĩ đại học", "", "Dược sĩ",
             "BVĐK Đồng Nai", "P. Trung Dũng", ""),
            ("trb26r-p04", "Trần Thị Thanh Tâm", "1988", "Nữ", "075188004567", "Cử nhân Điều dưỡng", "",
             "Điều dưỡng", "BVĐK Đồng Nai", "Bửu Long", ""),
            ("trb26r-p05", "Trần Thị Thu Hà", "1985", "Nữ", "", "Cao đẳng Điều dưỡng", "", "Điều dưỡng",
             "BVĐK Đồng Nai", "P. An Bình", ""),
            ("trb26r-p06", "Nguyễn Minh Quân", "1976", "Nam", "271234567", "PGS.TS", "PGS", "Giảng viên",
             "Trường Đại học Đồng Nai", "P. Quang Vinh", ""),
            ("trb26r-p07", "Hà Văn Thuận", "1992", "Nam", "075092007531", "Kỹ sư Xây dựng", "", "Kỹ sư",
             "Công ty CP Xây dựng số 1", "Thống Nhất, Biên Hòa", ""),
            ("trb26r-p08", "Đặng Thị Ngọc Lan", "1980", "Nữ", "075180009753", "Thạc sĩ", "", "Giáo viên THCS",
             "Trường THCS Trần Hưng Đạo", "Hiệp Hòa, Biên Hòa", ""),
            ("trb26r-p09", "Lưu Quang Minh", "1973", "Nam", "075073008642", "Tiến sĩ", "", "Nghiên cứu viên",
             "Viện Nghiên cứu Tài nguyên và Môi trường Đồng Nai", "P. Trấn Biên", ""),
            _s("trb26r-s2", "Trí thức đã nghỉ hưu", marker="II"),
            ("trb26r-p10", "Nguyễn Thị Hạnh", "1958", "Nữ", "075158001112", "Đại học Sư phạm", "", "Giáo viên",
             "", "P. Trấn Biên", "Nghỉ hưu"),
            ("trb26r-p11", "Lê Văn Chín", "1957", "Nam", "", "Kỹ sư", "", "Kỹ sư", "", "Trung Dũng", "Nghỉ hưu"),
            ("trb26r-p12", "Trần Văn Mười", "1961", "Nam", "", "Cao đẳng", "", "", "", "P. Tam Hiệp", "Nghỉ hưu"),
            Total("trb26r-t1", "Tổng cộng: 12 người", col=1, span=1),
        ],
    ),
    H1 + pd.Timedelta(hours=5),
)

TRAN_BIEN_2026_UPDATE = Workbook(
    "2026-H1/ward/26041/danh_sach_tri_thuc_phuong_tran_bien_cap_nhat.xlsx",
    [Sheet("Cập nhật", [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                        ("PHƯỜNG TRẤN BIÊN", "Độc lập - Tự do - Hạnh phúc"), "",
                        "DANH SÁCH TRÍ THỨC NĂM 2026 (CẬP NHẬT, THAY THẾ DANH SÁCH ĐÃ GỬI)", ""],
           Table(
               columns=_TRB_COLUMNS,
               numbers_row=True,
               body=[
                   _s("trb26u-s1", "I. TRÍ THỨC ĐANG CÔNG TÁC", style="name"),
                   ("trb26u-p01", "Phạm Thị Thanh Hương", "1982", "Nữ", "079182006721", "Thạc sĩ Y học", "",
                    "Bác sĩ", "Bệnh viện Đa khoa Đồng Nai", "Trấn Biên", ""),
                   ("trb26u-p02", "Lê Hoàng Phúc", "1990", "Nam", "075090004518", "Bác sĩ đa khoa", "", "Bác sĩ",
                    "BVĐK Đồng Nai", "P. Trấn Biên", ""),
                   ("trb26u-p03", "Nguyễn Thị Thùy Dung", "1990", "Nữ", "075190002345", "Dược sĩ đại học", "",
                    "Dược sĩ", "BVĐK Đồng Nai", "P. Trung Dũng", ""),
                   ("trb26u-p04", "Trần Thị Thanh Tâm", "1988", "Nữ", "075188004567", "Cử nhân Điều dưỡng", "",
                    "Điều dưỡng", "BVĐK Đồng Nai", "Bửu Long", ""),
                   ("trb26u-p05", "Trần Thị Thu Hà", "1985", "Nữ", "", "Cao đẳng Điều dưỡng", "", "Điều dưỡng",
                    "BVĐK Đồng Nai", "P. An Bình", ""),
                   ("trb26u-p06", "Nguyễn Minh Quân", "1976", "Nam", "271234567", "PGS.TS", "PGS", "Giảng viên",
                    "Trường Đại học Đồng Nai", "P. Quang Vinh", ""),
                   ("trb26u-p07", "Hà Văn Thuận", "1992", "Nam", "075092007531", "Kỹ sư Xây dựng", "", "Kỹ sư",
                    "Công ty CP Xây dựng số 1", "Thống Nhất, Biên Hòa", ""),
                   ("trb26u-p08", "Đặng Thị Ngọc Lan", "1980", "Nữ", "075180009753", "Thạc sĩ", "",
                    "Giáo viên THCS", "Trường THCS Trần Hưng Đạo", "Hiệp Hòa, Biên Hòa", ""),
                   ("trb26u-p09", "Vũ Thị Thanh Nhàn", "1991", "Nữ", "075191004682", "Cử nhân", "",
                    "Giáo viên tiểu học", "Trường Tiểu học Nguyễn Du", "P. Trấn Biên", ""),
                   ("trb26u-p10", "Kiều Minh Triết", "1986", "Nam", "075086005791", "Thạc sĩ", "", "Kỹ sư",
                    "Công ty TNHH Hyosung Đồng Nai", "KP 3, P. Thống Nhất, TP. Biên Hòa", ""),
                   _s("trb26u-s2", "II. TRÍ THỨC ĐÃ NGHỈ HƯU", style="name"),
                   ("trb26u-p11", "Lưu Quang Minh", "1973", "Nam", "075073008642", "Tiến sĩ", "",
                    "Nghiên cứu viên", "", "P. Trấn Biên", "Nghỉ hưu từ 01/2026"),
                   ("trb26u-p12", "Nguyễn Thị Hạnh", "1958", "Nữ", "075158001112", "Đại học Sư phạm", "",
                    "Giáo viên", "", "P. Trấn Biên", "Nghỉ hưu"),
                   ("trb26u-p13", "Lê Văn Chín", "1957", "Nam", "", "Kỹ sư", "", "Kỹ sư", "", "Trung Dũng",
                    "Nghỉ hưu"),
                   Total("trb26u-t1", "Tổng cộng: 13 người", col=0, span=2),
                   BLANK,
                   Note("trb26u-n1", {1: "Người lập biểu", 8: "TM. ỦY BAN NHÂN DÂN"}),
                   Note("trb26u-n2", {8: "CHỦ TỊCH"}),
                   BLANK,
                   Note("trb26u-n3", {1: "Nguyễn Văn Sáng", 8: "Huỳnh Văn Tùng"}),
               ],
           ))],
    H1 + pd.Timedelta(hours=9),
)

# Phường Long Khánh: CSV saved by an old Windows tool in Windows-1258 (tone marks as combining characters).
LONG_KHANH_2026 = CsvFile(
    "2026-H1/ward/26080/ds_tri_thuc_phuong_long_khanh_2026.csv",
    ["UBND PHƯỜNG LONG KHÁNH", "DANH SÁCH TRÍ THỨC NĂM 2026"],
    Table(
        columns=["STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Trình độ", "Chuyên ngành", "Nghề nghiệp",
                 "Cơ quan công tác", "Địa chỉ", "Tình trạng"],
        body=[
            _s("lk26-s1", "Trí thức đang làm việc", marker="I"),
            ("lk26-p01", "Lê Văn Nam", "1975", "Nam", "Kinh", "Kỹ sư", "Cơ khí chế tạo máy", "Kỹ sư",
             "Công ty CP Cơ khí Long Khánh", "KP 2, P. Xuân An", ""),
            ("lk26-p02", "Nguyễn Hoàng Phi", "1985", "Nam", "Kinh", "Bác sĩ CKI", "Ngoại", "Bác sĩ",
             "Bệnh viện Đa khoa khu vực Long Khánh", "P. Xuân Bình", ""),
            ("lk26-p03", "Trần Thị Hoa Mai", "1990", "Nữ", "Kinh", "Đại học", "Sư phạm Mầm non", "Giáo viên mầm non",
             "Trường Mầm non Bàu Sen", "P. Phú Bình, TP Long Khánh", ""),
            ("lk26-p04", "Hoàng Thị Xuân", "1988", "Nữ", "Nùng", "Thạc sĩ", "Quản lý giáo dục", "Giáo viên THCS",
             "Trường THCS Lê Lợi", "", ""),
            ("lk26-p05", "Phạm Minh Đức", "1983", "Nam", "Kinh", "Thạc sĩ", "Công nghệ sinh học", "Nghiên cứu viên",
             "Trung tâm Ứng dụng tiến bộ KH&CN Đồng Nai", "KP 4, P. Xuân Hoà, TP. Long Khánh", ""),
            ("lk26-p06", "Lê Thị Bích Trâm", "1992", "Nữ", "Kinh", "Dược sĩ đại học", "", "Dược sĩ",
             "Nhà thuốc Bích Trâm", "", ""),
            ("lk26-p07", "Nguyễn Văn Tâm", "1970", "Nam", "Kinh", "Tiến sĩ", "Kinh tế", "Giảng viên",
             "Trường Đại học Lạc Hồng", "", ""),
            ("lk26-p08", "Đoàn Thị Hương Giang", "1986", "Nữ", "Kinh", "Cao đẳng", "Kế toán", "Kế toán", "", "", ""),
            ("lk26-p09", "Vũ Đức Thắng", "1991", "Nam", "Kinh", "Kỹ sư Điện - Điện tử", "", "Kỹ sư",
             "Công ty Điện lực Long Khánh", "xã Hàng Gòn", ""),
            ("lk26-p10", "Nguyễn Thị Phương", "1989", "Nữ", "Kinh", "Bác sĩ đa khoa", "", "Bác sĩ",
             "BVĐK khu vực Long Khánh", "Suối Tre, Long Khánh", ""),
            ("lk26-p11", "Trương Văn Lâm", "1978", "Nam", "Kinh", "Kỹ sư Lâm nghiệp", "", "Kỹ sư",
             "Hạt Kiểm lâm Long Khánh", "P. Bảo Vinh", ""),
            ("lk26-p12", "Ngô Thị Hồng Thắm", "1987", "Nữ", "Kinh", "Đại học Sư phạm", "Tiểu học",
             "Giáo viên tiểu học", "Trường Tiểu học Xuân Bình", "", ""),
            ("lk26-p13", "Huỳnh Thị Mai Anh", "1993", "Nữ", "Kinh", "Cao đẳng Dược", "", "Dược sĩ",
             "Nhà thuốc Mai Anh", "Xuân Tân, Long Khánh", ""),
            _s("lk26-s2", "Trí thức nghỉ hưu, ra nước ngoài", marker="II"),
            ("lk26-p14", "Nguyễn Văn Thái", "1960", "Nam", "Kinh", "Kỹ sư nông nghiệp", "", "Kỹ sư", "", "Bàu Trâm",
             "Nghỉ hưu"),
            ("lk26-p15", "Trần Thị Ngọc Ánh", "1994", "Nữ", "Kinh", "Cao đẳng Điều dưỡng", "", "Điều dưỡng",
             "Bệnh viện ở Hàn Quốc", "", "Ở nước ngoài"),
            Total("lk26-t1", "Tổng cộng: 15 người"),
            Note("lk26-n1", {1: "Người lập biểu"}),
            Note("lk26-n2", {1: "Bùi Thị Ngọc Hân"}),
        ],
    ),
    H1 + pd.Timedelta(hours=6),
    encoding="cp1258",
)


FILES: list[Workbook | CsvFile] = [
    SYT_2025, TAM_HIEP_2025, LHH_2025, XUAN_LOC_2025, DNU_2025, CDYT_2025, GD_2025, TRANG_BOM_2025,
    DNU_2026, CDYT_2026, GD_2026, TRANG_BOM_2026, BINH_AN_2026, TRAN_BIEN_2026, LONG_KHANH_2026,
    BINH_AN_2026_SUPPLEMENT, TRAN_BIEN_2026_UPDATE,
]
# Files a unit's computer leaves beside its list: an Excel lock file and a macOS folder index. Each must get a
# manifest row saying it was ignored, and why.
JUNK_FILES: dict[str, bytes] = {
    "2025-H2/ward/26017/~$danh_sach.xlsx": b"\x0bNguyen Van A" + b"\x20" * 40 + b"\x00" * 110,
    "2025-H2/ward/26017/.DS_Store": b"\x00\x00\x00\x01Bud1" + b"\x00" * 2040,
}
JUNK_MTIME = H2 + pd.Timedelta(hours=7)


# --- writers -------------------------------------------------------------------------------------------


def _check_widths(table: Table, where: str) -> None:
    width = len(table.columns) - (1 if table.stt else 0)
    for item in table.body:
        if isinstance(item, tuple) and len(item) - 1 != width:
            raise ValueError(f"{where}: row {item[0]} has {len(item) - 1} cells, the table has {width}")


def _header_lines(table: Table) -> int:
    return (2 if table.groups else 1) + (1 if table.numbers_row else 0)


def _csv_lines(table: Table, title: list[str]) -> tuple[list[list[str]], dict[str, int]]:
    """Every line of a CSV (cells as text) and the 1-based line number of every labelled row."""
    width = len(table.columns)
    lines: list[list[str]] = [[t] + [""] * (width - 1) for t in title]
    if title:
        lines.append([""] * width)  # Excel's "Save as CSV" keeps the empty line under the title
    if table.groups:
        raise ValueError("a CSV has a one-line header")
    lines.append(list(table.columns))
    if table.numbers_row:
        lines.append([f"({i})" for i in range(1, width + 1)])
    placement: dict[str, int] = {}
    number = 0
    for item in table.body:
        row = [""] * width
        if item is BLANK:
            pass
        elif isinstance(item, Section):
            if item.style == "name":
                row[1] = item.text
            else:
                row[0], row[1] = item.marker, item.text
        elif isinstance(item, Total):
            row[item.col] = item.text
        elif isinstance(item, Note):
            for col, text in item.cells.items():
                row[col] = text
        else:
            number += 1
            cells = [_text(c) for c in item[1:]]
            row = ([str(number)] if table.stt else []) + cells
        if item is not BLANK:
            placement[item.rid if not isinstance(item, tuple) else item[0]] = len(lines) + 1
        lines.append(row)
    return lines, placement


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: letters with a tone take the base letter and a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in parts if m in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS))
        out += (base + tone).encode("cp1258")
    return bytes(out)


def _write_csv(spec: CsvFile, path: Path) -> dict[str, int]:
    _check_widths(spec.table, spec.path)
    lines, placement = _csv_lines(spec.table, spec.title)
    buf = io.StringIO()
    csv.writer(buf, delimiter=spec.delimiter, lineterminator="\r\n").writerows(lines)
    text = buf.getvalue()
    if spec.encoding == "cp1258":
        data = _cp1258(text)
    else:
        data = text.encode(spec.encoding)  # 'utf-16' writes its BOM, 'utf-8-sig' too
    path.write_bytes(data)
    return placement


def _write_workbook(spec: Workbook, path: Path) -> dict[tuple[str, str], int]:
    placement: dict[tuple[str, str], int] = {}
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    title_fmt = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    numbers = wb.add_format({"italic": True, "align": "center", "border": 1})
    cell = wb.add_format({"border": 1})
    date_fmt = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
    section_fmt = wb.add_format({"bold": True, "border": 1})
    total_fmt = wb.add_format({"bold": True, "border": 1, "align": "center"})
    for sheet in spec.sheets:
        table = sheet.table
        _check_widths(table, f"{spec.path} [{sheet.name}]")
        ws = wb.add_worksheet(sheet.name)
        width = len(table.columns)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 26)
        ws.set_column(2, width - 1, 16)
        r = 0
        half = max(width // 2, 2)
        for line in sheet.title:
            if isinstance(line, tuple):
                left, right = line
                if left:
                    ws.merge_range(r, 0, r, half - 2, left, title_fmt)
                if right:
                    ws.merge_range(r, half - 1, r, width - 1, right, title_fmt)
            elif line:
                ws.merge_range(r, 0, r, width - 1, line, title_fmt)
            r += 1
        # header: one row, or a group label over its columns with every other label merged down two rows
        if table.groups:
            grouped = {c for _, first, last in table.groups for c in range(first, last + 1)}
            for label, first, last in table.groups:
                ws.merge_range(r, first, r, last, label, head)
                for c in range(first, last + 1):
                    ws.write(r + 1, c, table.columns[c], head)
            for c, label in enumerate(table.columns):
                if c not in grouped:
                    ws.merge_range(r, c, r + 1, c, label, head)
            r += 2
        else:
            for c, label in enumerate(table.columns):
                ws.write(r, c, label, head)
            r += 1
        if table.numbers_row:
            for c in range(width):
                ws.write(r, c, f"({c + 1})", numbers)
            r += 1
        number = 0
        for item in table.body:
            if item is BLANK:
                r += 1
                continue
            if isinstance(item, Section):
                if item.style == "merge":
                    ws.merge_range(r, 0, r, width - 1, item.text, section_fmt)
                elif item.style == "stt":
                    ws.write(r, 0, item.marker, section_fmt)
                    ws.merge_range(r, 1, r, width - 1, item.text, section_fmt)
                else:
                    ws.write(r, 1, item.text, bold)
                placement[(sheet.name, item.rid)] = r + 1
            elif isinstance(item, Total):
                if item.span > 1:
                    ws.merge_range(r, item.col, r, item.col + item.span - 1, item.text, total_fmt)
                else:
                    ws.write(r, item.col, item.text, total_fmt)
                placement[(sheet.name, item.rid)] = r + 1
            elif isinstance(item, Note):
                for col, text in item.cells.items():
                    ws.write(r, col, text, bold if text.isupper() else None)
                placement[(sheet.name, item.rid)] = r + 1
            else:
                number += 1
                c0 = 0
                if table.stt:
                    ws.write_number(r, 0, number, cell)
                    c0 = 1
                for c, value in enumerate(item[1:], start=c0):
                    if isinstance(value, date):
                        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_fmt)
                    elif isinstance(value, int):
                        ws.write_number(r, c, value, cell)  # a CCCD typed as a number: its leading 0 is gone
                    elif value:
                        ws.write_string(r, c, value, cell)
                    else:
                        ws.write_blank(r, c, None, cell)
                placement[(sheet.name, item[0])] = r + 1
            r += 1
    wb.close()
    return placement


def _set_mtime(path: Path, when: datetime) -> None:
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def build_landing(out: Path) -> pd.DataFrame:
    """Write every file of the corpus under the landing zone ``out`` (files dated in the past, in the order a
    unit sent them: a supplement or an update after the list it adds to or replaces) and return where each
    labelled row landed: ``rid, source_file, sheet_name, source_row`` (the row number a person sees; for CSV the
    line number; sheet '' for CSV)."""
    rows: list[dict[str, object]] = []
    for spec in FILES:
        path = out / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, CsvFile):
            for rid, line in _write_csv(spec, path).items():
                rows.append({"rid": rid, "source_file": spec.path, "sheet_name": "", "source_row": line})
        else:
            for (sheet, rid), line in _write_workbook(spec, path).items():
                rows.append({"rid": rid, "source_file": spec.path, "sheet_name": sheet, "source_row": line})
        _set_mtime(path, spec.mtime)
    for rel, data in JUNK_FILES.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        _set_mtime(path, JUNK_MTIME)
    placement = pd.DataFrame(rows, columns=["rid", "source_file", "sheet_name", "source_row"])
    if placement["rid"].duplicated().any():
        raise ValueError(f"duplicate rids: {sorted(placement.loc[placement['rid'].duplicated(), 'rid'])}")
    return placement.astype({"source_row": "int64"})
