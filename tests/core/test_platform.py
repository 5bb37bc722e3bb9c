"""Settings, security headers, health, API documentation, language, backups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_extra: dict, *args) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PCKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update({"PCKB_VAR_DIR": str(ROOT / "var" / "check"), **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_required_settings():
    result = run_check({"PCKB_DEBUG": "0"})
    assert result.returncode != 0
    assert "PCKB_SECRET_KEY" in result.stderr and "PCKB_ALLOWED_HOSTS" in result.stderr


def test_production_profile_passes_check_deploy_without_warnings():
    import secrets

    result = run_check(
        {
            "PCKB_DEBUG": "0",
            "PCKB_SECRET_KEY": secrets.token_urlsafe(60),
            "PCKB_ALLOWED_HOSTS": "pckb.example",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_bad_setting_value_is_a_clear_error():
    result = run_check({"PCKB_IDLE_TIMEOUT": "ba-mươi"})
    assert result.returncode != 0 and "PCKB_IDLE_TIMEOUT phải là số nguyên" in result.stderr


def test_strict_content_security_policy_with_nonce(client, login):
    login("vptt.cantho")
    response = client.get("/to-chuc/ban-chi-dao/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in policy
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_outside(client, login):
    login("vptt.quocgia")
    for url in ["/", "/to-chuc/ban-chi-dao/", "/api/v1/docs"]:
        page = client.get(url).content.decode()
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page, url


def test_openapi_and_local_swagger(client, login):
    login("vptt.cantho")  # not public in production (tests run with DEBUG off)
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/auth/token" in schema["paths"] and "/api/v1/committees/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs


def test_vietnamese_by_default_and_english_on_request(client, login):
    login("vptt.cantho")
    page = client.get("/to-chuc/ban-chi-dao/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="vi">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/to-chuc/ban-chi-dao/").content.decode()
    assert '<html lang="en">' in page
    assert "Steering committees" in page or "Steering Committee" in page


def test_dates_are_dd_mm_yyyy_in_ho_chi_minh_time(client, login):
    from pckb.audit.models import AuditEntry

    login("vptt.cantho")
    entry = AuditEntry.objects.filter(unit_path__startswith="/VN/92/").order_by("-seq").first()
    page = client.get(f"/nhat-ky/{entry.pk}/").content.decode()
    from django.utils import timezone

    assert timezone.localtime(entry.time).strftime("%d/%m/%Y %H:%M") in page
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_healthz_reports_database_and_worker(client, db):
    from pckb.core.health import heartbeat_record

    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["ok"] is False
    heartbeat_record("worker")
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="Redis is configured only on the production-path run")
def test_healthz_checks_redis_when_configured(client, db):
    from pckb.core.health import heartbeat_record

    heartbeat_record("worker")
    assert client.get("/healthz").json()["checks"]["redis"]["ok"] is True
