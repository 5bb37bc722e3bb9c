"""CSV import formats for the directory (headers in Vietnamese, as users write them)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core.forms import parse_classification
from pckb.core.imports import ImportColumn, export_columns, key_column
from pckb.core.text import fold
from pckb.directory.choices import AgencyKind
from pckb.directory.models import Agency
from pckb.geo.selectors import units_in_scope


def parse_choice(choices):
    def parse(raw: str, user):
        wanted = fold(raw)
        for value, label in choices:
            if wanted in {fold(value), fold(str(label))}:
                return value
        raise ValidationError(_("Giá trị “{raw}” không có trong danh mục.").format(raw=raw))

    return parse


def parse_unit(raw: str, user):
    unit = units_in_scope(user).filter(code=raw.upper()).first()
    if unit is None:
        raise ValidationError(_("Không tìm thấy địa bàn mã “{raw}” trong phạm vi của bạn.").format(raw=raw))
    return unit


def parse_agency(raw: str, user):
    wanted = fold(raw)
    candidates = Agency.objects.restrict(user).filter(search_text__contains=wanted)
    matches = [a for a in candidates[:50] if wanted in {fold(a.name), fold(a.short_name)}]
    if len(matches) != 1:
        raise ValidationError(
            _("Không tìm thấy cơ quan “{raw}”.").format(raw=raw)
            if not matches
            else _("Tên cơ quan “{raw}” trùng nhiều cơ quan; hãy dùng tên viết tắt.").format(raw=raw)
        )
    return matches[0]


def parse_classification_cell(raw: str, user):
    value = parse_classification(raw)
    if value > user.clearance:
        raise ValidationError(_("Độ mật vượt quá mức bạn được tiếp cận."))
    return value


def _unit_code(obj) -> str:
    return obj.unit.code if obj.unit_id else ""


def _agency_name(obj) -> str:
    return obj.agency.name if obj.agency_id and obj.agency else ""


def _example_unit(user) -> str:
    unit = getattr(user, "scope_unit", None)
    return unit.code if unit else "P92"


def _example_agency(user) -> str:
    agency = Agency.objects.restrict(user).order_by("sort_key", "id").first() if user else None
    return agency.name if agency else "Công an thành phố Cần Thơ"


# The export writes these same columns (``export``), so an exported file imports back unchanged; the
# template file has one example row (``example``) of fictional data.
AGENCY_COLUMNS = [
    key_column(),
    ImportColumn(gettext_lazy("Tên cơ quan"), "name", example="Sở Mẫu thành phố"),
    ImportColumn(gettext_lazy("Tên viết tắt"), "short_name", required=False, example="SM"),
    ImportColumn(
        gettext_lazy("Loại"),
        "kind",
        parse=parse_choice(AgencyKind.choices),
        example=AgencyKind.DEPARTMENT.label,
    ),
    ImportColumn(
        gettext_lazy("Mã địa bàn"), "unit", parse=parse_unit, export=_unit_code, example=_example_unit
    ),
    ImportColumn(gettext_lazy("Địa chỉ"), "address", required=False, example="Số 1 đường Mẫu"),
    ImportColumn(gettext_lazy("Điện thoại"), "phone", required=False, example="0292 3800 000"),
    ImportColumn(gettext_lazy("Thư điện tử"), "email", required=False, example="somau@example.gov.vn"),
]

PERSON_COLUMNS = [
    key_column(),
    ImportColumn(gettext_lazy("Họ và tên"), "full_name", example="Nguyễn Văn Mẫu"),
    ImportColumn(gettext_lazy("Cấp bậc"), "rank", required=False, example="Thiếu tá"),
    ImportColumn(gettext_lazy("Chức vụ"), "title", example="Chuyên viên"),
    ImportColumn(
        gettext_lazy("Cơ quan"), "agency", parse=parse_agency, export=_agency_name, example=_example_agency
    ),
    ImportColumn(gettext_lazy("Điện thoại cơ quan"), "office_phone", required=False, example="0292 3800 001"),
    ImportColumn(gettext_lazy("Di động"), "mobile", required=False, example="0900 000 001"),
    ImportColumn(
        gettext_lazy("Thư điện tử"), "email", required=False, example="nguyen.van.mau@example.gov.vn"
    ),
    ImportColumn(
        gettext_lazy("Độ mật"),
        "classification",
        required=False,
        parse=parse_classification_cell,
        example="Thường",
    ),
]

AGENCY_EXPORT = export_columns(AGENCY_COLUMNS)
PERSON_EXPORT = export_columns(PERSON_COLUMNS)
