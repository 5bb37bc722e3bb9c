"""A form field for an administrative unit that people can type: a code (``P92``), a name with or without
its type and accents (``Cần Thơ``, ``can tho``, ``Thành phố Cần Thơ``), or what the suggestions insert
(``Thành phố Cần Thơ (P92)``). The input shows the name, never a bare code. A name shared by several units
(there are three "Phường An Bình") is refused with the candidates named, so the user picks one."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.text import fold

#: "Name (CODE)" as the suggestions and the initial value write it.
WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z0-9]+)\)\s*$")
#: Types written before a unit's name, dropped when a user types the bare name.
TYPE_WORDS = ("thanh pho", "tinh", "phuong", "xa", "dac khu", "thi tran", "quan", "huyen", "thi xa")
MAX_CANDIDATES = 5


def unit_label(unit) -> str:
    """What the input shows for a chosen unit: its name and, to make it unique, its code."""
    return f"{unit.name} ({unit.code})"


def _bare(name: str) -> str:
    folded = fold(name)
    for word in TYPE_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


class UnitChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "Không tìm thấy đơn vị “{value}” trong phạm vi của bạn. Gõ tên hoặc mã rồi chọn trong gợi ý."
        ),
        "ambiguous": _("Có nhiều đơn vị tên “{value}”: {candidates}. Hãy chọn một trong gợi ý."),
    }

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return unit_label(value)
        if value not in self.empty_values:
            unit = self.queryset.filter(code=value).first() if isinstance(value, str) else None
            if unit is None and not isinstance(value, str):
                unit = self.queryset.filter(pk=value).first()
            if unit is not None:
                return unit_label(unit)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        match = WITH_CODE.match(text)
        code = match.group("code") if match else text
        unit = self.queryset.filter(code__iexact=code).first()
        if unit is not None:
            return unit
        name = match.group("name") if match else text
        wanted = _bare(name)
        if len(wanted) < 2:
            raise self._invalid(text)
        candidates = [u for u in self.queryset.search(name)[:200] if _bare(u.name) == wanted]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise self._invalid(text)
        names = "; ".join(unit_label(u) for u in candidates[:MAX_CANDIDATES])
        raise forms.ValidationError(
            self.error_messages["ambiguous"].format(value=text, candidates=names), code="ambiguous"
        )

    def _invalid(self, text: str) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_choice"].format(value=text), code="invalid_choice"
        )
