import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import DATETIME_FORMATS, DateTimePickerInput, PckbForm, PckbModelForm
from pckb.core.text import fold
from pckb.directory.models import Person
from pckb.training.choices import QuestionKind, TestKind
from pckb.training.fields import CONFERENCE, TOPIC
from pckb.training.models import Conference, Invitation, Question, Session, Topic, TopicMaterial


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=DateTimePickerInput(),
        help_text=_("Ngày và giờ, ví dụ 11/06/2024 08:00."),
        **kwargs,
    )


class DateTimeFormMixin:
    """Model date-time fields are typed as dd/mm/yyyy hh:mm (the widget and formats come from PckbModelForm;
    this adds the example)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField) and not field.help_text:
                field.help_text = _("Ngày và giờ, ví dụ 11/06/2024 08:00.")


def person_label(person: Person) -> str:
    """A person as a choice: who they are and where they work, e.g. "Nguyễn Văn A — Phó Giám đốc, Công an
    thành phố Cần Thơ" (two people of the same name are told apart)."""
    name = " ".join(p for p in (person.rank, person.full_name) if p)
    agency = person.agency.name if person.agency_id else ""
    if agency and fold(agency) in fold(person.title):  # "Phó Chủ tịch Ủy ban nhân dân thành phố Cần Thơ"
        agency = ""
    place = ", ".join(p for p in (person.title, agency) if p)
    return f"{name} — {place}" if place else name


def people_choices(field: forms.ModelChoiceField) -> None:
    field.queryset = field.queryset.select_related("agency")
    field.label_from_instance = person_label


class TopicForm(PckbModelForm):
    class Meta:
        model = Topic
        fields = TOPIC.fields


class TopicMaterialForm(PckbModelForm):
    class Meta:
        model = TopicMaterial
        fields = ["topic", "title", "file"]


class QuestionForm(PckbModelForm):
    """A question and up to five options; tick the correct ones."""

    OPTIONS = 5

    class Meta:
        model = Question
        fields = ["topic", "text", "kind", "explanation", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.OPTIONS + 1):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Phương án {n}").format(n=i), max_length=500, required=i <= 2
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(
                label=_("Phương án {n} đúng").format(n=i), required=False
            )

    def options(self) -> list[tuple[str, bool]]:
        return [
            (self.cleaned_data.get(f"option_{i}") or "", bool(self.cleaned_data.get(f"correct_{i}")))
            for i in range(1, self.OPTIONS + 1)
        ]


class ConferenceForm(DateTimeFormMixin, PckbModelForm):
    class Meta:
        model = Conference
        fields = CONFERENCE.fields


class SessionForm(DateTimeFormMixin, PckbModelForm):
    class Meta:
        model = Session
        fields = [
            "conference",
            "start",
            "end",
            "kind",
            "topic",
            "title",
            "presenter",
            "external_presenter",
            "material",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "presenter" in self.fields:
            people_choices(self.fields["presenter"])
        conference = self._conference()
        if conference is None:
            return
        first = timezone.localtime(conference.start)
        last = timezone.localtime(conference.end)
        day = (
            first.strftime("%d/%m/%Y")
            if first.date() == last.date()
            else "{} – {}".format(first.strftime("%d/%m/%Y"), last.strftime("%d/%m/%Y"))
        )
        for name in ("start", "end"):
            self.fields[name].help_text = _("Trong thời gian hội nghị ({day}), ví dụ {example}.").format(
                day=day, example=first.strftime("%d/%m/%Y %H:%M")
            )
        if self.instance.pk is None and not self.is_bound and not self.initial.get("start"):
            # A new item starts where the agenda stops (or at the opening), on the conference's own day.
            previous = conference.sessions.order_by("-end").values_list("end", flat=True).first()
            on_the_day = previous and timezone.localtime(previous).date() <= last.date()
            start = timezone.localtime(previous if on_the_day else conference.start)
            self.initial["start"] = start
            self.initial["end"] = start + dt.timedelta(minutes=30)

    def _conference(self) -> Conference | None:
        if self.instance.pk is not None or self.instance.conference_id:
            return self.instance.conference
        wanted = self.data.get("conference") if self.is_bound else self.initial.get("conference")
        field = self.fields.get("conference")
        if not wanted or field is None:
            return None
        try:
            return field.queryset.filter(pk=int(str(getattr(wanted, "pk", wanted)))).first()
        except ValueError:
            return None


class InvitationForm(PckbModelForm):
    class Meta:
        model = Invitation
        fields = ["conference", "agency", "quota"]


class InvitationSendForm(PckbForm):
    letter_number = forms.CharField(label=_("Số giấy mời"), max_length=64, help_text=_("Ví dụ: 15/GM-BCĐ."))
    sent_on = forms.DateField(label=_("Ngày gửi"))


class NominateForm(PckbForm):
    """Choose an official of the invited agency, or enter a new one (created in the directory)."""

    person = forms.ModelChoiceField(
        label=_("Cán bộ của cơ quan"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Người mới (nhập bên dưới) —"),
    )
    full_name = forms.CharField(label=_("Họ và tên (người mới)"), max_length=120, required=False)
    rank = forms.CharField(label=_("Cấp bậc (người mới)"), max_length=64, required=False)
    title = forms.CharField(label=_("Chức vụ (người mới)"), max_length=255, required=False)

    def __init__(self, *args, invitation, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user).filter(agency=invitation.agency)
        people_choices(self.fields["person"])

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("full_name") and data.get("title")):
            raise forms.ValidationError(_("Chọn một cán bộ, hoặc nhập họ tên và chức vụ của người mới."))
        return data


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Mã cá nhân"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


class BulkCheckinForm(forms.Form):
    codes = forms.CharField(
        label=_("Danh sách mã (mỗi dòng một mã)"), widget=forms.Textarea(attrs={"rows": 6})
    )


class WalkInForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Cán bộ đến dự không theo danh sách"),
        queryset=Person.objects.none(),
        empty_label=_("— Chọn —"),
    )

    def __init__(self, *args, user, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.restrict(user)
            .filter(agency__unit__path__startswith=conference.committee.unit.path)
            .exclude(training_participations__conference=conference)
        )
        people_choices(self.fields["person"])


class TestBuildForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại bài"), choices=TestKind.choices)
    opens_at = datetime_field(_("Mở lúc"))
    closes_at = datetime_field(_("Đóng lúc"))
    duration_minutes = forms.IntegerField(
        label=_("Thời gian làm bài (phút)"), min_value=1, max_value=180, initial=15
    )
    per_topic = forms.IntegerField(label=_("Số câu mỗi chuyên đề"), min_value=1, max_value=50, initial=4)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("Thời điểm đóng phải sau thời điểm mở."))
        return data


class AnswerForm(forms.Form):
    """The test as a participant sees it: one field per question."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for number, item in enumerate(items, start=1):
            question = item.question
            options = getattr(item, "choices_in_order", None) or question.choices.all()  # attempt's order
            choices = [(c.pk, c.text) for c in options]
            label = f"{number}. {question.text}"
            if question.kind == QuestionKind.MULTIPLE:
                self.fields[f"q{question.pk}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Chọn tất cả phương án đúng."),
                )
            else:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.RadioSelect
                )

    def answers(self) -> dict[int, list[int]]:
        out = {}
        for name, value in self.cleaned_data.items():
            values = value if isinstance(value, list) else ([value] if value else [])
            out[int(name[1:])] = [int(v) for v in values]
        return out


class CoveragePeriodForm(forms.Form):
    """The coverage page's period: the last 12 months (default), a whole year, or one half of a year."""

    LAST_12 = "12thang"
    PERIODS = [
        (LAST_12, _("12 tháng gần nhất")),
        ("nam", _("Cả năm")),
        ("6dau", _("6 tháng đầu năm")),
        ("6cuoi", _("6 tháng cuối năm")),
    ]
    ky = forms.ChoiceField(label=_("Kỳ"), choices=PERIODS, required=False)
    nam = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)

    def bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """``(since, until)`` for the selector; the defaults (None, None) are the last 12 months. An invalid
        choice falls back to the default, and the form shows why."""
        if not self.is_bound or not self.is_valid():
            return None, None
        period = self.cleaned_data.get("ky") or self.LAST_12
        if period == self.LAST_12:
            return None, None
        year = self.cleaned_data.get("nam") or timezone.localdate().year
        if period == "nam":
            return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        if period == "6dau":
            return dt.date(year, 1, 1), dt.date(year, 7, 1)
        return dt.date(year, 7, 1), dt.date(year + 1, 1, 1)
