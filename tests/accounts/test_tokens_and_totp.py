"""API tokens (refused while the password must change, revoked on password change and two-factor changes,
listed and revoked by their owner) and the TOTP second factor (attempts limited, codes single-use, turning it
off needs the password and a code). Every refusal and revocation is audited."""

from __future__ import annotations

import time

import pyotp
import pytest

from pckb.accounts import services
from pckb.accounts.models import ApiToken, User
from pckb.audit.models import AuditEntry
from tests.support.demo import DEMO_PASSWORD

LOGIN = "/tai-khoan/dang-nhap/"
OTP = "/tai-khoan/dang-nhap/xac-thuc/"
TOTP_PAGE = "/tai-khoan/xac-thuc-hai-lop/"
TOKENS_PAGE = "/tai-khoan/ma-truy-cap/"
COMMITTEES = "/api/v1/committees/"
NEW_PASSWORD = "Mot-Mat-Khau-Moi-9"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def token_for(username: str, client) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


# --- Forced password change ----------------------------------------------------------------------------
def test_no_token_is_issued_while_the_password_must_change(client, users):
    User.objects.filter(username="thanhtra").update(must_change_password=True)
    before = ApiToken.objects.count()
    response = client.post(
        "/api/v1/auth/token",
        {"username": "thanhtra", "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "phải đổi mật khẩu" in response.json()["detail"]
    assert ApiToken.objects.count() == before


def test_an_existing_token_stops_working_while_the_password_must_change(client, users):
    key = token_for("vptt.cantho", client)
    assert client.get(COMMITTEES, **bearer(key)).status_code == 200
    User.objects.filter(username="vptt.cantho").update(must_change_password=True)
    response = client.get(COMMITTEES, **bearer(key))
    assert response.status_code == 403
    assert "phải đổi mật khẩu" in response.json()["detail"]


def test_the_session_cannot_use_the_api_while_the_password_must_change(client, users):
    user = users["vptt.cantho"]
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get(COMMITTEES)
    assert response.status_code == 403
    assert "phải đổi mật khẩu" in response.json()["detail"]


# --- Revocation on password and second-factor changes ---------------------------------------------------
def test_changing_ones_password_revokes_ones_tokens(client, users):
    key = token_for("vptt.cantho", client)
    other = token_for("vptt.hcm", client)
    client.force_login(users["vptt.cantho"])
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(COMMITTEES, **bearer(key)).status_code == 401
    assert client.get(COMMITTEES, **bearer(other)).status_code == 200  # someone else's token is untouched
    entry = AuditEntry.objects.filter(action="delete", object_type="accounts.user").order_by("-seq").first()
    assert entry.after == {"tokens_revoked": 1, "reason": "password_changed"}


def test_an_administrators_password_reset_revokes_the_users_tokens(client, users):
    key = token_for("thanhtra", client)
    client.force_login(users["quantri"])
    client.post(f"/tai-khoan/nguoi-dung/{users['thanhtra'].pk}/dat-lai-mat-khau/", {"password": NEW_PASSWORD})
    client.logout()
    assert client.get(COMMITTEES, **bearer(key)).status_code == 401
    assert not ApiToken.objects.filter(user=users["thanhtra"]).exists()


def test_enabling_two_factor_revokes_ones_tokens(client, users):
    key = token_for("lanhdao.cantho", client)
    client.force_login(users["lanhdao.cantho"])
    client.get(TOTP_PAGE)
    secret = client.session["pckb_totp_setup_secret"]
    client.post(TOTP_PAGE, {"code": pyotp.TOTP(secret).now()})
    assert User.objects.get(username="lanhdao.cantho").totp_enabled
    client.logout()
    assert client.get(COMMITTEES, **bearer(key)).status_code == 401
    assert last_entry().after == {"tokens_revoked": 1, "reason": "totp_enabled"}


# --- Listing and revoking ------------------------------------------------------------------------------
def test_delete_on_the_token_endpoint_revokes_the_token_presented(client, users):
    key = token_for("vptt.cantho", client)
    response = client.delete("/api/v1/auth/token", **bearer(key))
    assert response.status_code == 204
    assert client.get(COMMITTEES, **bearer(key)).status_code == 401
    entry = last_entry()
    assert entry.action == "delete" and entry.object_repr == "vptt.cantho" and "token_revoked" in entry.after


def test_tokens_are_listed_and_revoked_by_id_by_their_owner_only(client, users):
    first = token_for("vptt.cantho", client)
    second = token_for("vptt.cantho", client)
    stranger = token_for("vptt.hcm", client)
    listing = client.get("/api/v1/auth/tokens", **bearer(first)).json()
    assert len(listing) == 2
    assert [t["current"] for t in listing].count(True) == 1
    second_id = next(t["id"] for t in listing if not t["current"])
    stranger_id = client.get("/api/v1/auth/tokens", **bearer(stranger)).json()[0]["id"]

    assert client.delete(f"/api/v1/auth/tokens/{stranger_id}", **bearer(first)).status_code == 404
    assert client.get(COMMITTEES, **bearer(stranger)).status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{second_id}", **bearer(first)).status_code == 204
    assert client.get(COMMITTEES, **bearer(second)).status_code == 401
    assert client.get(COMMITTEES, **bearer(first)).status_code == 200
    assert client.delete("/api/v1/auth/tokens/99999999999999999999", **bearer(first)).status_code == 422


def test_the_account_page_lists_makes_and_revokes_tokens(client, users):
    token_for("vptt.cantho", client)
    client.force_login(users["vptt.cantho"])
    page = client.get(TOKENS_PAGE)
    assert page.status_code == 200 and len(page.context["tokens"]) == 1

    made = client.post(TOKENS_PAGE, {"action": "create"})
    key = made.context["new_key"]
    assert key in made.content.decode()
    assert client.get(COMMITTEES, **bearer(key), HTTP_COOKIE="").status_code == 200
    assert len(client.get(TOKENS_PAGE).context["tokens"]) == 2
    assert key not in client.get(TOKENS_PAGE).content.decode()  # shown once only

    newest = ApiToken.objects.filter(user=users["vptt.cantho"]).order_by("-pk").first()
    client.post(TOKENS_PAGE, {"action": "revoke", "token": newest.pk})
    assert not ApiToken.objects.filter(pk=newest.pk).exists()
    client.post(TOKENS_PAGE, {"action": "revoke_all"})
    assert not ApiToken.objects.filter(user=users["vptt.cantho"]).exists()
    assert last_entry().after == {"tokens_revoked": 1, "reason": "requested"}


# --- TOTP ----------------------------------------------------------------------------------------------
@pytest.fixture
def two_factor_user(users):
    """``lanhdao.cantho`` with two-factor login on; returns (user, secret). The set-up code is spent."""
    user = users["lanhdao.cantho"]
    secret = services.totp_new_secret()
    services.totp_enable(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    return user, secret


def next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


def start_login(client) -> None:
    response = client.post(LOGIN, {"username": "lanhdao.cantho", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and OTP in response["Location"]


def test_a_code_cannot_be_used_twice(client, two_factor_user):
    user, secret = two_factor_user
    code = next_code(secret)
    start_login(client)
    assert client.post(OTP, {"code": code}).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    start_login(client)
    again = client.post(OTP, {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    assert "Mã này đã được dùng" in again.content.decode()
    entry = last_entry()
    assert entry.action == "login_failed" and entry.after == {"second_factor": "reused"}


def test_guessing_codes_locks_the_account_and_is_audited(client, two_factor_user, settings):
    user, secret = two_factor_user
    start_login(client)
    started = time.monotonic()
    wrong = [
        f"{n:06d}"
        for n in range(30)
        if f"{n:06d}" not in {pyotp.TOTP(secret).at(time.time() + d) for d in (-30, 0, 30)}
    ]
    for code in wrong[:30]:
        client.post(OTP, {"code": code})
    elapsed = time.monotonic() - started
    refused = client.post(OTP, {"code": next_code(secret)})
    assert "_auth_user_id" not in client.session
    assert "tạm khóa" in refused.content.decode()
    user.refresh_from_db()
    assert user.is_locked
    actions = list(AuditEntry.objects.filter(object_repr="lanhdao.cantho").values_list("action", "after"))
    assert ("locked", {"second_factor": "wrong"}) in actions
    wrong_codes = [a for a in actions if a == ("login_failed", {"second_factor": "wrong"})]
    assert len(wrong_codes) == settings.PCKB_LOGIN_MAX_FAILURES - 1
    print(f"{len(wrong)} wrong codes in {elapsed:.2f} s; locked after {settings.PCKB_LOGIN_MAX_FAILURES}")


def test_turning_two_factor_off_needs_the_password_and_a_current_code(client, two_factor_user):
    user, secret = two_factor_user
    client.force_login(user)
    # The old one-click form is no longer enough.
    client.post(TOTP_PAGE, {"disable": "1"})
    assert User.objects.get(pk=user.pk).totp_enabled
    wrong_password = client.post(TOTP_PAGE, {"password": "sai-mat-khau", "code": next_code(secret)})
    assert "Mật khẩu hiện tại không đúng." in wrong_password.content.decode()
    assert User.objects.get(pk=user.pk).totp_enabled
    assert last_entry().after == {"second_factor": "wrong_password"}
    wrong_code = client.post(TOTP_PAGE, {"password": DEMO_PASSWORD, "code": "000000"})
    assert "Mã xác thực không đúng." in wrong_code.content.decode()
    assert User.objects.get(pk=user.pk).totp_enabled

    done = client.post(TOTP_PAGE, {"password": DEMO_PASSWORD, "code": next_code(secret)})
    assert done.status_code == 302
    assert not User.objects.get(pk=user.pk).totp_enabled


def test_an_administrator_revokes_a_users_tokens_and_turns_off_a_lost_second_factor(
    client, users, two_factor_user
):
    user, _secret = two_factor_user
    User.objects.filter(pk=user.pk).update(totp_enabled=False)
    key = token_for("lanhdao.cantho", client)
    User.objects.filter(pk=user.pk).update(totp_enabled=True)
    url = f"/tai-khoan/nguoi-dung/{user.pk}/bao-mat/"

    client.force_login(users["vptt.cantho"])  # not an administrator
    assert client.post(url, {"action": "revoke_tokens"}).status_code == 404
    assert client.get(COMMITTEES, **bearer(key), HTTP_COOKIE="").status_code == 200

    client.force_login(users["quantri"])
    assert (
        "1 mã truy cập API còn hiệu lực." in client.get(f"/tai-khoan/nguoi-dung/{user.pk}/").content.decode()
    )
    client.post(url, {"action": "revoke_tokens"})
    client.post(url, {"action": "disable_totp"})
    client.logout()
    assert client.get(COMMITTEES, **bearer(key)).status_code == 401
    assert not User.objects.get(pk=user.pk).totp_enabled
    entry = AuditEntry.objects.filter(action="delete", object_repr="lanhdao.cantho").order_by("-seq").first()
    assert entry.username == "quantri" and entry.after == {"tokens_revoked": 1, "reason": "administrator"}
