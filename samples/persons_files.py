"""Person-list files: which columns a unit uses, the header it writes, and the rows (with their truth)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import names as N
from .population import CodeLists, Person, PersonState
from .render import (
    SEX_WORDS,
    TITLE_WORDS,
    YESNO,
    Style,
    ascii_fold,
    bad_date,
    cccd_rule_problems,
    plant_invalid_cccd,
    render_date,
    render_ethnicity,
    render_name,
    render_qualification,
    render_ward,
)
from .writers import Row, Sheet

# header text per column key: (formal, short/abbreviated)
HEADERS: dict[str, tuple[str, str]] = {
    "stt": ("STT", "TT"),
    "full_name": ("Họ và tên", "Họ tên"),
    "birth_date": ("Ngày, tháng, năm sinh", "Ngày sinh"),
    "birth_group": ("Năm sinh", "Năm sinh"),
    "birth_year_male": ("Nam", "Nam"),
    "birth_year_female": ("Nữ", "Nữ"),
    "sex": ("Giới tính", "GT"),
    "sex_female_x": ("Nữ", "Nữ"),
    "cccd": ("Số CCCD/ĐDCN", "CCCD"),
    "ethnicity": ("Dân tộc", "DT"),
    "qualification": ("Trình độ chuyên môn", "TĐCM"),
    "qual_title": ("Học hàm, học vị", "HH, HV"),
    "academic_title": ("Học hàm", "Học hàm"),
    "major": ("Chuyên ngành đào tạo", "Chuyên ngành"),
    "science_field": ("Lĩnh vực KH&CN", "Lĩnh vực"),
    "employer": ("Cơ quan, đơn vị công tác", "Đơn vị công tác"),
    "employer_type": ("Loại hình cơ quan", "Loại hình"),
    "position": ("Chức vụ", "CV"),
    "occupation": ("Nghề nghiệp", "Nghề nghiệp"),
    "role": ("Chức danh nghề nghiệp", "Chức danh"),
    "teaching_level": ("Cấp học giảng dạy", "Cấp học"),
    "faculty": ("Khoa/Bộ môn", "Khoa"),
    "residence_ward": ("Nơi cư trú (phường, xã)", "Nơi ở hiện nay"),
    "residence_district": ("Huyện, thành phố (cũ)", "Huyện cũ"),
    "phone": ("Số điện thoại", "SĐT"),
    "email": ("Thư điện tử", "Email"),
    "status": ("Tình trạng", "Tình trạng hiện nay"),
    "overseas": ("Trí thức người Việt Nam ở nước ngoài", "Việt kiều"),
    "lhh_member": ("Hội viên Liên hiệp hội", "Hội viên LHH"),
    "trained": ("Được đào tạo, bồi dưỡng trong kỳ", "Đào tạo, BD trong kỳ"),
    "digital_trained": ("Được bồi dưỡng năng lực số", "BD năng lực số"),
    "note": ("Ghi chú", "Ghi chú"),
}
GIVES = (
    "full_name", "birth_date", "birth_year", "sex", "cccd", "ethnicity", "qualification", "academic_title",
    "major", "science_field", "employer", "employer_type", "sector", "position", "occupation", "role",
    "teaching_level", "faculty", "residence_ward", "phone", "email", "status", "is_overseas",
    "is_lhh_member", "is_trained", "is_digital_trained",
)


def header_text(key: str, style: Style) -> str:
    formal, short = HEADERS[key]
    v = style.header_variant
    if v == 1:
        return short
    if v == 2:
        return ascii_fold(formal)
    if v == 3:
        return formal.upper()
    return formal


def columns_for(unit_kind: str, unit_code: str, style: Style) -> list[str]:
    sexcols = {"column": ["birth_date", "sex"], "two_column": ["birth_year_male", "birth_year_female"],
               "female_x": ["birth_date", "sex_female_x"]}[style.sex_layout]
    cccd = ["cccd"] if style.with_cccd else []
    ward = [] if style.ward_style == "absent" else (
        ["residence_ward", "residence_district"] if style.ward_style == "old" else ["residence_ward"])
    if unit_kind == "ward":
        cols = ["stt", "full_name", *sexcols, *cccd, "ethnicity", "qualification", "major", "employer",
                "position", *ward, "phone", "status", "overseas", "note"]
    elif unit_kind == "university":
        title = ["qual_title"] if style.title_in_qual else ["academic_title", "qualification"]
        cols = ["stt", "full_name", *sexcols, *cccd, "faculty", *title, "major", "science_field", "position",
                "role", "email", "phone", "ethnicity", *ward, "status", "lhh_member"]
    elif unit_code == "SYT":
        cols = ["stt", "full_name", *sexcols, *cccd, "employer", "qualification", "major", "role", "position",
                "ethnicity", "status", "note"]
    elif unit_code == "SGDDT":
        cols = ["stt", "full_name", *sexcols, "ethnicity", "employer", "teaching_level", "qualification", "major",
                "digital_trained", "status"]
    elif unit_code == "SNV":
        cols = ["stt", "full_name", *sexcols, *cccd, "employer", "employer_type", "position", "qualification",
                "major", "occupation", "ethnicity", "trained", "status"]
    else:  # LHH
        cols = ["stt", "full_name", *sexcols, "qual_title", "science_field", "employer", "lhh_member", "overseas",
                "email", "phone", *ward]
    return cols


def build_header(cols: list[str], style: Style) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    top = [header_text(c, style) for c in cols]
    two = style.two_line_header or style.sex_layout == "two_column"
    if not two:
        return [top], []
    sub: list[object] = [None] * len(cols)
    merges: list[tuple[int, int, int, int]] = []
    i = 0
    while i < len(cols):
        c = cols[i]
        if c == "birth_year_male":
            top[i] = header_text("birth_group", style)
            top[i + 1] = None
            sub[i], sub[i + 1] = header_text("birth_year_male", style), header_text("birth_year_female", style)
            merges.append((0, i, 0, i + 1))
            i += 2
            continue
        if c == "residence_ward" and i + 1 < len(cols) and cols[i + 1] == "residence_district":
            top[i], top[i + 1] = "Nơi cư trú" if style.header_variant != 2 else "Noi cu tru", None
            sub[i] = "Phường, xã" if style.header_variant != 2 else "Phuong, xa"
            sub[i + 1] = "Huyện, TP (cũ)" if style.header_variant != 2 else "Huyen (cu)"
            merges.append((0, i, 0, i + 1))
            i += 2
            continue
        merges.append((0, i, 1, i))
        i += 1
    return [top, sub], merges


@dataclass
class RowContext:
    unit_code: str
    unit_kind: str
    period: str
    codes: CodeLists
    sf_names: dict[str, str]


def person_row(person: Person, state: PersonState, cols: list[str], style: Style, ctx: RowContext,
               rng: random.Random, stt: int, plant: bool = True) -> Row:
    """One person's row as this unit writes it, with the true codes and what the row gives."""
    cells: list[object] = []
    gives = dict.fromkeys(GIVES, False)
    problems: list[tuple[str, str, str]] = []
    birth_given: tuple[str | None, str | None] = (None, None)
    cccd_written = ""
    ward = ctx.codes.wards[person.residence_ward_code]
    ward_cell, district_cell = render_ward(person, ward, style, rng)
    yes, no = YESNO[style.yesno]
    male, female = SEX_WORDS[style.sex_words]
    for c in cols:
        v: object = ""
        if c == "stt":
            v = stt
        elif c == "full_name":
            v = render_name(person.full_name, style, rng)
            gives["full_name"] = True
        elif c == "birth_date":
            if plant and rng.random() < 0.007:
                v = bad_date(person.birth_date, rng)
                problems.append(("birth_date", str(v), "bad_date"))
                gives["birth_date"] = True
            else:
                v, iso, prec = render_date(person.birth_date, style, rng)
                birth_given = (iso, prec)
                gives["birth_date"] = gives["birth_year"] = True
        elif c in ("birth_year_male", "birth_year_female"):
            mine = (c == "birth_year_male") == (person.sex_code == "M")
            if mine:
                v = person.birth_year if style.fmt == "xlsx" and rng.random() < 0.7 else str(person.birth_year)
                birth_given = (str(person.birth_year), "year")
                gives["birth_year"] = gives["birth_date"] = gives["sex"] = True
        elif c == "sex":
            v = male if person.sex_code == "M" else female
            gives["sex"] = True
        elif c == "sex_female_x":
            v = yes if person.sex_code == "F" and yes else ""
            gives["sex"] = v != ""
        elif c == "cccd":
            v = person.cccd
            if plant and rng.random() < 0.02:
                v = plant_invalid_cccd(person.cccd, rng)
                problems.append(("cccd", v, "invalid_cccd"))
            elif plant and rng.random() < 0.015:
                v = f"{rng.choice((27, 28, 29, 30, 31, 32)):02d}{rng.randrange(10**7):07d}"
                problems.append(("cccd", v, "old_cmnd"))
            elif rng.random() < 0.04:
                v = ""  # clerk did not have it
            cccd_written = str(v)
            gives["cccd"] = v != ""
        elif c == "ethnicity":
            v = render_ethnicity(person.ethnicity_code, style)
            if plant and rng.random() < 0.008:
                v = rng.choice(N.ETHNICITY_TYPOS)
                problems.append(("ethnicity", v, "unmapped_value"))
            gives["ethnicity"] = True
        elif c in ("qualification", "qual_title"):
            v, title_inside = render_qualification(state, style, person.role_code, rng,
                                                   title_allowed=c == "qual_title" or ctx.unit_kind != "university")
            if plant and rng.random() < 0.01:
                v, title_inside = rng.choice(N.UNMAPPED_QUALIFICATIONS), False
                problems.append(("qualification", v, "unmapped_value"))
            gives["qualification"] = True
            gives["academic_title"] = title_inside
        elif c == "academic_title":
            t = state.academic_title_code
            v = rng.choice(TITLE_WORDS[t]) if t else ""
            gives["academic_title"] = bool(t)
        elif c == "major":
            v = person.major
            gives["major"] = bool(v)
        elif c == "science_field":
            v = person.science_field_code if style.header_variant == 1 else ctx.sf_names[person.science_field_code]
            gives["science_field"] = True
        elif c == "employer":
            v = state.employer if state.employer_type_code != "HUU" else "Nghỉ hưu"
            gives["employer"] = state.employer_type_code != "HUU"
        elif c == "employer_type":
            v = rng.choice(N.EMPLOYER_TYPE_WORDS[state.employer_type_code])
            gives["employer_type"] = gives["sector"] = True
        elif c == "position":
            v = person.position
            gives["position"] = bool(v)
        elif c == "occupation":
            v = person.occupation_code
            gives["occupation"] = True
        elif c == "role":
            v = rng.choice(N.ROLE_WORDS[person.role_code])
            gives["role"] = True
        elif c == "teaching_level":
            v = rng.choice(N.TEACHING_LEVEL_WORDS[person.teaching_level]) if person.teaching_level else ""
            gives["teaching_level"] = bool(v)
        elif c == "faculty":
            v = person.faculty or ""
            gives["faculty"] = bool(v)
        elif c == "residence_ward":
            v = ward_cell
            gives["residence_ward"] = True
        elif c == "residence_district":
            v = district_cell
        elif c == "phone":
            v = person.phone if rng.random() < 0.8 else ""
            gives["phone"] = bool(v)
        elif c == "email":
            v = person.email
            gives["email"] = bool(v)
        elif c == "status":
            v = rng.choice(N.STATUS_WORDS[state.status_code]) if (state.status_code != "ACTIVE" or rng.random() < 0.8) else ""
            gives["status"] = bool(v)
        elif c == "overseas":
            v = yes if state.is_overseas else no
            gives["is_overseas"] = bool(v)
        elif c == "lhh_member":
            v = yes if state.is_lhh_member else no
            gives["is_lhh_member"] = bool(v)
        elif c == "trained":
            v = yes if state.is_trained else no
            gives["is_trained"] = bool(v)
        elif c == "digital_trained":
            v = yes if state.is_digital_trained else no
            gives["is_digital_trained"] = bool(v)
        elif c == "note":
            v = rng.choice(("", "", "", "", "Mới bổ sung", "Đảng viên", "Chuyển đến trong kỳ")) if state.status_code == "ACTIVE" else ""
        cells.append(v)
    valid = not cccd_rule_problems(cccd_written, person.sex_code, person.birth_year, ctx.codes.cccd_prefixes_old) if cccd_written else None
    truth = {
        "unit_code": ctx.unit_code, "unit_kind": ctx.unit_kind, "period": ctx.period, "person_id": person.person_id,
        "full_name_true": person.full_name,
        "sex_code": person.sex_code, "birth_year": person.birth_year,
        "birth_date": birth_given[0], "birth_date_precision": birth_given[1],
        "birth_date_true": person.birth_date.isoformat(),
        "cccd_true": person.cccd, "cccd_written": cccd_written or None, "cccd_is_valid": valid,
        "ethnicity_code": person.ethnicity_code, "qualification_code": state.qualification_code,
        "academic_title_code": state.academic_title_code, "science_field_code": person.science_field_code,
        "occupation_code": person.occupation_code, "sector_code": state.sector_code,
        "employer_type_code": state.employer_type_code, "role_code": person.role_code,
        "teaching_level": person.teaching_level, "residence_ward_code": person.residence_ward_code,
        "status_code": state.status_code, "is_overseas": state.is_overseas, "is_lhh_member": state.is_lhh_member,
        "is_trained": state.is_trained, "is_digital_trained": state.is_digital_trained,
        **{f"gives_{k}": v for k, v in gives.items()},
    }
    return Row("data", cells, truth, problems)


def finish_sheet(name: str, cols: list[str], rows: list[Row], style: Style, title: list[list[object]],
                 title_merges, rng: random.Random, notes_place: str, signer: str) -> Sheet:
    """Add the clerk's decorations (blank rows, duplicates, nameless rows, totals, notes) and build the sheet."""
    header, merges = build_header(cols, style)
    name_col = cols.index("full_name")
    body: list[Row] = []
    for row in rows:
        body.append(row)
        if style.blank_rows and rng.random() < 0.06:
            body.append(Row("blank", [""] * len(cols)))
    if rows and rng.random() < 0.12:
        k = rng.randrange(len(rows))
        dup = rows[k]
        truth = dict(dup.truth) if dup.truth else None
        body.insert(min(len(body), body.index(dup) + 1),
                    Row("data", list(dup.cells), truth, [*dup.problems, ("", str(dup.cells[name_col]), "duplicate_row")]))
    if rows and rng.random() < 0.15:
        src = rng.choice(rows)
        cells = list(src.cells)
        cells[name_col] = ""
        truth = dict(src.truth) if src.truth else None
        if truth:
            truth["gives_full_name"] = False
        body.insert(rng.randrange(len(body) + 1), Row("rejected", cells, truth, [("full_name", "", "missing_name")]))
    # renumber STT over data-looking rows, as the clerk's =ROW()-n formula would
    if cols[0] == "stt":
        n = 0
        for r in body:
            if r.kind in ("data", "rejected"):
                n += 1
                r.cells[0] = n
    if style.total_row:
        cells: list[object] = [""] * len(cols)
        label = rng.choice(("Tổng cộng", "Tổng số", "Cộng"))
        if rng.random() < 0.5:
            cells[0] = label
            cells[name_col] = f"{sum(1 for r in body if r.kind == 'data')} người"
        else:
            cells[name_col] = f"{label}: {sum(1 for r in body if r.kind == 'data')} người"
        body.append(Row("total", cells))
    if style.notes:
        w = len(cols)
        right = max(w - 3, name_col + 2)
        body.append(Row("blank", [""] * w))
        body.append(Row("note", ["Ghi chú: - Trình độ chuyên môn ghi trình độ cao nhất; - Cột tình trạng ghi: đang công tác, nghỉ hưu, chuyển đi, ở nước ngoài, đã mất."]))
        body.append(Row("blank", [""] * w))
        date_cells: list[object] = [""] * w
        date_cells[right] = notes_place
        body.append(Row("note", date_cells))
        sig: list[object] = [""] * w
        sig[name_col] = "NGƯỜI LẬP BIỂU"
        sig[right] = rng.choice(("THỦ TRƯỞNG ĐƠN VỊ", "TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH", "GIÁM ĐỐC", "KT. HIỆU TRƯỞNG - PHÓ HIỆU TRƯỞNG"))
        body.append(Row("note", sig))
        sub: list[object] = [""] * w
        sub[name_col] = "(Ký, ghi rõ họ tên)"
        sub[right] = "(Ký tên, đóng dấu)"
        body.append(Row("note", sub))
        for _ in range(3):
            body.append(Row("blank", [""] * w))
        names_row: list[object] = [""] * w
        names_row[name_col if style.signer_in_name_col else max(name_col - 1, 0)] = signer
        names_row[right] = rng.choice(N.SIGNERS)
        body.append(Row("note", names_row))
    widths = {i: (28 if c in ("full_name", "employer") else 14) for i, c in enumerate(cols)}
    col_formats = {cols.index("cccd"): "cccd_num"} if style.cccd_numeric and "cccd" in cols else {}
    return Sheet(name=name, title=title, header=header, merges=merges, title_merges=title_merges,
                 colnum_row=style.colnum_row, body=body, col_formats=col_formats, widths=widths)
