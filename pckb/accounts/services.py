"""Writes to accounts: login with lockout, users, passwords, second factor and API tokens. All audited."""

from __future__ import annotations

import datetime as dt
import secrets

import pyotp
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pckb.accounts.choices import Role
from pckb.accounts.models import ApiToken, User
from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot


class LoginFailed(Exception):
    """Wrong credentials or a locked account; the message is safe to show."""


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


def _ip_failures_key() -> str | None:
    from pckb.core import context

    ip = context.current().ip
    return f"pckb:login-failures:{ip}" if ip else None


def _ip_throttled() -> bool:
    key = _ip_failures_key()
    return bool(key) and (cache.get(key) or 0) >= settings.PCKB_LOGIN_MAX_FAILURES_PER_IP


def _ip_failure() -> None:
    key = _ip_failures_key()
    if key:
        cache.add(key, 0, timeout=settings.PCKB_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.PCKB_LOGIN_LOCKOUT_SECONDS)


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


def totp_check(user: User, code: str) -> bool:
    return bool(
        user.totp_enabled and user.totp_secret and pyotp.TOTP(user.totp_secret).verify(code, valid_window=1)
    )


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


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="PCKB Hub")


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> None:
    if not pyotp.TOTP(secret).verify(code, valid_window=1):
        raise ValidationError({"code": _("Mã xác thực không đúng.")})
    user.totp_secret = secret
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        unit_path=user.scope_path,
        after={"totp_enabled": True},
    )


@transaction.atomic
def totp_disable(*, actor, user: User) -> None:
    if actor.pk != user.pk:
        _require_admin(actor)
    user.totp_secret = ""
    user.totp_enabled = False
    user.save(update_fields=["totp_secret", "totp_enabled"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit_path=user.scope_path,
        after={"totp_enabled": False},
    )


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a bearer token for an already authenticated user. Only the hash is stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        expires=timezone.now() + dt.timedelta(days=settings.PCKB_API_TOKEN_DAYS),
    )
    audit_record(
        actor=user,
        action=AuditAction.TOKEN,
        object_type="accounts.user",
        object_id=str(user.pk),
        object_repr=user.username,
        unit_path=user.scope_path,
    )
    return key, token


def api_token_user(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), expires__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
