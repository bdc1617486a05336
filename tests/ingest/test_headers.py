"""Header spellings -> fields, and dataset recognition."""

from __future__ import annotations

import csv

import pytest

from ingest.datasets import DATASETS
from ingest.headers import (
    SEX_TICK_FIELDS,
    combine_header_rows,
    header_key,
    is_known_header,
    load_synonyms,
    map_headers,
    normalize_header,
    recognise_dataset,
)
from settings import HEADER_SYNONYMS_CSV


def test_normalize_header() -> None:
    assert normalize_header("  Số CCCD/ĐDCN ") == "so cccd ddcn"
    assert normalize_header("Họ và\ntên:") == "ho va ten"
    assert header_key("KH&CN") == header_key("KH & CN") == header_key("khcn")


@pytest.mark.parametrize(
    ("header", "fld"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ho va ten", "full_name"),
        ("Họ  tên", "full_name"),
        ("Họ và\ntên", "full_name"),
        ("Số CCCD/ĐDCN", "cccd"),
        ("CCCD", "cccd"),
        ("Số định danh cá nhân", "cccd"),
        ("so dinh danh ca nhan", "cccd"),
        ("TĐCM", "qualification"),
        ("Trình độ chuyên môn", "qualification"),
        ("Năm sinh", "birth_date"),
        ("Ngày tháng năm sinh", "birth_date"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Học hàm", "academic_title"),
        ("Dân tộc", "ethnicity"),
        ("Nơi cư trú", "residence_ward"),
        ("Phường/xã", "residence_ward"),
        ("Huyện cũ", "residence_district"),
        ("Cơ quan công tác", "employer"),
        ("Đơn vị công tác", "employer"),
        ("Loại hình cơ quan", "employer_type"),
        ("Chức vụ", "position"),
        ("Nghề nghiệp", "occupation"),
        ("Lĩnh vực KH&CN", "science_field"),
        ("Lĩnh vực nghiên cứu", "science_field"),
        ("Tình trạng", "status"),
        ("Việt kiều", "overseas"),
        ("Hội viên LHH", "lhh_member"),
        ("Ghi chú", "note"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("SĐT", "phone"),
        ("Điện thoại", "phone"),
        ("Số điện thoại liên hệ", "phone"),
    ],
)
def test_person_header_variants(header: str, fld: str) -> None:
    match = map_headers(["Họ và tên", header] if fld != "full_name" else [header], "persons")
    assert match.column_map.get(fld) == header


@pytest.mark.parametrize("stt", ["STT", "TT", "Số TT", "S.T.T", "Số thứ tự"])
def test_row_number_column_is_dropped(stt: str) -> None:
    match = map_headers([stt, "Họ và tên"], "persons")
    assert match.row_number_column == 0
    assert match.unmapped == []
    assert list(match.column_map) == ["full_name"]


def test_every_field_of_every_dataset_has_spellings() -> None:
    with open(HEADER_SYNONYMS_CSV, encoding="utf-8") as f:
        present = {(r["dataset"], r["field"]) for r in csv.DictReader(f)}
    missing = [
        (d.name, f.name) for d in DATASETS.values() for f in d.fields if f.from_file and (d.name, f.name) not in present
    ]
    assert missing == []
    assert load_synonyms()  # no spelling maps to two fields


def test_diacritics_decide_when_the_bare_spelling_is_ambiguous() -> None:
    # 'Năm' (year) and 'Nam' (male) differ only by a diacritic
    match = map_headers(["Phường, xã", "Năm", "Dân số", "Nam", "Nữ"], "population")
    assert match.column_map == {
        "ward": "Phường, xã",
        "year": "Năm",
        "population": "Dân số",
        "population_male": "Nam",
        "population_female": "Nữ",
    }


@pytest.mark.parametrize(
    ("headers", "dataset"),
    [
        (["STT", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD/ĐDCN", "TĐCM"], "persons"),
        (["Phường, xã", "Năm", "Dân số trung bình (người)"], "population"),
        (["Năm", "Tổng chi ngân sách địa phương (triệu đồng)", "Chi cho KH&CN (triệu đồng)"], "budget"),
        (["Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Năm nghiệm thu", "Đã ứng dụng"], "st_tasks"),
        (["Số đơn", "Loại", "Chủ đơn", "Năm nộp đơn", "Năm cấp văn bằng"], "patents"),
        (["Tên giải thưởng", "Cấp giải", "Năm đạt giải", "Tập thể / cá nhân đạt giải"], "awards"),
        (["Tên doanh nghiệp", "Loại", "Năm được công nhận", "Phường, xã"], "enterprises"),
        (["Tên cơ sở GDNN", "Năm", "Đạt kiểm định", "Số chương trình đào tạo trọng điểm"], "vocational"),
        (["Cấp học", "Năm", "Tổng số giáo viên, CBQL", "Số được bồi dưỡng năng lực số"], "teacher_training"),
        (
            [
                "Năm",
                "Lực lượng lao động",
                "Lao động qua đào tạo có bằng, chứng chỉ",
                "Lao động có kỹ năng CNTT",
            ],
            "labour_force",
        ),
    ],
)
def test_recognise_dataset(headers: list[str], dataset: str) -> None:
    match = recognise_dataset(headers)
    assert match is not None and match.dataset == dataset


def test_unknown_headers_are_reported_not_fatal() -> None:
    match = recognise_dataset(["Họ và tên", "Ngày sinh", "Sở thích", "Màu mắt"])
    assert match is not None and match.dataset == "persons"
    assert match.unmapped == ["Sở thích", "Màu mắt"]
    assert recognise_dataset(["Sở thích", "Màu mắt"]) is None


def test_two_row_header_nam_nu() -> None:
    parent = ["STT", "Họ và tên", "Năm sinh", None, "Trình độ", None, "Dân tộc"]
    child = [None, None, "Nam", "Nữ", "Chuyên môn", "Học hàm", None]
    options = combine_header_rows(parent, child)
    match = recognise_dataset([o[0] for o in options], options)
    assert match is not None
    assert match.fields_by_column == {
        1: "full_name",
        2: "birth_year_male",
        3: "birth_year_female",
        4: "qualification",
        5: "academic_title",
        6: "ethnicity",
    }


@pytest.mark.parametrize(
    ("header", "fld"),
    [
        ("DT", "ethnicity"),  # 'DT' = dân tộc; 'ĐT' = điện thoại
        ("ĐT", "phone"),
        # 'PGS.TS' in one cell: the academic title is read from the qualification downstream
        ("Học hàm, học vị", "qualification"),
        ("HH, HV", "qualification"),
        ("Huyện, TP (cũ)", "residence_district"),
        ("Đào tạo, BD trong kỳ", "trained"),
        ("Nữ", "_sex_female"),
        ("Giới tính Nam", "_sex_male"),
    ],
)
def test_person_spellings_added_for_clerks(header: str, fld: str) -> None:
    assert map_headers([header], "persons").fields_by_column == {0: fld}


def test_birth_year_under_nam_nu_wins_over_the_tick_column() -> None:
    options = combine_header_rows(["Năm sinh", None], ["Nam", "Nữ"])
    match = map_headers([o[0] for o in options], "persons", options)
    assert match.fields_by_column == {0: "birth_year_male", 1: "birth_year_female"}
    assert not set(match.fields_by_column.values()) & set(SEX_TICK_FIELDS)


def test_statistics_office_population_header() -> None:
    headers = ["STT", "Mã xã", "Tên đơn vị hành chính", "Dân số trung bình (người)", "Nam", "Nữ"]
    match = recognise_dataset(headers)
    assert match is not None and match.dataset == "population"
    assert match.fields_by_column == {
        1: "ward",
        3: "population",
        4: "population_male",
        5: "population_female",
    }


def test_is_known_header() -> None:
    assert is_known_header("Họ và tên") and is_known_header("HO VA TEN") and is_known_header("Dân số (người)")
    assert not is_known_header("DANH SÁCH TRÍ THỨC") and not is_known_header("Nguyễn Văn An")
    assert not is_known_header(None) and not is_known_header("")
