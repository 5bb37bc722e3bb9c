"""The unit field takes what people type — a code, a name with or without accents or its type, or the
suggestion's "Name (code)" — shows the name, not "P92", and names the candidates when a name is shared."""

from __future__ import annotations

import pytest
from django import forms

from pckb.core.forms import use_unit_search
from pckb.geo.models import AdministrativeUnit


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_unit_search(self)


@pytest.mark.parametrize(
    "typed", ["P92", "p92", "Cần Thơ", "can tho", "Thành phố Cần Thơ", "Thành phố Cần Thơ (P92)"]
)
def test_typed_name_or_code_finds_the_unit(db, typed):
    form = UnitForm({"unit": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"].code == "P92"


def test_a_shared_name_is_refused_with_its_candidates(db):
    form = UnitForm({"unit": "Phường An Bình"})
    assert not form.is_valid()
    message = form.errors["unit"][0]
    assert "Có nhiều đơn vị tên “Phường An Bình”" in message and message.count("(") >= 2


def test_unknown_unit_is_a_clear_error(db):
    form = UnitForm({"unit": "Không có nơi này"})
    assert not form.is_valid()
    assert "Không tìm thấy đơn vị “Không có nơi này”" in form.errors["unit"][0]


def test_the_input_shows_the_name_not_the_code(db):
    unit = AdministrativeUnit.objects.get(code="P92")
    html = str(UnitForm(initial={"unit": unit})["unit"])
    assert 'value="Thành phố Cần Thơ (P92)"' in html
