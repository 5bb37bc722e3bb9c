"""Form base classes: every choice list is restricted to what the user may see; dates are dd/mm/yyyy."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from pckb.core.choices import TOP_SECRET_WORDS, Classification
from pckb.core.validators import date_problem, integer_problem, text_problem

DATE_INPUT = {
    "widget": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
}


def restrict_choices(form: forms.BaseForm, user) -> None:
    """Narrow every model-choice field of ``form`` through the access layer."""
    from pckb.geo.models import AdministrativeUnit
    from pckb.geo.selectors import units_in_scope

    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            model = field.queryset.model
            if model is AdministrativeUnit:
                field.queryset = units_in_scope(user, base=field.queryset)
            elif hasattr(field.queryset, "restrict"):
                field.queryset = field.queryset.restrict(user, "view")
            if isinstance(field, forms.ModelChoiceField) and field.empty_label:
                field.empty_label = _("— Chọn —")
        if isinstance(field, forms.TypedChoiceField) and field.choices == list(Classification.choices):
            field.choices = [c for c in Classification.choices if c[0] <= getattr(user, "clearance", 0)]


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
    """A plain form with the same input checks as the model forms."""


class PckbModelForm(CleanInputMixin, forms.ModelForm):
    """ModelForm that knows its user. Subclasses list ``fields`` in Meta; no business logic here."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DATE_INPUT["widget"]
                field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
                field.help_text = field.help_text or _("Định dạng ngày/tháng/năm, ví dụ 01/07/2025.")
            field.widget.attrs.setdefault("aria-describedby", f"{name}-hint {name}-error")
            if type(field) in (forms.ChoiceField, forms.TypedChoiceField) and field.choices:
                if field.choices[0][0] == "":
                    field.choices = [("", _("— Chọn —")), *field.choices[1:]]
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
