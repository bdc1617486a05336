{#
    The matching key for free text: NFC, lower case, 'đ' -> 'd' (strip_accents keeps 'đ'), no diacritics,
    every run of punctuation/space collapsed to one space, trimmed; '' -> null.
    Used on both sides of every lookup (raw values and synonym seeds), so spellings differing only in case,
    accents, spacing or punctuation meet.
#}
{% macro normalise_key(expr, is_nfc=false) -%}
    {#- is_nfc: the value is already NFC (a clean_text result): Unicode normalisation is the costly step -#}
    nullif(trim(regexp_replace(
        strip_accents(replace(lower({{ expr if is_nfc else 'nfc_normalize(' ~ expr ~ ')' }}), 'đ', 'd')),
        '[^a-z0-9]+', ' ', 'g'
    )), '')
{%- endmacro %}

{#
    A ward's or commune's name as a lookup key (int_ward_lookup): normalise_key without a leading unit-type word
    ('Phường', 'Xã', 'Thị trấn', 'P.', 'X.', 'TT.', 'F.'), so 'P. Tân Mai', 'phường Tân Mai' and 'Tan Mai' meet.
#}
{% macro ward_name_key(expr, is_nfc=false) -%}
    regexp_replace({{ normalise_key(expr, is_nfc) }}, '^(phuong|xa|thi tran|p|x|tt|f) ', '')
{%- endmacro %}

{#
    The parts of a combined value ('PGS.TS', 'BS.CKII', 'ThS. Bác sĩ'): split on punctuation that separates
    titles and degrees, each part normalised; empty parts dropped. A list of varchar.
#}
{% macro normalise_parts(expr) -%}
    list_filter(
        list_transform(
            regexp_split_to_array(nfc_normalize({{ expr }}), '[.,;/+&()\[\]-]+'),
            lambda part: {{ normalise_key('part', is_nfc=true) }}
        ),
        lambda part: part is not null
    )
{%- endmacro %}

{#
    A cell as written, tidied: every run of white space one space, trimmed; '' -> null. The text is already NFC:
    ingest normalises every cell it loads (ingest/text_repair.py, ingest/unicode_nfc.py), so normalising it again
    here would cost a second on a million names at every build.
    A cell without two spaces in a row, a tab, a line break or a form feed comes back as it is: the regular
    expression (RE2's \s: tab, line feed, form feed, carriage return, space) could not change it, and looking for
    those characters costs half of running it (eight personal columns of a million rows: 0.2 s against 0.4 s).
#}
{% macro clean_text(expr) -%}
    nullif(trim(
        case
            when contains({{ expr }}, '  ') or contains({{ expr }}, chr(9)) or contains({{ expr }}, chr(10))
                or contains({{ expr }}, chr(12)) or contains({{ expr }}, chr(13))
                then regexp_replace({{ expr }}, '\s+', ' ', 'g')
            else {{ expr }}
        end
    ), '')
{%- endmacro %}

{# Title case for Vietnamese names: every word upper-case first letter, rest lower. #}
{% macro title_case(expr) -%}
    array_to_string(
        list_transform(
            string_split({{ expr }}, ' '),
            lambda word: upper(left(word, 1)) || lower(substr(word, 2))
        ),
        ' '
    )
{%- endmacro %}

{#
    A lighter key for register datasets: trimmed, lower case, no diacritics, 'đ'/'Đ' -> 'd'. Unlike
    normalise_key it keeps punctuation and spacing (register ids such as award or task names rely on that).
#}
{% macro accent_free_key(expr) -%}
    lower(strip_accents(replace(replace(trim({{ expr }}), 'đ', 'd'), 'Đ', 'D')))
{%- endmacro %}

{#
    The id of a register entry known by its name only (an enterprise, a vocational institution), so one entry meets
    itself across files: every run of whitespace (spaces, tabs, line breaks: Alt+Enter in Excel) one space, then the
    ends trimmed, 'đ'/'Đ' -> 'd', no diacritics, lower case. accent_free_key with the spacing evened out; punctuation
    stays. (DuckDB's trim() strips spaces only: collapsing first is what makes a name that ends in a line break the
    same entry as the name without it.)
#}
{% macro name_id(expr) -%}
    lower(strip_accents(replace(replace(trim(regexp_replace({{ expr }}, '\s+', ' ', 'g')), 'đ', 'd'), 'Đ', 'D')))
{%- endmacro %}

{#
    An employer's name as a matching key: normalise_key, then the abbreviations units write for the same body
    spelled out ('ĐH' -> 'dai hoc', 'CĐ' -> 'cao dang', 'BV' -> 'benh vien', 'TTYT' -> 'trung tam y te') and a
    leading 'trường' dropped, so 'Trường ĐH Đồng Nai' and 'Đại học Đồng Nai' meet.
#}
{% macro employer_match_key(expr) -%}
    nullif(trim(regexp_replace(
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            ' ' || {{ expr }} || ' ',
            ' dh ', ' dai hoc ', 'g'),
            ' cd ', ' cao dang ', 'g'),
            ' bvdk ', ' benh vien da khoa ', 'g'),
            ' bv ', ' benh vien ', 'g'),
            ' ttyt ', ' trung tam y te ', 'g'),
        '^ truong ', ' ')), '')
{%- endmacro %}

{#
    A text's words as a key that keeps diacritics (names differ by them: 'Lê' and 'Lệ'): lower case, letters only,
    single spaces. Used to find a person's name inside a longer text (assert_no_personal_data_outside_pii).
#}
{% macro words_key(expr) -%}
    trim(regexp_replace(lower({{ expr }}), '[^\pL]+', ' ', 'g'))
{%- endmacro %}
