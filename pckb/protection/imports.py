"""Key targets from CSV or XLSX (and the export that reads back unchanged).

A row names its commune-level unit by today's code (``X31120``) — or, for registers kept before the 2025
reform, by its old commune, district and province, which are converted to today's commune with the
conversion tables of ``vietnamadminunits`` (:mod:`pckb.geo.conversion`). Every conversion made is listed
for the person importing; an old commune split between several new ones is refused with the candidates
named. Everything else is the core import: all or nothing, every fault with its line and column, each row
through the same audited service as the form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core import access
from pckb.core.imports import ImportColumn, export_columns, key_column
from pckb.core.text import fold
from pckb.directory.imports import parse_choice, parse_classification_cell
from pckb.directory.models import Agency
from pckb.geo.conversion import convert_old_commune
from pckb.geo.selectors import units_in_scope
from pckb.protection.choices import ProtectionLevel
from pckb.protection.models import TargetCategory

#: The old-address columns (not fields: turned into ``unit``).
OLD_COMMUNE, OLD_DISTRICT, OLD_PROVINCE = "old_commune", "old_district", "old_province"


class _Lookups:
    """One import's look-ups, each asked once per distinct cell (50,000 rows name a few hundred units)."""

    def __init__(self):
        self.units: dict = {}
        self.agencies: dict = {}
        self.categories: dict | None = None

    def unit(self, raw: str, user):
        key = raw.strip().upper()
        if key not in self.units:
            self.units[key] = units_in_scope(user).filter(code=key).first()
        unit = self.units[key]
        if unit is None:
            raise ValidationError(
                _("Không tìm thấy xã, phường mã “{raw}” trong phạm vi của bạn.").format(raw=raw)
            )
        return unit

    def category(self, raw: str, user):
        if self.categories is None:
            self.categories = {}
            for category in access.restrict(TargetCategory.objects.filter(active=True), user):
                self.categories[fold(category.name)] = category
                self.categories[fold(category.code)] = category
        category = self.categories.get(fold(raw))
        if category is None:
            raise ValidationError(_("Không có loại mục tiêu “{raw}” (đang dùng).").format(raw=raw))
        return category

    def agency(self, raw: str, user):
        wanted = fold(raw)
        if wanted not in self.agencies:
            candidates = Agency.objects.restrict(user).filter(search_text__contains=wanted)
            self.agencies[wanted] = [
                a for a in candidates[:50] if wanted in {fold(a.name), fold(a.short_name)}
            ]
        matches = self.agencies[wanted]
        if len(matches) != 1:
            raise ValidationError(
                _("Không tìm thấy cơ quan “{raw}”.").format(raw=raw)
                if not matches
                else _("Tên cơ quan “{raw}” trùng nhiều cơ quan; hãy dùng tên viết tắt.").format(raw=raw)
            )
        return matches[0]

    def derive(self, line: int, values: dict, extras: dict, existing, user):
        """The unit from the old commune, district and province when the row gives them."""
        if "unit" in values and values["unit"] is None:
            del values["unit"]  # an empty code: the old address or, for a keyed row, the stored unit
        old = [extras.get(name, "") for name in (OLD_COMMUNE, OLD_DISTRICT, OLD_PROVINCE)]
        if not any(old):
            if existing is None and "unit" not in values:
                return [("unit", _("Ghi mã xã, phường mới, hoặc xã, huyện, tỉnh cũ."))], []
            return [], []
        missing = [
            name
            for name, value in zip((OLD_COMMUNE, OLD_DISTRICT, OLD_PROVINCE), old, strict=True)
            if not value
        ]
        if missing:
            return [(name, _("Ghi đủ xã, huyện, tỉnh cũ.")) for name in missing], []
        try:
            conversion = convert_old_commune(*old)
        except ValidationError as exc:
            return [(OLD_COMMUNE, m) for m in exc.messages], []
        try:
            unit = self.unit(conversion.code, user)
        except ValidationError:
            return [
                (
                    OLD_COMMUNE,
                    _("Địa bàn cũ “{old}” nay là {new}, ngoài phạm vi của bạn.").format(
                        old=conversion.old, new=conversion.name
                    ),
                )
            ], []
        if "unit" in values and values["unit"] != unit:
            return [
                (
                    "unit",
                    _(
                        "Mã “{code}” khác với xã, phường mới của địa bàn cũ ({new}); chỉ ghi một trong hai."
                    ).format(code=values["unit"].code, new=unit.name),
                )
            ], []
        values["unit"] = unit
        note = _("Dòng {line}: {old} → {new} ({code})").format(
            line=line, old=conversion.old, new=unit.name, code=unit.code
        )
        return [], [note]


def optional(parse):
    """An empty cell is no value (None) rather than a fault."""

    def parse_optional(raw: str, user):
        return parse(raw, user) if raw.strip() else None

    return parse_optional


def parse_coordinate(raw: str, user) -> float:
    try:
        return float(raw.replace(",", "."))
    except ValueError as exc:
        raise ValidationError(_("“{raw}” không phải là số (ví dụ 10.0341).").format(raw=raw)) from exc


def _coordinate(name: str):
    def export(obj) -> str:
        value = getattr(obj, name)
        return "" if value is None else repr(value)

    return export


def _name_of(attr: str):
    def export(obj) -> str:
        related = getattr(obj, attr)
        visible = getattr(obj, "_visible_agencies", None)
        if related is None or (visible is not None and related.pk not in visible):
            return ""  # an agency the reader may not see is not named (and reads back unchanged)
        return related.name

    return export


def _example_category(user) -> str:
    category = TargetCategory.objects.filter(active=True).order_by("order", "id").first()
    return category.name if category else ""


def _example_unit(user) -> str:
    unit = units_in_scope(user).filter(level="commune").order_by("code").first() if user else None
    return unit.code if unit else "X31120"


def target_columns(lookups: _Lookups | None = None) -> list[ImportColumn]:
    """The import (and export) format of targets. ``lookups`` caches one import's look-ups."""
    lookups = lookups or _Lookups()
    return [
        key_column(),
        ImportColumn(gettext_lazy("Tên mục tiêu"), "name", example="Nhà văn hóa Mẫu"),
        ImportColumn(
            gettext_lazy("Loại mục tiêu"),
            "category",
            parse=lookups.category,
            export=lambda obj: obj.category.name,
            example=_example_category,
        ),
        ImportColumn(
            gettext_lazy("Mã xã, phường"),
            "unit",
            required=False,
            parse=optional(lookups.unit),
            export=lambda obj: obj.unit.code,
            example=_example_unit,
        ),
        ImportColumn(gettext_lazy("Xã cũ"), OLD_COMMUNE, required=False, stored=False, example=""),
        ImportColumn(gettext_lazy("Huyện cũ"), OLD_DISTRICT, required=False, stored=False, example=""),
        ImportColumn(gettext_lazy("Tỉnh cũ"), OLD_PROVINCE, required=False, stored=False, example=""),
        ImportColumn(gettext_lazy("Địa chỉ"), "address", required=False, example="Số 1 đường Mẫu"),
        ImportColumn(
            gettext_lazy("Cơ quan quản lý (trong danh bạ)"),
            "managing_agency",
            required=False,
            parse=optional(lookups.agency),
            export=_name_of("managing_agency"),
        ),
        ImportColumn(
            gettext_lazy("Cơ quan, tổ chức quản lý (ngoài danh bạ)"),
            "managing_name",
            required=False,
            example="Công ty Mẫu",
        ),
        ImportColumn(
            gettext_lazy("Mức độ bảo vệ"),
            "protection_level",
            parse=parse_choice(ProtectionLevel.choices),
            example=ProtectionLevel.IMPORTANT.label,
        ),
        ImportColumn(
            gettext_lazy("Cơ quan chịu trách nhiệm bảo vệ"),
            "protecting_agency",
            required=False,
            parse=optional(lookups.agency),
            export=_name_of("protecting_agency"),
        ),
        ImportColumn(
            gettext_lazy("Vĩ độ"),
            "latitude",
            required=False,
            parse=optional(parse_coordinate),
            export=_coordinate("latitude"),
        ),
        ImportColumn(
            gettext_lazy("Kinh độ"),
            "longitude",
            required=False,
            parse=optional(parse_coordinate),
            export=_coordinate("longitude"),
        ),
        ImportColumn(gettext_lazy("Ghi chú bố trí, mặt bằng"), "layout_notes", required=False),
        ImportColumn(
            gettext_lazy("Độ mật"),
            "classification",
            required=False,
            parse=parse_classification_cell,
            example="Thường",
        ),
    ]


def target_import_format() -> tuple[list[ImportColumn], object]:
    """A fresh (columns, derive) pair for one import."""
    lookups = _Lookups()
    return target_columns(lookups), lookups.derive


TARGET_EXPORT = export_columns(target_columns())
