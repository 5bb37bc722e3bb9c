from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import DATE_INPUT, PckbModelForm
from pckb.directory.fields import AGENCY, COMMITTEE, DECISION, PERSON
from pckb.directory.models import Agency, Committee, Decision, Person, Position
from pckb.directory.services import reconstitution_candidates


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


class SeatHolderField(forms.ModelChoiceField):
    """A seat's holder; people of a sub-unit show their unit beside their name."""

    def __init__(self, *args, seat_agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat_agency_id = seat_agency_id

    def label_from_instance(self, obj) -> str:
        name = f"{obj.rank} {obj.full_name}" if obj.rank else obj.full_name
        if obj.agency_id != self.seat_agency_id:
            return f"{name} — {obj.agency}"
        return name


class ReconstituteForm(forms.Form):
    """Kiện toàn: the decision, its effective date, and the new holder of each position."""

    number = forms.CharField(
        label=_("Số, ký hiệu quyết định"), max_length=64, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    date = forms.DateField(label=_("Ngày ban hành"), input_formats=["%d/%m/%Y"], **DATE_INPUT)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    effective = forms.DateField(label=_("Có hiệu lực từ ngày"), input_formats=["%d/%m/%Y"], **DATE_INPUT)

    def __init__(self, *args, user=None, committee=None, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.rows = rows
        if committee is not None:
            # The subject (trích yếu) is the decision's own Vietnamese wording, whatever the interface
            # language, and names the committee as it is stored.
            self.fields["subject"].initial = f"Về việc kiện toàn {committee.name}"
        candidates = reconstitution_candidates(user=user, rows=rows) if rows else {}
        for row in rows:
            current = row.membership.person_id if row.membership else None
            # The holder of a seat comes from the seat's agency or one of its sub-units (add the person
            # there first if new); only people the user may see are offered.
            self.fields[f"seat_{row.position.pk}"] = SeatHolderField(
                queryset=candidates[row.position.pk],
                seat_agency_id=row.position.agency_id,
                required=False,
                label=str(row.position),
                initial=current,
                empty_label=_("— Để trống —"),
            )

    def seat_fields(self):
        return [(row, self[f"seat_{row.position.pk}"]) for row in self.rows]

    def holders(self) -> dict:
        """Position id → the person chosen for it (``None``: vacant), from valid data. A seat missing from
        the submitted data (added after the form was opened) keeps its holder."""
        return {
            row.position.pk: self.cleaned_data.get(f"seat_{row.position.pk}")
            for row in self.rows
            if self.add_prefix(f"seat_{row.position.pk}") in self.data
        }

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("effective") and data["effective"] < data["date"]:
            self.add_error("effective", _("Ngày hiệu lực không được trước ngày ban hành."))
        return data
