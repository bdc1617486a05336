"""Fidelity on hand-written, hand-labelled submissions: the real loader and dbt build, scored against labels.csv.

The corpus (``corpus.py``) is written the way Vietnamese units write their lists, not the way our sample
generator does; the labels (``labels.csv``, ``expected_indicators.csv``) were written by reading those rows, never
by running the warehouse. A failure here is a gap between the warehouse and a careful human reader. Each test
fails for one reason and lists the rows it is about: rid (see labels.csv), file, sheet, row, expected, got.

Labels leave a field empty when the row does not give it; such a cell is not scored (a role too, when neither the
row, its section, its sheet nor its unit says anything about the job). Rows of kind ``section``,
``total`` and ``note`` are not persons; ``replaced`` rows belong to a list that a later "cập nhật" file replaced.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ingest.connect import open_warehouse
from orchestration.setup_home import dbt_executable
from tests.fidelity.corpus import FILES, JUNK_FILES, build_landing

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("fidelity")]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DBT_PROJECT_DIR = ROOT / "dbt_project"
DBT_BIN = dbt_executable()  # beside sys.executable, else on PATH
SELECT = ["+models/marts/core", "+models/pii", "+models/quality", "+indicator_values", "+indicator_catalog"]
KEYS = ["source_file", "sheet_name", "source_row"]
NOT_PERSONS = ("section", "total", "note")
# label column = published column of marts.person_source_records
FIELDS = ["sex_code", "birth_year", "ethnicity_code", "qualification_code", "academic_title_code",
          "science_field_code", "role_code", "teaching_level_code", "residence_ward_code", "status_code"]
ACCURACY = 0.99
PRECISION, RECALL = 0.995, 0.99
SHOW = 40  # rows listed in a failure message


def run_dbt(warehouse: Path, *args: str, target_dir: Path) -> subprocess.CompletedProcess[str]:
    """The dbt CLI on ``warehouse`` (never the shared one), as tests/dbt/raw_warehouse.py runs it; logs and
    compiled files go to the test's own folders so parallel runs do not share them."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRITHUC_PSEUDO_KEY", "TRITHUC_PSEUDO_KEY_FILE")}
    env.update({"TRITHUC_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "TRITHUC_PSEUDO_KEY": "test-key", "DBT_LOG_PATH": str(target_dir / "logs")})
    cmd = [DBT_BIN, *args, "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target_dir)]
    return subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False)


@dataclass
class Run:
    warehouse: Path
    labels: pd.DataFrame  # labels.csv joined with the placement of every row (source_file, sheet_name, source_row)
    build: subprocess.CompletedProcess[str]

    def query(self, sql: str) -> pd.DataFrame:
        con = open_warehouse(Path(self.warehouse), read_only=True)
        try:
            return con.execute(sql).df()
        finally:
            con.close()

    def columns(self, schema: str, table: str) -> list[str]:
        rows = self.query(
            f"select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position"
        )
        if rows.empty:
            pytest.fail(f"{schema}.{table} does not exist (dbt build {'failed' if self.build.returncode else 'ok'}:"
                        f" see test_dbt_build_succeeds)")
        return list(rows["column_name"])


def _read_labels() -> pd.DataFrame:
    labels = pd.read_csv(HERE / "labels.csv", dtype=str, keep_default_na=False)
    labels["birth_year"] = labels["birth_year"].replace("", None)
    return labels


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    from ingest.load import load_landing

    tmp = tmp_path_factory.mktemp("fidelity")
    landing, warehouse, target = tmp / "landing", tmp / "wh.duckdb", tmp / "target"
    placement = build_landing(landing)
    labels = _read_labels()
    unplaced = set(labels["rid"]) ^ set(placement["rid"])
    assert not unplaced, f"labels.csv and corpus.py disagree on these rids: {sorted(unplaced)}"
    labels = labels.merge(placement, on="rid", validate="one_to_one")
    load_landing(landing, warehouse)
    build = run_dbt(warehouse, "build", "--select", *SELECT, target_dir=target)
    if build.returncode != 0:
        # a failed data test skips everything downstream: build what can be built so the scores below still say
        # how the warehouse reads these files (test_dbt_build_succeeds reports the failure itself)
        run_dbt(warehouse, "run", "--select", *SELECT, target_dir=target)
    return Run(warehouse, labels, build)


@pytest.fixture(scope="module")
def published(run: Run) -> pd.DataFrame:
    """marts.person_source_records, one row per accepted input row (sheet '' for CSV)."""
    run.columns("marts", "person_source_records")
    psr = run.query("select * from marts.person_source_records")
    psr["sheet_name"] = psr["sheet_name"].fillna("")
    psr["source_row"] = psr["source_row"].astype("int64")
    return psr


@pytest.fixture(scope="module")
def joined(run: Run, published: pd.DataFrame) -> pd.DataFrame:
    """Every labelled row (left) with its published record, if any (published columns suffixed _got)."""
    got = published.add_suffix("_got").rename(columns={f"{k}_got": k for k in KEYS})
    got["_published"] = True
    out = run.labels.merge(got, on=KEYS, how="left", validate="one_to_one")
    out["_published"] = out["_published"].fillna(False).astype(bool)
    return out


def _where(row: pd.Series) -> str:
    sheet = f" [{row['sheet_name']}]" if row["sheet_name"] else ""
    return f"{row['rid']}: {row['source_file']}{sheet} row {row['source_row']}"


def _listing(lines: Iterable[str]) -> str:
    lines = list(lines)
    more = f"\n  ... and {len(lines) - SHOW} more" if len(lines) > SHOW else ""
    return "\n  " + "\n  ".join(lines[:SHOW]) + more


def _norm(value: object) -> str | None:
    """A code as text ('01', 'CK1', '1985'), None for empty: labels are text, the warehouse has typed columns."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.upper() or None


# --- the build ---------------------------------------------------------------------------------------------


def test_dbt_build_succeeds(run: Run) -> None:
    if run.build.returncode != 0:
        lines = [ln for ln in run.build.stdout.splitlines() if "ERROR" in ln or "FAIL" in ln]
        pytest.fail("dbt build failed on the fidelity corpus:" + _listing(lines or run.build.stdout[-3000:].splitlines()))


# --- every row accounted for -------------------------------------------------------------------------------


def test_person_rows_are_published(joined: pd.DataFrame) -> None:
    lost = joined[(joined["kind"] == "person") & ~joined["_published"]]
    assert lost.empty, (
        f"{len(lost)} of {int((joined['kind'] == 'person').sum())} person rows are not in "
        f"marts.person_source_records:" + _listing(f"{_where(r)}: expected a person, got nothing"
                                                   for _, r in lost.iterrows())
    )


def test_non_person_rows_are_not_published(joined: pd.DataFrame) -> None:
    wrong = joined[joined["kind"].isin(NOT_PERSONS) & joined["_published"]]
    assert wrong.empty, (
        f"{len(wrong)} section/total/note rows were loaded as persons (marts.person_source_records):"
        + _listing(f"{_where(r)}: expected {r['kind']}, got a person record" for _, r in wrong.iterrows())
    )


def test_no_non_person_row_in_dim_person(run: Run, joined: pd.DataFrame) -> None:
    keys = set(run.query("select person_key from marts.dim_person")["person_key"])
    wrong = joined[joined["kind"].isin(NOT_PERSONS) & joined["person_key_got"].isin(keys)]
    assert wrong.empty, (
        f"{len(wrong)} section/total/note rows made (or joined) a person in marts.dim_person:"
        + _listing(f"{_where(r)}: expected {r['kind']}, got person_key {str(r['person_key_got'])[:12]}..."
                   for _, r in wrong.iterrows())
    )


def _manifest(run: Run) -> pd.DataFrame:
    run.columns("quality", "file_manifest")
    return run.query("select * from quality.file_manifest")


def test_every_file_has_a_manifest_row_whose_counts_add_up(run: Run) -> None:
    manifest = _manifest(run)
    missing = sorted({f.path for f in FILES} - set(manifest["source_file"]))
    read = manifest[manifest["rows_read"].notna()]
    counts = read[["rows_read", "rows_loaded", "rows_rejected", "rows_skipped"]].fillna(0).astype("int64")
    off = read[counts["rows_read"] != counts["rows_loaded"] + counts["rows_rejected"] + counts["rows_skipped"]]
    problems = [f"{f}: no manifest row" for f in missing]
    problems += [f"{r['source_file']}: rows_read {r['rows_read']} != loaded {r['rows_loaded']} + rejected "
                 f"{r['rows_rejected']} + skipped {r['rows_skipped']}" for _, r in off.iterrows()]
    assert not problems, "quality.file_manifest does not account for every file and row:" + _listing(problems)


def test_section_rows_are_counted(run: Run) -> None:
    manifest = _manifest(run)
    if "rows_skipped_section" not in manifest.columns:
        pytest.fail("quality.file_manifest has no column rows_skipped_section (section rows skipped per file)")
    expected = run.labels[run.labels["kind"] == "section"].groupby("source_file").size()
    if expected.empty:
        pytest.fail("labels.csv has no section row: the corpus measures nothing")
    got = manifest.groupby("source_file")["rows_skipped_section"].max()
    wrong = [f"{f}: expected {n} section rows, got {got.get(f)}" for f, n in expected.items()
             if _norm(got.get(f)) != str(n)]
    assert not wrong, f"section rows per file (quality.file_manifest.rows_skipped_section), {len(wrong)} files off:" \
        + _listing(wrong)


# --- encoding accuracy -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
def test_field_accuracy(joined: pd.DataFrame, published: pd.DataFrame, field: str) -> None:
    """>= 99% of the person rows whose labels give the field carry that code in marts.person_source_records."""
    if field not in published.columns:
        pytest.fail(f"marts.person_source_records has no column {field}")
    given = joined[(joined["kind"] == "person") & (joined[field] != "") & joined[field].notna()]
    if given.empty:  # nothing to measure is the corpus's failure, not a pass
        pytest.fail(f"{field}: no person row of labels.csv gives it: the corpus measures nothing")
    misses = []
    for _, r in given.iterrows():
        got = _norm(r[f"{field}_got"]) if r["_published"] else "(not published)"
        if got != _norm(r[field]):
            misses.append(f"{_where(r)}: expected {r[field]}, got {got}")
    accuracy = 1 - len(misses) / len(given)
    assert accuracy >= ACCURACY, f"{field}: accuracy {accuracy:.4f} on {len(given)} labelled rows, " \
        f"{len(misses)} wrong:" + _listing(misses)


def test_ambiguous_residence_is_flagged(joined: pd.DataFrame, published: pd.DataFrame) -> None:
    """An old ward split between new wards, or a bare name two wards share: no ward code, flagged ambiguous."""
    if "residence_ward_ambiguous" not in published.columns:
        pytest.fail("marts.person_source_records has no column residence_ward_ambiguous")
    rows = joined[(joined["kind"] == "person") & (joined["residence_ward_ambiguous"] == "true")]
    if rows.empty:
        pytest.fail("labels.csv marks no residence ambiguous: the corpus measures nothing")
    wrong = []
    for _, r in rows.iterrows():
        if not r["_published"]:
            wrong.append(f"{_where(r)}: expected ambiguous, got (not published)")
            continue
        code, flag = _norm(r["residence_ward_code_got"]), r["residence_ward_ambiguous_got"]
        flagged = not pd.isna(flag) and bool(flag)
        if code is not None or not flagged:
            wrong.append(f"{_where(r)}: expected code null + ambiguous true, got code {code}, ambiguous {flag}")
    assert not wrong, f"{len(wrong)} of {len(rows)} ambiguous residences wrong:" + _listing(wrong)


# --- one person across sources -----------------------------------------------------------------------------


def _pairs(groups: pd.Series) -> int:
    n = groups.value_counts()
    return int((n * (n - 1) // 2).sum())


def test_identity_precision_and_recall(joined: pd.DataFrame) -> None:
    rows = joined[(joined["kind"] == "person") & joined["_published"] & joined["person_key_got"].notna()]
    true_pairs, predicted = _pairs(rows["person_id"]), _pairs(rows["person_key_got"])
    both = _pairs(rows["person_id"] + "|" + rows["person_key_got"])
    if not true_pairs:
        pytest.fail("no labelled person appears in two published rows: recall measures nothing")
    precision = both / predicted if predicted else 1.0
    recall = both / true_pairs
    if precision >= PRECISION and recall >= RECALL:
        return
    lines = []
    for _key, g in rows.groupby("person_key_got"):
        if g["person_id"].nunique() > 1:  # merged different people
            lines.append(f"merged {sorted(set(g['person_id']))}: " + ", ".join(g["rid"]))
    for pid, g in rows.groupby("person_id"):
        if g["person_key_got"].nunique() > 1:  # one person split
            parts = [", ".join(k["rid"]) for _, k in g.groupby("person_key_got")]
            lines.append(f"split {pid}: " + " | ".join(parts))
    pytest.fail(f"identity: precision {precision:.4f} ({predicted - both} wrong pairs of {predicted}), "
                f"recall {recall:.4f} ({true_pairs - both} missed pairs of {true_pairs}); needed "
                f"{PRECISION} / {RECALL}:" + _listing(lines))


# --- indicators --------------------------------------------------------------------------------------------


def _expected_indicators() -> pd.DataFrame:
    expected = pd.read_csv(HERE / "expected_indicators.csv", dtype=str, keep_default_na=False)
    if expected.empty:
        pytest.fail("expected_indicators.csv has no hand count: nothing to measure")
    return expected


def test_city_indicators_match_the_hand_count(run: Run) -> None:
    """Unsuppressed city totals (int_indicator_person_cells: small cells are not hidden there) against the
    counts written by hand from the labels (expected_indicators.csv, column 'how')."""
    run.columns("intermediate", "int_indicator_person_cells")
    cells = run.query(
        "select period, measure_code, numerator, denominator from intermediate.int_indicator_person_cells "
        "where geo_level = 'city' and geo_code = '_T' and sex_code = '_T' and age_group = '_T' "
        "and sector_code = '_T' and science_field_code = '_T'"
    )
    got = {(r.period, r.measure_code): (r.numerator, r.denominator) for r in cells.itertuples()}
    expected = _expected_indicators()
    wrong = []
    for r in expected.itertuples():
        num, den = got.get((r.period, r.measure_code), (0, 0 if r.denominator else None))
        if _norm(num) != _norm(r.numerator) or (r.denominator and _norm(den) != _norm(r.denominator)):
            want = f"{r.numerator}/{r.denominator}" if r.denominator else r.numerator
            have = f"{_norm(num)}/{_norm(den)}" if r.denominator else _norm(num)
            wrong.append(f"{r.period} {r.measure_code}: expected {want}, got {have}  ({r.how[:150]})")
    assert not wrong, f"{len(wrong)} of {len(expected)} city indicator cells differ from the hand count:" \
        + _listing(wrong)


def test_published_city_indicators_match_the_hand_count(run: Run) -> None:
    """The same hand counts against what the statistics office reads: marts.indicator_values (city totals are
    published free, conf_status 'F'; a suppressed cell would show no numbers and is reported as such)."""
    cells = run.query(
        "select period, measure_code, numerator, denominator, conf_status from marts.indicator_values "
        "where geo_level = 'city' and geo_code = '_T' and sex_code = '_T' and age_group = '_T' "
        "and sector_code = '_T' and science_field_code = '_T'"
    )
    got = {(r.period, r.measure_code): (r.numerator, r.denominator, r.conf_status) for r in cells.itertuples()}
    expected = _expected_indicators()
    wrong = []
    for r in expected.itertuples():
        num, den, conf = got.get((r.period, r.measure_code), (None, None, "(no cell)"))
        if conf != "F":
            wrong.append(f"{r.period} {r.measure_code}: not published free (conf_status {conf})")
        elif _norm(num) != _norm(r.numerator) or (r.denominator and _norm(den) != _norm(r.denominator)):
            wrong.append(f"{r.period} {r.measure_code}: expected {r.numerator}/{r.denominator}, "
                         f"published {_norm(num)}/{_norm(den)}")
    assert not wrong, f"{len(wrong)} of {len(expected)} published city cells differ:" + _listing(wrong)


# --- supplements, updates and stray files ------------------------------------------------------------------


def test_supplement_adds_to_the_list(joined: pd.DataFrame) -> None:
    """A 'bo_sung' file adds its people to the unit's list for the period; the list stays."""
    unit = joined[joined["source_file"].str.startswith("2026-H1/ward/26389/") & (joined["kind"] == "person")]
    if unit.empty:
        pytest.fail("the corpus has no person row of Bình An (26389) 2026-H1: the supplement is not measured")
    lost = unit[~unit["_published"]]
    assert lost.empty, "Bình An (26389) 2026-H1: the list and its supplement should both count, missing:" + \
        _listing(f"{_where(r)}: expected a person, got nothing" for _, r in lost.iterrows())


def test_update_replaces_the_list(joined: pd.DataFrame) -> None:
    """A 'cap_nhat' file replaces the earlier list of the same unit and period: its rows count, the old ones not."""
    unit = joined[joined["source_file"].str.startswith("2026-H1/ward/26041/")]
    if not (unit["kind"] == "replaced").any() or not (unit["kind"] == "person").any():
        pytest.fail("the corpus has no replaced and updated rows of Trấn Biên (26041) 2026-H1: nothing to measure")
    stale = unit[(unit["kind"] == "replaced") & unit["_published"]]
    lost = unit[(unit["kind"] == "person") & ~unit["_published"]]
    lines = [f"{_where(r)}: replaced by the update, still published" for _, r in stale.iterrows()]
    lines += [f"{_where(r)}: on the update, not published" for _, r in lost.iterrows()]
    assert not lines, "Trấn Biên (26041) 2026-H1 update:" + _listing(lines)


def test_lock_and_hidden_files_are_ignored_with_a_reason(run: Run) -> None:
    if not JUNK_FILES:
        pytest.fail("the corpus has no lock or hidden file: nothing to measure")
    manifest = _manifest(run)
    problems = []
    for path in JUNK_FILES:
        rows = manifest[manifest["source_file"] == path]
        if rows.empty:
            problems.append(f"{path}: no manifest row (expected status 'ignored' with a reason)")
            continue
        r = rows.iloc[0]
        if r["status"] != "ignored" or not (str(r.get("message_en") or "").strip()
                                            and str(r.get("message_vi") or "").strip()):
            problems.append(f"{path}: expected status 'ignored' with a message, got {r['status']!r} "
                            f"{r.get('message_en')!r}")
    assert not problems, "stray files in a unit folder:" + _listing(problems)
