"""Form base classes: every choice list is restricted to what the user may see; dates are dd/mm/yyyy."""

import datetime as dt

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.core.choices import TOP_SECRET_WORDS, Classification
from pckb.core.validators import date_problem, integer_problem, text_problem

#: What a person types (dd/mm/yyyy) and what a browser's own date input posts (ISO).
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
#: The label of an empty choice: "choose one" in a form, "all" in a list's filters. Never "---------".
CHOOSE = _("— Chọn —")
ALL = _("Tất cả")


class DatePickerInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's language, with a calendar button (app.js opens the
    browser's own picker and writes the chosen day back as dd/mm/yyyy). Without JavaScript it is a text
    field. A browser's own ``type=date`` would follow the browser's language (mm/dd/yyyy in an English
    browser), so it is only the picker, never the field."""

    template_name = "core/widgets/date_picker.html"
    picker = "date"
    picker_label = _("Chọn ngày trên lịch")

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs, format=format or "%d/%m/%Y")

    iso_formats = ("%Y-%m-%d",)

    def format_value(self, value):
        """A value that arrives as ISO (a browser's picker, an initial string) is shown as dd/mm/yyyy too."""
        if isinstance(value, str):
            for iso in self.iso_formats:
                try:
                    return dt.datetime.strptime(value.strip(), iso).strftime(self.format)  # noqa: DTZ007
                except ValueError:
                    continue
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {"data-picker": self.picker, "data-picker-label": self.picker_label}
        )
        return context


class DateTimePickerInput(DatePickerInput, forms.DateTimeInput):
    """A date and 24-hour time typed as dd/mm/yyyy hh:mm, with the same calendar button."""

    picker = "datetime"
    iso_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
    picker_label = _("Chọn ngày giờ trên lịch")

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(
            {"placeholder": "dd/mm/yyyy hh:mm", **(attrs or {})}, format=format or "%d/%m/%Y %H:%M"
        )


DATE_INPUT = {"widget": DatePickerInput()}


def choose_labels(form: forms.BaseForm, empty=CHOOSE) -> None:
    """Replace Django's "---------" (empty choices of model and plain choice fields) with words."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and str(field.empty_label).startswith("---"):
                field.empty_label = empty
        elif isinstance(field, forms.ChoiceField):
            if str(getattr(field, "empty_label", "")).startswith("---"):  # django-filter's ChoiceField
                field.empty_label = empty
                field.widget.choices = list(field.choices)  # the widget holds its own copy
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
                field.choices = [("", empty), *choices[1:]]


def restrict_choices(form: forms.BaseForm, user, *, current: bool = True, empty=CHOOSE) -> None:
    """Narrow every model-choice field of ``form`` through the access layer. With ``current`` (forms that
    write), a model that declares ``current_choices_q()`` offers only its current objects (not a merged
    agency, not the committee of a province that no longer exists) — plus the one an existing record
    already refers to, so that editing it does not silently change it. Filters (``current=False``) keep
    the retired ones: old records are still looked up by them."""
    from pckb.geo.models import AdministrativeUnit
    from pckb.geo.selectors import units_in_scope

    instance = getattr(form, "instance", None)
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            model = field.queryset.model
            declared = access.reference_choices(type(instance) if instance is not None else None, name, user)
            if declared is not None:
                field.queryset = declared
            elif model is AdministrativeUnit:
                field.queryset = units_in_scope(user, base=field.queryset)
            elif hasattr(field.queryset, "restrict"):
                field.queryset = field.queryset.restrict(user, "view")
            if current and hasattr(model, "current_choices_q"):
                field.queryset = field.queryset.filter(
                    model.current_choices_q() | Q(pk__in=_kept(instance, name))
                )
            if field.empty_label:
                field.empty_label = empty
        if isinstance(field, forms.TypedChoiceField) and field.choices == list(Classification.choices):
            field.choices = [c for c in Classification.choices if c[0] <= getattr(user, "clearance", 0)]
    choose_labels(form, empty)


def _kept(instance, name: str) -> list:
    """The primary keys a saved record already refers to through field ``name`` (kept even if retired)."""
    if instance is None or getattr(instance, "pk", None) is None:
        return []
    single = getattr(instance, f"{name}_id", None)
    if single is not None:
        return [single]
    try:
        related = getattr(instance, name)
    except (AttributeError, ValueError):
        return []
    return list(related.values_list("pk", flat=True)) if hasattr(related, "values_list") else []


class CleanInputMixin:
    """Refuse control characters in every text field (line breaks only where the widget is a text area) and
    dates outside the accepted years, whatever the form."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                message = text_problem(value, multiline=multiline)
            else:
                message = date_problem(value) or integer_problem(self._model_field(name), value)
            if message:
                self.add_error(name, message)

    def _model_field(self, name: str):
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        try:
            return model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:  # a form field that is not a model field
            return None


class PckbForm(CleanInputMixin, forms.Form):
    """A plain form with the same input checks as the model forms, dates as dd/mm/yyyy and no "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_date_pickers(self)
        choose_labels(self)


def use_date_pickers(form: forms.BaseForm) -> None:
    """Every date and date-time field is typed dd/mm/yyyy [hh:mm], accepts ISO too, and has a calendar."""
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            if not isinstance(field.widget, DateTimePickerInput):
                field.widget = DateTimePickerInput(attrs=dict(field.widget.attrs))
            field.input_formats = DATETIME_FORMATS
            field.error_messages["invalid"] = _(
                "Ngày giờ không hợp lệ: nhập theo dạng ngày/tháng/năm giờ:phút, ví dụ 01/07/2025 08:00."
            )
        elif isinstance(field, forms.DateField):
            if not isinstance(field.widget, DatePickerInput):
                field.widget = DatePickerInput(attrs=dict(field.widget.attrs))
            field.input_formats = DATE_FORMATS
            field.error_messages["invalid"] = _(
                "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
            )
            field.help_text = field.help_text or _("Định dạng ngày/tháng/năm, ví dụ 01/07/2025.")


class PckbModelForm(CleanInputMixin, forms.ModelForm):
    """ModelForm that knows its user. Subclasses list ``fields`` in Meta; no business logic here."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        use_date_pickers(self)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-describedby", f"{name}-hint {name}-error")
            if type(field) in (forms.ChoiceField, forms.TypedChoiceField) and field.choices:
                if field.choices[0][0] == "":
                    field.choices = [("", CHOOSE), *field.choices[1:]]
        restrict_choices(self, user)
        self._drop_invisible_references()
        use_unit_search(self)

    def _drop_invisible_references(self) -> None:
        """A reference the user cannot see stays as it is: the field is left out rather than shown
        with a name the user may not know (e.g. a provincial committee's national parent)."""
        if self.instance.pk is None:
            return
        for name in list(self.fields):
            field = self.fields[name]
            current = getattr(self.instance, f"{name}_id", None)
            if isinstance(field, forms.ModelChoiceField) and current is not None:
                if not field.queryset.filter(pk=current).exists():
                    del self.fields[name]

    def _post_clean(self):
        # Model validation runs once, in the service (which calls full_clean); here we only copy the data.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


def use_unit_search(form: forms.BaseForm) -> None:
    """3,321 communes do not fit a drop-down: unit fields take a code, with suggestions as you type."""
    from pckb.geo.formfields import UnitChoiceField
    from pckb.geo.models import AdministrativeUnit
    from pckb.geo.widgets import UnitInput

    instance = getattr(form, "instance", None)
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.ModelChoiceField) and field.queryset.model is AdministrativeUnit:
            form.fields[name] = UnitChoiceField(
                queryset=field.queryset,
                required=field.required,
                label=field.label,
                help_text=_("Gõ tên hoặc mã đơn vị (ví dụ: Cần Thơ, P92) rồi chọn trong gợi ý."),
                widget=UnitInput(attrs={"aria-describedby": f"{name}-hint {name}-error"}),
            )
            unit = getattr(instance, name, None) if instance is not None and instance.pk else None
            if unit is not None:
                form.initial[name] = unit


def parse_classification(raw: str) -> int:
    """Parse a classification typed by a person (import files, CLI). Tuyệt mật is refused."""
    from pckb.core.text import fold

    value = fold(raw)
    if value in {fold(w) for w in TOP_SECRET_WORDS}:
        raise forms.ValidationError(_("Hệ thống không lưu tài liệu Tuyệt mật."))
    for number, label in Classification.choices:
        if value in {str(number), fold(str(label))} or (value == "" and number == 0):
            return number
    raise forms.ValidationError(_("Độ mật phải là Thường, Mật hoặc Tối mật."))
