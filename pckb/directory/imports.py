"""CSV import formats for the directory (headers in Vietnamese, as users write them)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core.forms import parse_classification
from pckb.core.imports import ImportColumn
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


AGENCY_COLUMNS = [
    ImportColumn(gettext_lazy("Tên cơ quan"), "name"),
    ImportColumn(gettext_lazy("Tên viết tắt"), "short_name", required=False),
    ImportColumn(gettext_lazy("Loại"), "kind", parse=parse_choice(AgencyKind.choices)),
    ImportColumn(gettext_lazy("Mã địa bàn"), "unit", parse=parse_unit),
    ImportColumn(gettext_lazy("Địa chỉ"), "address", required=False),
    ImportColumn(gettext_lazy("Điện thoại"), "phone", required=False),
    ImportColumn(gettext_lazy("Thư điện tử"), "email", required=False),
]

PERSON_COLUMNS = [
    ImportColumn(gettext_lazy("Họ và tên"), "full_name"),
    ImportColumn(gettext_lazy("Cấp bậc"), "rank", required=False),
    ImportColumn(gettext_lazy("Chức vụ"), "title"),
    ImportColumn(gettext_lazy("Cơ quan"), "agency", parse=parse_agency),
    ImportColumn(gettext_lazy("Điện thoại cơ quan"), "office_phone", required=False),
    ImportColumn(gettext_lazy("Di động"), "mobile", required=False),
    ImportColumn(gettext_lazy("Thư điện tử"), "email", required=False),
    ImportColumn(gettext_lazy("Độ mật"), "classification", required=False, parse=parse_classification_cell),
]
