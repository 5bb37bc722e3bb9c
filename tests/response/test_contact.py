"""The reporter's contact: encrypted at rest, readable only by the intake officer and the leaders through an
audited reveal, and never on any page, API answer, export or audit snapshot for anyone (crawled as every demo
role). Key rotation keeps every contact readable."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from pckb.audit.models import AuditEntry
from pckb.core import access
from pckb.demo.response import DEMO_REPORTER_CONTACT
from pckb.response import crypto
from pckb.response.models import Report
from tests.core.test_crawler import object_urls, static_urls
from tests.support.demo import ROLES

PHONE = "0299 555 0188"
INTAKE = "tiepnhan.cantho"


def demo_report():
    return Report.objects.exclude(reporter_contact_token="").order_by("pk").first()


def test_contact_is_encrypted_at_rest(db):
    report = demo_report()
    assert PHONE not in report.reporter_contact_token
    assert crypto.decrypt(report.reporter_contact_token) == DEMO_REPORTER_CONTACT
    for entry in AuditEntry.objects.filter(object_type="response.report"):
        assert PHONE not in str(entry.before) + str(entry.after)
        assert "reporter_contact_token" not in (entry.after or {})


@pytest.mark.parametrize("username", [*ROLES, INTAKE])
def test_contact_never_appears_on_any_page(client, users, api_client, username):
    user = users[username]
    client.force_login(user)
    api = api_client(username)
    pages = static_urls()
    for model in (Report,):
        for obj in access.restrict(model.objects.all(), user):
            pages += object_urls(obj)
            pages.append(f"/api/v1/response/reports/{obj.pk}")
    pages += ["/ung-pho/tin-bao/?format=csv", "/ung-pho/tin-bao/?export=xlsx", "/nhat-ky/"]
    for url in pages:
        response = (api if url.startswith("/api/") else client).get(url)
        text = b"".join(response.streaming_content) if response.streaming else response.content
        assert PHONE.encode() not in text, (username, url)


@pytest.mark.parametrize("username", ["lanhdao.cantho", INTAKE])
def test_intake_and_leader_reveal_is_audited(client, users, username):
    client.force_login(users[username])
    report = demo_report()
    before = AuditEntry.objects.count()
    response = client.post(reverse("response:report_reveal", args=[report.pk]))
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == before + 1
    assert PHONE not in str(AuditEntry.objects.order_by("-seq").first().after)


@pytest.mark.parametrize("username", ["vptt.cantho", "vptt.quocgia", "thanhtra", "vptt.hcm", "daumoi.cantho"])
def test_others_cannot_reveal(client, users, api_client, username):
    client.force_login(users[username])
    report = demo_report()
    response = client.post(reverse("response:report_reveal", args=[report.pk]))
    assert response.status_code == 404
    assert PHONE not in response.content.decode()
    api_response = api_client(username).post(f"/api/v1/response/reports/{report.pk}/reveal")
    assert api_response.status_code == 404


def test_api_reveal_for_intake(api_client):
    report = demo_report()
    response = api_client(INTAKE).post(f"/api/v1/response/reports/{report.pk}/reveal")
    assert response.status_code == 200
    assert response.json() == {"reporter_contact": DEMO_REPORTER_CONTACT}


def test_new_report_with_contact_then_anonymous_refused(client, users):
    client.force_login(users[INTAKE])
    data = {
        "channel": "phone",
        "received_at": "01/12/2026 08:00",
        "receiving_unit": "P92",
        "summary": "Tin báo thử về vật khả nghi",
        "classification": 0,
        "reporter_contact": "0900 000 111",
    }
    response = client.post(reverse("response:report_add"), data)
    assert response.status_code == 302
    report = Report.objects.get(summary="Tin báo thử về vật khả nghi")
    assert report.register_number.endswith("/2026/TB") and "0900 000 111" not in report.reporter_contact_token
    assert crypto.decrypt(report.reporter_contact_token) == "0900 000 111"
    before = Report.objects.count()
    refused = client.post(reverse("response:report_add"), {**data, "anonymous": "on"})
    assert refused.status_code == 200 and "giấu tên" in refused.content.decode()
    assert Report.objects.count() == before


def test_rotation_keeps_contacts_readable(db, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PCKB_REPORTER_KEY_FILE", str(tmp_path / "reporter-key"))
    monkeypatch.delenv("PCKB_REPORTER_KEY", raising=False)
    report = Report.objects.order_by("pk").first()
    Report.objects.filter(pk=report.pk).update(reporter_contact_token=crypto.encrypt("0911 222 333"))
    old_key = (tmp_path / "reporter-key").read_text().strip()
    call_command("response_rotate_key")
    new_key = (tmp_path / "reporter-key").read_text().strip()
    assert new_key != old_key and "\n" not in new_key
    report.refresh_from_db()
    assert crypto.decrypt(report.reporter_contact_token) == "0911 222 333"


def test_production_without_key_fails_clearly(db, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PCKB_REPORTER_KEY_FILE", str(tmp_path / "missing"))
    monkeypatch.delenv("PCKB_REPORTER_KEY", raising=False)
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(crypto.ReporterKeyMissing, match="PCKB_REPORTER_KEY"):
        crypto.encrypt("0900")
