"""What the national system should hold for a period: read from the warehouse, keyed by citizen ID.

Whether a person's citizen ID can key the record is the warehouse's answer, not this module's: the CCCD rules live
in dbt alone (dbt_project/macros/cccd.sql), which checks each person's surviving number against the person's
surviving sex and birth year into ``pii.persons.cccd_issue_code``. Here the answer only becomes a held-back reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.connect import open_warehouse
from ingest.periods import current_period, is_future, latest_period, parse_period
from settings import RESTRICTED_CATALOG

from .constants import ATTRIBUTE_COLUMNS, REQUIRED_TABLES
from .errors import InvalidPeriodError, WarehouseNotReadyError

# The warehouse's CCCD issue codes (macros/cccd.sql) as the reasons a person is held back from the package.
_HELD_BACK_REASONS = {
    "cccd_not_digits": "malformed_cccd",
    "cccd_is_old_cmnd": "malformed_cccd",
    "cccd_wrong_length": "malformed_cccd",
    "cccd_unknown_province": "unknown_province_in_cccd",
    "cccd_birth_century_implausible": "cccd_contradicts_birth_year",
    "cccd_sex_mismatch": "cccd_contradicts_sex",
    "cccd_birth_year_mismatch": "cccd_contradicts_birth_year",
}

_PERSONS_SQL = f"""
with reported as (
    select
        src.person_key,
        list_sort(list(distinct src.unit_code) filter (where src.unit_code is not null)) as unit_codes
    from marts.person_source_records as src
    where src.period = $period and src.person_key is not null
    group by src.person_key
),

-- the status history and identities of those persons only (a semi join: not the whole warehouse's)
status_spells as (
    select
        hist.person_key,
        hist.status_code,
        hist.valid_from_period,
        row_number() over (
            partition by hist.person_key order by hist.valid_from_period desc
        ) as spell_rank
    from marts.person_status_history as hist
    where hist.valid_from_period <= $period
        and hist.person_key in (select person_key from reported)
),

identity as (
    select
        ident.person_key,
        list_sort(list(distinct trim(cast(ident.cccd as varchar))) filter (
            where ident.cccd is not null and trim(cast(ident.cccd as varchar)) <> ''
        )) as cccds,
        -- the warehouse's CCCD check against the person's surviving sex and birth year (null: it can key the person)
        min(ident.cccd_issue_code) as cccd_issue_code
    from pii.persons as ident
    where ident.person_key in (select person_key from reported)
    group by ident.person_key
),

final as (
    select
        person.person_key,
        identity.cccds,
        identity.cccd_issue_code,
        {", ".join(f"person.{column}" for column in ATTRIBUTE_COLUMNS)},
        coalesce(spell.status_code, person.status_code) as status_code,
        case
            when spell.status_code is not null then spell.valid_from_period
            when person.status_code is not null then person.first_period
        end as status_valid_from,
        reported.unit_codes
    from marts.dim_person as person
    inner join reported on person.person_key = reported.person_key
    left join status_spells as spell on person.person_key = spell.person_key and spell.spell_rank = 1
    left join identity on person.person_key = identity.person_key
)

select * from final
order by person_key
"""

# Of the given CCCDs (those the receiver holds), the ones still in the warehouse, in any period.
_KNOWN_CCCDS_SQL = """
with asked as (
    select unnest($cccds::varchar[]) as cccd
),

final as (
    select distinct trim(cast(ident.cccd as varchar)) as cccd
    from pii.persons as ident
    inner join marts.dim_person as person on ident.person_key = person.person_key
    where trim(cast(ident.cccd as varchar)) in (select cccd from asked)
)

select * from final
"""

_PERIODS_SQL = """
with final as (
    select distinct src.period as period
    from marts.person_source_records as src
    where src.person_key is not null
)

select * from final
"""


@dataclass(frozen=True)
class Snapshot:
    """The records the receiver should hold after this period, keyed by cccd."""

    period: str
    bodies: dict[str, dict[str, Any]]  # cccd -> record without change_type/datestamp
    person_keys: dict[str, str]  # cccd -> person_key (for failure reports; never sent)
    held_back: Counter[str] = field(default_factory=Counter)  # reason -> persons
    held_back_cccds: frozenset[str] = frozenset()  # valid cccds held back (duplicates): never withdrawn
    # of the CCCDs asked about (the receiver's), those still in the warehouse, any period
    known_cccds: frozenset[str] = frozenset()

    @property
    def held_back_no_cccd(self) -> int:
        return sum(n for reason, n in self.held_back.items() if reason != "duplicate_cccd")

    @property
    def held_back_duplicate_cccd(self) -> int:
        return self.held_back.get("duplicate_cccd", 0)


def read_snapshot(
    warehouse: Path, period: str | None = None, held: Iterable[str] = (), now: datetime | None = None
) -> Snapshot:
    """Persons reported in ``period`` (default: the latest period with persons that is not later than the
    current half-year by ``now``, the run's clock) as exchange records. A future period is refused.

    ``held``: the CCCDs the receiver holds; ``known_cccds`` says which of them the warehouse still knows (a
    withdrawn person is 'no longer reported' rather than 'deleted'). Only those are looked up: the
    warehouse may know a million.
    """
    if not warehouse.is_file():
        raise WarehouseNotReadyError(
            f"warehouse file {warehouse} does not exist; build the warehouse (ingest + dbt) first."
        )
    try:
        with open_warehouse(Path(warehouse), read_only=True) as con:
            _check_tables(con, warehouse)
            period = _resolve_period(con, period, now)
            cursor = con.execute(_PERSONS_SQL, {"period": period})
            columns = [column[0] for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            asked = sorted(set(held))
            known = {row[0] for row in con.execute(_KNOWN_CCCDS_SQL, {"cccds": asked}).fetchall()} if asked else set()
    except duckdb.Error as exc:
        raise WarehouseNotReadyError(
            f"cannot read the person tables of {warehouse}: {exc}. "
            "Check that the dbt marts match CONTRACT.md (run dbt build) and try again."
        ) from exc
    if not rows:
        raise InvalidPeriodError(
            f"no persons were reported for period {period} in {warehouse}; "
            "choose a period that has person files (e.g. the latest one)."
        )
    return _to_snapshot(period, rows, known)


def _check_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    # the restricted store's tables (catalog pii, its schema main) are named pii.<table>, as the queries name them
    present = set(
        con.execute(
            "select case when table_catalog = $pii then $pii else table_schema end, table_name "
            "from information_schema.tables "
            "where table_catalog = current_database() or (table_catalog = $pii and table_schema = 'main')",
            {"pii": RESTRICTED_CATALOG},
        ).fetchall()
    )
    missing = [f"{schema}.{table}" for schema, table in REQUIRED_TABLES if (schema, table) not in present]
    if missing:
        raise WarehouseNotReadyError(
            f"{warehouse} lacks {', '.join(missing)}; run the dbt build that creates the marts and pii first."
        )


def _resolve_period(con: duckdb.DuckDBPyConnection, period: str | None, now: datetime | None = None) -> str:
    # A period later than the current half-year never becomes "latest" (a file under 2099-H1/ once superseded
    # every real package), and is refused when asked for by name.
    if period is None:
        found = [str(r[0]) for r in con.execute(_PERIODS_SQL).fetchall() if r[0] is not None]
        latest = latest_period(found, now)
        if latest is None:
            raise InvalidPeriodError(
                "marts.person_source_records holds no persons for a period up to the current half-year "
                f"({current_period(now)}); nothing to send."
            )
        period = latest
    if parse_period(period) is None:
        raise InvalidPeriodError(f"period {period!r} is not of the form YYYY-H1 or YYYY-H2 (e.g. 2026-H1).")
    if is_future(period, now):
        raise InvalidPeriodError(
            f"period {period} is later than the current half-year ({current_period(now)}); "
            "a package is never built for a period that has not come yet."
        )
    return period


def _to_snapshot(period: str, rows: list[dict[str, Any]], known: set[str]) -> Snapshot:
    held_back: Counter[str] = Counter()
    candidates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        cccds = row["cccds"] or []
        if len(cccds) > 1:
            held_back["conflicting_cccd"] += 1
            continue
        cccd = cccds[0] if cccds else None
        problem = cccd_problem(cccd, row["cccd_issue_code"])
        if problem:
            held_back[problem] += 1
            continue
        candidates[cccd].append(row)

    bodies: dict[str, dict[str, Any]] = {}
    person_keys: dict[str, str] = {}
    duplicates: set[str] = set()
    for cccd, same in candidates.items():
        if len(same) > 1:  # one citizen ID on several resolved persons: entity resolution must decide
            held_back["duplicate_cccd"] += len(same)
            duplicates.add(cccd)
            continue
        bodies[cccd] = _body(cccd, same[0])
        person_keys[cccd] = same[0]["person_key"]
    return Snapshot(
        period=period,
        bodies=bodies,
        person_keys=person_keys,
        held_back=held_back,
        held_back_cccds=frozenset(duplicates),
        known_cccds=frozenset(known),
    )


def _body(cccd: str, row: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"cccd": cccd}
    for column in ATTRIBUTE_COLUMNS:
        body[column] = _plain(row[column])
    if isinstance(body["role_code"], str):
        body["role_code"] = body["role_code"].strip().lower()  # contract codes are lowercase words
    body["birth_year"] = _as_int(row["birth_year"])
    status_code = _plain(row["status_code"])
    body["status"] = (
        {"code": status_code, "valid_from_period": _plain(row["status_valid_from"])}
        if status_code is not None
        else None
    )
    body["reported_by"] = sorted({str(unit) for unit in row["unit_codes"] or []})
    return body


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _as_int(value: Any) -> Any:
    if isinstance(value, Decimal | float) and value == int(value):
        return int(value)
    return value


def cccd_problem(cccd: str | None, cccd_issue_code: str | None) -> str | None:
    """Why ``cccd`` cannot serve as the integration key for this person, or None when it can. ``cccd_issue_code``
    is the warehouse's check of the number (``pii.persons.cccd_issue_code``); an unknown code holds the person back
    under its own name rather than letting a number the warehouse refused through."""
    if cccd is None:
        return "missing_cccd"
    if cccd_issue_code is None:
        return None
    return _HELD_BACK_REASONS.get(cccd_issue_code, cccd_issue_code)
