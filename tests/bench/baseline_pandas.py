"""The plain-pandas baseline of item 3: the same reading (encoding handling), cleaning, code mapping, CCCD
checks, linking (valid CCCD + a blocked fuzzy match scored with Jaro-Winkler), clustering, survivorship and
indicator aggregation as the pipeline, written as a competent engineer would with pandas alone."""

from __future__ import annotations

import codecs
import hashlib
import hmac
import io
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from tests.bench.baseline_duckdb import HEADERS, SEEDS

MAX_BLOCK = 200
ROLES_ST = ("RESEARCHER", "LECTURER", "ENGINEER")


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters), as DuckDB's jaro_winkler_similarity."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    a_hit, b_hit = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    k = transpositions = 0
    for i in range(la):
        if a_hit[i]:
            while not b_hit[k]:
                k += 1
            transpositions += a[i] != b[k]
            k += 1
    jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _nkey_unique(values: pd.Series) -> pd.Series:
    s = values.str.normalize("NFC").str.lower().str.replace("đ", "d", regex=False).str.normalize("NFD")
    s = s.str.replace(r"[\u0300-\u036f]", "", regex=True).str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    return s.replace("", pd.NA)


def nkey(values: pd.Series) -> pd.Series:
    """The matching key (NFC, lower, đ->d, no diacritics, punctuation -> one space), computed once per distinct value."""
    uniques = pd.Series(values.dropna().unique(), dtype="str")
    mapping = dict(zip(uniques, _nkey_unique(uniques), strict=True))
    return values.map(mapping)


def _read_file(path: Path, root: Path) -> pd.DataFrame:
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, sep = data.decode("utf-16"), "\t"
    else:
        try:
            text, sep = data.decode("utf-8-sig"), ","
        except UnicodeDecodeError:
            text, sep = data.decode("cp1258"), ","
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    df.columns = [unicodedata.normalize("NFC", c) for c in df.columns]  # Windows-1258 decodes to combining marks
    df = df.rename(columns=HEADERS)[list(HEADERS.values())]
    rel = path.relative_to(root)
    df["source_file"] = rel.as_posix()
    df["source_row"] = np.arange(2, len(df) + 2)
    df["period"], df["unit_kind"], df["unit_code"] = rel.parts[0], rel.parts[1], rel.parts[2]
    return df


def _seed(rel: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / rel, dtype=str, keep_default_na=False).replace("", pd.NA)


def _synonyms() -> dict[str, dict[str, str]]:
    parts = []
    for name in ("sex", "yes_no", "status", "role", "qualification", "ethnicity", "employer_type"):
        s = _seed(f"synonyms/{name}_synonyms.csv")
        parts.append(pd.DataFrame({"origin": 1, "list": name, "value": s["value"], "code": s["code"]}))
    q = _seed("codes/qualification_levels.csv")
    v = _seed("codes/qualification_variants.csv")
    e = _seed("codes/ethnic_groups.csv")
    ev = e.assign(value=e["variants"].str.split("|")).explode("value")
    for value, code, lst in ((q["code"], q["code"], "qualification"), (q["name_vi"], q["code"], "qualification"),
                             (v["variant"], v["level_code"], "qualification"), (e["name_vi"], e["code_1979_qd121"], "ethnicity"),
                             (ev["value"], ev["code_1979_qd121"], "ethnicity")):
        parts.append(pd.DataFrame({"origin": 2, "list": lst, "value": value.values, "code": code.values}))
    syn = pd.concat(parts, ignore_index=True).dropna(subset=["value", "code"])
    syn["value_key"] = nkey(syn["value"])
    syn = syn.dropna(subset=["value_key"]).sort_values(["origin", "code"]).drop_duplicates(["list", "value_key"])
    return {lst: dict(zip(g["value_key"], g["code"], strict=True)) for lst, g in syn.groupby("list")}


def _wards() -> dict[str, str]:
    new = _seed("codes/admin_units_dong_nai.csv")
    old = _seed("codes/admin_units_dong_nai_old_to_new.csv")
    strip = lambda s: nkey(s).str.replace(r"^(phuong|xa|thi tran) ", "", regex=True)  # noqa: E731
    lookup: dict[str, str] = {}
    old_names = pd.DataFrame({"k": strip(old["ten_dvhc_cu"]), "code": old["ma_dvhc_moi"]}).drop_duplicates()
    unique_old = old_names.groupby("k")["code"].agg(lambda c: c.iloc[0] if len(set(c)) == 1 else None).dropna()
    lookup.update(unique_old.to_dict())
    lookup.update(dict(zip(nkey(new["ten_ascii"]), new["ma_dvhc"], strict=True)))
    lookup.update(dict(zip(nkey(new["ten_rut_gon"]), new["ma_dvhc"], strict=True)))
    lookup.update(dict(zip(old["ma_dvhc_cu"], old["ma_dvhc_moi"], strict=True)))
    lookup.update(dict(zip(new["ma_dvhc"], new["ma_dvhc"], strict=True)))
    return lookup


def _parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    day = pd.to_datetime(text.str.replace(r"[.-]", "/", regex=True), format="%d/%m/%Y", errors="coerce")
    month = pd.to_datetime("01/" + text.str.replace(r"[.-]", "/", regex=True), format="%d/%m/%Y", errors="coerce")
    year = pd.to_datetime(text.where(text.str.fullmatch(r"(19|20)\d{2}")), format="%Y", errors="coerce")
    date = day.fillna(month).fillna(year)
    precision = pd.Series(np.select([day.notna(), month.notna(), year.notna()], ["day", "month", "year"], None),
                          index=text.index)
    return date, precision


def _clean(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.replace("", pd.NA)
    for col in HEADERS.values():
        df[col] = df[col].str.normalize("NFC").str.replace(r"\s+", " ", regex=True).str.strip()
    df["record_id"] = df["source_file"] + "||" + df["source_row"].astype(str)
    df["name_key"] = nkey(df["full_name"])
    df["employer_key"] = nkey(df["employer"])
    df["birth_date"], df["birth_precision"] = _parse_dates(df["birth_date"].astype("str"))
    df["birth_year"] = df["birth_date"].dt.year.astype("Int64")
    df["period_year"] = df["period"].str[:4].astype(int)
    df["cccd_clean"] = df["cccd"].str.replace(r"\.0+$", "", regex=True).str.replace(r"[\s.'’-]", "", regex=True)
    digits = df["phone"].str.replace(r"[^0-9+]", "", regex=True)
    df["phone"] = digits.where(~digits.str.fullmatch(r"[1-9]\d{8}", na=False), "0" + digits)
    return df


def _encode(df: pd.DataFrame) -> pd.DataFrame:
    syn = _synonyms()
    for col, lst in (("sex", "sex"), ("ethnicity", "ethnicity"), ("qualification", "qualification"), ("status", "status")):
        key = nkey(df[col])
        df[f"{col}_code"] = key.map(syn.get(lst, {}))
        df[f"{col}_unmapped"] = key.notna() & df[f"{col}_code"].isna()
    eth = nkey(df["ethnicity"]).str.replace(r"^(dan toc|dt|nguoi) ", "", regex=True)
    df["ethnicity_code"] = df["ethnicity_code"].fillna(eth.map(syn["ethnicity"]))
    ward_key = nkey(df["residence_ward"].str.split(",").str[0]).str.replace(r"^(phuong|xa|thi tran|p|x|tt|f) ", "", regex=True)
    wards = _wards()
    code_text = df["residence_ward"].str.extract(r"^(\d{5})(?:\.0+)?$")[0]
    df["residence_ward_code"] = code_text.map(wards).fillna(ward_key.map(wards))
    df.loc[df["residence_ward"].isna() & (df["unit_kind"] == "ward"), "residence_ward_code"] = df["unit_code"]
    df["role_code"] = pd.NA  # the template has no role column
    return df


def _check_cccd(df: pd.DataFrame) -> pd.DataFrame:
    prefixes = set(_seed("codes/cccd_province_codes.csv")["cccd_prefix"])
    d4 = _seed("codes/cccd_gender_century_codes.csv")
    d4_sex = dict(zip(d4["digit_4"], d4["gender"].map({"male": "M", "female": "F"}), strict=True))
    d4_century = dict(zip(d4["digit_4"], d4["nam_sinh_tu"].astype(int), strict=True))
    c = df["cccd_clean"].where(~df["cccd_clean"].str.fullmatch(r"\d{11}", na=False), "0" + df["cccd_clean"])
    is_digits = c.str.fullmatch(r"\d+", na=False)
    birth = c.str[3].map(d4_century) + pd.to_numeric(c.str[4:6], errors="coerce")
    issue = np.select(
        [c.isna(), ~is_digits, c.str.len() == 9, c.str.len() != 12, ~c.str[:3].isin(prefixes),
         birth > df["period_year"], df["sex_code"].notna() & (c.str[3].map(d4_sex) != df["sex_code"]),
         df["birth_year"].notna() & (birth != df["birth_year"])],
        [None, "cccd_not_digits", "cccd_is_old_cmnd", "cccd_wrong_length", "cccd_unknown_province",
         "cccd_birth_century_implausible", "cccd_sex_mismatch", "cccd_birth_year_mismatch"], None)
    df["cccd_issue_code"] = issue
    df["cccd"] = c.where(pd.isna(issue) & c.notna())
    return df


def _pairs(df: pd.DataFrame) -> pd.DataFrame:
    p = df[df["name_key"].notna()]
    ends = p["name_key"].str.split(" ").str[0] + " " + p["name_key"].str.split(" ").str[-1]
    blocks = pd.concat([
        pd.DataFrame({"record_id": p["record_id"], "cccd": p["cccd"], "block": "y|" + p["name_key"] + "|" + p["birth_year"].astype("str")})[p["birth_year"].notna()],
        pd.DataFrame({"record_id": p["record_id"], "cccd": p["cccd"], "block": "w|" + p["name_key"] + "|" + p["residence_ward_code"]})[p["residence_ward_code"].notna()],
        pd.DataFrame({"record_id": p["record_id"], "cccd": p["cccd"], "block": "e|" + p["name_key"] + "|" + p["employer_key"]})[p["employer_key"].notna()],
        pd.DataFrame({"record_id": p["record_id"], "cccd": p["cccd"], "block": "s|" + ends + "|" + p["birth_year"].astype("str") + "|" + p["sex_code"]})[p["birth_year"].notna() & p["sex_code"].notna()],
    ], ignore_index=True)
    blocks["no_cccd"] = blocks["cccd"].isna()
    stats = blocks.groupby("block").agg(n=("record_id", "size"), no_cccd=("no_cccd", "sum"))
    usable = stats[(stats["n"].between(2, MAX_BLOCK)) & (stats["no_cccd"] > 0)].index
    blocks = blocks[blocks["block"].isin(usable)]
    pairs = blocks.merge(blocks, on="block", suffixes=("_l", "_r"))
    pairs = pairs[(pairs["record_id_l"] < pairs["record_id_r"]) & (pairs["cccd_l"].isna() | pairs["cccd_r"].isna())]
    pairs = pairs[["record_id_l", "record_id_r"]].drop_duplicates()
    cols = ["record_id", "name_key", "birth_date", "birth_year", "birth_precision", "sex_code", "cccd_clean", "phone",
            "residence_ward_code", "employer_key"]
    side = p[cols].set_index("record_id")
    left = side.loc[pairs["record_id_l"]].reset_index(drop=True)
    right = side.loc[pairs["record_id_r"]].reset_index(drop=True)
    name_sim = np.array([jaro_winkler(a, b) for a, b in zip(left["name_key"], right["name_key"], strict=True)])
    emp_sim = np.array([jaro_winkler(a, b) if isinstance(a, str) and isinstance(b, str) else 0.0
                        for a, b in zip(left["employer_key"], right["employer_key"], strict=True)])
    both_day = (left["birth_precision"] == "day") & (right["birth_precision"] == "day")
    score = (
        np.select([name_sim >= 0.99, name_sim >= 0.95, name_sim >= 0.90], [3, 1.5, 0], -5)
        + np.select([both_day & (left["birth_date"] == right["birth_date"]), both_day,
                     left["birth_year"].isna() | right["birth_year"].isna(), left["birth_year"] != right["birth_year"]],
                    [4, -4, 0, -6], 1)
        + np.select([left["sex_code"].isna() | right["sex_code"].isna(), left["sex_code"] == right["sex_code"]], [0, 0.5], -6)
        + np.select([left["cccd_clean"].isna() | right["cccd_clean"].isna(), left["cccd_clean"] == right["cccd_clean"]], [0, 5], -4)
        + np.where((left["phone"] == right["phone"]).fillna(False), 4, 0)
        + np.where((left["residence_ward_code"] == right["residence_ward_code"]).fillna(False), 1, 0)
        + np.where(emp_sim >= 0.9, 1.5, 0)
    )
    out = pairs.reset_index(drop=True).assign(score=score)
    return out[out["score"] >= 3].assign(decision=lambda d: np.where(d["score"] >= 5, "match", "review"))


def _clusters(df: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    fixed = df["cccd"].notna()
    label = pd.Series(np.where(fixed, "cccd:" + df["cccd"].astype("str"), "row:" + df["period"] + "|" + df["record_id"]),
                      index=df["record_id"].values)
    is_fixed = pd.Series(fixed.values, index=label.index)
    acc = pairs[pairs["decision"] == "match"]
    edges = pd.concat([acc.set_axis(["a", "b"] + list(acc.columns[2:]), axis=1)[["a", "b"]],
                       acc.set_axis(["b", "a"] + list(acc.columns[2:]), axis=1)[["a", "b"]]])
    for _ in range(50):
        if edges.empty:
            break
        nb = edges.assign(label=edges["b"].map(label)).groupby("a")["label"].min()
        nb = nb[~is_fixed.loc[nb.index].values & (nb < label.loc[nb.index]).values]
        if nb.empty:
            break
        label.loc[nb.index] = nb
    return label


def run(landing: str, key: str) -> dict:
    root = Path(landing)
    raw = pd.concat([_read_file(p, root) for p in sorted(root.rglob("*.csv"))], ignore_index=True)
    raw = raw[raw["full_name"].str.strip() != ""]
    df = _check_cccd(_encode(_clean(raw)))
    pairs = _pairs(df)
    labels = _clusters(df, pairs)
    df["identity"] = df["record_id"].map(labels)
    secret = key.encode()
    keys = {i: hmac.new(secret, i.encode(), hashlib.sha256).hexdigest() for i in df["identity"].unique()}
    df["person_key"] = df["identity"].map(keys)

    # survivorship: identity attributes from valid-CCCD rows, then the latest row
    df["has_cccd"] = df["cccd"].notna()
    ordered = df.sort_values(["person_key", "has_cccd", "period", "record_id"], ascending=[True, False, False, True])
    dim = ordered.groupby("person_key").agg(
        sex_code=("sex_code", "first"), birth_year=("birth_year", "first"), ethnicity_code=("ethnicity_code", "first"),
        qualification_code=("qualification_code", "first"), status_code=("status_code", "first"),
        residence_ward_code=("residence_ward_code", "first"), last_period=("period", "max"),
        source_count=("record_id", "size"),
    ).reset_index()
    q = _seed("codes/qualification_levels.csv")
    dim["vnqf_level"] = dim["qualification_code"].map(dict(zip(q["code"], q["vnqf_level"].astype(int), strict=True)))
    dim["age"] = dim["last_period"].str[:4].astype(int) - dim["birth_year"]
    dim["age_group"] = pd.cut(dim["age"], [-1000, 29, 44, 59, 1000], labels=["<30", "30-44", "45-59", "60+"]).astype("str")
    dim["is_active"] = dim["status_code"].fillna("ACTIVE") == "ACTIVE"
    dim["is_minority"] = dim["ethnicity_code"].notna() & (dim["ethnicity_code"] != "01")

    # the restricted identity table (pii.persons): a name written with its diacritics, then valid-CCCD rows, latest
    df["has_accents"] = df["full_name"].str.lower() != df["name_key"]
    by_name = df.sort_values(
        ["person_key", "has_accents", "has_cccd", "period", "record_id"], ascending=[True, False, False, False, True]
    )
    pii = by_name.groupby("person_key").agg(
        full_name=("full_name", "first"), cccd=("cccd", "first"), birth_date=("birth_date", "first"),
        phone=("phone", "first"),
    )
    # every record of the person, in period order: split one sorted array (agg(list) loops in Python per person)
    in_order = df.sort_values(["person_key", "period", "record_id"])
    keys = in_order["person_key"].to_numpy()
    starts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    if len(keys):
        firsts = keys[np.r_[0, starts]]
        pii["record_ids"] = pd.Series(np.split(in_order["record_id"].to_numpy(), starts), index=firsts)

    # status over time (person_status_history): one spell per run of the same status across periods
    per_period = (
        df.sort_values(["person_key", "period", "record_id"])
        .groupby(["person_key", "period"], sort=False)["status_code"].last()
        .fillna("ACTIVE").reset_index()
    )
    starts = per_period["status_code"].ne(per_period.groupby("person_key")["status_code"].shift())
    spells = per_period[starts].copy()
    spells["valid_to_period"] = spells.groupby("person_key")["period"].shift(-1)

    # each person as known at each period: the latest non-null value of a record at or before it
    ordered = df.sort_values(["period", "record_id"])
    states = []
    for period in sorted(df["period"].unique()):
        known = ordered[ordered["period"] <= period]
        state = known.groupby("person_key")[["qualification_code", "residence_ward_code", "role_code"]].last()
        state["status_code"] = spells[spells["period"] <= period].groupby("person_key")["status_code"].last()
        states.append(state.assign(period=period))
    pp = pd.concat(states).reset_index()
    pp = pp.merge(dim[["person_key", "sex_code", "birth_year", "is_minority"]], on="person_key", how="left")
    pp["vnqf_level"] = pp["qualification_code"].map(dict(zip(q["code"], q["vnqf_level"].astype(int), strict=True)))
    pp["age"] = pp["period"].str[:4].astype(int) - pp["birth_year"]
    pp["age_group"] = pd.cut(pp["age"], [-1000, 29, 44, 59, 1000], labels=["<30", "30-44", "45-59", "60+"]).astype("str")
    pp["is_active"] = pp["status_code"].fillna("ACTIVE") == "ACTIVE"

    # the person-based indicators for every period (the template carries no role: the role-based measures are
    # empty, as in SQL)
    measures = {
        "A6": (pp["is_active"] & (pp["vnqf_level"] >= 6), pp["is_active"] & (pp["vnqf_level"] >= 6)),
        "POSTGRAD": (pp["is_active"] & (pp["vnqf_level"] >= 7), pp["is_active"]),
        "D1": (pp["sex_code"] == "F", pp["is_active"] & pp["role_code"].isin(ROLES_ST)),
        "MINORITY": (pp["is_minority"], pp["is_active"]),
    }
    cells = []
    for code, (num, den) in measures.items():
        m = pp.assign(num=num.fillna(False).astype(bool), den=den.fillna(False).astype(bool), city="_T")
        m = m[m["num"] | m["den"]]
        for geo in ("city", "residence_ward_code"):
            for by in ([], ["sex_code"], ["age_group"]):
                g = m.groupby(["period", geo, *by], dropna=True)[["num", "den"]].sum().reset_index()
                cells.append(g.assign(measure=code))
    indicator_cells = pd.concat(cells, ignore_index=True)
    return {"rows": len(df), "persons": len(dim), "pairs": len(pairs), "cells": len(indicator_cells),
            "person_periods": len(pp), "status_spells": len(spells), "pii_persons": len(pii)}
