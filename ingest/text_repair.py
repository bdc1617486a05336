"""Decode submitted bytes and repair legacy Vietnamese text (TCVN3/ABC, VNI-Windows, NFD) to NFC Unicode.

Detection is conservative: a string is converted only when it holds characters that correct Vietnamese
Unicode never has in that position, and the converted words read as Vietnamese syllables. Correct
Unicode text is never changed except NFD -> NFC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.unicode_nfc import NOT_NFC_CLASS

__all__ = [
    "arrow_to_numpy",
    "ARROW_FALSE",
    "NULL_STRING",
    "numpy_to_arrow",
    "pick_strings",
    "string_array",
    "string_scalar",
    "DecodedText",
    "decode_bytes",
    "detect_legacy",
    "repair_text",
    "repair_column",
    "has_legacy_signs",
    "is_utf8",
    "buffer_as_string",
    "LEGACY_SIGNS_RE",
    "tcvn3_to_unicode",
    "vni_to_unicode",
    "unicode_to_tcvn3",
    "unicode_to_vni",
    "is_vietnamese_syllable",
    "sheet_legacy_kind",
    "scan_sheet",
    "SheetText",
    "has_repairable_text",
    "convert_legacy",
]


# --- Arrow values built without pandas ---------------------------------------------------------------------
# pyarrow imports pandas (~0.5 s) the first time it converts a Python or NumPy value (pa.scalar, pa.array, a
# Python literal given to a compute function); ingest builds the few values it needs from buffers instead.
ARROW_FALSE: pa.BooleanScalar = pc.is_valid(pa.nulls(1))[0]
NULL_STRING: pa.StringScalar = pa.nulls(1, pa.string())[0]


def numpy_to_arrow(values: np.ndarray, type_: pa.DataType | None = None) -> pa.Array:
    """A bool or fixed-width numeric NumPy array without nulls as Arrow (``type_`` must match its dtype)."""
    if values.dtype == np.bool_:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(values)])


def string_array(values: list[str | None]) -> pa.StringArray:
    """Python strings (None for null) as an Arrow string array."""
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    valid = np.fromiter((v is not None for v in values), dtype=np.bool_, count=len(values))
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(values), [validity, pa.py_buffer(offsets), data])


def arrow_to_numpy(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A bool (nulls read as False) or fixed-width numeric (no nulls) Arrow array as NumPy."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_boolean(values.type):
        if values.null_count:
            values = pc.fill_null(values, ARROW_FALSE)
        bits = np.frombuffer(values.buffers()[1], dtype=np.uint8)
        end = values.offset + len(values)
        return np.unpackbits(bits, bitorder="little", count=end)[values.offset :].astype(np.bool_)
    if values.null_count:
        raise ValueError("arrow_to_numpy: numeric values with nulls")
    kind = "f" if pa.types.is_floating(values.type) else "i" if pa.types.is_signed_integer(values.type) else "u"
    dtype = np.dtype(f"{kind}{values.type.bit_width // 8}")
    return np.frombuffer(values.buffers()[1], dtype=dtype)[values.offset : values.offset + len(values)]


def string_scalar(value: str) -> pa.StringScalar:
    return string_array([value])[0]


def pick_strings(choices: list[str], index: np.ndarray) -> pa.Array:
    """Per row ``choices[index[i]]``, null where ``index`` is negative."""
    valid = index >= 0
    picked = string_array(choices).take(numpy_to_arrow(np.where(valid, index, 0).astype(np.int32), pa.int32()))
    if valid.all():
        return picked
    return pc.if_else(numpy_to_arrow(valid), picked, NULL_STRING)

# --- TCVN3 (ABC, TCVN 5712:1993 VN3) -------------------------------------------------------------------
# Byte -> Unicode, as the .VnTime font draws it. The 'H' fonts (.VnTimeH) use the same codes for capitals,
# so a string typed in them cannot be told apart: it decodes to lower case (the font's job, not ours).
_TCVN3_LOWER = (
    "à\xb5 á\xb8 ả\xb6 ã\xb7 ạ\xb9 "
    "ă\xa8 ằ\xbb ắ\xbe ẳ\xbc ẵ\xbd ặ\xc6 "
    "â\xa9 ầ\xc7 ấ\xca ẩ\xc8 ẫ\xc9 ậ\xcb "
    "đ\xae è\xcc é\xd0 ẻ\xce ẽ\xcf ẹ\xd1 "
    "ê\xaa ề\xd2 ế\xd5 ể\xd3 ễ\xd4 ệ\xd6 "
    "ì\xd7 í\xdd ỉ\xd8 ĩ\xdc ị\xde "
    "ò\xdf ó\xe3 ỏ\xe1 õ\xe2 ọ\xe4 "
    "ô\xab ồ\xe5 ố\xe8 ổ\xe6 ỗ\xe7 ộ\xe9 "
    "ơ\xac ờ\xea ớ\xed ở\xeb ỡ\xec ợ\xee "
    "ù\xef ú\xf3 ủ\xf1 ũ\xf2 ụ\xf4 "
    "ư\xad ừ\xf5 ứ\xf8 ử\xf6 ữ\xf7 ự\xf9 "
    "ỳ\xfa ý\xfd ỷ\xfb ỹ\xfc ỵ\xfe "
    "Ă\xa1 Â\xa2 Đ\xa7 Ê\xa3 Ô\xa4 Ơ\xa5 Ư\xa6"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[1]: pair[0] for pair in _TCVN3_LOWER.split()}
UNICODE_TO_TCVN3: dict[str, str] = {u: t for t, u in TCVN3_TO_UNICODE.items()}
_TCVN3_TRANS = str.maketrans(TCVN3_TO_UNICODE)
_TCVN3_ENCODE_TRANS = str.maketrans(UNICODE_TO_TCVN3)
# Codes that Western text (French, German...) practically never puts inside a word.
_TCVN3_SYMBOLS = "".join(c for c in TCVN3_TO_UNICODE if ord(c) < 0xC0)
_TCVN3_CAPS = "".join(c for c in TCVN3_TO_UNICODE if 0xC0 <= ord(c) <= 0xDF)
_TCVN3_STRONG_RE = re.compile(
    f"[A-Za-z{_TCVN3_SYMBOLS}][{_TCVN3_SYMBOLS}]|[{_TCVN3_SYMBOLS}][A-Za-z]|[a-z][{_TCVN3_CAPS}]"
)
_TCVN3_ALLOWED_RE = re.compile(f"^[\\x00-\\x7f{''.join(TCVN3_TO_UNICODE)}]*$")

# --- VNI-Windows -----------------------------------------------------------------------------------------
# A base letter followed by a mark character (tone order: sắc, huyền, hỏi, ngã, nặng).
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_TONE_MARKS = ("ù", "ø", "û", "õ", "ï")  # after a, e, o, u, y, ơ, ư
_VNI_CIRC_TONES = ("á", "à", "å", "ã", "ä")  # â ê ô with a tone
_VNI_BREVE_TONES = ("é", "è", "ú", "ü", "ë")  # ă with a tone
_VNI_I = ("í", "ì", "æ", "ó", "ò")  # i with a tone (single characters)


def _build_vni() -> dict[str, str]:
    """Unicode (lower and upper case) -> VNI-Windows sequence."""
    table: dict[str, str] = {}

    def add(uni: str, vni: str) -> None:
        table[uni] = vni
        table[uni.upper()] = vni.upper()

    for base in "aeouy":
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS, strict=True):
            add(unicodedata.normalize("NFC", base + tone), base + mark)
    for base in "aeo":  # circumflex
        add(unicodedata.normalize("NFC", base + "\u0302"), base + "â")
        for tone, mark in zip(_TONES, _VNI_CIRC_TONES, strict=True):
            add(unicodedata.normalize("NFC", base + "\u0302" + tone), base + mark)
    add("ă", "aê")
    for tone, mark in zip(_TONES, _VNI_BREVE_TONES, strict=True):
        add(unicodedata.normalize("NFC", "a\u0306" + tone), "a" + mark)
    for base, code in (("o", "ô"), ("u", "ö")):  # horn: ơ is 'ô', ư is 'ö'
        add(unicodedata.normalize("NFC", base + "\u031b"), code)
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS, strict=True):
            add(unicodedata.normalize("NFC", base + "\u031b" + tone), code + mark)
    for tone, code in zip(_TONES, _VNI_I, strict=True):
        add(unicodedata.normalize("NFC", "i" + tone), code)
    add("ỵ", "î")
    add("đ", "ñ")
    return table


UNICODE_TO_VNI: dict[str, str] = _build_vni()
VNI_TO_UNICODE: dict[str, str] = {v: u for u, v in UNICODE_TO_VNI.items()}
_VNI_ENCODE_TRANS = str.maketrans(UNICODE_TO_VNI)
# Longest sequences first so 'ôù' (ớ) wins over 'ô' (ơ).
_VNI_DECODE_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
_VNI_CHARS = sorted({c for k in VNI_TO_UNICODE for c in k if ord(c) > 0x7F})
# Mark characters after a vowel (or single codes) that Vietnamese Unicode never contains.
_VNI_STRONG_RE = re.compile(
    "[aeouyAEOUYôöÔÖ][ùøûõïÙØÛÕÏ]|[aeAE][áàåãäâÁÀÅÃÄÂ]|[oO][åäâÅÄÂ]|[aA][üëêÜËÊ]|[A-Za-z][ñæîÑÆÎ]|[ñÑ][a-zA-Z]|[A-Za-z]ö|ö[a-z]"
)
_VNI_ALLOWED_RE = re.compile(f"^[\\x00-\\x7f{''.join(_VNI_CHARS)}]*$")

# --- Validation: does a word read as a Vietnamese syllable? ---------------------------------------------
_SYLLABLE_RE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
    r"(a|ă|â|e|ê|i|o|ô|ơ|u|ư|y|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi"
    r"|ươ|ưu|yê|iêu|oai|oao|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|yêu)"
    r"(ch|ng|nh|[cmnpt])?$"
)
_TONE_MARKS = set(_TONES)
# Separators are ASCII so that legacy text and its conversion split into the same words.
_WORD_RE = re.compile(r"[^\s\d_.,;:/()\[\]{}\"'!?+=*&%$#@<>|\\~^`-]+")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` (any case) has the shape of one Vietnamese syllable with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONE_MARKS)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return bool(_SYLLABLE_RE.match(base))


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text, seen as Latin-1 characters, to NFC Unicode."""
    return text.translate(_TCVN3_TRANS)


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text, seen as Latin-1 characters, to NFC Unicode."""
    return _VNI_DECODE_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def unicode_to_tcvn3(text: str) -> str:
    """Encode Vietnamese Unicode as TCVN3 characters (capitals with a precomposed tone become lower case,
    as the standard has no code for them). Used to build test and sample files."""
    return unicodedata.normalize("NFC", text).translate(_TCVN3_ENCODE_TRANS_FULL)


def unicode_to_vni(text: str) -> str:
    """Encode Vietnamese Unicode as VNI-Windows characters. Used to build test and sample files."""
    return unicodedata.normalize("NFC", text).translate(_VNI_ENCODE_TRANS)


def _tcvn3_full_encode_table() -> dict[int, str]:
    table = dict(_TCVN3_ENCODE_TRANS)
    for uni, code in UNICODE_TO_TCVN3.items():
        upper = uni.upper()
        if upper != uni and ord(upper) not in table:
            table[ord(upper)] = code
    return table


_TCVN3_ENCODE_TRANS_FULL = _tcvn3_full_encode_table()


def _valid_ratio(before: str, after: str) -> tuple[int, int]:
    """(changed words, changed words that read as Vietnamese syllables)."""
    old_words = _WORD_RE.findall(before)
    new_words = _WORD_RE.findall(after)
    if len(old_words) != len(new_words):
        return (len(new_words), 0)
    changed = valid = 0
    for old, new in zip(old_words, new_words, strict=True):
        if old != new:
            changed += 1
            valid += is_vietnamese_syllable(new)
    return changed, valid


def detect_legacy(text: str) -> str | None:
    """'tcvn3' or 'vni' when ``text`` is confidently legacy-encoded Vietnamese, else None."""
    if not text or text.isascii():
        return None
    best: tuple[float, str] | None = None
    for name, strong, allowed, convert in (
        ("tcvn3", _TCVN3_STRONG_RE, _TCVN3_ALLOWED_RE, tcvn3_to_unicode),
        ("vni", _VNI_STRONG_RE, _VNI_ALLOWED_RE, vni_to_unicode),
    ):
        if not allowed.match(text) or not strong.search(text):
            continue
        changed, valid = _valid_ratio(text, convert(text))
        if changed and valid / changed >= 0.75:
            score = valid / changed + valid * 1e-6
            if best is None or score > best[0]:
                best = (score, name)
    return best[1] if best else None


# Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the precomposed toned vowels) or NFD marks: a cell holding
# one is Unicode, never TCVN3/VNI seen through a legacy font.
_UNICODE_VN_RE = (
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u036f]"
)
_NON_ASCII_RE = "[^\\x00-\\x7f]"
_ALLOWED_RE = {"tcvn3": _TCVN3_ALLOWED_RE, "vni": _VNI_ALLOWED_RE}
_NO_ASCII_LOWER_RE = re.compile(r"^[^a-z]*$")
_CAPS_WORD_RE = re.compile(r"[A-Z]\S*[A-Z]")  # a word with two Latin capitals: 'NGUYÔN', 'ANH', not 'Hµ'

_SHEET_MIN_VOTES = 2  # below this, single cells are repaired one by one (detect_legacy) instead


def convert_legacy(text: str, kind: str) -> str:
    """Convert one cell known to be typed in a legacy font (``kind`` 'tcvn3' or 'vni') to NFC Unicode.

    Cells holding characters the encoding has no code for are kept. TCVN3 has no codes for capital toned
    vowels (the .VnTimeH font draws the small ones as capitals), so a cell whose Latin letters are all capitals
    is converted to capitals when one of its words shows two capitals and none is in small letters
    ('NGUYÔN' -> 'NGUYỄN', not 'NGUYễN'; 'T« Hµ' stays 'Tô Hà')."""
    if text is None or text.isascii() or not _ALLOWED_RE[kind].match(text):
        return text
    if kind == "tcvn3":
        return _tcvn3_cell(text)
    return unicodedata.normalize("NFC", vni_to_unicode(text))


def _tcvn3_cell(text: str) -> str:
    out = tcvn3_to_unicode(text)
    if _NO_ASCII_LOWER_RE.match(text) and _CAPS_WORD_RE.search(text):
        out = out.upper()
    return out


def repair_text(text: str, legacy: str | None = None) -> str:
    """Return ``text`` as NFC Unicode, converting TCVN3/VNI when detected (or when ``legacy`` says the sheet is
    typed in that encoding); correct Unicode is kept."""
    if text is None:
        return text
    kind = legacy if legacy and not re.search(_UNICODE_VN_RE, text) else detect_legacy(text)
    if kind:
        text = convert_legacy(text, kind)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


@dataclass(frozen=True)
class SheetText:
    """What one pass over every cell of a sheet found."""

    legacy: str | None  # 'tcvn3'/'vni' when the sheet is typed in that legacy font
    needs_repair: bool  # some cell has a legacy sign or NFD marks


def scan_sheet(columns: list[pa.Array | pa.ChunkedArray], sample: int = 400) -> SheetText:
    """One RE2 pass over all cells (a clean sheet costs just that), then a vote among the suspect cells:
    the sheet is legacy when more cells read as one legacy encoding than cells hold Unicode-only Vietnamese
    letters, and at least two do. A clerk's font applies to the whole sheet, so then every cell is converted,
    also those without a sign strong enough on their own ('NGUYÔN', 'T§CM')."""
    cells = _as_one_column(columns)
    if cells is None or not _any_match(cells, LEGACY_SIGNS_RE):
        return SheetText(None, ARROW_FALSE)
    signs = pc.fill_null(pc.match_substring_regex(cells, LEGACY_SIGNS_RE), ARROW_FALSE)
    if not pc.any(signs).as_py():
        return SheetText(None, ARROW_FALSE)
    votes = {"tcvn3": 0, "vni": 0}
    for value in pc.take(cells, pc.indices_nonzero(signs)).slice(0, sample).to_pylist():
        kind = detect_legacy(value)
        if kind:
            votes[kind] += 1
    kind = max(votes, key=lambda k: votes[k])
    if votes[kind] < _SHEET_MIN_VOTES:
        return SheetText(None, True)
    unicode_cells = int(
        pc.sum(pc.fill_null(pc.match_substring_regex(cells, _UNICODE_VN_RE), ARROW_FALSE)).as_py() or 0
    )
    return SheetText(kind if votes[kind] > unicode_cells else None, True)


def sheet_legacy_kind(columns: list[pa.Array | pa.ChunkedArray], sample: int = 400) -> str | None:
    """'tcvn3' or 'vni' when a sheet (or a CSV's first lines) is typed in a legacy font (see ``scan_sheet``)."""
    return scan_sheet(columns, sample).legacy


def has_repairable_text(columns: list[pa.Array | pa.ChunkedArray]) -> bool:
    """One RE2 pass over every cell of a sheet: could any cell need repair (legacy signs or NFD)? Lets a clean
    sheet skip the per-column work."""
    cells = _as_one_column(columns)
    return cells is not None and _any_match(cells, LEGACY_SIGNS_RE)


def _any_match(cells: pa.ChunkedArray, pattern: str) -> bool:
    """Could any cell match ``pattern``? One RE2 search over all cells joined by newlines: twice as fast as a
    match per cell (which pays a call per cell). The patterns here never span a newline, so a cell that matches
    makes the joined text match; the joined text can also match across a cell boundary, and then the caller's
    per-cell pass decides. A sheet with no match at all is settled by this one search."""
    if cells.nbytes >= 1 << 30:  # too long for one string: a match per cell
        return bool(pc.any(pc.fill_null(pc.match_substring_regex(cells, pattern), ARROW_FALSE)).as_py())
    joined = pc.binary_join(
        pa.ListArray.from_arrays(
            numpy_to_arrow(np.array([0, len(cells)], dtype=np.int32), pa.int32()),
            pc.fill_null(cells, string_scalar("")).combine_chunks(),
        ),
        string_scalar("\n"),  # Arrow scalars made from Python values import pandas
    )
    return bool(pc.match_substring_regex(joined, pattern)[0].as_py())


def _as_one_column(columns: list[pa.Array | pa.ChunkedArray]) -> pa.ChunkedArray | None:
    chunks = []
    for col in columns:
        if len(col) == 0 or not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            continue
        col = col.cast(pa.string()) if pa.types.is_large_string(col.type) else col
        chunks.extend(col.chunks if isinstance(col, pa.ChunkedArray) else [col])
    return pa.chunked_array(chunks, type=pa.string()) if chunks else None


# --- Vectorised column repair ------------------------------------------------------------------------------
_SUSPECT_RE = f"{_TCVN3_STRONG_RE.pattern}|{_VNI_STRONG_RE.pattern}"


def repair_column(
    column: pa.Array | pa.ChunkedArray, legacy: str | None = None
) -> tuple[pa.Array | pa.ChunkedArray, list[str]]:
    """Repair a string column; returns the column and the repairs applied ('tcvn3->unicode', 'vni->unicode',
    'nfd->nfc'). ``legacy`` ('tcvn3'/'vni') says the whole sheet is typed in that font (see
    ``sheet_legacy_kind``). Otherwise the column votes: when most of its non-ASCII cells read as one legacy
    encoding, all of them are converted (a pasted TCVN3 column); else only the cells that read as legacy.
    Clean columns cost two regex scans in Arrow; only suspect cells reach Python."""
    repairs: list[str] = []
    if pa.types.is_null(column.type) or len(column) == 0:
        return column, repairs
    # Only cells with a strong legacy sign reach Python; correct Vietnamese (full of à, ê, ô...) does not.
    suspect = pc.fill_null(pc.match_substring_regex(column, _SUSPECT_RE), ARROW_FALSE)
    if legacy is None and pc.any(suspect).as_py():
        idx = pc.indices_nonzero(suspect)
        values = pc.take(column, idx).to_pylist()
        fixed: list[str | None] = []
        kinds: dict[str, int] = {}
        for v in values:
            kind = detect_legacy(v)
            if kind:
                kinds[kind] = kinds.get(kind, 0) + 1
                v = convert_legacy(v, kind)
            fixed.append(v)
        if kinds:
            main = max(kinds, key=lambda k: kinds[k])
            candidates = _legacy_candidates(column, main)
            if 2 * kinds[main] >= int(pc.sum(candidates).as_py() or 0):
                legacy = main  # the column votes: convert every cell it can hold
            else:
                repairs.extend(sorted(f"{k}->unicode" for k in kinds))
                column = _scatter(column, idx, fixed)
    if legacy is not None:
        candidates = _legacy_candidates(column, legacy)
        if pc.any(candidates).as_py():
            idx = pc.indices_nonzero(candidates)
            fixed = [convert_legacy(v, legacy) for v in pc.take(column, idx).to_pylist()]
            column = _scatter(column, idx, fixed)
            repairs.append(f"{legacy}->unicode")
    # a cell holding a character that can make it not NFC (an NFD mark, a singleton such as the Ohm sign): the
    # column is normalised, so every cell ingest writes is NFC (dbt's staging relies on it; ingest/unicode_nfc.py)
    has_nfd = pc.fill_null(pc.match_substring_regex(column, NOT_NFC_CLASS), ARROW_FALSE)
    if pc.any(has_nfd).as_py():
        column = pc.utf8_normalize(column, form="NFC")
        repairs.append("nfd->nfc")
    return column, repairs


LEGACY_SIGNS_RE = f"{_SUSPECT_RE}|{NOT_NFC_CLASS}"


def _legacy_candidates(column: pa.Array | pa.ChunkedArray, kind: str) -> pa.Array:
    """Cells a legacy font could have produced: non-ASCII, only characters of that encoding, no Unicode-only
    Vietnamese letter."""
    non_ascii = pc.fill_null(pc.match_substring_regex(column, _NON_ASCII_RE), ARROW_FALSE)
    allowed = pc.fill_null(pc.match_substring_regex(column, _ALLOWED_RE[kind].pattern), ARROW_FALSE)
    unicode_vn = pc.fill_null(pc.match_substring_regex(column, _UNICODE_VN_RE), ARROW_FALSE)
    return pc.and_(pc.and_(non_ascii, allowed), pc.invert(unicode_vn))


def buffer_as_string(data: bytes) -> pa.LargeStringArray:
    """A whole UTF-8 buffer as a one-element Arrow string array, without copying (for RE2 scans)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    return pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data))


def is_utf8(data: bytes) -> bool:
    """Valid UTF-8, checked in C by Arrow (no Python string is built)."""
    try:
        buffer_as_string(data).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def has_legacy_signs(data: bytes) -> bool:
    """One RE2 pass over a whole UTF-8 buffer: could any cell hold TCVN3/VNI or NFD text? Lets a clean
    file skip the per-column checks."""
    return bool(pc.match_substring_regex(buffer_as_string(data), LEGACY_SIGNS_RE)[0].as_py())


def _scatter(column: pa.Array | pa.ChunkedArray, idx: pa.Array, values: list[str | None]):
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    py = column.to_pylist()
    for i, v in zip(idx.to_pylist(), values, strict=True):
        py[i] = v
    return string_array(py)


# --- Bytes -> text -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # 'utf-8', 'utf-8-sig', 'utf-16-le', 'utf-16-be', 'cp1258', 'tcvn3', 'vni'
    repairs: tuple[str, ...]


_SAMPLE = 64 * 1024  # enough words to tell the encodings apart; scoring is per word, in Python


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _legacy_score(text: str) -> float:
    words = [w for w in _WORD_RE.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a CSV's bytes: UTF-8 (BOM or not), UTF-16 (BOM, or LE/BE told by NUL bytes), else the best
    of Windows-1258, TCVN3 and VNI by how Vietnamese the words read. Returns NFC text."""
    repairs: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, text = "utf-8-sig", data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        text = data[2:].decode(encoding, errors="replace")
        repairs.append("utf-16")
    elif (utf16 := _utf16_without_bom(data)) is not None:
        encoding, text = utf16, data.decode(utf16, errors="replace")
        repairs.append("utf-16")
    else:
        try:
            encoding, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            encoding, text = _decode_legacy(data)
            repairs.append(f"{encoding}->unicode")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        repairs.append("nfd->nfc")
    return DecodedText(text=text, encoding=encoding, repairs=tuple(repairs))


def _decode_legacy(data: bytes) -> tuple[str, str]:
    sample = data[:_SAMPLE]
    latin = sample.decode("latin-1")
    candidates: list[tuple[float, str]] = []
    cp = unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace"))
    candidates.append((_legacy_score(cp) + 0.01, "cp1258"))  # a real code page wins ties
    if _TCVN3_STRONG_RE.search(latin):
        candidates.append((_legacy_score(tcvn3_to_unicode(latin)), "tcvn3"))
    if _VNI_STRONG_RE.search(latin):
        candidates.append((_legacy_score(vni_to_unicode(latin)), "vni"))
    _, encoding = max(candidates)
    if encoding == "cp1258":
        return "cp1258", data.decode("cp1258", errors="replace")
    full = data.decode("latin-1")
    if encoding == "vni":
        return encoding, vni_to_unicode(full)
    # cell by cell, so that a name in capitals gets capital toned letters (see convert_legacy)
    return encoding, _CSV_FIELD_RE.sub(lambda m: _tcvn3_cell(m.group(0)), full)


_CSV_FIELD_RE = re.compile(r'[^,;\t|"\r\n]+')
