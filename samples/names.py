"""Vietnamese names, employers and other vocabulary for the sample population (constants only)."""

from __future__ import annotations

# Family names with rough national frequencies (per cent); the south-east has more Huỳnh/Võ.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 36.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.5), ("Huỳnh", 3.0),
    ("Phan", 4.5), ("Vũ", 3.0), ("Võ", 3.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.8), ("Lâm", 0.5),
    ("Mai", 0.5), ("Trịnh", 0.4), ("Đoàn", 0.5), ("Lương", 0.4), ("Cao", 0.3), ("Tạ", 0.2),
    ("Hà", 0.4), ("Châu", 0.2), ("Quách", 0.1), ("Thái", 0.2), ("Tô", 0.2), ("Lưu", 0.2),
)
MIDDLE_MALE: tuple[str, ...] = (
    "Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Công", "Xuân", "Hoàng", "Ngọc",
    "Tấn", "Đình", "Trọng", "Anh", "Thành", "Duy", "Quang", "Bá", "Tuấn",
)
MIDDLE_FEMALE: tuple[str, ...] = (
    "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Hồng", "Mỹ", "Phương",
    "Bích", "Thúy", "Hoài", "Diễm", "Khánh", "Thị Thu", "Thị Ngọc", "Thị Kim",
)
GIVEN_MALE: tuple[str, ...] = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Long", "Nam", "Phúc", "Quang", "Sơn", "Thắng", "Trung",
    "Việt", "Cường", "Đạt", "Hiếu", "Huy", "Khoa", "Lâm", "Lộc", "Nghĩa", "Phong", "Tài", "Thành",
    "Thịnh", "Toàn", "Trí", "Vinh", "Vũ", "Bảo", "Hưng", "Khải", "Kiên", "Tâm", "Thiện", "An",
    "Hoàng", "Duy", "Tùng", "Khánh", "Nhân", "Phát", "Tín", "Quý", "Hậu", "Thuận",
)
GIVEN_FEMALE: tuple[str, ...] = (
    "Lan", "Hương", "Mai", "Hoa", "Linh", "Trang", "Thảo", "Hà", "Ngọc", "Nhung", "Phương", "Thủy",
    "Yến", "Hạnh", "Hằng", "Hiền", "Huyền", "Loan", "My", "Ngân", "Nga", "Oanh", "Quyên", "Tâm",
    "Thư", "Trinh", "Uyên", "Vân", "Vy", "Xuân", "Dung", "Giang", "Liên", "Nhi", "Anh", "Diệp",
    "Tuyết", "Thanh", "Hồng", "Duyên",
)
# Names typical of minority groups living in Đồng Nai / former Bình Phước (family names by group).
MINORITY_FAMILY: dict[str, tuple[str, ...]] = {
    "04": ("Lý", "Lâm", "Quách", "Châu", "Trịnh", "Tăng", "Diệp", "Mã"),  # Hoa (1979 code 04)
    "05": ("Thạch", "Danh", "Sơn", "Kim", "Lâm"),  # Khơ-me
    "22": ("Điểu", "Thị", "Điểu"),  # Xtiêng
    "28": ("Điểu", "K'"),  # Mạ
    "32": ("Đào", "Điểu", "Thổ"),  # Chơ-ro
}

# Deliberate namesakes: several different people carry each of these names.
NAMESAKES: tuple[tuple[str, str], ...] = (
    ("Nguyễn Văn Hùng", "M"),
    ("Nguyễn Thị Lan", "F"),
    ("Trần Văn Minh", "M"),
    ("Lê Thị Hương", "F"),
    ("Nguyễn Thị Thu Hà", "F"),
)

# Ethnicity (code_1979_qd121) weights for intellectuals in the city.
ETHNICITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("01", 92.0), ("04", 3.0), ("05", 0.7), ("02", 0.8), ("07", 1.0), ("32", 0.4), ("22", 0.5),
    ("28", 0.3), ("06", 0.3), ("03", 0.3), ("09", 0.2), ("18", 0.2), ("08", 0.1),
)
# How clerks write each ethnicity (first = most common). Typos planted separately.
ETHNICITY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "01": ("Kinh", "Kinh", "Kinh", "Việt", "kinh", "Kinh (Việt)"),
    "02": ("Tày", "Tay"),
    "03": ("Thái",),
    "04": ("Hoa", "Hoa", "Người Hoa", "Hoa (Hán)"),
    "05": ("Khmer", "Khơ-me", "Khơ me", "Khơme"),
    "06": ("Mường",),
    "07": ("Nùng", "Nung"),
    "08": ("Mông", "H'Mông"),
    "09": ("Dao",),
    "18": ("Sán Dìu",),
    "22": ("Stiêng", "Xtiêng", "X'Tiêng"),
    "28": ("Mạ", "Châu Mạ"),
    "32": ("Chơ Ro", "Châu Ro", "Chơ-ro"),
}
ETHNICITY_TYPOS: tuple[str, ...] = ("Kinhh", "Knh", "Kinh Việt Nam", "Hoa kiều", "Dtts")

# Employers by kind: (name, employer_type_code).
HOSPITALS: tuple[tuple[str, str], ...] = (
    ("Bệnh viện Đa khoa Đồng Nai", "DVSNCL"),
    ("Bệnh viện Đa khoa Thống Nhất", "DVSNCL"),
    ("Bệnh viện Nhi đồng Đồng Nai", "DVSNCL"),
    ("Bệnh viện Đa khoa khu vực Long Khánh", "DVSNCL"),
    ("Bệnh viện Đa khoa khu vực Định Quán", "DVSNCL"),
    ("Bệnh viện Đa khoa tỉnh Bình Phước", "DVSNCL"),
    ("Bệnh viện Phổi Đồng Nai", "DVSNCL"),
    ("Bệnh viện Y dược cổ truyền Đồng Nai", "DVSNCL"),
    ("Trung tâm Y tế khu vực Nhơn Trạch", "DVSNCL"),
    ("Trung tâm Y tế khu vực Trảng Bom", "DVSNCL"),
    ("Trung tâm Kiểm soát bệnh tật thành phố", "DVSNCL"),
    ("Bệnh viện Quốc tế Hoàn Mỹ Đồng Nai", "DNTN"),
    ("Bệnh viện Đại học Y Dược Shing Mark", "DNTN"),
)
SCHOOL_PATRONS: tuple[str, ...] = (
    "Ngô Quyền", "Lê Hồng Phong", "Nguyễn Du", "Trần Hưng Đạo", "Lương Thế Vinh", "Nguyễn Trãi",
    "Chu Văn An", "Lê Quý Đôn", "Nguyễn Bỉnh Khiêm", "Trần Phú", "Võ Thị Sáu", "Kim Đồng",
    "Nguyễn Khuyến", "Phan Bội Châu", "Hùng Vương", "Quang Trung", "Lý Thường Kiệt", "Tô Hiến Thành",
)
SCHOOL_PREFIX: dict[str, tuple[str, ...]] = {
    "preschool": ("Trường Mầm non", "Trường MN"),
    "primary": ("Trường Tiểu học", "Trường TH"),
    "lower_secondary": ("Trường THCS",),
    "upper_secondary": ("Trường THPT",),
}
PRESCHOOL_NAMES: tuple[str, ...] = ("Hoa Mai", "Sơn Ca", "Hướng Dương", "Họa Mi", "Tuổi Thơ", "Bông Sen", "Vành Khuyên")
INSTITUTES: tuple[tuple[str, str], ...] = (
    ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Đồng Nai", "TCKHCN_CL"),
    ("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Đồng Nai", "TCKHCN_CL"),
    ("Trung tâm Công nghệ sinh học Đồng Nai", "TCKHCN_CL"),
    ("Trung tâm Nghiên cứu thực nghiệm nông nghiệp Hưng Lộc", "TCKHCN_CL"),
    ("Viện Nghiên cứu và Phát triển công nghệ Lạc Hồng", "TCKHCN_NCL"),
    ("Trung tâm Nghiên cứu ứng dụng công nghệ môi trường Miền Đông", "TCKHCN_NCL"),
)
ENTERPRISES: tuple[tuple[str, str], ...] = (
    ("Tổng Công ty Công nghiệp Sài Gòn - Tín Nghĩa", "DNNN"),
    ("Tổng Công ty Sonadezi", "DNNN"),
    ("Công ty TNHH Hyosung Việt Nam", "DNFDI"),
    ("Công ty TNHH Changshin Việt Nam", "DNFDI"),
    ("Công ty TNHH Bosch Việt Nam", "DNFDI"),
    ("Công ty TNHH Fujitsu Việt Nam", "DNFDI"),
    ("Công ty TNHH Pouchen Việt Nam", "DNFDI"),
    ("Công ty Cổ phần Đồng Tâm", "DNTN"),
    ("Công ty TNHH Cơ khí Phú Thịnh", "DNTN"),
    ("Công ty Cổ phần Xây dựng Đồng Nai", "DNTN"),
    ("Công ty TNHH Phần mềm Biên Hòa", "DNTN"),
    ("Công ty Cổ phần Thực phẩm Biên Hòa", "DNTN"),
    ("Công ty TNHH Điện tử Amkor Technology", "DNFDI"),
)
AGENCIES: tuple[tuple[str, str], ...] = (
    ("Sở Khoa học và Công nghệ", "CQNN"),
    ("Sở Nội vụ", "CQNN"),
    ("Sở Tài chính", "CQNN"),
    ("Sở Nông nghiệp và Môi trường", "CQNN"),
    ("Sở Xây dựng", "CQNN"),
    ("Sở Công Thương", "CQNN"),
    ("Văn phòng UBND thành phố", "CQNN"),
    ("Ban Quản lý các Khu công nghiệp", "CQNN"),
    ("Trung tâm Khuyến nông", "DVSNCL"),
    ("Đài Phát thanh và Truyền hình Đồng Nai", "DVSNCL"),
    ("Trung tâm Dịch vụ việc làm", "DVSNCL"),
)
OTHER_EMPLOYERS: tuple[tuple[str, str], ...] = (
    ("Văn phòng Luật sư Trí Việt", "TUDO"),
    ("Hội Kiến trúc sư Đồng Nai", "HOI"),
    ("Hội Luật gia thành phố", "HOI"),
    ("Công ty TNHH Kiểm toán Phía Nam", "DNTN"),
    ("Hành nghề tự do", "TUDO"),
)
ABROAD_EMPLOYERS: tuple[str, ...] = (
    "Đại học Quốc gia Singapore", "Đại học Tokyo (Nhật Bản)", "Viện Fraunhofer (CHLB Đức)",
    "Đại học Melbourne (Úc)", "Samsung Electronics (Hàn Quốc)", "Đại học Texas (Hoa Kỳ)",
)

FACULTIES: tuple[tuple[str, str], ...] = (
    ("Khoa Công nghệ thông tin", "102"), ("Khoa Kỹ thuật điện - điện tử", "202"),
    ("Khoa Cơ khí", "203"), ("Khoa Kinh tế", "502"), ("Khoa Sư phạm", "503"),
    ("Khoa Ngoại ngữ", "602"), ("Khoa Khoa học cơ bản", "101"), ("Khoa Môi trường", "207"),
    ("Khoa Nông Lâm", "404"), ("Khoa Y", "302"), ("Khoa Dược", "304"), ("Khoa Điều dưỡng", "303"),
    ("Khoa Luật", "505"), ("Khoa Công nghệ thực phẩm", "211"), ("Khoa Hóa học", "104"),
    ("Khoa Công nghệ sinh học", "209"), ("Khoa Xây dựng", "201"),
)
MAJORS: dict[str, tuple[str, ...]] = {
    "101": ("Toán học", "Toán ứng dụng", "Thống kê"),
    "102": ("Công nghệ thông tin", "Khoa học máy tính", "Hệ thống thông tin"),
    "104": ("Hóa học", "Hóa phân tích"),
    "201": ("Kỹ thuật xây dựng", "Xây dựng dân dụng và công nghiệp"),
    "202": ("Kỹ thuật điện", "Điện tử viễn thông", "Tự động hóa"),
    "203": ("Kỹ thuật cơ khí", "Cơ điện tử", "Chế tạo máy"),
    "207": ("Kỹ thuật môi trường", "Quản lý môi trường"),
    "209": ("Công nghệ sinh học",),
    "211": ("Công nghệ thực phẩm",),
    "302": ("Nội khoa", "Ngoại khoa", "Nhi khoa", "Sản phụ khoa", "Chẩn đoán hình ảnh", "Gây mê hồi sức", "Y đa khoa"),
    "303": ("Điều dưỡng", "Y tế công cộng"),
    "304": ("Dược học",),
    "401": ("Khoa học cây trồng", "Bảo vệ thực vật"),
    "404": ("Lâm sinh", "Quản lý tài nguyên rừng"),
    "502": ("Quản trị kinh doanh", "Kế toán", "Tài chính - Ngân hàng", "Kinh tế"),
    "503": ("Giáo dục mầm non", "Giáo dục tiểu học", "Sư phạm Toán", "Sư phạm Ngữ văn", "Sư phạm Tiếng Anh", "Quản lý giáo dục"),
    "505": ("Luật", "Luật kinh tế"),
    "506": ("Chính trị học", "Quản lý nhà nước"),
    "602": ("Ngôn ngữ Anh", "Văn học"),
}
POSITIONS: dict[str, tuple[str, ...]] = {
    "lecturer": ("", "", "", "Trưởng khoa", "Phó Trưởng khoa", "Trưởng bộ môn", "Phó Hiệu trưởng"),
    "doctor": ("", "", "Trưởng khoa", "Phó Trưởng khoa", "Giám đốc", "Phó Giám đốc"),
    "teacher": ("", "", "", "Tổ trưởng chuyên môn", "Hiệu trưởng", "Phó Hiệu trưởng"),
    "researcher": ("", "", "Trưởng phòng", "Phó Giám đốc"),
    "engineer": ("", "", "Trưởng phòng kỹ thuật", "Giám đốc kỹ thuật"),
    "manager": ("Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Phó Giám đốc Sở", "Chánh Văn phòng"),
    "other": ("", "", ""),
}
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "lecturer": ("Giảng viên", "Giảng viên chính", "Giảng viên cao cấp", "GV"),
    "doctor": ("Bác sĩ", "Bác sĩ chính", "Bác sỹ", "BS"),
    "teacher": ("Giáo viên", "GV", "Giáo viên hạng II", "Giáo viên hạng III"),
    "researcher": ("Nghiên cứu viên", "Nghiên cứu viên chính", "NCV"),
    "engineer": ("Kỹ sư", "Kỹ sư chính", "KS"),
    "manager": ("Chuyên viên", "Chuyên viên chính", "Lãnh đạo, quản lý"),
    "other": ("Khác", "Luật sư", "Kiến trúc sư", "Kế toán viên"),
}
TEACHING_LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "preschool": ("Mầm non", "MN", "Mầm non"),
    "primary": ("Tiểu học", "TH", "Tiểu học"),
    "lower_secondary": ("THCS", "Trung học cơ sở", "THCS"),
    "upper_secondary": ("THPT", "Trung học phổ thông", "THPT"),
}
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "ACTIVE": ("Đang công tác", "Đang làm việc", "Đang công tác", "Đang CT"),
    "RETIRED": ("Nghỉ hưu", "Đã nghỉ hưu", "Nghỉ hưu"),
    "MOVED_AWAY": ("Chuyển đi", "Chuyển công tác ngoài tỉnh", "Chuyển đi nơi khác"),
    "ABROAD": ("Ở nước ngoài", "Đang ở nước ngoài", "Đi nước ngoài"),
    "DECEASED": ("Đã mất", "Từ trần", "Đã mất"),
}
EMPLOYER_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "CQNN": ("Cơ quan nhà nước", "Cơ quan hành chính nhà nước", "CQHCNN"),
    "DVSNCL": ("Đơn vị sự nghiệp công lập", "ĐVSN công lập", "Sự nghiệp công lập"),
    "TCKHCN_CL": ("Tổ chức KH&CN công lập", "Viện/Trung tâm NC công lập"),
    "TCKHCN_NCL": ("Tổ chức KH&CN ngoài công lập",),
    "DH_CL": ("Trường ĐH, CĐ công lập",),
    "DH_TT": ("Trường ĐH, CĐ tư thục",),
    "DNNN": ("Doanh nghiệp nhà nước", "DNNN"),
    "DNTN": ("Doanh nghiệp tư nhân", "Doanh nghiệp ngoài nhà nước", "Công ty TNHH"),
    "DNFDI": ("Doanh nghiệp FDI", "DN có vốn đầu tư nước ngoài"),
    "HOI": ("Hội, tổ chức xã hội - nghề nghiệp",),
    "TUDO": ("Tự do", "Hành nghề tự do"),
    "QT": ("Tổ chức nước ngoài",),
    "HUU": ("Nghỉ hưu",),
}
UNMAPPED_QUALIFICATIONS: tuple[str, ...] = (
    "Kỹ thuật viên cao cấp", "Chuyên viên chính", "Cử nhân chính trị cao cấp", "Đang học NCS",
)
SIGNERS: tuple[str, ...] = ("Nguyễn Thị Bích Ngọc", "Trần Minh Tâm", "Lê Văn Phước", "Phạm Thị Hồng Nhung", "Võ Thanh Bình")
