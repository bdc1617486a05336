"""Names and settings of the national exchange, in one place."""

from __future__ import annotations

import re
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
RECORD_SCHEMA_FILE = "person-record.v1.schema.json"
MANIFEST_SCHEMA_FILE = "manifest.v1.schema.json"
SCHEMA_VERSION = "1"
SENDER = "DONGNAI-SKHCN"  # Sở KH&CN Đồng Nai, lead of tasks 18-19

# Environment: the shared exchange key (the value, or a file holding it).
KEY_ENV = "TRITHUC_EXCHANGE_KEY"
KEY_FILE_ENV = "TRITHUC_EXCHANGE_KEY_FILE"
MIN_KEY_BYTES = 16

# Layout under <outbox>/national/.
NATIONAL_DIR = "national"
STATE_DIR = "_state"  # sender-only: cccd -> record hash after each released package
FAILED_DIR = "_failed"  # reports of packages that failed validation (never released)
TMP_PREFIX = ".tmp-"
LOCK_FILE = ".lock"
SEQUENCE_WIDTH = 6
SEQUENCE_DIR_RE = re.compile(r"^[0-9]{6}$")

# Files of a package.
RECORDS_FILE = "records.jsonl"
MANIFEST_FILE = "manifest.json"
HMAC_FILE = "manifest.json.hmac"
ACK_FILE = "ack.json"
PACKAGE_FILES = (RECORDS_FILE, MANIFEST_FILE, HMAC_FILE)

CHANGE_TYPES = ("new", "changed", "withdrawn")
COUNT_KEYS = ("new", "changed", "withdrawn", "held_back_no_cccd", "held_back_duplicate_cccd")

# Warehouse tables read (CONTRACT.md names).
REQUIRED_TABLES = (
    ("marts", "dim_person"),
    ("marts", "person_status_history"),
    ("marts", "person_source_records"),
    ("pii", "persons"),
)

# Attributes copied from marts.dim_person into a record (exchange field = warehouse column).
# age_group is left out on purpose: it moves with the period and would mark everyone "changed".
ATTRIBUTE_COLUMNS = (
    "sex_code",
    "birth_year",
    "ethnicity_code",
    "is_ethnic_minority",
    "qualification_code",
    "academic_title_code",
    "science_field_code",
    "occupation_code",
    "sector_code",
    "employer_type_code",
    "role_code",
    "residence_ward_code",
    "is_overseas",
    "is_lhh_member",
)

# A package that would withdraw more than this share of the acknowledged records is refused
# (a late or missing unit file looks exactly like a mass withdrawal).
MASS_WITHDRAWAL_SHARE = 0.5
MASS_WITHDRAWAL_MIN_RECORDS = 10

FAILURE_REPORT_MAX_RECORDS = 20
