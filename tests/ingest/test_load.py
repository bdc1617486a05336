"""The loader: files in the wrong place are rejected (not guessed), the same file twice changes nothing, a corrected
file replaces the earlier one while the manifest keeps the history, and every row is accounted for."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import duckdb
import pytest

from ingest import load as load_module
from ingest.connect import open_warehouse
from ingest.datasets import as_sent_sql
from ingest.load import RestrictedStoreMismatch, load_landing

HEADER = "STT,Họ và tên,Năm sinh,Giới tính,Trình độ chuyên môn\n"


def _write(landing: Path, rel: str, text: str, mtime: int = 1_780_000_000, encoding="utf-8") -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    os.utime(path, (mtime, mtime))
    return path


def _q(warehouse: Path, sql: str, params=None):
    """A query on the warehouse; raw.persons reads as sent (its personal fields joined from the restricted store)."""
    sql = sql.replace("from raw.persons", f"from ({as_sent_sql('persons')})")
    with open_warehouse(Path(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def landing(tmp_path) -> Path:
    return tmp_path / "landing"


def test_rows_loaded_with_lineage(landing, tmp_path):
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n2,Trần Thị Bình,1990,Nữ,ThS\n")
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh)
    rows = _q(wh, "select full_name, birth_date, source_file, sheet_name, source_row, unit_code, unit_kind, period "
                  "from raw.persons order by source_row")
    assert rows == [
        ("Nguyễn Văn An", "1980", "2026-H1/ward/26068/ds.csv", "", 2, "26068", "ward", "2026-H1"),
        ("Trần Thị Bình", "1990", "2026-H1/ward/26068/ds.csv", "", 3, "26068", "ward", "2026-H1"),
    ]
    (status, read, loaded, rejected, skipped), = _q(
        wh, "select status, rows_read, rows_loaded, rows_rejected, rows_skipped from quality.file_manifest")
    assert (status, read, loaded, rejected, skipped) == ("loaded", 2, 2, 0, 0)


@pytest.mark.parametrize(
    "rel, code",
    [
        ("2026-H1/ward/99999/ds.csv", "unknown_unit"),
        ("2026-Q3/ward/26068/ds.csv", "unknown_period"),
        ("2026-H1/school/26068/ds.csv", "unknown_unit_kind"),
        ("2026-H1/ds.csv", "wrong_place"),
        ("2026-H1/ward/26068/ds.pdf", "unsupported_format"),
    ],
)
def test_files_in_a_wrong_place_are_rejected_not_guessed(landing, tmp_path, rel, code):
    _write(landing, rel, HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    wh = tmp_path / "wh.duckdb"
    summary = load_landing(landing, wh)
    assert [f.status for f in summary.files] == ["rejected"]
    assert _q(wh, "select count(*) from raw.persons") == [(0,)]
    (issue, msg_vi, msg_en), = _q(wh, "select issue_code, message_vi, message_en from quality.ingest_row_issues")
    assert issue == code and msg_vi and msg_en


def test_same_file_again_changes_nothing(landing, tmp_path):
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh)
    second = load_landing(landing, wh)
    assert [f.status for f in second.files] == ["unchanged"]
    assert _q(wh, "select count(*) from quality.file_manifest") == [(1,)]
    assert _q(wh, "select count(*) from raw.persons") == [(1,)]


def test_exact_copy_under_another_name_is_not_loaded_twice(landing, tmp_path):
    text = HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n"
    _write(landing, "2026-H1/ward/26068/ds.csv", text, mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/ds (1).csv", text, mtime=1_780_000_100)
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh)
    assert _q(wh, "select count(*) from raw.persons") == [(1,)]
    assert _q(wh, "select status from quality.file_manifest order by received_at") == [("loaded",), ("rejected",)]


def test_corrected_file_replaces_the_earlier_and_history_is_kept(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n", mtime=1_780_000_000)
    load_landing(landing, wh)
    # a corrected list under a new name, for the same unit, period and dataset
    _write(landing, "2026-H1/ward/26068/ds_sua.csv",
           HEADER + "1,Nguyễn Văn An,1981,Nam,Tiến sĩ\n2,Lê Văn Cường,1975,Nam,ĐH\n", mtime=1_780_000_500)
    load_landing(landing, wh)
    assert _q(wh, "select source_file, count(*) from raw.persons group by 1") == [("2026-H1/ward/26068/ds_sua.csv", 2)]
    hist = _q(wh, "select source_file, status, is_current from quality.file_manifest order by received_at")
    assert hist == [("2026-H1/ward/26068/ds.csv", "replaced", False), ("2026-H1/ward/26068/ds_sua.csv", "loaded", True)]
    # other periods and units are untouched by the replacement
    _write(landing, "2026-H2/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1981,Nam,Tiến sĩ\n", mtime=1_790_000_000)
    load_landing(landing, wh)
    assert _q(wh, "select count(*) from raw.persons") == [(3,)]


def test_changed_content_at_the_same_path_replaces_its_rows(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    p = _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    load_landing(landing, wh)
    p.write_text(HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n2,Lê Thị Hoa,1988,Nữ,ĐH\n", encoding="utf-8")
    load_landing(landing, wh)
    assert _q(wh, "select count(*) from raw.persons") == [(2,)]
    assert _q(wh, "select count(*), count(*) filter (where is_current) from quality.file_manifest") == [(2, 1)]


def test_broken_file_is_rejected_and_the_others_still_load(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/empty.csv", "")
    _write(landing, "2026-H1/ward/26041/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    broken = landing / "2026-H1/ward/26017/ds.xlsx"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 50)  # a truncated workbook
    summary = load_landing(landing, wh)
    assert sorted(f.status for f in summary.files) == ["loaded", "rejected", "rejected"]
    assert _q(wh, "select count(*) from raw.persons") == [(1,)]
    reasons = dict(_q(wh, "select source_file, issue_code from quality.ingest_row_issues"))
    assert reasons["2026-H1/ward/26068/empty.csv"] == "empty_file"
    assert reasons["2026-H1/ward/26017/ds.xlsx"] == "truncated_workbook"
    # the unit reads the reason: one line, and nothing of where the file sits on our server
    for vi, en in _q(wh, "select message_vi, message_en from quality.file_manifest where status = 'rejected'"):
        for text in (vi, en):
            assert "\n" not in text and str(landing) not in text and str(landing.resolve()) not in text


def test_row_without_a_name_is_rejected_with_its_row_number(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n2,,1990,Nữ,ThS\n\n")
    load_landing(landing, wh)
    (read, loaded, rejected, skipped), = _q(
        wh, "select rows_read, rows_loaded, rows_rejected, rows_skipped from quality.file_manifest")
    assert loaded == 1 and rejected == 1 and read == loaded + rejected + skipped
    (row, col), = _q(wh, "select source_row, column_name from quality.ingest_row_issues")
    assert row == 3 and col == "full_name"


def test_a_field_added_to_a_dataset_is_added_to_an_existing_raw_table(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    load_landing(landing, wh)
    # A warehouse made before the 'faculty' field (analytics file) and the 'note' field (restricted store) existed.
    with open_warehouse(Path(wh)) as con:
        con.execute('alter table raw.persons drop column "faculty"')
        con.execute('alter table pii.raw_persons drop column "note"')
    _write(landing, "2026-H1/ward/26041/ds.csv", HEADER + "1,Lê Thị Hoa,1985,Nữ,ThS\n")
    load_landing(landing, wh)
    assert _q(wh, "select full_name, faculty, note from raw.persons order by full_name") == [
        ("Lê Thị Hoa", None, None),
        ("Nguyễn Văn An", None, None),
    ]


def _mixed_landing(landing: Path) -> None:
    """Loaded files, a correction in the same pass, an exact copy, a broken file and one in a wrong place."""
    for i, code in enumerate(("26068", "26041", "26017", "25195", "25210")):
        rows = "".join(f"{n},Người Số {code}-{n},{1970 + n},Nam,ThS\n" for n in range(1, 4 + i))
        _write(landing, f"2026-H1/ward/{code}/ds.csv", HEADER + rows, mtime=1_780_000_000 + i)
    _write(landing, "2026-H1/ward/26068/ds_sua.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,TS\n", mtime=1_780_000_100)
    _write(landing, "2026-H1/ward/26041/ds (1).csv", (landing / "2026-H1/ward/26041/ds.csv").read_text(),
           mtime=1_780_000_200)
    _write(landing, "2026-H1/ward/26017/empty.csv", "", mtime=1_780_000_300)
    _write(landing, "2026-H1/ward/99999/ds.csv", HEADER + "1,Lê Văn Cường,1975,Nam,ĐH\n", mtime=1_780_000_400)


_STATE = (
    "select source_file, status, is_current, rows_read, rows_loaded, rows_rejected, rows_skipped, replaced_by "
    "from quality.file_manifest order by source_file, received_at",
    "select source_file, source_row, full_name from raw.persons order by source_file, source_row",
    "select source_file, source_row, issue_code from quality.ingest_row_issues order by all",
)


@pytest.mark.parametrize("workers", [3, 8])
def test_reading_ahead_in_threads_loads_exactly_what_reading_one_by_one_loads(tmp_path, workers):
    landing = tmp_path / "landing"
    _mixed_landing(landing)
    one, many = tmp_path / "one" / "one.duckdb", tmp_path / "many" / "many.duckdb"
    load_landing(landing, one, read_workers=1)
    summary = load_landing(landing, many, read_workers=workers)
    assert [f.status for f in summary.files].count("rejected") == 3  # copy, empty, wrong place
    for sql in _STATE:
        assert _q(one, sql) == _q(many, sql)
    # small batches: the correction retires a file of the same pass, committed in an earlier transaction
    small = tmp_path / "small" / "small.duckdb"
    load_landing(landing, small, read_workers=workers, batch_files=2)
    for sql in _STATE:
        assert _q(one, sql) == _q(small, sql)


def test_a_reader_bug_rejects_that_file_only_and_says_so(landing, tmp_path, monkeypatch):
    import ingest.load

    _mixed_landing(landing)
    real = ingest.load.read_file

    def flaky(path):
        if path.parent.name == "26017" and path.name == "ds.csv":
            raise ZeroDivisionError("a reader bug")
        return real(path)

    monkeypatch.setattr(ingest.load, "read_file", flaky)
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh)
    (status, message), = _q(wh, "select status, message_en from quality.file_manifest "
                                "where source_file = '2026-H1/ward/26017/ds.csv'")
    assert status == "rejected" and "ZeroDivisionError: a reader bug" in message
    assert _q(wh, "select count(*) from raw.persons where unit_code = '25210'") == [(7,)]


@pytest.mark.parametrize("failing_call", [1, 3])
def test_a_failed_write_commits_nothing_of_its_batch_and_stops_the_load(landing, tmp_path, monkeypatch, failing_call):
    """The writer fails on its first insert (nothing committed) or in a later batch (the correction in this landing
    zone commits the file it replaces first): what was committed is whole, and the next pass completes it."""
    import ingest.load

    _mixed_landing(landing)
    real, calls = ingest.load._insert_arrow, []

    def failing(con, table, data, columns):
        calls.append(table)
        if len(calls) == failing_call:
            raise duckdb.IOException("disk full")
        return real(con, table, data, columns)

    monkeypatch.setattr(ingest.load, "_insert_arrow", failing)
    wh = tmp_path / "wh.duckdb"
    with pytest.raises(duckdb.IOException, match="disk full"):
        load_landing(landing, wh)
    if failing_call == 1:
        assert _q(wh, "select count(*) from raw.persons") == [(0,)]
        assert _q(wh, "select count(*) from quality.file_manifest") == [(0,)]
    # every committed file has exactly its rows; no rows without their file
    assert _q(wh, """
        select count(*) from quality.file_manifest m
        full join (select source_file, count(*) as n from raw.persons group by 1) r using (source_file)
        where m.is_current and coalesce(m.rows_loaded, 0) <> coalesce(r.n, 0) or m.source_file is null
    """) == [(0,)]
    monkeypatch.setattr(ingest.load, "_insert_arrow", real)
    load_landing(landing, wh)  # what was not committed is not marked as seen: the next pass loads it
    again = tmp_path / "again" / "again.duckdb"
    load_landing(landing, again, read_workers=1)
    for sql in _STATE:
        assert _q(wh, sql) == _q(again, sql)


# --- Section rows, ignored files, supplements ----------------------------------------------------------------
def test_section_rows_are_counted_as_skipped_and_carried_to_raw(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER
           + "I,TRÍ THỨC ĐANG CÔNG TÁC,,,\n1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n"
           + "II,TRÍ THỨC ĐÃ NGHỈ HƯU,,,\n2,Trần Thị Bình,1950,Nữ,ThS\nTổng cộng,2 người,,,\n")
    load_landing(landing, wh)
    assert _q(wh, "select full_name, section from raw.persons order by source_row") == [
        ("Nguyễn Văn An", "TRÍ THỨC ĐANG CÔNG TÁC"),
        ("Trần Thị Bình", "TRÍ THỨC ĐÃ NGHỈ HƯU"),
    ]
    (read, loaded, rejected, skipped, section, total), = _q(
        wh, "select rows_read, rows_loaded, rows_rejected, rows_skipped, rows_skipped_section, rows_skipped_total "
            "from quality.file_manifest")
    assert (read, loaded, rejected, skipped, section, total) == (5, 2, 0, 3, 2, 1)


LOCKS = {
    "2026-H1/ward/26068/~$ds.xlsx": "tệp khóa của Excel",
    "2026-H1/ward/26068/.~lock.ds.ods#": "LibreOffice",
    ".DS_Store": "máy Mac",
    "2026-H1/ward/26068/.hidden.csv": "tệp ẩn",
}


def test_lock_and_hidden_files_are_in_the_manifest_as_ignored_once(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    for rel in LOCKS:
        _write(landing, rel, "nguyenvana\n")
    summary = load_landing(landing, wh)
    assert sorted(f.status for f in summary.files) == ["ignored"] * 4 + ["loaded"]
    got = _q(wh, "select source_file, status, is_current, rows_read, rows_loaded, rows_skipped, unit_code, "
                 "message_vi, message_en from quality.file_manifest where status = 'ignored' order by source_file")
    assert sorted(r[0] for r in got) == sorted(LOCKS)
    for rel, status, current, read, loaded, skipped, unit, vi, en in got:
        assert (status, current, read, loaded, skipped) == ("ignored", True, 0, 0, 0)
        assert LOCKS[rel] in vi and "not data" in en
        assert unit == (None if rel == ".DS_Store" else "26068")
    assert "an Excel owner/lock file" in dict((r[0], r[8]) for r in got)["2026-H1/ward/26068/~$ds.xlsx"]
    assert _q(wh, "select count(*) from raw.persons") == [(1,)]
    before = _q(wh, "select * from quality.file_manifest order by source_file")
    assert {f.status for f in load_landing(landing, wh).files} == {"unchanged"}  # a second run adds nothing
    (landing / "2026-H1/ward/26068/~$ds.xlsx").unlink()  # Excel closed: the lock file is gone
    (landing / ".DS_Store").write_text("changed")
    load_landing(landing, wh)
    assert _q(wh, "select * from quality.file_manifest order by source_file") == before


def _list(*people: tuple[str, int]) -> str:
    return HEADER + "".join(f"{i},{name},{year},Nam,ĐH\n" for i, (name, year) in enumerate(people, 1))


WARD_LIST = [("Nguyễn Văn An", 1980), ("Trần Thị Bình", 1985), ("Lê Văn Cường", 1975), ("Phạm Thị Dung", 1990)]


def _current(wh: Path):
    return _q(wh, "select source_file, status, combine_rule, combine_reason, message_en from quality.file_manifest "
                  "where is_current and status <> 'ignored' order by received_at")


@pytest.mark.parametrize("read_workers", [1, 3])
def test_a_supplement_adds_to_the_list(landing, tmp_path, read_workers):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/danh_sach.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/danh_sach_bo_sung.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_100)
    load_landing(landing, wh, read_workers=read_workers)
    assert _q(wh, "select count(*) from raw.persons") == [(5,)]
    (first, _, rule1, why1, _), (supp, status, rule2, why2, msg) = _current(wh)
    assert (first, rule1) == ("2026-H1/ward/26068/danh_sach.csv", "first")
    assert (supp, status, rule2) == ("2026-H1/ward/26068/danh_sach_bo_sung.csv", "loaded", "supplement")
    assert why2 == ("bổ sung cho danh_sach.csv (tên tệp có 'bổ sung') / "
                    "adds to danh_sach.csv (file name says 'bổ sung')")
    assert "adds to danh_sach.csv" in msg
    # re-running changes nothing; a second supplement adds again
    assert {f.status for f in load_landing(landing, wh).files} == {"unchanged"}
    _write(landing, "2026-H1/ward/26068/BoSung lan 2.csv", _list(("Đỗ Thị Hà", 1992)), mtime=1_780_000_200)
    load_landing(landing, wh)
    assert _q(wh, "select count(*) from raw.persons") == [(6,)]


def test_an_update_replaces_the_list_and_its_supplements(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/danh_sach.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/bo sung.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_100)
    load_landing(landing, wh)
    _write(landing, "2026-H1/ward/26068/DS cập nhật.csv", _list(("Nguyễn Văn An", 1980)), mtime=1_780_000_200)
    load_landing(landing, wh)
    assert _q(wh, "select source_file, count(*) from raw.persons group by 1") == [
        ("2026-H1/ward/26068/DS cập nhật.csv", 1)
    ]
    [(_, _, rule, why, _)] = _current(wh)
    assert rule == "replace" and "thay thế danh_sach.csv, bo sung.csv (tên tệp có 'cập nhật')" in why
    assert _q(wh, "select count(*) from quality.file_manifest where status = 'replaced'") == [(2,)]


def test_title_words_decide_when_the_file_name_does_not(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/ds2.csv", "DANH SÁCH TRÍ THỨC BỔ SUNG ĐỢT 2,,,,\n,,,,\n"
           + _list(("Nguyễn Văn An", 1980), ("Trần Thị Bình", 1985), ("Võ Văn Em", 1988)), mtime=1_780_000_100)
    load_landing(landing, wh)
    assert _q(wh, "select count(*) from raw.persons") == [(7,)]  # the title says 'bổ sung': content not asked
    assert "(title says 'bổ sung')" in _current(wh)[1][3]


@pytest.mark.parametrize("batch_files", [1, 100])
def test_content_decides_without_words(landing, tmp_path, batch_files):
    """A corrected list repeating most people replaces; a list of other people adds. In one pass, so the earlier
    file's people are read back after its batch is committed."""
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    corrected = [("NGUYEN VAN AN", 1980), ("Trần Thị Bình", 1985), ("Lê Văn Cường", 1975), ("Hồ Văn Giang", 1979)]
    _write(landing, "2026-H1/ward/26068/ds (2).csv", _list(*corrected), mtime=1_780_000_100)
    _write(landing, "2026-H1/ward/26068/ds khac.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_200)
    load_landing(landing, wh, batch_files=batch_files)
    assert _q(wh, "select source_file, count(*) from raw.persons group by 1 order by 1") == [
        ("2026-H1/ward/26068/ds (2).csv", 4),
        ("2026-H1/ward/26068/ds khac.csv", 1),
    ]
    (_, _, rule2, why2, _), (_, _, rule3, why3, _) = _current(wh)
    assert rule2 == "replace" and why2.endswith("replaces ds.csv (repeats 75 % of its people)")
    assert rule3 == "supplement" and why3.endswith("adds to ds (2).csv (repeats only 0 % of its people)")


def test_citizen_ids_match_people_whose_names_were_corrected():
    import pyarrow as pa

    from ingest.load import repeated_share

    def table(rows):
        names, cccds, years = zip(*rows, strict=True)
        return pa.table({"full_name": list(names), "cccd": list(cccds), "birth_date": list(years)})

    earlier = table([("Nguyen An", "079080000001", "1980"), ("Tran Binh", None, "1985"), ("Le Cuong", "079075000003", "1975")])
    new = table([("Nguyễn Văn An", "079 080 000 001", "1981"), ("Trần Bình", "079085000002", "1985"),
                 ("Le Cuong", "079075999999", "1975")])
    # An by CCCD (name and year differ); Bình by name and year (only one side has a CCCD); two different CCCDs
    # are two people even with the same name and year
    assert repeated_share(earlier, new) == pytest.approx(2 / 3)


def test_an_override_flips_the_decision(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "source_file,rule,reason,decided_by\n"
        "2026-H1/ward/26068/ds_bo_sung.csv,replace,đơn vị gửi nhầm tên tệp: đây là danh sách đầy đủ,Nguyễn Thị Hạnh\n",
        encoding="utf-8",
    )
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/ds_bo_sung.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_100)
    load_landing(landing, wh, overrides=overrides)
    assert _q(wh, "select source_file, count(*) from raw.persons group by 1") == [
        ("2026-H1/ward/26068/ds_bo_sung.csv", 1)
    ]
    (_, _, rule, why, _), = _current(wh)
    assert rule == "replace" and "quyết định của Nguyễn Thị Hạnh: đơn vị gửi nhầm tên tệp" in why


def test_register_datasets_still_replace(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    pop = "Mã xã,Năm,Dân số trung bình (người)\n"
    _write(landing, "2026-H1/department/CTK/dan_so.csv", pop + "25057,2025,1000\n", mtime=1_780_000_000)
    _write(landing, "2026-H1/department/CTK/dan so bo sung.csv", pop + "25060,2025,900\n", mtime=1_780_000_100)
    load_landing(landing, wh)
    assert _q(wh, "select ward from raw.population") == [("25060",)]
    assert _current(wh)[0][2:4] == ("replace", "thay thế dan_so.csv (cùng loại dữ liệu population) / "
                                               "replaces dan_so.csv (same dataset: population)")


def test_manifest_columns_added_since_are_added_to_an_existing_manifest(landing, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST))
    load_landing(landing, wh)
    with duckdb.connect(str(wh)) as con:  # a warehouse made before these columns existed
        for col in ("rows_skipped_section", "combine_rule", "combine_reason"):
            con.execute(f"alter table quality.file_manifest drop column {col}")
    _write(landing, "2026-H1/ward/26041/ds.csv", _list(("Võ Văn Em", 1988)))
    load_landing(landing, wh)
    assert _q(wh, "select unit_code, rows_skipped_section, combine_rule from quality.file_manifest order by 1") == [
        ("26041", 0, "first"), ("26068", 0, None)
    ]


def test_received_is_when_the_warehouse_first_saw_the_file_version_not_its_mtime(landing, tmp_path):
    """Issue #17: a file copied with cp -p or unzipped keeps the unit's own edit date (mtime). That date is kept
    as edited_at only; received_at is the pass that first saw the file version, kept through later passes and
    copies of the same bytes under another name. The first pass's versions arrived before the warehouse existed:
    received_on_setup."""
    from datetime import datetime

    wh = tmp_path / "wh.duckdb"
    setup, later, much_later = datetime(2026, 6, 1, 8), datetime(2026, 6, 25, 9), datetime(2026, 7, 2, 10)
    edited = datetime(2026, 12, 28, 7, 30)  # a clock set wrong at the unit: in the future
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST), mtime=int(edited.timestamp()))
    load_landing(landing, wh, now=setup)
    old = datetime(2026, 6, 10, 16)  # edited before the deadline, sent after it
    _write(landing, "2026-H1/ward/26041/ds.csv", _list(("Võ Văn Em", 1988)), mtime=int(old.timestamp()))
    load_landing(landing, wh, now=later)
    # the same bytes again under another name a week later, copied like cp -p (mtime kept): the same version
    import shutil

    shutil.copy2(landing / "2026-H1/ward/26041/ds.csv", landing / "2026-H1/ward/26041/ds_copy.csv")
    load_landing(landing, wh, now=much_later)
    load_landing(landing, wh, now=much_later)  # again: nothing changes
    rows = _q(wh, "select source_file, received_at, edited_at, received_on_setup from quality.file_manifest "
                  "order by source_file")
    from datetime import UTC

    def utc(d: datetime) -> datetime:  # what the manifest stores: naive UTC of the local mtime
        return datetime.fromtimestamp(d.timestamp(), UTC).replace(tzinfo=None)

    assert rows == [
        ("2026-H1/ward/26041/ds.csv", later, utc(old), False),
        ("2026-H1/ward/26041/ds_copy.csv", later, utc(old), False),
        ("2026-H1/ward/26068/ds.csv", setup, utc(edited), True),
    ]


def test_an_old_manifest_gets_receipts_from_first_sight_once(landing, tmp_path):
    """A manifest written when received_at was the mtime: the mtime moves to edited_at, received_at becomes the
    first pass that saw the version, and that first pass's versions are marked received_on_setup."""
    from datetime import datetime

    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    load_landing(landing, wh, now=datetime(2026, 6, 1))
    _write(landing, "2026-H1/ward/26041/ds.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_500)
    load_landing(landing, wh, now=datetime(2026, 6, 30))
    with duckdb.connect(str(wh)) as con:  # as the loader before issue #17 left it
        con.execute("update quality.file_manifest set received_at = to_timestamp(case unit_code when '26068' "
                    "then 1780000000 else 1780000500 end)::timestamp")
        con.execute("alter table quality.file_manifest drop column edited_at")
        con.execute("alter table quality.file_manifest drop column received_on_setup")
    load_landing(landing, wh, now=datetime(2026, 7, 5))
    assert _q(wh, "select unit_code, received_at, epoch(edited_at)::bigint, received_on_setup "
                  "from quality.file_manifest order by 1") == [
        ("26041", datetime(2026, 6, 30), 1_780_000_500, False),
        ("26068", datetime(2026, 6, 1), 1_780_000_000, True),
    ]


def test_the_feedback_workbook_says_how_the_units_files_were_combined(landing, tmp_path):
    from publish.quality.feedback import _combined_files

    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/danh_sach.csv", _list(*WARD_LIST), mtime=1_780_000_000)
    _write(landing, "2026-H1/ward/26068/danh_sach_bo_sung.csv", _list(("Võ Văn Em", 1988)), mtime=1_780_000_100)
    _write(landing, "2026-H1/ward/26068/~$danh_sach.xlsx", "x", mtime=1_780_000_200)
    load_landing(landing, wh)
    with open_warehouse(Path(wh), read_only=True) as con:
        lines = _combined_files(con, "2026-H1")
    assert lines == {
        ("26068", "ward"): [
            "• danh_sach.csv: tệp đầu tiên của đơn vị cho kỳ và loại dữ liệu này",
            "• danh_sach_bo_sung.csv: bổ sung cho danh_sach.csv (tên tệp có 'bổ sung')",
        ]
    }


def test_personal_fields_live_in_the_restricted_store_only(landing, tmp_path):
    """raw.persons has no personal column; the restricted store beside the warehouse (0600 in a 0700 folder) holds
    them, one row per raw row; a replaced file's personal rows leave with its raw rows."""
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n2,Lê Thị Hoa,1985,Nữ,ThS\n")
    load_landing(landing, wh)
    store = tmp_path / "restricted" / "restricted.duckdb"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    with duckdb.connect(str(wh), read_only=True) as con:
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'persons'"
        ).fetchall()}
    assert "full_name" not in columns and "birth_year_male" in columns
    assert _q(wh, "select count(*) from pii.raw_persons") == [(2,)]
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n", mtime=1_780_000_500)
    load_landing(landing, wh)
    assert _q(wh, "select full_name from pii.raw_persons") == [("Nguyễn Văn An",)]


def test_a_restricted_store_of_another_warehouse_is_refused(landing, tmp_path):
    """Two warehouses in one folder would share the default store: the second is refused before it writes (its
    pass would delete the first one's personal rows as orphans)."""
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    load_landing(landing, tmp_path / "a.duckdb")
    with pytest.raises(RestrictedStoreMismatch, match="belongs to another analytics file"):
        load_landing(landing, tmp_path / "b.duckdb")
    assert _q(tmp_path / "a.duckdb", "select full_name from raw.persons") == [("Nguyễn Văn An",)]


def test_a_failed_analytics_commit_leaves_no_personal_row_behind(landing, tmp_path, monkeypatch):
    """The restricted store commits first; when the analytics file's commit then fails, the next pass deletes the
    personal rows of no raw row before loading the file again."""
    wh = tmp_path / "wh.duckdb"
    _write(landing, "2026-H1/ward/26068/ds.csv", HEADER + "1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n")
    real_commit = load_module._Writer._commit

    def fail_after_restricted(self, batch):
        self._wait_restricted()
        if self._in_restricted:
            self.rcon.execute("commit")
            self._in_restricted = False
        raise duckdb.IOException("disk full (simulated)")

    monkeypatch.setattr(load_module._Writer, "_commit", fail_after_restricted)
    with pytest.raises(duckdb.IOException):
        load_landing(landing, wh)
    with open_warehouse(wh, read_only=True) as con:
        assert con.execute("select count(*) from pii.raw_persons").fetchone()[0] == 1  # the orphan
        assert con.execute("select count(*) from raw.persons").fetchone()[0] == 0
    monkeypatch.setattr(load_module._Writer, "_commit", real_commit)
    load_landing(landing, wh)
    assert _q(wh, "select full_name from raw.persons") == [("Nguyễn Văn An",)]
    assert _q(wh, "select count(*) from pii.raw_persons") == [(1,)]


# Hand-written cells that are not NFC, and what each reads as: a name typed on a Mac (NFD), marks typed in the
# other order, symbols a word processor inserts (Ohm and Kelvin signs, a Greek question mark for ';').
_NOT_NFC = [
    (unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "Ths\u037e Bác sĩ CKI", "Vật lý nhiệt độ thấp (4 \u212a)",
     "Đo điện trở 10 \u2126"),
    ("Nguyễn Thị Nguye\u0302\u0323t", "Tiến sĩ", "Hóa học", "Chuyển công tác"),
]
_READ_AS = [
    ("Nguyễn Thị Ánh", "Ths; Bác sĩ CKI", "Vật lý nhiệt độ thấp (4 K)", "Đo điện trở 10 \u03a9"),
    ("Nguyễn Thị Nguyệt", "Tiến sĩ", "Hóa học", "Chuyển công tác"),
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_text_the_loader_writes_is_nfc(landing, tmp_path, kind):
    """dbt's staging does not normalise text again (macro clean_text): every text cell in the raw tables and the
    restricted store is NFC, whatever form the file had it in."""
    header = ["STT", "Họ và tên", "Trình độ chuyên môn", "Chuyên ngành", "Ghi chú"]
    rel = f"2026-H1/ward/26068/ds.{kind}"
    if kind == "csv":
        _write(landing, rel, ",".join(header) + "\n" + "".join(
            f"{i},{','.join(row)}\n" for i, row in enumerate(_NOT_NFC, start=1)))
    else:
        import xlsxwriter

        (landing / rel).parent.mkdir(parents=True)
        with xlsxwriter.Workbook(str(landing / rel), {"strings_to_formulas": False}) as wb:
            ws = wb.add_worksheet("Danh sách")
            ws.write_row(0, 0, header)
            for i, row in enumerate(_NOT_NFC, start=1):
                ws.write_row(i, 0, [i, *row])
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh)
    assert _q(wh, "select full_name, qualification, major, note from raw.persons order by source_row") == _READ_AS
    with open_warehouse(wh, read_only=True) as con:
        texts = con.execute(
            "select table_catalog, table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema in ('raw', 'main') and table_name like '%persons'"
        ).fetchall()
        values = [v for c, s, t, col in texts for (v,) in con.execute(f'select "{col}" from {c}.{s}.{t}').fetchall()]
    assert len(texts) > 20 and len(values) > 40
    assert [v for v in values if v is not None and not unicodedata.is_normalized("NFC", v)] == []
