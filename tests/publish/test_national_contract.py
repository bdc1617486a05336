"""The exchange contract itself: schemas, personal-data marking, code lists, HMAC-signed but bad content."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from publish.national import verify_package
from publish.national.contract import load_schema, manifest_hmac, record_errors
from publish.national.snapshot import cccd_problem
from settings import DBT_PROJECT_DIR

KEY = b"test-exchange-key-0123456789abcdef"
RECORD = "person-record.v1.schema.json"
CODES = DBT_PROJECT_DIR / "seeds" / "codes"


def valid_record(**changes: Any) -> dict[str, Any]:
    record = {
        "change_type": "new",
        "cccd": "075080000001",
        "datestamp": "2026-07-01T08:00:00Z",
        "sex_code": "M",
        "birth_year": 1980,
        "ethnicity_code": "01",
        "is_ethnic_minority": False,
        "qualification_code": "TS",
        "academic_title_code": "PGS",
        "science_field_code": "2",
        "occupation_code": "21",
        "sector_code": "GOV",
        "employer_type_code": "TCKHCN_CL",
        "role_code": "researcher",
        "residence_ward_code": "26068",
        "is_overseas": None,
        "is_lhh_member": True,
        "status": {"code": "RETIRED", "valid_from_period": "2026-H1"},
        "reported_by": ["26068", "SNV"],
    }
    record.update(changes)
    return record


def properties(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, sub in schema.get("properties", {}).items():
        found.append((prefix + name, sub))
        found.extend(properties(sub, f"{prefix}{name}."))
        if "items" in sub:
            found.append((f"{prefix}{name}[]", sub["items"]))
    return found


def seed_codes(name: str, column: str, keep=lambda row: True) -> set[str]:
    with (CODES / name).open(encoding="utf-8") as handle:
        return {row[column].strip() for row in csv.DictReader(handle) if keep(row) and row[column].strip()}


def test_every_field_is_marked_basic_or_sensitive_personal_data():
    fields = dict(properties(load_schema(RECORD)))
    assert len(fields) >= 20
    unmarked = [
        name for name, sub in fields.items() if sub.get("x-personal-data") not in ("basic", "sensitive")
    ]
    assert unmarked == []
    sensitive = {name for name, sub in fields.items() if sub["x-personal-data"] == "sensitive"}
    assert sensitive == {"ethnicity_code", "is_ethnic_minority"}  # ethnic origin: Decree 13/2023 art. 2(4)


def test_schema_code_lists_match_the_seeds():
    fields = dict(properties(load_schema(RECORD)))

    def enum(name: str) -> set[str]:
        return {v for v in fields[name]["enum"] if v is not None}

    assert enum("qualification_code") == seed_codes("qualification_levels.csv", "code")
    assert enum("ethnicity_code") == seed_codes("ethnic_groups.csv", "code_1979_qd121")
    assert enum("occupation_code") == seed_codes("occupations_vsco_major.csv", "code")
    assert enum("science_field_code") == seed_codes(
        "science_fields.csv", "code", lambda r: r["level"] in ("1", "2")
    )
    assert enum("sector_code") == seed_codes(
        "employment_sectors.csv", "code", lambda r: r["scheme"] == "frascati_2015"
    )
    assert enum("employer_type_code") == seed_codes(
        "employment_sectors.csv", "code", lambda r: r["scheme"] == "employer_type"
    )


def test_valid_records_pass():
    assert record_errors(valid_record()) == []
    assert record_errors(valid_record(change_type="changed", status=None, sex_code=None)) == []
    withdrawn = {
        "change_type": "withdrawn",
        "cccd": "075080000001",
        "datestamp": "2026-07-01T08:00:00Z",
        "withdrawal_reason": "deleted",
    }
    assert record_errors(withdrawn) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"phone": "0912345678"}, "'phone' was unexpected"),
        ({"email": "a@b.vn"}, "'email' was unexpected"),
        ({"full_name": "Nguyễn Văn A"}, "'full_name' was unexpected"),
        ({"sex_code": "X"}, "sex_code"),
        ({"reported_by": []}, "reported_by"),
        ({"datestamp": "2026-07-01"}, "datestamp"),
        ({"status": {"code": "ACTIVE"}}, "valid_from_period"),
        ({"withdrawal_reason": "deleted"}, "not"),
    ],
)
def test_records_breaking_the_contract_fail(changes, expected):
    errors = record_errors(valid_record(**changes))
    assert errors and any(expected in e for e in errors), errors


def test_withdrawn_record_carries_no_attributes_and_errors_never_echo_the_cccd():
    withdrawn = {
        "change_type": "withdrawn",
        "cccd": "075080000001",
        "datestamp": "2026-07-01T08:00:00Z",
        "withdrawal_reason": "no_longer_reported",
        "sex_code": "M",
    }
    assert record_errors(withdrawn)
    errors = record_errors(valid_record(cccd="07508000000X", phone="0912"))
    assert errors and not any("07508000000X" in e for e in errors)


def test_a_record_only_the_fast_validator_rejects_still_gets_a_reason_without_the_cccd():
    # Python's re lets "$" match before a final newline; jsonschema-rs does not. The record is refused either way.
    errors = record_errors(valid_record(cccd="075080000001\n"))
    assert errors == ["cccd: pattern check failed (value withheld)"]


def test_fast_and_reference_validators_agree_on_the_usual_mistakes():
    from publish.national.contract import fast_record_validator, record_validator

    records = [
        valid_record(),
        valid_record(sex_code="X"),
        valid_record(status={"code": "RETIRED", "valid_from_period": "2026-H3"}),
        valid_record(change_type="moved"),
        {**valid_record(), "full_name": "Nguyễn Văn A"},
        {k: v for k, v in valid_record().items() if k != "datestamp"},
    ]
    for record in records:
        assert fast_record_validator().is_valid(record) == record_validator().is_valid(record), record


def test_cccd_checks():
    # the rules are dbt's (macros/cccd.sql, unit test cccd_checks_give_reasons); the snapshot maps their answer
    assert cccd_problem(None, None) == "missing_cccd"
    assert cccd_problem("075080000001", None) is None
    assert cccd_problem("75080000001", "cccd_wrong_length") == "malformed_cccd"
    assert cccd_problem("999080000001", "cccd_unknown_province") == "unknown_province_in_cccd"
    assert cccd_problem("075080000001", "cccd_sex_mismatch") == "cccd_contradicts_sex"
    assert cccd_problem("075080000001", "cccd_birth_year_mismatch") == "cccd_contradicts_birth_year"


def signed_package(
    folder: Path, lines: list[dict[str, Any]], counts: dict[str, int], extra: str | None = None
) -> Path:
    """A package signed with the right key (as a faulty sender would make it)."""
    folder.mkdir()
    body = "".join(json.dumps(r) + "\n" for r in lines).encode()
    (folder / "records.jsonl").write_bytes(body)
    manifest = {
        "manifest_schema": "urn:trithuc-dongnai:exchange:manifest:v1",
        "record_schema": "urn:trithuc-dongnai:exchange:person-record:v1",
        "schema_version": "1",
        "sender": "TEST",
        "sequence": 1,
        "previous_sequence": None,
        "supersedes": [],
        "period": "2026-H1",
        "created_at": "2026-07-01T08:00:00Z",
        "counts": {
            "new": 0,
            "changed": 0,
            "withdrawn": 0,
            "held_back_no_cccd": 0,
            "held_back_duplicate_cccd": 0,
        }
        | counts,
        "record_count": len(lines),
        "files": [{"name": "records.jsonl", "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}],
        "authentication": {
            "algorithm": "HMAC-SHA256",
            "file": "manifest.json.hmac",
            "message": "the exact bytes of manifest.json",
        },
    }
    data = json.dumps(manifest).encode()
    (folder / "manifest.json").write_bytes(data)
    (folder / "manifest.json.hmac").write_text(manifest_hmac(data, KEY))
    if extra:
        (folder / extra).write_text("x")
    return folder


def test_verify_checks_record_schema_counts_duplicates_and_stray_files(tmp_path):
    good = signed_package(tmp_path / "000001", [valid_record()], {"new": 1})
    assert verify_package(good, KEY).ok
    with_phone = signed_package(tmp_path / "a", [valid_record(phone="0912")], {"new": 1})
    assert any("phone" in r for r in verify_package(with_phone, KEY).reasons)
    miscounted = signed_package(tmp_path / "b", [valid_record()], {"changed": 1})
    assert not verify_package(miscounted, KEY).ok
    twice = signed_package(tmp_path / "c", [valid_record(), valid_record()], {"new": 2})
    assert any("same cccd" in r for r in verify_package(twice, KEY).reasons)
    stray = signed_package(tmp_path / "d", [valid_record()], {"new": 1}, extra="notes.txt")
    assert any("notes.txt" in r for r in verify_package(stray, KEY).reasons)
    wrong_folder = signed_package(tmp_path / "000002", [valid_record()], {"new": 1})
    assert any("folder 000002" in r for r in verify_package(wrong_folder, KEY).reasons)
