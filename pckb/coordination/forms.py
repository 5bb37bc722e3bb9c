"""Forms of the coordination module: the regulation (with its parties) and the matrix editor."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.coordination.choices import Duty
from pckb.coordination.fields import REGULATION
from pckb.coordination.models import Regulation
from pckb.core.forms import PckbModelForm
from pckb.response.choices import ScenarioType

#: Blank rows offered under the matrix for new contents.
NEW_ROWS = 3
DUTY_CHOICES = [("", "—"), *Duty.choices]


class RegulationForm(PckbModelForm):
    class Meta:
        model = Regulation
        fields = REGULATION.fields
        widgets = {"parties": forms.CheckboxSelectMultiple}


class MatrixForm(forms.Form):
    """One select per (content, party) cell, plus blank rows for new contents. Field names: ``c<function>_
    <agency>`` for cells; ``n<i>_title``, ``n<i>_scenario`` and ``n<i>_<agency>`` for new rows."""

    def __init__(self, *args, functions, parties, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.functions, self.parties = functions, parties
        for function in functions:
            for agency in parties:
                name = f"c{function.pk}_{agency.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=_("{agency} — {content}").format(agency=agency, content=function.title),
                    choices=DUTY_CHOICES,
                    required=False,
                    initial=cells.get((function.pk, agency.pk), ""),
                )
        for i in range(NEW_ROWS):
            self.fields[f"n{i}_title"] = forms.CharField(
                label=_("Nội dung phối hợp mới {n}").format(n=i + 1), required=False, max_length=300
            )
            self.fields[f"n{i}_scenario"] = forms.ChoiceField(
                label=_("Loại tình huống của nội dung mới {n}").format(n=i + 1),
                choices=[("", "—"), *ScenarioType.choices],
                required=False,
            )
            for agency in parties:
                self.fields[f"n{i}_{agency.pk}"] = forms.ChoiceField(
                    label=_("{agency} — nội dung mới {n}").format(agency=agency, n=i + 1),
                    choices=DUTY_CHOICES,
                    required=False,
                )

    def rows(self):
        """For the template: existing rows then new rows, each with its bound cells in party order."""
        for function in self.functions:
            yield {
                "function": function,
                "cells": [self[f"c{function.pk}_{a.pk}"] for a in self.parties],
            }
        for i in range(NEW_ROWS):
            yield {
                "new": i + 1,
                "title": self[f"n{i}_title"],
                "scenario": self[f"n{i}_scenario"],
                "cells": [self[f"n{i}_{a.pk}"] for a in self.parties],
            }

    def matrix(self) -> tuple[dict, list]:
        """``({(function_id, agency_id): duty or ""}, [(title, scenario, {agency_id: duty})])``."""
        data = self.cleaned_data
        cells = {(f.pk, a.pk): data.get(f"c{f.pk}_{a.pk}", "") for f in self.functions for a in self.parties}
        new_rows = []
        for i in range(NEW_ROWS):
            title = (data.get(f"n{i}_title") or "").strip()
            duties = {a.pk: data.get(f"n{i}_{a.pk}", "") for a in self.parties}
            if title or any(duties.values()):
                new_rows.append((title, data.get(f"n{i}_scenario", ""), duties))
        return cells, new_rows
