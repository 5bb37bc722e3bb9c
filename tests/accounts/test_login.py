"""Login, lockout, second factor, forced password change, idle timeout and API tokens."""

import time

import pyotp
import pytest
from django.conf import settings

from pckb.audit.models import AuditEntry
from tests.support.demo import DEMO_PASSWORD

LOGIN = "/tai-khoan/dang-nhap/"


def last_actions(n):
    return list(AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[:n])


def test_login_lands_on_the_start_page_for_the_scope(client, db):
    response = client.post(LOGIN, {"username": "vptt.cantho", "password": DEMO_PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thành phố Cần Thơ" in page and "Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ" in page
    assert "Thành phố Hồ Chí Minh" not in page
    assert last_actions(1) == ["login"]


def test_wrong_password_is_refused_and_audited(client, db):
    response = client.post(LOGIN, {"username": "vptt.cantho", "password": "sai-mat-khau"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "login_failed" and entry.object_repr == "vptt.cantho"


def test_lockout_after_repeated_failures_even_with_the_right_password(client, db):
    for _ in range(settings.PCKB_LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"username": "vptt.hcm", "password": "sai-mat-khau"})
    assert last_actions(1) == ["locked"]
    response = client.post(LOGIN, {"username": "vptt.hcm", "password": DEMO_PASSWORD})
    assert "Tài khoản tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message(client, db):
    response = client.post(LOGIN, {"username": "khong-ton-tai", "password": "x"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_logout_is_audited(client, login):
    login("thanhtra")
    response = client.post("/tai-khoan/dang-xuat/")
    assert response.status_code == 302
    assert last_actions(1) == ["logout"]
    assert client.get("/").status_code == 302


def test_totp_second_factor(client, users):
    user = users["lanhdao.cantho"]
    client.force_login(user)
    client.get("/tai-khoan/xac-thuc-hai-lop/")
    secret = client.session["pckb_totp_setup_secret"]
    bad = client.post("/tai-khoan/xac-thuc-hai-lop/", {"code": "000000"})
    assert "Mã xác thực không đúng." in bad.content.decode()
    client.post("/tai-khoan/xac-thuc-hai-lop/", {"code": pyotp.TOTP(secret).now()})
    user.refresh_from_db()
    assert user.totp_enabled
    client.post("/tai-khoan/dang-xuat/")

    response = client.post(LOGIN, {"username": "lanhdao.cantho", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/xac-thuc/" in response["Location"]
    assert "_auth_user_id" not in client.session
    wrong = client.post("/tai-khoan/dang-nhap/xac-thuc/", {"code": "123456"})
    assert "Mã xác thực không đúng." in wrong.content.decode()
    # The code that confirmed the set-up is spent; the next one (accepted one step early) logs in.
    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    ok = client.post("/tai-khoan/dang-nhap/xac-thuc/", {"code": next_code})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_forced_password_change(client, users):
    user = users["thanhtra"]
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get("/to-chuc/ban-chi-dao/")
    assert response.status_code == 302 and response["Location"].endswith("/tai-khoan/doi-mat-khau/")
    weak = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": DEMO_PASSWORD, "new_password": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200 and "error-summary" in weak.content.decode()
    client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password": "Mot-Mat-Khau-Moi-9",
            "new_password2": "Mot-Mat-Khau-Moi-9",
        },
    )
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Mot-Mat-Khau-Moi-9")
    assert client.get("/to-chuc/ban-chi-dao/").status_code == 200


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves forward: ``clock(seconds)``. The sessions (their expiry, the check when one is
    loaded) and the idle-timeout refresh read ``django.utils.timezone.now``."""
    import datetime as dt

    from django.utils import timezone

    start, offset = timezone.now(), [dt.timedelta(0)]
    monkeypatch.setattr(timezone, "now", lambda: start + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += dt.timedelta(seconds=seconds)

    return advance


def test_idle_session_expires(client, login, clock):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login("thanhtra")
    assert client.get("/").status_code == 200
    assert settings.SESSION_COOKIE_AGE == 1800
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    assert client.get("/").status_code == 302
    # Idle for the whole timeout after the last request: signed out.
    login("thanhtra")
    assert client.get("/").status_code == 200
    clock(1800)
    assert client.get("/").status_code == 302


def test_active_session_outlives_the_idle_timeout(client, login, clock):
    login("thanhtra")
    for _ in range(48):  # a request every 45 s for 36 minutes, more than the 30-minute timeout
        assert client.get("/").status_code == 200
        clock(45)
    # The timeout counts from the last request, give or take the refresh interval (the session was last
    # written at most a minute before it): 29 idle minutes are fine, 30 are not.
    clock(1740 - 45)
    assert client.get("/").status_code == 200
    clock(1800)
    assert client.get("/").status_code == 302


def test_session_written_at_most_once_a_minute(client, login, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)

    # An anonymous visitor gets no session row (nothing to keep alive).
    assert client.get(LOGIN).status_code == 200 and "sessionid" not in client.cookies
    login("thanhtra")
    assert session_writes() == 1  # the first request after signing in starts the refresh clock
    clock(30)
    assert session_writes() == 0
    clock(29)
    assert session_writes() == 0
    clock(2)
    assert session_writes() == 1


class TestApiToken:
    def test_token_for_valid_credentials(self, client, db):
        response = client.post(
            "/api/v1/auth/token",
            {"username": "vptt.cantho", "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200
        token = response.json()["token"]
        listing = client.get("/api/v1/committees/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert listing.status_code == 200
        names = {c["name"] for c in listing.json()["items"]}
        # Cần Thơ's scope includes the committee of the former Hậu Giang province, and nothing of TP.HCM.
        assert names == {
            "Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ",
            "Ban Chỉ đạo Phòng, chống khủng bố tỉnh Hậu Giang",
        }

    @pytest.mark.parametrize("password", ["sai", ""])
    def test_bad_credentials(self, client, db, password):
        response = client.post(
            "/api/v1/auth/token",
            {"username": "vptt.cantho", "password": password},
            content_type="application/json",
        )
        assert response.status_code == 401

    def test_garbage_token_is_401(self, client, db):
        assert client.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer abc").status_code == 401


def test_many_failures_from_one_address_are_throttled(client, db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PCKB_LOGIN_MAX_FAILURES_PER_IP = 3
    for name in ("a1", "a2", "a3"):  # unknown accounts: no per-account lockout applies
        client.post(LOGIN, {"username": name, "password": "x"})
    response = client.post(LOGIN, {"username": "vptt.cantho", "password": DEMO_PASSWORD})
    assert "Quá nhiều lần đăng nhập sai từ địa chỉ này" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post(LOGIN, {"username": "vptt.cantho", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    cache.clear()
