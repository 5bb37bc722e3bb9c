"""Writes to accounts: login with lockout, users, passwords, second factor and API tokens. All audited."""

from __future__ import annotations

import datetime as dt
import secrets

import pyotp
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pckb.accounts.choices import Role
from pckb.accounts.models import ApiToken, User
from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot
from pckb.core import ratelimit


class LoginFailed(Exception):
    """Wrong credentials or a locked account; the message is safe to show."""


class SecondFactorRefused(Exception):
    """A wrong, reused or locked-out second-factor code; the message is safe to show."""


class PasswordChangeRequired(Exception):
    """The account must change its password on the web before anything else (no API token)."""

    def __init__(self):
        super().__init__(
            _("Tài khoản phải đổi mật khẩu trên giao diện web trước khi dùng API (mã truy cập bị từ chối).")
        )


def _audit_account(
    action: str, user: User | None, *, actor=..., username: str = "", before=None, after=None
) -> None:
    audit_record(
        actor=user if actor is ... else actor,
        action=action,
        obj=None,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=user.get_username() if user else username,
        username=username,
        unit_path=user.scope_path if user else "",
        before=before,
        after=after,
    )


GENERIC_FAILURE = gettext_noop("Tên đăng nhập hoặc mật khẩu không đúng.")


def _client_address() -> str:
    from pckb.core import context

    return context.current().ip or ""


def _ip_throttled() -> bool:
    ip = _client_address()
    window = settings.PCKB_LOGIN_LOCKOUT_SECONDS
    return bool(ip) and ratelimit.counted("login-failures", ip, window=window) >= (
        settings.PCKB_LOGIN_MAX_FAILURES_PER_IP
    )


def _ip_failure() -> None:
    ip = _client_address()
    if ip:
        ratelimit.count("login-failures", ip, window=settings.PCKB_LOGIN_LOCKOUT_SECONDS)


def login_check_password(*, username: str, password: str) -> User:
    """Check credentials with per-account lockout and per-address throttling.

    Raises :class:`LoginFailed` after the failure is audited."""
    locked_message = _("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.")
    if _ip_throttled():
        _audit_account(AuditAction.LOGIN_FAILED, None, username=username)
        raise LoginFailed(_("Quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau ít phút."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and user.is_locked:
            _audit_account(AuditAction.LOGIN_FAILED, user, actor=None, username=username)
            failure = locked_message
        elif (authenticated := auth.authenticate(username=username, password=password)) is not None:
            return authenticated
        elif user is None:
            _audit_account(AuditAction.LOGIN_FAILED, None, username=username)
            failure = _(GENERIC_FAILURE)
        else:
            user.failed_logins += 1
            locked = user.failed_logins >= settings.PCKB_LOGIN_MAX_FAILURES
            if locked:
                user.locked_until = timezone.now() + dt.timedelta(seconds=settings.PCKB_LOGIN_LOCKOUT_SECONDS)
                user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])
            _audit_account(
                AuditAction.LOCKED if locked else AuditAction.LOGIN_FAILED,
                user,
                actor=None,
                username=username,
            )
            failure = locked_message if locked else _(GENERIC_FAILURE)
    _ip_failure()
    raise LoginFailed(failure)


def _totp_step(secret: str, code: str) -> int | None:
    """The time-step whose code is ``code`` (the current one or its neighbours), or None."""
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), str(code)):
            return step
    return None


def _second_factor_failure(user: User, *, reason: str) -> str:
    """Count a wrong or reused code against the account's lockout (like a wrong password) and audit it.

    Call with the user row locked. Returns the message to show."""
    user.failed_logins += 1
    locked = user.failed_logins >= settings.PCKB_LOGIN_MAX_FAILURES
    if locked:
        user.locked_until = timezone.now() + dt.timedelta(seconds=settings.PCKB_LOGIN_LOCKOUT_SECONDS)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    _audit_account(
        AuditAction.LOCKED if locked else AuditAction.LOGIN_FAILED,
        user,
        actor=None,
        username=user.username,
        after={"second_factor": reason},
    )
    if locked:
        return _("Tài khoản tạm khóa do nhập sai mã xác thực nhiều lần. Vui lòng thử lại sau.")
    if reason == "reused":
        return _("Mã này đã được dùng. Hãy chờ ứng dụng hiển thị mã mới.")
    if reason == "wrong_password":
        return _("Mật khẩu hiện tại không đúng.")
    return _("Mã xác thực không đúng.")


def _totp_verify_locked(user: User, code: str) -> None:
    """Verify ``code`` for ``user`` (row already locked): refuse a locked account, a wrong code and a code
    already used (its time-step is not after the last accepted one); remember the accepted step."""
    if user.is_locked:
        _audit_account(
            AuditAction.LOGIN_FAILED,
            user,
            actor=None,
            username=user.username,
            after={"second_factor": "locked"},
        )
        raise SecondFactorRefused(_("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau."))
    step = _totp_step(user.totp_secret, code) if user.totp_enabled and user.totp_secret else None
    if step is None:
        raise SecondFactorRefused(_second_factor_failure(user, reason="wrong"))
    if user.totp_last_step is not None and step <= user.totp_last_step:
        raise SecondFactorRefused(_second_factor_failure(user, reason="reused"))
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])


def totp_verify(*, user: User, code: str) -> None:
    """The second step of a login. Raises :class:`SecondFactorRefused` (audited) on any failure; five
    failures lock the account like wrong passwords do."""
    failure = None
    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        try:
            _totp_verify_locked(locked_user, code)
        except SecondFactorRefused as exc:
            failure = exc
    if failure is not None:
        _ip_failure()
        raise failure
    user.totp_last_step = locked_user.totp_last_step


def login_complete(*, request, user: User) -> None:
    with transaction.atomic():
        auth.login(request, user)
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        _audit_account(AuditAction.LOGIN, user)


def logout_perform(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        _audit_account(AuditAction.LOGOUT, user)
    auth.logout(request)


def _require_admin(actor) -> None:
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được quản lý tài khoản."))


def _validate_assignment(user: User) -> None:
    errors = {}
    if user.role and user.role != Role.ADMIN and user.scope_unit_id is None:
        errors["scope_unit"] = _("Cần chọn phạm vi cho vai trò này.")
    if user.role == Role.NATIONAL_OFFICE and user.scope_unit_id and user.scope_unit.level != "national":
        errors["scope_unit"] = _("Văn phòng Thường trực quốc gia có phạm vi toàn quốc.")
    if user.scope_unit_id and user.scope_unit.valid_to is not None:
        errors["scope_unit"] = _("Không thể chọn đơn vị hành chính đã hết hiệu lực.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    scope_unit=None,
    clearance: int = 0,
    person=None,
    full_name: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    _require_admin(actor)
    user = User(
        username=username,
        role=role,
        scope_unit=scope_unit,
        clearance=clearance,
        person=person,
        first_name=full_name,
        email=email,
        must_change_password=must_change_password,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    _validate_assignment(user)
    user.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=user, after=snapshot(user), unit_path=user.scope_path
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, changes: dict) -> User:
    _require_admin(actor)
    before = snapshot(User.objects.get(pk=user.pk))
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean()
    _validate_assignment(user)
    user.save()
    after = snapshot(user)
    if after != before:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            before=before,
            after=after,
            unit_path=user.scope_path,
        )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, force_change: bool) -> None:
    """An administrator resets a password (the user must change it), or a user changes their own."""
    if actor.pk != user.pk:
        _require_admin(actor)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = force_change
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit_path=user.scope_path,
        after={"password": "changed", "must_change_password": force_change},
    )
    api_tokens_revoke_all(actor=actor, user=user, reason="password_changed")


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="PCKB Hub")


def _totp_set(*, actor, user: User, secret: str, step: int | None) -> None:
    """Turn the second factor on (a secret) or off (none): audited, and the account's API tokens revoked."""
    enabled = bool(secret)
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, enabled, step
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit_path=user.scope_path,
        after={"totp_enabled": enabled},
    )
    api_tokens_revoke_all(actor=actor, user=user, reason="totp_enabled" if enabled else "totp_disabled")


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> None:
    """Turn on the second factor after one code from the new secret is confirmed. The confirming code
    cannot be used again to log in, and the account's API tokens are revoked."""
    step = _totp_step(secret, code) if secret else None
    if step is None:
        raise ValidationError({"code": _("Mã xác thực không đúng.")})
    _totp_set(actor=user, user=user, secret=secret, step=step)


def totp_disable(*, actor, user: User, password: str = "", code: str = "") -> None:
    """Turn off the second factor. The user must give the password and a current code (a wrong one counts
    towards the account's lockout and is audited); an administrator (lost phone) needs neither."""
    failure = None
    with transaction.atomic():
        if actor.pk != user.pk:
            _require_admin(actor)
            locked_user = User.objects.select_for_update().get(pk=user.pk)
        else:
            locked_user = User.objects.select_for_update().get(pk=user.pk)
            try:
                if locked_user.is_locked:
                    raise SecondFactorRefused(
                        _("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.")
                    )
                if not locked_user.check_password(password):
                    raise SecondFactorRefused(_second_factor_failure(locked_user, reason="wrong_password"))
                _totp_verify_locked(locked_user, code)
            except SecondFactorRefused as exc:
                failure = exc
        if failure is None:
            _totp_set(actor=actor, user=locked_user, secret="", step=None)
    if failure is not None:
        raise failure
    user.totp_secret, user.totp_enabled, user.totp_last_step = "", False, None


# --- API tokens -----------------------------------------------------------------------------------------
def _audit_token(*, actor, user: User, action: str, after: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="accounts.user",
        object_id=str(user.pk),
        object_repr=user.username,
        unit_path=user.scope_path,
        after=after,
    )


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a bearer token for an already authenticated user. Only the hash is stored.

    Refused (:class:`PasswordChangeRequired`) while the user must change the password."""
    if user.must_change_password:
        raise PasswordChangeRequired
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        expires=timezone.now() + dt.timedelta(days=settings.PCKB_API_TOKEN_DAYS),
    )
    _audit_token(actor=user, user=user, action=AuditAction.TOKEN, after={"token": token.pk})
    return key, token


def api_token_lookup(key: str) -> ApiToken | None:
    """The live token with this key, with its user; None for an unknown or expired one or an inactive
    user. A user who must change the password gets :class:`PasswordChangeRequired`."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), expires__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.must_change_password:
        raise PasswordChangeRequired
    now = timezone.now()
    if token.last_used is None or now - token.last_used > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token


def api_token_user(key: str) -> User | None:
    token = api_token_lookup(key)
    return token.user if token is not None else None


@transaction.atomic
def api_token_revoke(*, actor, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s tokens (the user's own, or any user's for an administrator). An unknown id
    and another user's token give the same :class:`ApiToken.DoesNotExist`."""
    if actor.pk != user.pk:
        _require_admin(actor)
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise ApiToken.DoesNotExist(_("Không tìm thấy mã truy cập này."))
    _audit_token(actor=actor, user=user, action=AuditAction.DELETE, after={"token_revoked": token_id})


def api_tokens_revoke_all(*, actor, user: User, reason: str) -> int:
    """Revoke every token of ``user`` (password changed, two-factor turned on or off, or on request by the
    user or an administrator)."""
    if actor.pk != user.pk:
        _require_admin(actor)
    with transaction.atomic():
        ids = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
        if ids:
            ApiToken.objects.filter(pk__in=ids).delete()
            _audit_token(
                actor=actor,
                user=user,
                action=AuditAction.DELETE,
                after={"tokens_revoked": len(ids), "reason": reason},
            )
    return len(ids)
