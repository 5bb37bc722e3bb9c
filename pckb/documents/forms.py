from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.directory.models import Agency
from pckb.documents.choices import Attendance
from pckb.documents.fields import CONCLUSION, DOCUMENT
from pckb.documents.models import Conclusion, Document


class _AgenciesForm(PckbModelForm):
    """A model form with a many-to-many list of agencies, chosen among those the user may see."""

    agencies_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.agencies_field]
        field.queryset = Agency.objects.restrict(self.user).filter(merged_into__isnull=True)
        if self.instance.pk:
            self.initial[self.agencies_field] = list(
                getattr(self.instance, self.agencies_field).values_list("pk", flat=True)
            )


class DocumentForm(_AgenciesForm):
    agencies_field = "recipient_agencies"
    recipient_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Cơ quan nhận"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Document
        fields = DOCUMENT.fields


class ConclusionForm(_AgenciesForm):
    agencies_field = "supporting_agencies"
    supporting_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Cơ quan phối hợp"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Conclusion
        fields = CONCLUSION.fields


class AttendanceForm(forms.Form):
    """One choice per seat of the committee on the meeting's date (seats whose holder the user may see)."""

    def __init__(self, *args, rows=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.rows = []
        for row in rows:
            name = f"seat_{row.position.pk}"
            holder = row.membership.person.full_name if row.membership else _("(chưa có người đảm nhiệm)")
            self.fields[name] = forms.ChoiceField(
                label=f"{row.position.get_role_display()} — {row.position.post}: {holder}",
                choices=Attendance.choices,
                initial=current.get(row.position.pk, Attendance.PRESENT),
                widget=forms.RadioSelect,
            )
            self.rows.append((name, row))

    def statuses(self) -> dict:
        """Seat → (membership or None, status)."""
        return {row.position: (row.membership, self.cleaned_data[name]) for name, row in self.rows}
