"""National hand-over: deltas, acknowledgements, safety and verification on a small temp warehouse."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest

from publish.national import (
    AcknowledgementError,
    ExchangeKeyError,
    MassWithdrawalError,
    PackageValidationError,
    acknowledge_package,
    build_package,
    verify_package,
)
from publish.national import package as package_module
from publish.national.__main__ import main

KEY = b"test-exchange-key-0123456789abcdef"
P1, P2 = "2025-H2", "2026-H1"

BASE: dict[str, Any] = {
    "sex_code": "M",
    "birth_year": 1980,
    "ethnicity_code": "01",
    "is_ethnic_minority": False,
    "qualification_code": "THS",
    "academic_title_code": None,
    "science_field_code": "101",
    "occupation_code": "23",
    "sector_code": "HES",
    "employer_type_code": "DH_CL",
    "role_code": "LECTURER",
    "residence_ward_code": "26068",
    "status_code": "ACTIVE",
    "is_overseas": False,
    "is_lhh_member": True,
}


def person(key: str, cccd: str | None, periods: dict[str, list[str]], **attrs: Any) -> dict[str, Any]:
    n = key[-1]
    return {
        "person_key": key,
        "cccd": cccd,
        "periods": periods,
        "phone": f"09123456{ord(n):02d}",
        "email": f"person.{key}@mail-example.vn",
        "full_name": f"Nguyễn Văn {key.upper()}",
        "birth_date": "1980-03-1" + str(ord(n) % 10),
        "spells": attrs.pop("spells", None),
        **BASE,
        **attrs,
    }


def _issue(cccd: str | None) -> str | None:
    """What dbt's CCCD check (macros/cccd.sql) says of a number the fixture gives: here only its length matters."""
    return "cccd_wrong_length" if cccd is not None and len(cccd) != 12 else None


def period1() -> list[dict[str, Any]]:
    return [
        person("pk_a", "075080000001", {P1: ["26068", "DNU"]}),
        person(
            "pk_b",
            "075190000002",
            {P1: ["26041"]},
            sex_code="F",
            birth_year=1990,
            ethnicity_code="05",
            is_ethnic_minority=True,
        ),
        person(
            "pk_c",
            "075075000003",
            {P1: ["SYT"]},
            birth_year=1975,
            role_code="doctor",
            spells=[("ACTIVE", P1)],
        ),
        person("pk_d", None, {P1: ["26068"]}),  # no citizen ID
        person("pk_e", "07508000000", {P1: ["26068"]}),  # 11 digits
        person("pk_g", "075085000007", {P1: ["LHH"]}, birth_year=1985),
    ]


def period2() -> list[dict[str, Any]]:
    """A unchanged; B changed (TS); C not reported any more; G deleted; F new; C retires in history."""
    return [
        person("pk_a", "075080000001", {P1: ["26068", "DNU"], P2: ["26068", "DNU"]}),
        person(
            "pk_b",
            "075190000002",
            {P1: ["26041"], P2: ["26041"]},
            sex_code="F",
            birth_year=1990,
            ethnicity_code="05",
            is_ethnic_minority=True,
            qualification_code="TS",
        ),
        person("pk_c", "075075000003", {P1: ["SYT"]}, birth_year=1975, role_code="doctor"),
        person("pk_d", None, {P1: ["26068"], P2: ["26068"]}),
        person("pk_e", "07508000000", {P1: ["26068"], P2: ["26068"]}),
        person(
            "pk_f", "075195000006", {P2: ["26017"]}, sex_code="F", birth_year=1995, spells=[("ACTIVE", P2)]
        ),
    ]


def write_warehouse(path: Path, persons: list[dict[str, Any]]) -> Path:
    """The four tables the package reads, shaped as CONTRACT.md names them."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema pii")
        con.execute(
            """create table marts.dim_person (person_key varchar, sex_code varchar, birth_year integer,
            age_group varchar, ethnicity_code varchar, is_ethnic_minority boolean, qualification_code varchar,
            academic_title_code varchar, science_field_code varchar, occupation_code varchar,
            sector_code varchar, employer_type_code varchar, role_code varchar, residence_ward_code varchar,
            status_code varchar, is_overseas boolean, is_lhh_member boolean, source_count integer,
            first_period varchar, last_period varchar)"""
        )
        con.execute(
            """create table marts.person_status_history (person_key varchar, status_code varchar,
            valid_from_period varchar, valid_to_period varchar, is_current boolean)"""
        )
        con.execute(
            """create table marts.person_source_records (source_file varchar, sheet_name varchar,
            source_row integer, unit_code varchar, period varchar, person_key varchar, sex_code varchar,
            qualification_code varchar)"""
        )
        con.execute(
            """create table pii.persons (person_key varchar, full_name varchar, cccd varchar,
            birth_date date, phone varchar, email varchar, cccd_issue_code varchar)"""
        )
        for p in persons:
            periods = sorted(p["periods"])
            con.execute(
                "insert into marts.dim_person values "
                "(?, ?, ?, '30-44', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    p["person_key"],
                    p["sex_code"],
                    p["birth_year"],
                    p["ethnicity_code"],
                    p["is_ethnic_minority"],
                    p["qualification_code"],
                    p["academic_title_code"],
                    p["science_field_code"],
                    p["occupation_code"],
                    p["sector_code"],
                    p["employer_type_code"],
                    p["role_code"],
                    p["residence_ward_code"],
                    p["status_code"],
                    p["is_overseas"],
                    p["is_lhh_member"],
                    sum(len(u) for u in p["periods"].values()),
                    periods[0],
                    periods[-1],
                ],
            )
            for code, valid_from in p["spells"] or []:
                con.execute(
                    "insert into marts.person_status_history values (?, ?, ?, null, true)",
                    [p["person_key"], code, valid_from],
                )
            for period_code, units in p["periods"].items():
                for row, unit in enumerate(units, start=5):
                    con.execute(
                        "insert into marts.person_source_records values (?, 'DS', ?, ?, ?, ?, ?, ?)",
                        [
                            f"{period_code}/x/{unit}/list.xlsx",
                            row,
                            unit,
                            period_code,
                            p["person_key"],
                            p["sex_code"],
                            p["qualification_code"],
                        ],
                    )
            con.execute(
                "insert into pii.persons values (?, ?, ?, ?, ?, ?, ?)",
                [p["person_key"], p["full_name"], p["cccd"], p["birth_date"], p["phone"], p["email"],
                 p.get("cccd_issue_code", _issue(p["cccd"]))],
            )
    return path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("TRITHUC_EXCHANGE_KEY", KEY.decode())
    monkeypatch.delenv("TRITHUC_EXCHANGE_KEY_FILE", raising=False)
    return {"warehouse": tmp_path / "wh" / "trithuc.duckdb", "outbox": tmp_path / "wh" / "outbox"}


def build(env: dict[str, Path], persons: list[dict[str, Any]] | None = None, **kwargs: Any):
    if persons is not None:
        env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
        write_warehouse(env["warehouse"], persons)
    return build_package(env["warehouse"], env["outbox"], key=KEY, **kwargs)


def records(path: Path) -> dict[str, dict[str, Any]]:
    lines = (path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["cccd"]: r for r in map(json.loads, lines)}


def released(env: dict[str, Path]) -> list[str]:
    return sorted(p.name for p in (env["outbox"] / "national").iterdir() if p.name.isdigit())


def leftovers(env: dict[str, Path]) -> list[str]:
    national = env["outbox"] / "national"
    return [p.name for p in [*national.iterdir(), *national.glob("_state/*")] if p.name.startswith(".tmp-")]


def test_first_package_sends_persons_with_valid_cccd_and_verifies(env):
    result = build(env, period1())
    assert result.released and result.sequence == 1
    assert result.path == env["outbox"] / "national" / "000001"
    assert result.counts == {
        "new": 4,
        "changed": 0,
        "withdrawn": 0,
        "held_back_no_cccd": 2,
        "held_back_duplicate_cccd": 0,
    }
    assert result.held_back_reasons == {"malformed_cccd": 1, "missing_cccd": 1}
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["previous_sequence"] is None and manifest["record_count"] == 4
    assert manifest["period"] == P1
    recs = records(result.path)
    assert set(recs) == {"075080000001", "075190000002", "075075000003", "075085000007"}
    a = recs["075080000001"]
    assert a["change_type"] == "new" and a["reported_by"] == ["26068", "DNU"]
    assert a["role_code"] == "lecturer"  # warehouse 'LECTURER' -> contract code
    assert a["status"] == {"code": "ACTIVE", "valid_from_period": P1}  # no spell: dim_person + first period
    assert recs["075190000002"]["ethnicity_code"] == "05"
    assert "age_group" not in a and "person_key" not in a
    verdict = verify_package(result.path, KEY)
    assert verdict.ok, verdict.render()
    assert verdict.render().splitlines()[0] == "VERIFIED"


def test_deltas_across_periods_new_changed_withdrawn(env):
    first = build(env, period1())
    acknowledge_package(first.path, KEY)
    second = build(env, period2())
    assert second.released and second.sequence == 2 and second.previous_sequence == 1
    assert second.supersedes == ()
    assert second.counts["new"] == 1 and second.counts["changed"] == 1 and second.counts["withdrawn"] == 2
    recs = records(second.path)
    assert recs["075195000006"]["change_type"] == "new"
    assert recs["075195000006"]["status"] == {"code": "ACTIVE", "valid_from_period": P2}
    assert recs["075190000002"]["change_type"] == "changed"
    assert recs["075190000002"]["qualification_code"] == "TS"
    assert "075080000001" not in recs  # unchanged: not re-sent
    withdrawn_c, withdrawn_g = recs["075075000003"], recs["075085000007"]
    assert set(withdrawn_c) == {"change_type", "cccd", "datestamp", "withdrawal_reason"}
    assert (
        withdrawn_c["change_type"] == "withdrawn" and withdrawn_c["withdrawal_reason"] == "no_longer_reported"
    )
    assert withdrawn_g["withdrawal_reason"] == "deleted"
    manifest = json.loads((second.path / "manifest.json").read_text())
    assert manifest["period"] == P2 and manifest["counts"]["withdrawn"] == 2
    assert verify_package(second.path, KEY).ok


def test_rebuilding_unchanged_data_is_a_no_op(env):
    first = build(env, period1())
    again = build(env)
    assert not again.released and again.sequence == 1 and "no changes" in again.reason
    acknowledge_package(first.path, KEY)
    after_ack = build(env)
    assert not after_ack.released and after_ack.sequence == 1
    # The sender state is a cache: without it the history is replayed from the packages.
    for state in (env["outbox"] / "national" / "_state").iterdir():
        state.unlink()
    assert build(env).sequence == 1
    assert released(env) == ["000001"]


def test_unacknowledged_changes_are_resent(env):
    build(env, period1())  # never acknowledged
    second = build(env, period2())
    assert second.sequence == 2 and second.previous_sequence is None and second.supersedes == (1,)
    recs = records(second.path)
    # Against the (empty) acknowledged state everyone current is still new; nothing to withdraw.
    assert {r["change_type"] for r in recs.values()} == {"new"}
    assert set(recs) == {"075080000001", "075190000002", "075195000006"}

    acknowledge_package(env["outbox"] / "national" / "000001", KEY)  # the receiver applied 1 after all
    third = build(env)
    assert third.released and third.sequence == 3 and third.previous_sequence == 1
    assert third.supersedes == (2,)
    assert third.counts["new"] == 1 and third.counts["changed"] == 1 and third.counts["withdrawn"] == 2

    changed_again = period2()
    changed_again[0]["residence_ward_code"] = "26017"
    fourth = build(env, changed_again)  # 3 still unacknowledged: its changes go out again with the new one
    assert fourth.sequence == 4 and fourth.previous_sequence == 1 and fourth.supersedes == (2, 3)
    kinds = {c: r["change_type"] for c, r in records(fourth.path).items()}
    assert kinds == {
        "075080000001": "changed",
        "075190000002": "changed",
        "075195000006": "new",
        "075075000003": "withdrawn",
        "075085000007": "withdrawn",
    }
    acknowledge_package(fourth.path, KEY)
    assert not build(env).released


def test_reverted_pending_change_is_superseded_by_an_empty_package(env):
    first = build(env, period1())
    acknowledge_package(first.path, KEY)
    changed = period1()
    changed[0]["qualification_code"] = "TS"
    assert build(env, changed).sequence == 2
    reverted = build(env, period1())  # back to what the receiver holds: package 2 must not be applied
    assert reverted.released and reverted.sequence == 3 and reverted.supersedes == (2,)
    assert reverted.counts["new"] + reverted.counts["changed"] + reverted.counts["withdrawn"] == 0
    assert verify_package(reverted.path, KEY).ok


def test_changed_byte_in_released_file_fails_verify(env, capsys):
    result = build(env, period1())
    data = bytearray((result.path / "records.jsonl").read_bytes())
    data[data.index(b'"THS"') + 2] = ord("T")  # THS -> TTS, same length
    (result.path / "records.jsonl").write_bytes(bytes(data))
    verdict = verify_package(result.path, KEY)
    assert not verdict.ok
    assert any("SHA-256 does not match" in r for r in verdict.reasons)
    assert main(["verify", str(result.path)]) == 1
    assert capsys.readouterr().out.startswith("REJECTED: ")


def test_tampered_manifest_or_wrong_key_fails_hmac(env):
    result = build(env, period1())
    manifest_path = result.path / "manifest.json"
    original = manifest_path.read_text()
    assert not verify_package(result.path, b"another-key-of-the-same-length!!").ok
    manifest_path.write_text(original.replace('"withdrawn": 0', '"withdrawn": 1'))
    verdict = verify_package(result.path, KEY)
    assert not verdict.ok
    assert any("HMAC does not match" in r for r in verdict.reasons)
    assert any("withdrawn" in r for r in verdict.reasons)  # counts no longer match the records
    with pytest.raises(AcknowledgementError):
        acknowledge_package(result.path, KEY)


def test_record_breaking_the_schema_stops_the_release(env):
    build(env, period1())
    bad = period1()
    bad[1]["qualification_code"] = "MBA"  # not in the code list
    with pytest.raises(PackageValidationError) as caught:
        build(env, bad)
    error = caught.value
    assert error.failing_count == 1 and error.failures[0].person_key == "pk_b"
    assert "qualification_code" in error.failures[0].reasons[0]
    assert released(env) == ["000001"]
    assert not (env["outbox"] / "national" / "_state" / "000002.json").exists()
    report = json.loads(error.report_path.read_text())
    assert error.report_path.parent == env["outbox"] / "national" / "_failed"
    assert report["attempted_sequence"] == 2 and report["failures"][0]["person_key"] == "pk_b"
    assert "075190000002" not in error.report_path.read_text()  # no citizen IDs in reports
    assert leftovers(env) == []


def test_interrupted_release_leaves_nothing_behind(env, monkeypatch):
    def broken_rename(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(package_module.os, "rename", broken_rename)
    with pytest.raises(OSError):
        build(env, period1())
    assert released(env) == [] and leftovers(env) == []
    monkeypatch.undo()
    monkeypatch.setenv("TRITHUC_EXCHANGE_KEY", KEY.decode())
    # A temp folder left by a killed build is cleaned by the next one.
    (env["outbox"] / "national" / ".tmp-000001-crashed").mkdir()
    assert build(env).sequence == 1
    assert leftovers(env) == []


def test_no_personal_contact_data_in_any_package(env):
    persons = period1() + period2()
    first = build(env, period1())
    acknowledge_package(first.path, KEY)
    build(env, period2())
    bad = period2()
    bad[0]["sex_code"] = "X"
    with pytest.raises(PackageValidationError):
        build(env, bad)
    secrets = {s for p in persons for s in (p["phone"], p["email"], p["full_name"], p["birth_date"])}
    files = [p for p in env["outbox"].rglob("*") if p.is_file()]
    assert any(p.name == "records.jsonl" for p in files) and any("_failed" in p.parts for p in files)
    for file in files:
        content = file.read_bytes()
        for secret in secrets:
            assert secret.encode("utf-8") not in content, f"{secret} in {file}"


def test_duplicate_cccd_is_held_back_and_not_withdrawn(env):
    first = build(env, period1())
    acknowledge_package(first.path, KEY)
    twins = period1() + [person("pk_h", "075080000001", {P1: ["26017"]})]
    result = build(env, twins)
    assert result.held_back_reasons["duplicate_cccd"] == 2
    assert not result.released and result.sequence == 1  # not withdrawn: the receiver keeps what it has
    changed = twins + [person("pk_z", "075080000099", {P1: ["26017"]})]
    second = build(env, changed)
    assert second.counts["held_back_duplicate_cccd"] == 2
    assert second.counts["new"] == 1 and second.counts["withdrawn"] == 0


def test_mass_withdrawal_is_refused_unless_allowed(env):
    many = [person(f"pk_{i}", f"0750800{i:05d}", {P1: ["26068"]}) for i in range(12)]
    first = build(env, many)
    acknowledge_package(first.path, KEY)
    few = [person("pk_0", "075080000000", {P1: ["26068"], P2: ["26068"]})] + [
        person(f"pk_{i}", f"0750800{i:05d}", {P1: ["26068"]}) for i in range(1, 12)
    ]
    with pytest.raises(MassWithdrawalError, match="11 of the 12"):
        build(env, few)
    assert released(env) == ["000001"]
    assert build(env, allow_mass_withdrawal=True).counts["withdrawn"] == 11


def test_missing_key_is_a_named_error(env, monkeypatch, tmp_path):
    write_warehouse(env["warehouse"].parent.mkdir(parents=True) or env["warehouse"], period1())
    monkeypatch.delenv("TRITHUC_EXCHANGE_KEY")
    with pytest.raises(ExchangeKeyError, match="TRITHUC_EXCHANGE_KEY"):
        build_package(env["warehouse"], env["outbox"])
    key_file = tmp_path / "exchange.key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv("TRITHUC_EXCHANGE_KEY_FILE", str(key_file))
    result = build_package(env["warehouse"], env["outbox"])
    assert verify_package(result.path, KEY).ok


def test_cli_build_verify_ack(env, capsys):
    write_warehouse(env["warehouse"].parent.mkdir(parents=True) or env["warehouse"], period1())
    assert main(["build", "--warehouse", str(env["warehouse"])]) == 0
    assert capsys.readouterr().out.startswith("RELEASED ")
    package = env["outbox"] / "national" / "000001"
    assert main(["verify", str(package)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "VERIFIED"
    assert main(["ack", str(package)]) == 0
    ack = json.loads((package / "ack.json").read_text())
    assert ack["sequence"] == 1 and ack["status"] == "accepted" and ack["received_at"].endswith("Z")
    assert main(["verify", str(package)]) == 0  # ack.json is allowed beside the package
    capsys.readouterr()
    assert main(["build", "--warehouse", str(env["warehouse"])]) == 0
    assert capsys.readouterr().out.startswith("UNCHANGED ")
    os.environ.pop("TRITHUC_EXCHANGE_KEY")
    assert main(["verify", str(package)]) == 1
    assert "ExchangeKeyError" in capsys.readouterr().out


# --- Issue #15: replayed packages, authenticated acknowledgements, future periods -------------------------------


def test_verify_rejects_a_replayed_package(env, tmp_path, capsys):
    first = build(env, period1())
    assert verify_package(first.path, KEY, after_sequence=0).ok
    verdict = verify_package(first.path, KEY, after_sequence=1)
    assert not verdict.ok and verdict.render().startswith("REJECTED: replayed package: sequence 1")
    # the CLI, with the option or with the receiver's state file that `ack --state` keeps
    assert main(["verify", str(first.path), "--after-sequence", "1"]) == 1
    assert capsys.readouterr().out.startswith("REJECTED: replayed package")
    state = tmp_path / "receiver" / "state.json"
    assert main(["verify", str(first.path), "--state", str(state)]) == 0  # nothing acknowledged yet
    assert main(["ack", str(first.path), "--state", str(state)]) == 0
    assert json.loads(state.read_text()) == {"last_acknowledged_sequence": 1}
    capsys.readouterr()
    assert main(["verify", str(first.path), "--state", str(state)]) == 1
    assert capsys.readouterr().out.startswith("REJECTED: replayed package")
    assert main(["ack", str(first.path), "--state", str(state)]) == 1  # no second acceptance of a replay
    second = build(env, period2())
    assert second.sequence == 2
    assert main(["verify", str(second.path), "--state", str(state)]) == 0


def test_ack_is_signed_and_a_forged_or_unsigned_ack_is_refused(env):
    first = build(env, period1())
    ack_path = acknowledge_package(first.path, KEY)
    ack = json.loads(ack_path.read_text())
    assert len(ack["hmac"]) == 64 and ack["manifest_sha256"]
    assert build(env).warnings == ()

    def rebuilt_with(content: dict) -> Any:
        ack_path.write_text(json.dumps(content))
        return build(env)

    forgeries = {
        "unsigned": {k: v for k, v in ack.items() if k != "hmac"},
        "HMAC does not match": {**ack, "received_at": "2030-01-01T00:00:00Z"},  # altered after signing
    }
    for why, content in forgeries.items():
        result = rebuilt_with(content)
        assert any("REFUSED acknowledgement" in w and why in w for w in result.warnings), result.warnings
    # package 1 counts as not received: the next package is computed against nothing, and supersedes it
    pending = build(env, period2())
    assert pending.previous_sequence is None and pending.supersedes == (1,)
    import shutil

    shutil.rmtree(pending.path)
    from publish.national.contract import sign_ack

    wrong_key = sign_ack({k: v for k, v in ack.items() if k != "hmac"}, b"another-key-0123456789abcdef")
    assert any("HMAC does not match" in w for w in rebuilt_with(wrong_key).warnings)
    # an authentic ack copied into another package folder does not acknowledge that package
    ack_path.write_text(json.dumps(ack))
    second = build(env, period2())
    assert second.previous_sequence == 1
    (second.path / "ack.json").write_text(json.dumps(ack))
    third = build(env, [*period2(), person("pk_y", "075080000098", {P2: ["26068"]})])
    assert third.previous_sequence == 1 and second.sequence in third.supersedes
    assert any(f"acknowledges sequence 1, not {second.sequence}" in w for w in third.warnings)


def test_a_future_period_never_becomes_latest(env, monkeypatch):
    from datetime import UTC, datetime

    from publish.national import InvalidPeriodError

    persons = period1() + [person("pk_z", "075080000099", {"2099-H1": ["26068"]})]
    now = datetime(2026, 3, 1, tzinfo=UTC)
    result = build(env, persons, now=now)
    assert result.period == P1  # not 2099-H1, though the warehouse holds rows for it
    with pytest.raises(InvalidPeriodError, match="later than the current half-year"):
        build(env, period="2099-H1", now=now)
    monkeypatch.setenv("TRITHUC_TODAY", "2026-03-01")  # the run's clock, for the CLI and the assets
    assert build(env).period == P1
