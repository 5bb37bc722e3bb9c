from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from pckb.accounts.models import User
from pckb.core.forms import use_unit_search
from pckb.geo.models import AdministrativeUnit


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác thực 6 số"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TotpDisableForm(forms.Form):
    """Turning the second factor off needs the password and a current code."""

    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.RegexField(
        label=_("Mã xác thực 6 số"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Mật khẩu hiện tại"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html,
    )
    new_password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("Mật khẩu hiện tại không đúng."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("Hai mật khẩu không khớp."))
        return data


class UserForm(forms.ModelForm):
    """Administrator's form: role, scope, clearance, linked official. Administrators have no content
    access, so this form does not go through the content access layer: units are reference data and the
    official is linked by id."""

    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        strip=False,
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Người dùng phải đổi mật khẩu ở lần đăng nhập đầu."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "email", "role", "scope_unit", "clearance", "person", "is_active"]
        labels = {"first_name": _("Họ và tên"), "is_active": _("Đang hoạt động")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].queryset = AdministrativeUnit.objects.filter(valid_to__isnull=True)
        use_unit_search(self)
        from pckb.directory.models import Person

        self.fields["person"].queryset = Person.objects.all()
        self.fields["person"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.fields["person"].help_text = _("Mã số cán bộ trong danh bạ (do Văn phòng Thường trực cung cấp).")
        self.fields["role"].required = True
        if self.instance.pk is None:
            self.fields["password"].required = True


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), strip=False, widget=forms.PasswordInput)
