"""The datasets units submit, as canonical field names: the contract between readers, raw tables and dbt.

Every raw table ``raw.<dataset>`` holds the dataset's fields as text (as read, after encoding repair)
followed by the lineage columns below. Header spellings that map to these fields live in
``ingest/header_synonyms.csv`` (reviewable; add a spelling there, not in code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from settings import DBT_PROJECT_DIR

# What a unit must fill in each dataset is written once, as dbt's var required_fields in dbt_project.yml (the unit
# scorecard counts it in SQL); Dataset.requirements reads the same file.
DBT_PROJECT_YML = DBT_PROJECT_DIR / "dbt_project.yml"


@cache
def required_fields_by_dataset(path: Path = DBT_PROJECT_YML) -> dict[str, dict[str, tuple[str, ...]]]:
    """dbt's var required_fields: per dataset, each required field with the other fields that fill it as well."""
    import yaml  # PyYAML, as dbt itself reads the file; imported here so importing this module stays cheap

    project = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        dataset: {name: tuple(alternatives or ()) for name, alternatives in fields.items()}
        for dataset, fields in project["vars"]["required_fields"].items()
    }


@dataclass(frozen=True)
class Field:
    name: str
    label_vi: str
    # False for a field the reader fills itself (no header spelling maps a column to it)
    from_file: bool = True
    # Personal data (a name, citizen ID, exact birth date, phone, e-mail, address, free-text note about the person):
    # landed in the restricted store (``pii.raw_<dataset>``), never in the analytics file's ``raw.<dataset>``.
    personal: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    label_vi: str
    fields: tuple[Field, ...]
    # A file is recognised as this dataset when its header maps all of these fields.
    signature: tuple[str, ...] = field(default=())
    # The field whose emptiness makes a data row unusable (row rejected, reason recorded).
    key_field: str | None = None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def requirements(self) -> dict[str, tuple[str, ...]]:
        """What a unit must fill (trường bắt buộc): each required field with the other fields that fill it as well
        (the Nam/Nữ two-column layout's year columns give a person's birth date and sex). dbt's var
        required_fields, read from dbt_project.yml."""
        return dict(required_fields_by_dataset().get(self.name, {}))

    @property
    def required_fields(self) -> tuple[str, ...]:
        """The required fields a row must fill in their own column: the requirements no other field can fill
        (a check of one column cannot see a birth date or sex given by the Nam/Nữ layout)."""
        return tuple(name for name, alternatives in self.requirements.items() if not alternatives)

    @property
    def personal_fields(self) -> tuple[str, ...]:
        """Fields kept in the restricted store only (``pii.raw_<dataset>``)."""
        return tuple(f.name for f in self.fields if f.personal)

    @property
    def analytics_fields(self) -> tuple[str, ...]:
        """Fields of ``raw.<dataset>`` in the analytics file: every field but the personal ones."""
        return tuple(f.name for f in self.fields if not f.personal)


LINEAGE_COLUMNS: tuple[str, ...] = (
    "source_file",  # path under the landing zone, '/'-separated
    "sheet_name",  # workbook sheet; '' for CSV
    "source_row",  # the row number a person sees (1-based, header rows included); CSV: the line number
    "unit_code",
    "unit_kind",  # ward | department | university
    "period",  # 2025-H2, 2026-H1 ...
    "file_sha256",
    "ingested_at",  # timestamp (UTC) of the load
)

F = Field

PERSONS = Dataset(
    name="persons",
    label_vi="Danh sách trí thức",
    key_field="full_name",
    signature=("full_name",),
    fields=(
        F("full_name", "Họ và tên", personal=True),
        F("birth_date", "Ngày sinh (ngày/tháng/năm, tháng/năm hoặc năm)", personal=True),
        F("birth_year_male", "Năm sinh - Nam (mẫu hai cột Nam/Nữ)"),
        F("birth_year_female", "Năm sinh - Nữ (mẫu hai cột Nam/Nữ)"),
        F("sex", "Giới tính"),
        F("cccd", "Số CCCD/ĐDCN", personal=True),
        F("ethnicity", "Dân tộc"),
        F("qualification", "Trình độ chuyên môn cao nhất"),
        F("major", "Chuyên ngành đào tạo"),
        F("academic_title", "Học hàm"),
        F("science_field", "Lĩnh vực KH&CN"),
        F("employer", "Cơ quan, đơn vị công tác"),
        F("employer_type", "Loại hình cơ quan"),
        F("position", "Chức vụ"),
        F("occupation", "Nghề nghiệp"),
        F("role", "Vai trò / chức danh nghề nghiệp"),
        F("teaching_level", "Cấp học giảng dạy"),
        F("faculty", "Khoa / bộ môn"),
        F("residence_ward", "Nơi cư trú (phường, xã)", personal=True),
        F("residence_district", "Huyện cũ (trước 01/7/2025)", personal=True),
        F("phone", "Số điện thoại", personal=True),
        F("email", "Thư điện tử", personal=True),
        F("status", "Tình trạng"),
        F("overseas", "Trí thức người Việt Nam ở nước ngoài"),
        F("lhh_member", "Hội viên Liên hiệp các hội KH&KT"),
        F("trained", "Được đào tạo, bồi dưỡng trong kỳ"),
        F("digital_trained", "Được bồi dưỡng năng lực số"),
        F("updated_at", "Ngày cập nhật"),
        F("note", "Ghi chú", personal=True),
        # Not a column of the file: the reader fills it from the group headings above the row inside the table
        # ('I. TRÍ THỨC ĐANG CÔNG TÁC' » 'BỆNH VIỆN ĐA KHOA ĐỒNG NAI'), marker stripped, joined by ' » '.
        F("section", "Nhóm (dòng tiêu đề nhóm phía trên trong bảng)", from_file=False),
    ),
)

POPULATION = Dataset(
    name="population",
    label_vi="Dân số theo phường, xã",
    key_field="ward",
    signature=("ward", "population"),
    fields=(
        F("ward", "Phường, xã (tên hoặc mã)"),
        F("year", "Năm"),
        F("population", "Dân số trung bình (người)"),
        F("population_male", "Dân số nam"),
        F("population_female", "Dân số nữ"),
    ),
)

BUDGET = Dataset(
    name="budget",
    label_vi="Chi ngân sách và chi KH&CN",
    key_field="year",
    signature=("budget_spending", "st_spending"),
    fields=(
        F("year", "Năm"),
        F("budget_spending", "Tổng chi ngân sách địa phương (triệu đồng)"),
        F("st_spending", "Chi cho KH&CN (triệu đồng)"),
    ),
)

ST_TASKS = Dataset(
    name="st_tasks",
    label_vi="Nhiệm vụ KH&CN đã nghiệm thu",
    key_field="task_name",
    signature=("task_name", "accepted_year", "is_applied"),
    fields=(
        F("task_code", "Mã nhiệm vụ"),
        F("task_name", "Tên nhiệm vụ"),
        F("task_level", "Cấp quản lý (quốc gia, tỉnh, cơ sở)"),
        F("science_field", "Lĩnh vực KH&CN"),
        F("lead_organisation", "Tổ chức chủ trì"),
        F("accepted_year", "Năm nghiệm thu"),
        F("is_applied", "Đã ứng dụng vào thực tiễn"),
    ),
)

PATENTS = Dataset(
    name="patents",
    label_vi="Đơn đăng ký và văn bằng sáng chế, giải pháp hữu ích",
    key_field="application_number",
    signature=("application_number", "filing_year"),
    fields=(
        F("application_number", "Số đơn"),
        F("ip_type", "Loại (sáng chế, giải pháp hữu ích)"),
        F("applicant", "Chủ đơn"),
        F("filing_year", "Năm nộp đơn"),
        F("grant_year", "Năm cấp văn bằng"),
    ),
)

AWARDS = Dataset(
    name="awards",
    label_vi="Giải thưởng KH&CN, đổi mới sáng tạo",
    key_field="award_name",
    signature=("award_name", "award_level"),
    fields=(
        F("award_name", "Tên giải thưởng"),
        F("award_level", "Cấp giải (quốc gia, khu vực, quốc tế)"),
        F("year", "Năm đạt giải"),
        F("recipient", "Tập thể / cá nhân đạt giải"),
    ),
)

ENTERPRISES = Dataset(
    name="enterprises",
    label_vi="Doanh nghiệp KH&CN và khởi nghiệp đổi mới sáng tạo",
    key_field="enterprise_name",
    signature=("enterprise_name", "enterprise_type"),
    fields=(
        F("enterprise_name", "Tên doanh nghiệp"),
        F("enterprise_type", "Loại (doanh nghiệp KH&CN, khởi nghiệp ĐMST)"),
        F("certified_year", "Năm được công nhận / thành lập"),
        F("ward", "Phường, xã"),
    ),
)

VOCATIONAL = Dataset(
    name="vocational",
    label_vi="Cơ sở giáo dục nghề nghiệp và kiểm định chất lượng",
    key_field="institution_name",
    signature=("institution_name", "key_programmes"),
    fields=(
        F("institution_name", "Tên cơ sở GDNN"),
        F("year", "Năm"),
        F("is_accredited", "Cơ sở đạt kiểm định"),
        F("key_programmes", "Số chương trình đào tạo trọng điểm"),
        F("key_programmes_accredited", "Số chương trình trọng điểm đạt kiểm định"),
    ),
)

TEACHER_TRAINING = Dataset(
    name="teacher_training",
    label_vi="Bồi dưỡng năng lực số cho giáo viên, cán bộ quản lý",
    key_field="education_level",
    signature=("education_level", "staff_total", "digital_trained"),
    fields=(
        F("education_level", "Cấp học"),
        F("year", "Năm"),
        F("staff_total", "Tổng số giáo viên, CBQL"),
        F("digital_trained", "Số được bồi dưỡng năng lực số"),
    ),
)

LABOUR_FORCE = Dataset(
    name="labour_force",
    label_vi="Lực lượng lao động",
    key_field="year",
    signature=("labour_force", "trained_certified"),
    fields=(
        F("year", "Năm"),
        F("labour_force", "Lực lượng lao động (người)"),
        F("trained_certified", "Lao động qua đào tạo có bằng, chứng chỉ"),
        F("it_skilled", "Lao động có kỹ năng CNTT"),
        F("hightech_workforce", "Lao động trong ngành công nghệ cao, chiến lược"),
        F("hightech_knowledge_workers", "Lao động tri thức trong ngành công nghệ cao, chiến lược"),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        PERSONS,
        POPULATION,
        BUDGET,
        ST_TASKS,
        PATENTS,
        AWARDS,
        ENTERPRISES,
        VOCATIONAL,
        TEACHER_TRAINING,
        LABOUR_FORCE,
    )
}


def raw_columns(dataset: str) -> tuple[str, ...]:
    """Columns of ``raw.<dataset>`` in the analytics file: the dataset's fields but the personal ones (text), then
    the lineage columns."""
    return DATASETS[dataset].analytics_fields + LINEAGE_COLUMNS


# A raw row's id: one row of one version of one file. The restricted store's rows carry it (and nothing else of
# the row but its personal fields); dbt joins the two on it.
RAW_ROW_KEY: tuple[str, ...] = ("source_file", "file_sha256", "sheet_name", "source_row")


def restricted_columns(dataset: str) -> tuple[str, ...]:
    """Columns of ``pii.raw_<dataset>`` in the restricted store: the raw row's id, then the personal fields."""
    return RAW_ROW_KEY + DATASETS[dataset].personal_fields


PERSONAL_DATASETS: tuple[str, ...] = tuple(name for name, ds in DATASETS.items() if ds.personal_fields)


def as_sent_sql(dataset: str, catalog: str = "pii", database: str | None = None) -> str:
    """A query giving ``raw.<dataset>``'s rows as sent: the analytics file's columns joined to their personal fields
    in the restricted store (attached as ``catalog``; the analytics file as ``database``, default the current one).
    For the loader, the quality suites, the benchmark baseline and tests."""
    ds = DATASETS[dataset]
    raw = f"{database}.raw.{dataset}" if database else f"raw.{dataset}"
    if not ds.personal_fields:
        return f"select * from {raw}"
    key = " and ".join(f"p.{c} is not distinct from r.{c}" for c in RAW_ROW_KEY)
    personal = ", ".join(f'p."{c}"' for c in ds.personal_fields)
    return f"select r.*, {personal} from {raw} as r left join {catalog}.raw_{dataset} as p on {key}"
