"""Encoders for the legacy Vietnamese byte encodings clerks still produce: TCVN3 (ABC) and VNI-Windows.

Written from the public charts (TCVN 5712:1993 "VN3" as used by the .VnTime fonts; the VNI-Windows
font layout), deliberately independent of the project's readers. Also a Windows-1258 encoder (base
letter with non-tone marks precomposed, tone as a combining byte, as Windows produces it).

TCVN3 has no upper-case toned letters: a clerk typing "NGUYỄN" in .VnTimeH gets the lower-case code,
which the upper-case font draws as a capital. We do the same (``NGUY`` + the byte of ``ễ``).
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["encode_tcvn3", "encode_vni", "encode_cp1258", "as_latin1_text", "TCVN3_MAP", "VNI_MAP"]

# Lower-case vowels by base and tone (none, grave, hook, tilde, acute, dot below).
_TONED = {
    "a": "aàảãáạ", "ă": "ăằẳẵắặ", "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ", "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ", "ô": "ôồổỗốộ", "ơ": "ơờởỡớợ",
    "u": "uùủũúụ", "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}

# TCVN3 bytes, same order as _TONED (none, grave, hook, tilde, acute, dot).
_TCVN3_BYTES = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_UPPER_PLAIN = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7, "đ": 0xAE}


def _build_tcvn3() -> dict[str, bytes]:
    table: dict[str, bytes] = {}
    for base, chars in _TONED.items():
        for ch, code in zip(chars, _TCVN3_BYTES[base], strict=True):
            table[ch] = bytes([code])
            up = ch.upper()
            if up != ch and up not in _TCVN3_UPPER_PLAIN:
                # no upper-case toned glyph code: the .VnTimeH font draws the lower-case code as capital
                table[up] = bytes([code]) if code >= 0x80 else up.encode("ascii")
    for ch, code in _TCVN3_UPPER_PLAIN.items():
        table[ch] = bytes([code])
    return table


# VNI-Windows: base letter followed by a mark byte; lower-case marks, upper-case marks.
_VNI_TONE_LOWER = ("", "ø", "û", "õ", "ù", "ï")  # grave, hook, tilde, acute, dot
_VNI_TONE_UPPER = ("", "Ø", "Û", "Õ", "Ù", "Ï")
_VNI_CIRC_LOWER = ("â", "à", "å", "ã", "á", "ä")  # â ầ ẩ ẫ ấ ậ (combined circumflex+tone byte)
_VNI_CIRC_UPPER = ("Â", "À", "Å", "Ã", "Á", "Ä")
_VNI_BREVE_LOWER = ("ê", "è", "ú", "ü", "é", "ë")  # ă ằ ẳ ẵ ắ ặ
_VNI_BREVE_UPPER = ("Ê", "È", "Ú", "Ü", "É", "Ë")
_VNI_I_LOWER = ("i", "ì", "æ", "ó", "í", "ò")  # i has single-byte forms
_VNI_I_UPPER = ("I", "Ì", "Æ", "Ó", "Í", "Ò")


def _build_vni() -> dict[str, bytes]:
    table: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
    for base, chars in _TONED.items():
        for tone, ch in enumerate(chars):
            for upper in (False, True):
                uc = ch.upper() if upper else ch
                tones = _VNI_TONE_UPPER if upper else _VNI_TONE_LOWER
                if base in ("a", "e", "o", "u", "y"):
                    letter = base.upper() if upper else base
                    if base == "y" and tone == 5:
                        seq = "Î" if upper else "î"
                    else:
                        seq = letter + tones[tone]
                elif base in ("â", "ê", "ô"):
                    letter = {"â": "a", "ê": "e", "ô": "o"}[base]
                    letter = letter.upper() if upper else letter
                    seq = letter + (_VNI_CIRC_UPPER if upper else _VNI_CIRC_LOWER)[tone]
                elif base == "ă":
                    seq = ("A" if upper else "a") + (_VNI_BREVE_UPPER if upper else _VNI_BREVE_LOWER)[tone]
                elif base == "ơ":
                    seq = ("Ô" if upper else "ô") + tones[tone]
                elif base == "ư":
                    seq = ("Ö" if upper else "ö") + tones[tone]
                elif base == "i":
                    seq = (_VNI_I_UPPER if upper else _VNI_I_LOWER)[tone]
                else:  # pragma: no cover
                    raise AssertionError(base)
                table[uc] = seq
    return {k: v.encode("latin-1") for k, v in table.items()}


TCVN3_MAP: dict[str, bytes] = _build_tcvn3()
VNI_MAP: dict[str, bytes] = _build_vni()

# Latin-1/cp1252 letters that are not Vietnamese but appear in names of foreign origin: dropped to ASCII.
_FALLBACK = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}


def _encode(text: str, table: dict[str, bytes]) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch)
        if code is not None:
            out += code
        elif ord(ch) < 0x80:
            out += ch.encode("ascii")
        else:
            repl = _FALLBACK.get(ch)
            if repl is None:
                base = unicodedata.normalize("NFD", ch)[0]
                repl = base if ord(base) < 0x80 else "?"
            out += repl.encode("ascii")
    return bytes(out)


def encode_tcvn3(text: str) -> bytes:
    """Unicode text -> TCVN3 (ABC) bytes, as typed with a .VnTime font."""
    return _encode(text, TCVN3_MAP)


def encode_vni(text: str) -> bytes:
    """Unicode text -> VNI-Windows bytes, as typed with a VNI-Times font."""
    return _encode(text, VNI_MAP)


_CP1258_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258: letters with circumflex/breve/horn precomposed, tones as combining bytes."""
    return "".join(_cp1258_form(ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1258", errors="replace")


@functools.cache
def _cp1258_form(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if c not in _CP1258_TONES)
    tones = "".join(c for c in decomposed if c in _CP1258_TONES)
    return unicodedata.normalize("NFC", base) + tones


def as_latin1_text(raw: bytes) -> str:
    """Legacy bytes as the text Excel stores when the clerk typed them with a legacy font (cp1252 view).

    Inside an XLSX the cell text is Unicode; a .VnTime/VNI-Times cell holds the characters whose
    Windows-1252 codes are the legacy bytes (e.g. 'NguyÔn'). Bytes 0x80-0x9F map through cp1252.
    """
    return raw.decode("cp1252", errors="replace").replace("\ufffd", "?")
