"""Aggregate and register datasets (population, budget, S&T tasks, patents...): true values and sheets."""

from __future__ import annotations

import random

from .population import CodeLists
from .writers import Row, Sheet


def fmt_int(v: int, style: int) -> object:
    """Numbers as clerks type them: a number cell, '1.234.567' (Vietnamese separators) or '1,234,567'."""
    if style == 0:
        return v
    if style == 1:
        return f"{v:,}".replace(",", ".")
    if style == 2:
        return f"{v:,}"
    return str(v)


def _sheet(name: str, title: str, header: list[str], rows: list[tuple[list[object], dict]], dataset: str,
           period: str, total: list[object] | None = None, note: str | None = None) -> Sheet:
    body = [Row("data", list(cells), agg={"dataset": dataset, "period": period, **truth}) for cells, truth in rows]
    if total is not None:
        body.append(Row("total", total))
    if note:
        body.append(Row("blank", [""] * len(header)))
        body.append(Row("note", [note]))
    return Sheet(name=name, title=[[title], [""]], header=[header], body=body,
                 title_merges=[(0, 0, 0, max(len(header) - 1, 1))], widths={1: 40})


def population_sheet(rng: random.Random, codes: CodeLists, period: str, numstyle: int) -> Sheet:
    year = int(period[:4])
    wards = sorted(codes.wards.values(), key=lambda w: w.code)
    raw = [rng.lognormvariate(0, 0.6) * (3.0 if w.code.startswith("26") and int(w.code) < 26070 else 1.0) for w in wards]
    scale = 4_420_000 * (1.012 ** (year - 2025)) / sum(raw)
    rows = []
    for i, w in enumerate(wards):
        pop = int(raw[i] * scale)
        male = int(pop * rng.uniform(0.485, 0.505))
        rows.append(([i + 1, w.code, w.name, fmt_int(pop, numstyle), fmt_int(male, numstyle), fmt_int(pop - male, numstyle)],
                     {"ward": w.code, "year": year, "population": pop, "population_male": male, "population_female": pop - male}))
    total = sum(r[1]["population"] for r in rows)
    return _sheet("Dan so", f"DÂN SỐ TRUNG BÌNH PHÂN THEO XÃ, PHƯỜNG NĂM {year}",
                  ["STT", "Mã xã", "Tên đơn vị hành chính", "Dân số trung bình (người)", "Nam", "Nữ"], rows,
                  "population", period, total=["", "", "Tổng cộng", fmt_int(total, numstyle), "", ""],
                  note="Nguồn: Thống kê thành phố Đồng Nai, số liệu sơ bộ.")


def labour_sheet(rng: random.Random, period: str, numstyle: int) -> Sheet:
    year = int(period[:4])
    lf = int(2_610_000 * (1.01 ** (year - 2025)) + rng.randint(-5000, 5000))
    trained = int(lf * rng.uniform(0.30, 0.34))
    it = int(lf * rng.uniform(0.55, 0.65))
    ht = int(lf * rng.uniform(0.08, 0.1))
    kw = int(ht * rng.uniform(0.17, 0.22))
    truth = {"year": year, "labour_force": lf, "trained_certified": trained, "it_skilled": it,
             "hightech_workforce": ht, "hightech_knowledge_workers": kw}
    cells = [1, year, fmt_int(lf, numstyle), fmt_int(trained, numstyle), fmt_int(it, numstyle), fmt_int(ht, numstyle), fmt_int(kw, numstyle)]
    return _sheet("Lao dong", f"MỘT SỐ CHỈ TIÊU VỀ LAO ĐỘNG NĂM {year}",
                  ["STT", "Năm", "Lực lượng lao động (người)", "Lao động qua đào tạo có bằng, chứng chỉ",
                   "Lao động có kỹ năng CNTT", "Lao động trong ngành công nghệ cao", "Lao động tri thức trong ngành công nghệ cao"],
                  [(cells, truth)], "labour_force", period, note=f"Tỷ lệ lao động qua đào tạo có bằng, chứng chỉ: {trained / lf * 100:.1f}%".replace(".", ","))


def budget_sheet(rng: random.Random, period: str, numstyle: int) -> Sheet:
    year = int(period[:4])
    rows = []
    for y in range(year - 4, year + 1):
        total = int(48_000_000 * (1.08 ** (y - 2021)) * rng.uniform(0.95, 1.05))
        st = int(total * rng.uniform(0.005, 0.015))
        share = f"{st / total * 100:.2f}%".replace(".", ",")
        rows.append(([y - year + 5, y, fmt_int(total, numstyle), fmt_int(st, numstyle), share],
                     {"year": y, "budget_spending": total, "st_spending": st}))
    return _sheet("Chi NS", f"TÌNH HÌNH CHI NGÂN SÁCH ĐỊA PHƯƠNG VÀ CHI KH&CN GIAI ĐOẠN {year - 4}-{year}",
                  ["STT", "Năm", "Tổng chi ngân sách địa phương (triệu đồng)", "Chi cho KH&CN (triệu đồng)", "Tỷ lệ (%)"],
                  rows, "budget", period, note="Đơn vị tính: triệu đồng. Số liệu năm cuối là ước thực hiện.")


_TASK_TOPICS = ("Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống cây trồng",
                "Xây dựng mô hình chuyển đổi số trong quản lý", "Nghiên cứu giải pháp xử lý nước thải khu công nghiệp",
                "Đánh giá thực trạng và đề xuất giải pháp phát triển nguồn nhân lực", "Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh",
                "Nghiên cứu quy trình chế biến hạt điều", "Phát triển sản phẩm OCOP", "Nghiên cứu bảo tồn nguồn gen cây bản địa")


def st_tasks_sheet(rng: random.Random, period: str) -> Sheet:
    year, half = int(period[:4]), int(period[-1])
    rows = []
    for i in range(rng.randint(14, 26)):
        applied = rng.random() < 0.74
        level = rng.choices(("Cấp tỉnh", "Cấp cơ sở", "Cấp quốc gia"), weights=(60, 35, 5))[0]
        code = f"{'ĐT' if rng.random() < 0.8 else 'DA'}.{year}.{half}{i + 1:02d}"
        name = f"{rng.choice(_TASK_TOPICS)} ({i + 1})"
        rows.append(([i + 1, code, name, level, rng.choice(("Nông nghiệp", "Y, dược", "Kỹ thuật và công nghệ", "Xã hội")),
                      rng.choice(("Trường Đại học Đồng Nai", "Sở Y tế", "Trường Đại học Lạc Hồng", "Trung tâm Công nghệ sinh học Đồng Nai")),
                      year, rng.choice(("Đã ứng dụng", "x", "Có")) if applied else rng.choice(("Chưa", "", "Chưa ứng dụng"))],
                     {"task_code": code, "task_name": name, "accepted_year": year, "is_applied": applied}))
    return _sheet("Nhiem vu KHCN", f"DANH MỤC NHIỆM VỤ KH&CN ĐÃ NGHIỆM THU {period}",
                  ["STT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Lĩnh vực", "Tổ chức chủ trì", "Năm nghiệm thu", "Đã ứng dụng vào thực tiễn"],
                  rows, "st_tasks", period)


def patents_sheet(rng: random.Random, period: str) -> Sheet:
    year, half = int(period[:4]), int(period[-1])
    n = int(rng.randint(70, 100) * (1.2 ** (year - 2025)) * (0.9 if half == 1 else 1.1))
    rows = []
    for i in range(n):
        kind = 1 if rng.random() < 0.6 else 2
        number = f"{kind}-{year}-{rng.randrange(100, 9000):05d}"
        grant = year if rng.random() < 0.18 else None
        rows.append(([i + 1, number, "Sáng chế" if kind == 1 else "Giải pháp hữu ích",
                      rng.choice(("Trường Đại học Lạc Hồng", "Công ty TNHH Bosch Việt Nam", "Cá nhân", "Trường ĐH Công nghệ Đồng Nai")),
                      year, grant or ""],
                     {"application_number": number, "ip_type": "invention" if kind == 1 else "utility_solution",
                      "filing_year": year, "grant_year": grant}))
    return _sheet("Sang che", f"ĐƠN ĐĂNG KÝ SÁNG CHẾ, GIẢI PHÁP HỮU ÍCH {period}",
                  ["STT", "Số đơn", "Loại", "Chủ đơn", "Năm nộp đơn", "Năm cấp văn bằng"], rows, "patents", period)


def awards_sheet(rng: random.Random, period: str) -> Sheet:
    year = int(period[:4])
    rows = []
    for i in range(rng.randint(1, 4)):
        level = rng.choice(("Quốc gia", "Khu vực", "Quốc tế"))
        name = rng.choice(("Giải thưởng Sáng tạo Khoa học Công nghệ Việt Nam (VIFOTEC)", "Giải thưởng Tạ Quang Bửu",
                           "Giải thưởng Đổi mới sáng tạo ASEAN", "Cuộc thi Sáng tạo kỹ thuật toàn quốc"))
        rows.append(([i + 1, name, level, year, rng.choice(("Nhóm nghiên cứu Trường ĐH Lạc Hồng", "Bệnh viện Đa khoa Đồng Nai"))],
                     {"award_name": name, "award_level": level, "year": year}))
    return _sheet("Giai thuong", f"GIẢI THƯỞNG KH&CN, ĐỔI MỚI SÁNG TẠO {period}",
                  ["STT", "Tên giải thưởng", "Cấp giải", "Năm đạt giải", "Tập thể/cá nhân đạt giải"], rows, "awards", period)


def enterprises_sheet(rng: random.Random, codes: CodeLists, period: str) -> Sheet:
    year = int(period[:4])
    rows = []
    wards = sorted(codes.wards.values(), key=lambda w: w.code)
    for i in range(rng.randint(6, 16)):
        typ = rng.choice(("Doanh nghiệp KH&CN", "Khởi nghiệp ĐMST"))
        name = f"Công ty {rng.choice(('TNHH', 'Cổ phần'))} {rng.choice(('Công nghệ', 'Giải pháp', 'Nông nghiệp công nghệ cao', 'Vật liệu mới'))} {rng.choice(('Đồng Nai', 'Biên Hòa', 'Phương Nam', 'Sao Việt', 'Green'))} {i + 1}"
        w = rng.choice(wards)
        rows.append(([i + 1, name, typ, year, w.name], {"enterprise_name": name, "enterprise_type": typ, "certified_year": year, "ward": w.code}))
    return _sheet("DN KHCN", f"DOANH NGHIỆP KH&CN, KHỞI NGHIỆP ĐỔI MỚI SÁNG TẠO {period}",
                  ["STT", "Tên doanh nghiệp", "Loại", "Năm được công nhận", "Phường, xã"], rows, "enterprises", period)


def vocational_sheet(rng: random.Random, period: str) -> Sheet:
    year = int(period[:4])
    rows = []
    for i in range(rng.randint(35, 50)):
        name = f"{rng.choice(('Trường Cao đẳng', 'Trường Trung cấp', 'Trung tâm GDNN-GDTX'))} {rng.choice(('Kỹ thuật', 'Công nghệ', 'Nghề', 'Kinh tế'))} số {i + 1}"
        acc = rng.random() < 0.55
        kp = rng.randint(0, 6)
        kpa = sum(rng.random() < 0.65 for _ in range(kp))
        rows.append(([i + 1, name, year, "x" if acc else "", kp, kpa],
                     {"institution_name": name, "year": year, "is_accredited": acc, "key_programmes": kp, "key_programmes_accredited": kpa}))
    return _sheet("GDNN", f"CƠ SỞ GIÁO DỤC NGHỀ NGHIỆP VÀ KIỂM ĐỊNH CHẤT LƯỢNG NĂM {year}",
                  ["STT", "Tên cơ sở GDNN", "Năm", "Cơ sở đạt kiểm định", "Số chương trình đào tạo trọng điểm", "Số chương trình trọng điểm đạt kiểm định"],
                  rows, "vocational", period)


def teacher_training_sheet(rng: random.Random, period: str, numstyle: int) -> Sheet:
    year = int(period[:4])
    rows = []
    share = 0.55 + 0.15 * (year - 2025)
    for i, (lvl, n) in enumerate((("Mầm non", 9800), ("Tiểu học", 14500), ("THCS", 11200), ("THPT", 6900), ("GDNN-GDTX", 1300))):
        tot = int(n * rng.uniform(0.95, 1.05))
        tr = int(tot * min(share * rng.uniform(0.9, 1.1), 1.0))
        rows.append(([i + 1, lvl, year, fmt_int(tot, numstyle), fmt_int(tr, numstyle)],
                     {"education_level": lvl, "year": year, "staff_total": tot, "digital_trained": tr}))
    return _sheet("Nang luc so", f"KẾT QUẢ BỒI DƯỠNG NĂNG LỰC SỐ CHO GIÁO VIÊN, CBQL NĂM {year}",
                  ["STT", "Cấp học", "Năm", "Tổng số giáo viên, CBQL", "Số được bồi dưỡng năng lực số"],
                  rows, "teacher_training", period)
