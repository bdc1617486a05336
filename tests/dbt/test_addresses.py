"""Residence written as a whole address -> post-2025 ward, through the real dbt models (issue #14, item 4).

Every address below was labelled by hand from the crosswalk seeds (dbt_project/seeds/codes/
admin_units_dong_nai.csv and admin_units_dong_nai_old_to_new.csv), not by running the code: the expected
5-digit ma_dvhc, AMBIGUOUS (an old unit split between new ones, or a name of several units with nothing to
tell them apart) or UNMAPPED (another province, a unit the crosswalk does not hold, no ward written).
The rows come from a department's list, so the ward's-own-list preference of int_persons_encoded plays no part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from raw_warehouse import create_raw_warehouse, run_dbt

from ingest.connect import open_warehouse

AMBIGUOUS = "ambiguous"
UNMAPPED = "unmapped"

# (residence_ward as written, residence_district column or None, expected)
ADDRESSES: list[tuple[str, str | None, str]] = [
    # the formats of the issue
    ("Tổ 5, KP 3, phường Tân Mai, TP Biên Hòa, Đồng Nai", None, "26017"),
    ("Ấp 2, xã Gia Tân 1, H. Thống Nhất", None, "26299"),
    ("KP 7, P. Tam Hiệp", None, "26017"),
    ("Số 12 đường 30/4, phường Trấn Biên, tỉnh Đồng Nai", None, "26041"),
    ("P.Quyết Thắng, Biên Hòa", None, UNMAPPED),  # Quyết Thắng is not in the crosswalk (merged before 2025)
    ("Khu phố 3, phường Tân Phong, thành phố Biên Hòa", None, "26188"),
    ("xã Bình An, huyện Long Thành", None, "26389"),
    ("TT Trảng Bom, Trảng Bom", None, "26248"),
    ("Phường 7, TP Vũng Tàu", None, UNMAPPED),
    # no commas
    ("P.Tân Mai Biên Hòa", None, "26017"),
    ("Tổ 5 KP 3 phường Tân Mai TP Biên Hòa", None, "26017"),
    ("xa suoi nho huyen dinh quan", None, "26428"),
    ("Xã Gia Tân 1 Thống Nhất", None, "26299"),
    # old ward + old district vs new name
    ("Phường Hố Nai, TP Biên Hòa", None, "26020"),
    ("Hố Nai", None, "26005"),
    ("Xã Hố Nai 3, huyện Trảng Bom", None, "26005"),
    ("Long Bình, Biên Hòa", None, "26020"),
    ("xã Long Bình, huyện Phú Riềng, tỉnh Bình Phước", None, "25246"),
    ("Phường An Lộc, thị xã Bình Long, Bình Phước", None, "25326"),
    ("Phường An Lộc", None, "25333"),
    ("Xã Bình Minh, huyện Bù Đăng", None, "25405"),
    ("Xã Bình Minh", None, "26278"),
    ("Ấp Bình Minh, xã Bình An, Long Thành", None, "26389"),
    ("P. Xuân Hòa, TP Long Khánh", None, "26080"),
    ("xã Xuân Hòa, huyện Xuân Lộc", None, "26446"),
    ("Phường Xuân An, TX Long Khánh", None, "26080"),
    ("Xã Tân Hiệp, huyện Long Thành", None, "26422"),
    ("P. Tân Hiệp, TP. Biên Hòa", None, "26017"),
    ("xa Tan Hiep, H. Hon Quan, Binh Phuoc", None, "25357"),
    ("X. Phước An, H. Nhơn Trạch", None, "26503"),
    ("Xã Phước An, Hớn Quản", None, "25351"),
    ("Xã Thanh Sơn, huyện Tân Phú", None, "26158"),
    ("Xã Thanh Sơn, huyện Định Quán", None, "26209"),
    ("Xã Thống Nhất, huyện Bù Đăng", None, "25420"),
    ("Phường Thống Nhất, Biên Hòa", None, "26041"),
    ("Xã Long Hưng, Phú Riềng", None, "25246"),
    ("Xã Long Hưng, TP Biên Hòa", None, "26380"),
    ("TT Tân Phú, huyện Tân Phú", None, "26116"),
    ("Thị trấn Tân Phú, huyện Đồng Phú", None, "25363"),
    ("Phường Tân Phú, TP Đồng Xoài, Bình Phước", None, "25195"),
    # names the plain key cannot tell apart: the diacritics as written decide
    ("Xã Lộc Thành, huyện Lộc Ninh", None, "25294"),
    ("Xã Lộc Thạnh, Lộc Ninh, Bình Phước", None, "25280"),
    ("Xa Loc Thanh, H. Loc Ninh", None, AMBIGUOUS),
    ("Xã Thanh Phú, thị xã Bình Long", None, "25333"),
    ("Thạnh Phú, Vĩnh Cửu", None, "26188"),
    ("Xã Thanh Phú", None, "25333"),
    ("Xã Thạnh Phú", None, "26188"),
    # other unit-type words, abbreviations, streets, hamlets
    ("Thị trấn Gia Ray, Xuân Lộc", None, "26425"),
    ("TT. Long Giao, H. Cẩm Mỹ", None, "26341"),
    ("Thôn 4, xã Đak Nhau, huyện Bù Đăng, tỉnh Bình Phước", None, "25399"),
    ("Xã Đường 10, Bù Đăng", None, "25399"),
    ("Tổ 3, ấp Suối Tre, P. Suối Tre, TP Long Khánh", None, "26089"),
    ("Số 5 đường Xuân Đường, xã Xuân Đường, Cẩm Mỹ", None, "26347"),
    ("Xã Cẩm Đường, Long Thành", None, "26347"),
    ("Xã Lộ 25, H. Thống Nhất", None, "26326"),
    ("Xã Đồi 61, Trảng Bom", None, "26296"),
    ("KP5, P.Trảng Dài", None, "25993"),
    ("Tổ 12, khu phố 5A, phường Long Bình, Biên Hòa", None, "26020"),
    ("tổ 1, ấp 3, Phước Thiền, Nhơn Trạch", None, "26485"),
    ("Khu 3, TT Đức Phong, Bù Đăng", None, "25396"),
    ("Khu phố 2, Phường Tân Hiệp, Thành phố Biên Hòa, tỉnh Đồng Nai (cũ)", None, "26017"),
    ("Quang Vinh - Biên Hòa - Đồng Nai", None, "26041"),
    ("Phường Quang Vinh, Thành phố Biên Hòa, Tỉnh Đồng Nai", None, "26041"),
    ("P. Bửu Long, Biên Hòa, ĐN", None, "26041"),
    ("P. Trung Dũng, TP BH", None, "26041"),
    ("Phường Tân Vạn, Tp. Biên Hoà", None, "26068"),
    ("Hóa An, Biên Hòa", None, "26068"),
    ("f. Bửu Hòa, Biên Hòa", None, "26068"),
    ("p Quang Vinh", None, "26041"),
    ("P. Long Bình Tân, Biên Hòa", None, "26380"),
    ("Xã Tiến Hưng, TP Đồng Xoài", None, "25195"),
    ("Xã Minh Lập, Chơn Thành, Bình Phước", None, "25450"),
    ("xã Gia Kiệm, Thống Nhất", None, "26311"),
    ("Xã Ngọc Định, Định Quán, Đồng Nai", None, "26206"),
    ("Xã Phú Cường, Định Quán", None, "26299"),
    ("Xã Xuân Bảo, huyện Cẩm Mỹ", None, "26461"),
    ("Xã Thiện Tân, H. Vĩnh Cửu", None, "25993"),
    ("Xã Bình Sơn, Long Thành", None, "26368"),
    ("Ấp 3, xã Long An, huyện Long Thành", None, "26368"),
    ("Xã Đồng Nai, huyện Bù Đăng, tỉnh Bình Phước", None, "25402"),
    # upper case, ASCII, extra spaces
    ("TO 5 KP 3 PHUONG TAN MAI TP BIEN HOA", None, "26017"),
    ("to 5, kp 3, p tan mai, tp bien hoa", None, "26017"),
    ("PHƯỜNG TÂN MAI, TP. BIÊN HÒA", None, "26017"),
    ("Phuong Tan Phong, Tp Bien Hoa, Dong Nai", None, "26188"),
    ("Ap 5, Xa Song Ray, Huyen Cam My, Dong Nai", None, "26362"),
    ("TAM PHUOC, BIEN HOA", None, "26374"),
    ("  Khu  phố 3 ,  phường   Tân Phong ,  TP  Biên Hòa ", None, "26188"),
    # new names, codes
    ("P. Biên Hòa", None, "26068"),
    ("Phường Biên Hòa, tỉnh Đồng Nai", None, "26068"),
    ("Biên Hòa", None, "26068"),
    ("Tân Mai, Biên Hòa", None, "26017"),
    ("Đồng Xoài", None, "25210"),
    ("Phường Bình Phước", None, "25195"),
    ("Long Hưng", None, "26380"),
    ("Thanh Sơn", None, "26209"),
    ("26068", None, "26068"),
    ("26053", None, "26068"),
    # the district in its own column
    ("Xã Xuân Thọ", "Huyện Xuân Lộc", "26425"),
    ("Xã Bình Lộc", "TP Long Khánh", "26089"),
    ("Tổ 4, ấp Tân Lập, xã Tân Lập", "Đồng Phú", "25363"),
    ("Phường Tân Hòa", "Thành phố Biên Hòa", "26005"),
    ("Xã Tân Hòa", "H. Đồng Phú", "25378"),
    ("phường Long Bình", "TP Thủ Đức", UNMAPPED),
    # ambiguous: a split unit, or a name of several units with nothing to tell them apart
    ("Xuân Tâm, huyện Xuân Lộc", None, AMBIGUOUS),
    ("Ấp 1, xã Xuân Tâm, H. Xuân Lộc, Đồng Nai", None, AMBIGUOUS),
    ("Xã Tân Hiệp", None, AMBIGUOUS),
    ("Tân Hòa", None, AMBIGUOUS),
    ("Tân Bình", None, AMBIGUOUS),
    # unmapped: another province, a unit the crosswalk does not hold, no ward, a name that fits no district
    ("Số 45, đường Hà Huy Giáp, P. Quyết Thắng, TP. Biên Hòa, Đồng Nai", None, UNMAPPED),
    ("Phường Tam Hòa, Biên Hòa", None, UNMAPPED),
    ("Hẻm 12, Phạm Văn Thuận, Tân Tiến, Biên Hòa", None, UNMAPPED),
    ("Xã Bình Minh, huyện Long Thành", None, UNMAPPED),
    ("KP 3, TP Biên Hòa", None, UNMAPPED),
    ("Thị xã Chơn Thành", None, UNMAPPED),
    ("Đồng Nai", None, UNMAPPED),
    ("F.7, Q.Gò Vấp, TP.HCM", None, UNMAPPED),
    ("Phường Long Bình, TP Thủ Đức, TP Hồ Chí Minh", None, UNMAPPED),
    ("Phường Tân Bình, Quận Tân Bình, TP.HCM", None, UNMAPPED),
    ("Phú Hữu, Quận 9", None, UNMAPPED),
    ("Mỹ Yên, Bến Lức, Long An", None, UNMAPPED),
    ("Thuận An, Bình Dương", None, UNMAPPED),
    ("Phường Tân Phong, TP Bà Rịa, Bà Rịa - Vũng Tàu", None, UNMAPPED),
    ("Phường 7", None, UNMAPPED),
]


def _person(index: int, ward: str, district: str | None) -> dict[str, object]:
    return {
        "source_file": "2026-H1/department/SYT/danh_sach.xlsx", "sheet_name": "Sheet1", "source_row": index + 2,
        "unit_code": "SYT", "unit_kind": "department", "period": "2026-H1", "file_sha256": "sha-addresses",
        "ingested_at": "2026-06-21 00:00:00", "full_name": f"Người {index}", "residence_ward": ward,
        "residence_district": district,
    }


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple]:
    tmp = tmp_path_factory.mktemp("dbt_addresses")
    warehouse = tmp / "wh.duckdb"
    create_raw_warehouse(warehouse, [_person(i, ward, district) for i, (ward, district, _) in enumerate(ADDRESSES)])
    # cautious: only the data tests whose every parent is built (not the marts' relationship tests on the seeds)
    result = run_dbt(warehouse, "build", "--select", "+int_persons_encoded", "--indirect-selection", "cautious",
                     "--exclude-resource-type", "unit_test", target_dir=tmp / "target")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    con = open_warehouse(Path(Path(warehouse)), read_only=True)
    try:
        rows = con.execute(
            """select source_row, residence_ward_code, residence_ward_ambiguous, residence_ward_unmapped
               from pii.working.int_persons_encoded"""
        ).fetchall()
    finally:
        con.close()
    return {row[0] - 2: row[1:] for row in rows}


def _answer(code: str | None, ambiguous: bool, unmapped: bool) -> str:
    if code is not None:
        return code
    if ambiguous:
        return AMBIGUOUS
    return UNMAPPED if unmapped else "no answer"


def test_the_labelled_set_is_big_enough() -> None:
    assert len(ADDRESSES) >= 60
    assert len({(ward, district) for ward, district, _ in ADDRESSES}) == len(ADDRESSES)


def test_every_labelled_address(encoded: dict[int, tuple]) -> None:
    wrong = []
    for index, (ward, district, expected) in enumerate(ADDRESSES):
        got = _answer(*encoded[index])
        if got != expected:
            wrong.append(f"{ward!r} / {district!r}: expected {expected}, got {got}")
    accuracy = 1 - len(wrong) / len(ADDRESSES)
    assert not wrong, f"accuracy {accuracy:.1%} on {len(ADDRESSES)} addresses; wrong:\n" + "\n".join(wrong)


def test_a_code_is_never_also_ambiguous_or_unmapped(encoded: dict[int, tuple]) -> None:
    for code, ambiguous, unmapped in encoded.values():
        assert code is None or not (ambiguous or unmapped)
