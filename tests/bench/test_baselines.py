"""The benchmark baselines must do the work they stand for: fast checks on a tiny generated landing zone."""

from __future__ import annotations

import duckdb
import pytest

from tests.bench import baseline_duckdb, baseline_pandas


@pytest.mark.parametrize(
    ("a", "b"),
    [("nguyen van an", "nguyen van anh"), ("nguyen van an", "nguyen van binh"), ("tran thi thu ha", "tran thu ha"),
     ("martha", "marhta"), ("tran thi b", "le van c"), ("", "x"), ("abc", "abc")],
)
def test_pandas_jaro_winkler_scores_like_duckdb(a: str, b: str) -> None:
    # the match score uses only the bands >= 0.99 / 0.95 / 0.90 / below (dissimilar strings may differ in value)
    def band(x: float) -> int:
        return sum(x >= t for t in (0.90, 0.95, 0.99))

    expected = duckdb.execute("select jaro_winkler_similarity(?, ?)", [a, b]).fetchone()[0]
    assert band(baseline_pandas.jaro_winkler(a, b)) == band(expected)


@pytest.fixture(scope="module")
def bench_landing(tmp_path_factory):
    from samples import generate_bench

    root = tmp_path_factory.mktemp("bench")
    # 9 files of 5,000 rows would be slow; 1,200 rows in one file still covers UTF-8 + the person template
    generate_bench(out=root / "landing", truth=root / "truth", rows=1200, fmt="csv", seed=3)
    return root


def test_duckdb_and_pandas_baselines_agree_on_persons(bench_landing) -> None:
    sql = baseline_duckdb.from_files(str(bench_landing / "landing"), str(bench_landing / "b.duckdb"), "k")
    pdf = baseline_pandas.run(str(bench_landing / "landing"), "k")
    assert sql["rows_read"] == sql["rows"] == pdf["rows"] == 1200
    assert sql["persons"] == pdf["persons"]
    assert 0 < sql["persons"] <= 1200
    assert sql["cells"] > 0 and pdf["cells"] > 0
    # the published tables the dbt build makes besides dim_person: pii.persons, status spells, persons per period
    assert sql["pii_persons"] == sql["persons"]
    assert sql["persons"] <= sql["status_spells"] and sql["persons"] <= sql["person_periods"]
    assert pdf["pii_persons"] == pdf["persons"] and pdf["person_periods"] == sql["person_periods"]
    assert pdf["status_spells"] == sql["status_spells"]
