"""Encoding detection and legacy Vietnamese repair: TCVN3, VNI, NFD, UTF-16, cp1258, BOM."""

from __future__ import annotations

import random
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ingest.text_repair import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    convert_legacy,
    decode_bytes,
    detect_legacy,
    has_repairable_text,
    is_vietnamese_syllable,
    repair_column,
    repair_text,
    sheet_legacy_kind,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from ingest.unicode_nfc import NOT_NFC_CLASS, UNICODE_VERSION, build_class, not_nfc_code_points

VIETNAMESE = [
    "Nguyễn Văn Hùng",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Phương Thảo",
    "Phạm Quốc Việt",
    "Đỗ Minh Khôi",
    "Huỳnh Thị Kiều Oanh",
    "Võ Thị Sáu",
    "Dương Ngọc Ánh",
    "Thạc sĩ",
    "Tiến sĩ khoa học",
    "Phó giáo sư",
    "Bác sĩ chuyên khoa II",
    "Kỹ sư xây dựng",
    "Trường Đại học Lạc Hồng",
    "Sở Khoa học và Công nghệ",
    "Bệnh viện Đa khoa Đồng Nai",
    "Phường Trấn Biên",
    "Xã Long Thành",
    "Đang làm việc",
    "Nghỉ hưu",
    "Chuyển đi nơi khác",
    "Công nghệ thông tin",
    "Khoa học tự nhiên",
    "Kinh",
    "Hoa",
    "Khơ Me",
    "Xtiêng",
    "Chơ Ro",
    "Người Việt Nam ở nước ngoài",
    "Hội viên Liên hiệp các hội khoa học và kỹ thuật",
    "Ưng Hoàng Phúc",
    "Ông Ích Khiêm",
    "Ăn uống",
    "Quản lý giáo dục",
    "Giảng viên chính",
    "Khuyến nông",
    "Nguyễn Thị Thuý Hằng",
    "Hoà Bình",
    "Tô Hà",
    "Bé Tí",
    "HOÀ BÌNH",
    "ĐỒNG NAI",
    "LÊ",
    "Quyền",
    "Nguyệt",
    "Khuya",
    "Người lập biểu",
]

FOREIGN = [
    "Müller",
    "café",
    "Père Noël",
    "naïve",
    "Straße",
    "«Bonjour»",
    "François Hollande",
    "Jürgen Groß",
    "Señor Muñoz",
    "Peña",
    "Côté",
    "Zoë",
    "São Paulo",
    "Ångström",
    "Øresund",
    "© 2024 ACME",
    "nguyen.van.a@gmail.com",
    "Nguyễn",
    "Smith & Wesson",
    "0912 345 678",
    "Tổng cộng: 1.234,5",
]


@pytest.mark.parametrize("text", VIETNAMESE + FOREIGN)
def test_correct_text_is_never_changed(text: str) -> None:
    assert detect_legacy(text) is None
    assert repair_text(text) == text


# Too little evidence to convert safely: a lone non-syllable word ('Xtiêng'), TCVN3 text with only capitals
# after capitals ('BÐ TÝ'), VNI text whose only code is 'ô' = ơ ('Khô Me' is also correct Unicode).
AMBIGUOUS_TCVN3 = {"Xtiêng", "Bé Tí"}
AMBIGUOUS_VNI = {"Xtiêng", "Khơ Me", "Chơ Ro"}


@pytest.mark.parametrize("text", sorted(AMBIGUOUS_TCVN3))
def test_ambiguous_tcvn3_is_left_alone(text: str) -> None:
    legacy = unicode_to_tcvn3(text)
    assert repair_text(legacy) == legacy


@pytest.mark.parametrize("text", sorted(AMBIGUOUS_VNI))
def test_ambiguous_vni_is_left_alone(text: str) -> None:
    legacy = unicode_to_vni(text)
    assert repair_text(legacy) == legacy


@pytest.mark.parametrize("text", [t for t in VIETNAMESE if not t.isupper() and t not in AMBIGUOUS_TCVN3])
def test_tcvn3_round_trip(text: str) -> None:
    legacy = unicode_to_tcvn3(text)
    # TCVN3 has no precomposed capitals with a tone (the '.VnTimeH' font draws lower codes as capitals),
    # so a capital with a tone comes back lower case.
    expected = "".join(c if c.lower() == c or c in "ĂÂĐÊÔƠƯ" or c.isascii() else c.lower() for c in text)
    if legacy == text:  # plain ASCII words: nothing to repair
        assert repair_text(legacy) == text
        return
    assert repair_text(legacy) == expected


@pytest.mark.parametrize("text", [t for t in VIETNAMESE if t not in AMBIGUOUS_VNI])
def test_vni_round_trip(text: str) -> None:
    legacy = unicode_to_vni(text)
    assert repair_text(legacy) == text


def test_tcvn3_table_against_the_published_chart() -> None:
    # Hand-checked byte values from the TCVN3 (ABC) chart.
    chart = {
        0xB5: "à",
        0xB8: "á",
        0xB6: "ả",
        0xB7: "ã",
        0xB9: "ạ",
        0xA8: "ă",
        0xA9: "â",
        0xAE: "đ",
        0xAA: "ê",
        0xAB: "ô",
        0xAC: "ơ",
        0xAD: "ư",
        0xD4: "ễ",
        0xE9: "ộ",
        0xF9: "ự",
        0xFE: "ỵ",
        0xA1: "Ă",
        0xA2: "Â",
        0xA7: "Đ",
        0xA3: "Ê",
        0xA4: "Ô",
        0xA5: "Ơ",
        0xA6: "Ư",
    }
    for byte, char in chart.items():
        assert TCVN3_TO_UNICODE[chr(byte)] == char
    assert len(TCVN3_TO_UNICODE) == 67 + 7  # 67 lower-case letters + 7 capitals
    assert tcvn3_to_unicode(bytes([0x4E, 0x67, 0x75, 0x79, 0xD4, 0x6E]).decode("latin-1")) == "Nguyễn"
    assert tcvn3_to_unicode(b"H\xb5 N\xe9i".decode("latin-1")) == "Hà Nội"
    assert tcvn3_to_unicode(b"\xa7\xe5ng Nai".decode("latin-1")) == "Đồng Nai"


def test_vni_table_against_the_published_chart() -> None:
    assert vni_to_unicode("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert vni_to_unicode(b"Nguye\xe3n".decode("latin-1")) == "Nguyễn"
    assert vni_to_unicode(b"\xd1o\xe0ng Nai".decode("latin-1")) == "Đồng Nai"
    assert vni_to_unicode(b"Tr\xf6\xf4\xf8ng".decode("latin-1")) == "Trường"
    assert vni_to_unicode("AÊn, OÂng, Öng, ÑAØ") == "Ăn, Ông, Ưng, ĐÀ"
    assert vni_to_unicode("kyõ, lyù, ñi, Thaïc só") == "kỹ, lý, đi, Thạc sĩ"
    # every Vietnamese letter has a VNI code and decodes back
    assert len({unicodedata.normalize("NFC", v) for v in VNI_TO_UNICODE.values()}) == 2 * 67


def test_nfd_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    assert nfd != "Nguyễn Văn Hùng"
    assert repair_text(nfd) == "Nguyễn Văn Hùng"


def test_the_class_of_characters_that_can_break_nfc_is_current() -> None:
    """ingest/unicode_nfc.py is generated from Python's Unicode database: a Python with another Unicode version
    fails here, and `python -m ingest.unicode_nfc` rewrites it."""
    assert unicodedata.unidata_version == UNICODE_VERSION
    assert build_class() == NOT_NFC_CLASS


def test_every_text_that_is_not_nfc_holds_a_character_of_the_class() -> None:
    """The class is complete: 200,000 random short texts over Latin, Vietnamese, Greek, Hangul, CJK compatibility
    and every character of the class, each either NFC or found by the class (RE2, as the readers search)."""
    rng = random.Random(20261205)
    pool = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF]
    pool += [chr(c) for c in (*range(0x1100, 0x1200), *range(0xAC00, 0xAC40), *range(0xF900, 0xF940))]
    pool += [chr(c) for c in sorted(not_nfc_code_points())]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(200_000)]
    found = pc.match_substring_regex(pa.array(texts), NOT_NFC_CLASS).to_pylist()
    missed = [t for t, f in zip(texts, found, strict=True) if not f and not unicodedata.is_normalized("NFC", t)]
    assert missed == []
    assert sum(not unicodedata.is_normalized("NFC", t) for t in texts) > 10_000  # the test does test something


@pytest.mark.parametrize(
    "written, nfc",
    [
        # a name typed on a Mac (NFD)
        (unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "Nguyễn Thị Ánh"),
        # marks typed in the other order (circumflex, then dot below): the same letter 'ệ'
        ("Nguye\u0302\u0323t", "Nguyệt"),
        # symbols a word processor inserts: the Ohm sign, the Kelvin sign, a Greek question mark for ';'
        ("Đo điện trở 10 \u2126", "Đo điện trở 10 \u03a9"),
        ("Vật lý nhiệt độ thấp (4 \u212a)", "Vật lý nhiệt độ thấp (4 K)"),
        ("Thạc sĩ\u037e Bác sĩ CKI", "Thạc sĩ; Bác sĩ CKI"),
    ],
)
def test_a_cell_that_is_not_nfc_is_made_nfc(written: str, nfc: str) -> None:
    """Hand-written cells: each column holding one is normalised, and a clean column is left as it is."""
    assert unicodedata.is_normalized("NFC", nfc) and not unicodedata.is_normalized("NFC", written)
    fixed, repairs = repair_column(pa.array(["Lê Văn Tám", written, None]))
    assert fixed.to_pylist() == ["Lê Văn Tám", nfc, None] and repairs == ["nfd->nfc"]
    assert has_repairable_text([pa.array(["Hà Nội"]), pa.array([written])])
    assert not has_repairable_text([pa.array(["Hà Nội", nfc])])


def test_syllable_check() -> None:
    assert all(is_vietnamese_syllable(w) for w in "nguyễn trường khuya quyền người giữa".split())
    assert not any(is_vietnamese_syllable(w) for w in ["müller", "straòe", "bonjour", "nạve", "peđa"])


def test_repair_column_only_touches_legacy_cells() -> None:
    values = [
        "Nguyễn Văn A",
        unicode_to_tcvn3("Trần Thị Bích"),
        unicode_to_vni("Lê Hoàng"),
        None,
        "Müller",
        unicodedata.normalize("NFD", "Đỗ Hùng"),
    ]
    fixed, repairs = repair_column(pa.array(values, type=pa.string()))
    assert fixed.to_pylist() == ["Nguyễn Văn A", "Trần Thị Bích", "Lê Hoàng", None, "Müller", "Đỗ Hùng"]
    assert set(repairs) == {"tcvn3->unicode", "vni->unicode", "nfd->nfc"}
    clean, none = repair_column(pa.array(["Hà Nội", "Đồng Nai", None]))
    assert none == [] and clean.to_pylist() == ["Hà Nội", "Đồng Nai", None]


TEXT = "STT,Họ và tên,Nơi cư trú\n1,Nguyễn Văn Hùng,Phường Trấn Biên\n"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has precomposed â ê ô ơ ư ă đ but writes tones as combining marks after the letter."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    ("data", "encoding", "repair"),
    [
        (TEXT.encode("utf-8"), "utf-8", None),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", None),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le", "utf-16"),
        (TEXT.encode("utf-16-be"), "utf-16-be", "utf-16"),
        (to_cp1258(TEXT), "cp1258", "cp1258->unicode"),
        (unicode_to_tcvn3(TEXT).encode("latin-1"), "tcvn3", "tcvn3->unicode"),
        (unicode_to_vni(TEXT).encode("latin-1"), "vni", "vni->unicode"),
        (unicodedata.normalize("NFD", TEXT).encode("utf-8"), "utf-8", "nfd->nfc"),
    ],
)
def test_decode_bytes(data: bytes, encoding: str, repair: str | None) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == TEXT
    if repair:
        assert repair in decoded.repairs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # capitals: TCVN3 stores small toned letters, we give capitals back
        ("NGUYỄN THỊ LAN", "NGUYỄN THỊ LAN"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Tô Hà", "Tô Hà"),  # one capital per word is title case, not capitals
        ("TĐCM", "TĐCM"),
        ("Xtiêng", "Xtiêng"),
    ],
)
def test_convert_legacy_tcvn3_keeps_capitals(text: str, expected: str) -> None:
    assert convert_legacy(unicode_to_tcvn3(text), "tcvn3") == expected


def test_convert_legacy_keeps_cells_the_encoding_cannot_hold() -> None:
    assert convert_legacy("Nguyễn Văn An", "tcvn3") == "Nguyễn Văn An"  # already Unicode
    assert convert_legacy("plain ascii", "vni") == "plain ascii"
    assert convert_legacy(unicode_to_vni("Hội viên"), "vni") == "Hội viên"


def _col(values: list[str | None]) -> pa.Array:
    return pa.array(values, type=pa.string())


def test_sheet_legacy_kind_votes() -> None:
    tcvn3 = [unicode_to_tcvn3(t) for t in ("Họ và tên", "Dân tộc", "NGUYỄN VĂN AN", "Trình độ chuyên môn")]
    assert sheet_legacy_kind([_col(tcvn3[:2]), _col(tcvn3[2:])]) == "tcvn3"
    vni = [unicode_to_vni(t) for t in ("Họ và tên", "Dân tộc", "Hội viên")]
    assert sheet_legacy_kind([_col(vni)]) == "vni"
    # a stray legacy cell in a Unicode sheet does not make the sheet legacy
    assert sheet_legacy_kind([_col(["Nguyễn Văn An", "Trần Thị Lan", "Lê Hùng", tcvn3[0], tcvn3[1]])]) is None
    assert sheet_legacy_kind([_col(["An", None]), pa.nulls(2)]) is None


def test_repair_column_column_vote_converts_cells_without_strong_signs() -> None:
    """A pasted TCVN3 column: 'NGUYÔN' has no sign strong enough alone; the column's majority decides."""
    names = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hoa", "Phạm Văn Đức"]
    column = _col([unicode_to_tcvn3(n) for n in names] + [unicode_to_tcvn3("NGUYỄN QUANG AN"), None])
    fixed, repairs = repair_column(column)
    assert fixed.to_pylist() == [*names, "NGUYỄN QUANG AN", None]
    assert "tcvn3->unicode" in repairs


def test_repair_column_with_sheet_kind_leaves_unicode_cells() -> None:
    column = _col([unicode_to_tcvn3("Dân tộc"), "Dân tộc", "Kinh", None])
    fixed, _ = repair_column(column, "tcvn3")
    assert fixed.to_pylist() == ["Dân tộc", "Dân tộc", "Kinh", None]


def test_has_repairable_text() -> None:
    assert not has_repairable_text([_col(["Nguyễn Văn An", "Kinh"]), _col(["ĐH", None])])
    assert has_repairable_text([_col(["Kinh"]), _col([unicode_to_tcvn3("Nguyễn Thị")])])
    assert has_repairable_text([_col([unicodedata.normalize("NFD", "Nguyễn")])])


def test_one_legacy_or_nfd_cell_among_many_clean_ones_is_found() -> None:
    """The sheet scan searches all cells at once: one suspect cell in the middle of a long clean sheet, next to
    nulls and in any column, still marks the sheet (and a clean sheet of the same size stays clean)."""
    clean = ["Nguyễn Văn An", None, "Kinh", "Thạc sĩ", ""] * 2_000
    assert not has_repairable_text([_col(clean), _col(clean[::-1])])
    for suspect in (unicode_to_tcvn3("Trần Thị Hồng"), unicodedata.normalize("NFD", "Lê Hữu Phước")):
        middle = clean[:5_003] + [suspect] + clean[5_003:]
        assert has_repairable_text([_col(clean), _col(middle)])
