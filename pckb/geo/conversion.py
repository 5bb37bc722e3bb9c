"""Old (pre-2025) addresses to today's commune-level unit, from the 2025 conversion tables of
``vietnamadminunits``.

Registers kept by provinces predate the 01/7/2025 reform: a row may name its commune, district and province
as they were. :func:`convert_old_commune` parses those names (the package's legacy parser) and follows the
package's conversion tables to the commune that took the old one over. An old commune split between several
new ones is **ambiguous**: refused, naming the candidates, so a person chooses (the package would guess by
geocoding the street over the Internet, which an air-gapped server neither can nor should do). Nothing here
reads centroids or draws maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pckb.core.text import fold


@dataclass(frozen=True)
class Conversion:
    """One conversion made: the old names as the file gave them and the code of today's commune."""

    old: str
    code: str  # AdministrativeUnit.code of today's commune ("X" + the statistics office's code)
    name: str  # today's commune and province, as the package names them


@lru_cache(maxsize=1)
def _tables():
    from vietnamadminunits.converter import converter_2025 as tables

    province_of = {old: new for new, olds in tables.DICT_PROVINCE.items() for old in olds}
    whole: dict[str, str] = {}  # old "province_district_ward" → the new ward that took all of it
    for wards in tables.DICT_PROVINCE_WARD_NO_DIVIDED.values():
        for new_ward, olds in wards.items():
            for old in olds:
                whole[old] = new_ward
    return province_of, whole, tables.DICT_PROVINCE_WARD_DIVIDED


@lru_cache(maxsize=8192)
def _new_unit(new_ward: str, new_province: str) -> tuple[str, str] | None:
    from vietnamadminunits.parser import ParseMode, parse_address

    unit = parse_address(f"{new_ward}, {new_province}", mode=ParseMode.FROM_2025, level=2)
    if not unit.ward_code:
        return None
    return f"X{unit.ward_code}", f"{unit.ward}, {unit.province}"


def old_label(commune: str, district: str, province: str) -> str:
    return ", ".join(part.strip() for part in (commune, district, province) if part.strip())


@lru_cache(maxsize=65536)
def _convert(commune: str, district: str, province: str) -> Conversion | str:
    from vietnamadminunits.parser import ParseMode, parse_address

    label = old_label(commune, district, province)
    old = parse_address(label, mode=ParseMode.LEGACY, level=3)
    if not old.province_key or not old.district_key or not old.ward_key:
        return _("Không nhận ra địa bàn cũ “{old}” (cần tên xã, huyện, tỉnh trước ngày 01/7/2025).").format(
            old=label
        )
    # The parser matches names loosely: the commune it found must be the one the row names.
    if fold(commune).replace(" ", "") not in fold(old.ward or "").replace(" ", "") and fold(
        old.short_ward or ""
    ).replace(" ", "") != fold(commune).replace(" ", ""):
        return _("Không nhận ra xã cũ “{commune}” trong {district}, {province}.").format(
            commune=commune, district=old.district or district, province=old.province or province
        )
    province_of, whole, divided = _tables()
    new_province = province_of.get(old.province_key)
    key = f"{old.province_key}_{old.district_key}_{old.ward_key}"
    new_ward = whole.get(key)
    if new_ward is None:
        candidates = divided.get(new_province or "", {}).get(key, [])
        names = [n for n in (_new_unit(c["newWardKey"], new_province) for c in candidates) if n]
        if len(names) > 1:
            return _(
                "Địa bàn cũ “{old}” nay thuộc nhiều xã, phường: {candidates}. Hãy ghi mã địa bàn mới."
            ).format(
                old=old.get_address(),
                candidates="; ".join(f"{name} ({code})" for code, name in names),
            )
        if not names:
            return _("Không tìm thấy đơn vị mới của địa bàn cũ “{old}”.").format(old=old.get_address())
        code, name = names[0]
        return Conversion(old.get_address(), code, name)
    found = _new_unit(new_ward, new_province)
    if found is None:
        return _("Không tìm thấy đơn vị mới của địa bàn cũ “{old}”.").format(old=old.get_address())
    return Conversion(old.get_address(), *found)


def convert_old_commune(commune: str, district: str, province: str) -> Conversion:
    """Today's commune of an old commune; raises ``ValidationError`` (in words, with the candidates of an
    ambiguous one) when it cannot say."""
    result = _convert(" ".join(commune.split()), " ".join(district.split()), " ".join(province.split()))
    if isinstance(result, str):
        raise ValidationError(result)
    return result
