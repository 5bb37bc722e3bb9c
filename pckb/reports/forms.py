from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.reports.fields import REPORT
from pckb.reports.models import PeriodicReport, ReportSchedule
from pckb.reports.selectors import own_committee_q


class ReportForm(PckbModelForm):
    """A report's facts and narrative; a new report answers one of the own committee's schedules that has
    none yet."""

    class Meta:
        model = PeriodicReport
        fields = REPORT.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("schedule")
        if field is not None:
            qs = (
                field.queryset.filter(own_committee_q(self.user, "committee__"))
                if self.user
                else field.queryset
            )
            if self.instance.pk is None:
                qs = qs.filter(report__isnull=True)
            field.queryset = qs
        for name in ("results", "shortcomings", "directions", "recommendations"):
            self.fields[name].widget.attrs["rows"] = 6


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RollupForm(forms.Form):
    """The roll-up's period: one of the schedules' (type, start, end)."""

    period = forms.ChoiceField(label=_("Kỳ báo cáo"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (
                f"{kind}:{start:%Y-%m-%d}:{end:%Y-%m-%d}",
                f"{dict(ReportSchedule._meta.get_field('kind').choices)[kind]} "
                f"({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            )
            for kind, start, end in periods
        ]
