import io

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from pckb.accounts import forms, selectors, services
from pckb.accounts.models import ApiToken, User
from pckb.audit.selectors import login_history
from pckb.core.views import apply_validation_error

PENDING_OTP_KEY = "pckb_pending_otp_user"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse("core:home")


class LoginView(View):
    template_name = "accounts/login.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("core:home")
        return render(request, self.template_name, {"form": forms.LoginForm(), "next": _next_url(request)})

    def post(self, request):
        form = forms.LoginForm(request.POST)
        if form.is_valid():
            try:
                user = services.login_check_password(
                    username=form.cleaned_data["username"], password=form.cleaned_data["password"]
                )
            except services.LoginFailed as exc:
                form.add_error(None, str(exc))
            else:
                if user.totp_enabled:
                    request.session[PENDING_OTP_KEY] = user.pk
                    return redirect(f"{reverse('accounts:otp')}?next={_next_url(request)}")
                services.login_complete(request=request, user=user)
                return HttpResponseRedirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)}, status=200)


class OtpView(View):
    template_name = "accounts/otp.html"

    def _pending(self, request):
        user = User.objects.filter(pk=request.session.get(PENDING_OTP_KEY), is_active=True).first()
        if user is None:
            raise Http404
        return user

    def get(self, request):
        self._pending(request)
        return render(request, self.template_name, {"form": forms.OtpForm(), "next": _next_url(request)})

    def post(self, request):
        user = self._pending(request)
        form = forms.OtpForm(request.POST)
        if form.is_valid():
            try:
                services.totp_verify(user=user, code=form.cleaned_data["code"])
            except services.SecondFactorRefused as exc:
                form.add_error("code", str(exc))
            else:
                del request.session[PENDING_OTP_KEY]
                services.login_complete(request=request, user=user)
                return HttpResponseRedirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class LogoutView(View):
    def post(self, request):
        services.logout_perform(request=request)
        messages.info(request, _("Bạn đã đăng xuất."))
        return redirect("accounts:login")


class PasswordChangeView(LoginRequiredMixin, View):
    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": forms.PasswordChangeForm(user=request.user)})

    def post(self, request):
        form = forms.PasswordChangeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user,
                    user=request.user,
                    password=form.cleaned_data["new_password"],
                    force_change=False,
                )
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Đã đổi mật khẩu; các mã truy cập API đã bị thu hồi."))
                return redirect("core:home")
        return render(request, self.template_name, {"form": form})


class TotpSetupView(LoginRequiredMixin, View):
    """Enable the optional second factor: scan the QR code, confirm one code."""

    template_name = "accounts/totp_setup.html"
    SECRET_KEY = "pckb_totp_setup_secret"  # noqa: S105 - a session key name, not a secret

    def _context(self, request, form):
        secret = request.session.get(self.SECRET_KEY)
        if not secret:
            secret = services.totp_new_secret()
            request.session[self.SECRET_KEY] = secret
        uri = services.totp_provisioning_uri(request.user, secret)
        buffer = io.BytesIO()
        segno.make(uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
        return {"form": form, "secret": secret, "qr_svg": buffer.getvalue().decode("utf-8")}

    def get(self, request):
        if request.user.totp_enabled:
            return render(request, self.template_name, {"form": forms.TotpDisableForm()})
        return render(request, self.template_name, self._context(request, forms.OtpForm()))

    def _disable(self, request):
        form = forms.TotpDisableForm(request.POST)
        if form.is_valid():
            try:
                services.totp_disable(
                    actor=request.user,
                    user=request.user,
                    password=form.cleaned_data["password"],
                    code=form.cleaned_data["code"],
                )
            except services.SecondFactorRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã tắt xác thực hai lớp; các mã truy cập API đã bị thu hồi."))
                return redirect("accounts:totp")
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        if request.user.totp_enabled:
            return self._disable(request)
        form = forms.OtpForm(request.POST)
        if form.is_valid():
            try:
                services.totp_enable(
                    user=request.user,
                    secret=request.session.get(self.SECRET_KEY, ""),
                    code=form.cleaned_data["code"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                request.session.pop(self.SECRET_KEY, None)
                messages.success(request, _("Đã bật xác thực hai lớp; các mã truy cập API đã bị thu hồi."))
                return redirect("core:home")
        return render(request, self.template_name, self._context(request, form))


class ApiTokenListView(LoginRequiredMixin, View):
    """The user's own API tokens: when made, last used and until when; revoke one or all, or make one (the
    key is shown once). The only way to get a token for an account with two-factor login."""

    template_name = "accounts/api_tokens.html"

    def _render(self, request, new_key: str = ""):
        return render(
            request,
            self.template_name,
            {
                "title": _("Mã truy cập API"),
                "tokens": selectors.api_tokens_of(request.user),
                "new_key": new_key,
            },
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        action = request.POST.get("action", "")
        if action == "create":
            try:
                key, _token = services.api_token_issue(user=request.user)
            except services.PasswordChangeRequired as exc:
                messages.error(request, str(exc))
                return redirect("accounts:api_tokens")
            return self._render(request, new_key=key)
        if action == "revoke_all":
            count = services.api_tokens_revoke_all(actor=request.user, user=request.user, reason="requested")
            messages.success(request, _("Đã thu hồi {count} mã truy cập.").format(count=count))
        elif action == "revoke":
            try:
                services.api_token_revoke(
                    actor=request.user, user=request.user, token_id=int(request.POST.get("token", ""))
                )
            except (ValueError, OverflowError, ApiToken.DoesNotExist):
                messages.error(request, _("Không tìm thấy mã truy cập này."))
            else:
                messages.success(request, _("Đã thu hồi mã truy cập."))
        return redirect("accounts:api_tokens")


# --- User administration (system administrators only) ---------------------------------------------------
class AdminRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_administrator:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class UserListView(AdminRequiredMixin, View):
    def get(self, request):
        users = User.objects.select_related("scope_unit").order_by("username")
        query = request.GET.get("q", "").strip()
        if query:
            users = users.filter(username__icontains=query)
        page = Paginator(users, 50).get_page(request.GET.get("page"))
        return render(
            request, "accounts/user_list.html", {"page": page, "q": query, "title": _("Người dùng")}
        )


class UserDetailView(AdminRequiredMixin, View):
    def get(self, request, pk):
        user = get_object_or_404(User.objects.select_related("scope_unit"), pk=pk)
        return render(
            request,
            "accounts/user.html",
            {
                "object": user,
                "title": user.username,
                "logins": login_history(user.pk)[:50],
                "reset_form": forms.PasswordResetForm(),
                "token_count": len(selectors.api_tokens_of(user)),
            },
        )


class UserEditView(AdminRequiredMixin, View):
    template_name = "accounts/user_edit.html"

    def _object(self, pk):
        return get_object_or_404(User, pk=pk) if pk else User()

    def get(self, request, pk=None):
        user = self._object(pk)
        return render(
            request,
            self.template_name,
            {"form": forms.UserForm(instance=user, user=request.user), "object": user},
        )

    def post(self, request, pk=None):
        user = self._object(pk)
        form = forms.UserForm(request.POST, instance=user, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if user.pk is None:
                    saved = services.user_create(
                        actor=request.user,
                        username=data["username"],
                        password=data["password"],
                        role=data["role"],
                        scope_unit=data["scope_unit"],
                        clearance=data["clearance"],
                        person=data["person"],
                        full_name=data["first_name"],
                        email=data["email"],
                    )
                else:
                    changes = {name: data[name] for name in form.changed_data if name != "password"}
                    saved = services.user_update(
                        actor=request.user, user=User.objects.get(pk=user.pk), changes=changes
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Đã lưu tài khoản {name}.").format(name=saved.username))
                return redirect("accounts:user", pk=saved.pk)
        return render(request, self.template_name, {"form": form, "object": user})


class UserPasswordResetView(AdminRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        form = forms.PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user, user=user, password=form.cleaned_data["password"], force_change=True
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Đã đặt lại mật khẩu; người dùng phải đổi ở lần đăng nhập tới."))
        else:
            messages.error(request, _("Cần nhập mật khẩu mới."))
        return redirect("accounts:user", pk=user.pk)


class UserSecurityView(AdminRequiredMixin, View):
    """An administrator revokes a user's API tokens or turns off their second factor (a lost phone)."""

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        action = request.POST.get("action", "")
        if action == "revoke_tokens":
            count = services.api_tokens_revoke_all(actor=request.user, user=user, reason="administrator")
            messages.success(request, _("Đã thu hồi {count} mã truy cập.").format(count=count))
        elif action == "disable_totp" and user.totp_enabled:
            services.totp_disable(actor=request.user, user=user)
            messages.success(request, _("Đã tắt xác thực hai lớp; các mã truy cập API đã bị thu hồi."))
        return redirect("accounts:user", pk=user.pk)
