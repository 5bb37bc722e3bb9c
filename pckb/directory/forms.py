from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import DATE_INPUT, PckbModelForm, restrict_choices
from pckb.directory.fields import AGENCY, COMMITTEE, DECISION, PERSON
from pckb.directory.models import Agency, Committee, Decision, Person, Position


class AgencyForm(PckbModelForm):
    class Meta:
        model = Agency
        fields = AGENCY.fields


class CommitteeForm(PckbModelForm):
    class Meta:
        model = Committee
        fields = COMMITTEE.fields


class PersonForm(PckbModelForm):
    class Meta:
        model = Person
        fields = PERSON.fields


class DecisionForm(PckbModelForm):
    class Meta:
        model = Decision
        fields = DECISION.fields


class PositionForm(PckbModelForm):
    class Meta:
        model = Position
        fields = ["committee", "role", "post", "agency", "order", "abolished_on"]


class ReconstituteForm(forms.Form):
    """Kiện toàn: the decision, its effective date, and the new holder of each position."""

    number = forms.CharField(
        label=_("Số, ký hiệu quyết định"), max_length=64, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    date = forms.DateField(label=_("Ngày ban hành"), input_formats=["%d/%m/%Y"], **DATE_INPUT)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    subject = forms.CharField(
        label=_("Trích yếu"), max_length=500, initial=_("Về việc kiện toàn Ban Chỉ đạo phòng, chống khủng bố")
    )
    effective = forms.DateField(label=_("Có hiệu lực từ ngày"), input_formats=["%d/%m/%Y"], **DATE_INPUT)

    def __init__(self, *args, user=None, committee=None, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.rows = rows
        from pckb.directory.models import Person as PersonModel

        for row in rows:
            current = row.membership.person_id if row.membership else None
            # The holder of a seat comes from the seat's agency (add the person there first if new).
            self.fields[f"seat_{row.position.pk}"] = forms.ModelChoiceField(
                queryset=PersonModel.objects.filter(agency_id=row.position.agency_id),
                required=False,
                label=str(row.position),
                initial=current,
                empty_label=_("— Để trống —"),
                help_text=_("Cán bộ của {agency}.").format(agency=row.position.agency),
            )
        restrict_choices(self, user)
        for row in rows:
            self.fields[f"seat_{row.position.pk}"].empty_label = _("— Để trống —")

    def seat_fields(self):
        return [(row, self[f"seat_{row.position.pk}"]) for row in self.rows]

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("effective") and data["effective"] < data["date"]:
            self.add_error("effective", _("Ngày hiệu lực không được trước ngày ban hành."))
        return data
