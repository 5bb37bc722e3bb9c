"""Each server error schemathesis found, pinned as a 422 (API) or a form error (web) with nothing changed;
the API description is not public in production; personal pages are never stored by a browser or proxy."""

import pytest

from pckb.training.models import Conference, Invitation
from tests.support.api import patch
from tests.training.test_services import upcoming


@pytest.fixture
def national(api_client):
    return api_client("vptt.quocgia")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/?page=99999999999999999999",
        "/api/v1/committees/?page=5383005675558769664",
        "/api/v1/decisions/?page=9999999999999999999&page_size=40131",
        "/api/v1/training/conferences/?year=99999999999999999999",
        "/api/v1/training/conferences/?year=1",
        "/api/v1/training/conferences/?year=0",
    ],
)
def test_out_of_range_query_is_422(national, url):
    response = national.get(url)
    assert response.status_code == 422, response.content


def test_year_filter_still_filters(national):
    year = upcoming().start.year
    response = national.get(f"/api/v1/training/conferences/?year={year}")
    assert response.status_code == 200
    assert response.json()["count"] >= 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": None}, "title", "Không được để trống."),
        ({"co_organisers": None}, "co_organisers", "Không được để trống."),
        ({"title": "    "}, "title", None),  # spaces only: empty after trimming
        ({"start": "0001-01-01T00:00:00"}, "start", "Năm phải trong khoảng 1900–2100."),
        ({"end": "9999-12-31T23:59:59"}, "end", "Năm phải trong khoảng 1900–2100."),
        ({"pass_mark": 70000}, "pass_mark", None),
    ],
)
def test_bad_conference_patch_is_422_and_changes_nothing(national, body, field, message):
    conference = upcoming()
    before = Conference.objects.filter(pk=conference.pk).values().get()
    response = patch(national, f"/api/v1/training/conferences/{conference.pk}", body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert field in detail
    if message:
        assert message in detail[field]
    assert Conference.objects.filter(pk=conference.pk).values().get() == before


@pytest.mark.parametrize("field", ["address", "phone", "email", "short_name"])
def test_null_for_optional_text_in_agency_patch_is_422(national, field):
    from pckb.directory.models import Agency

    agency = Agency.objects.filter(unit__code="P92").first()
    response = patch(national, f"/api/v1/agencies/{agency.pk}", {field: None})
    assert response.status_code == 422, response.content


def test_naive_datetime_is_read_in_vietnam_time(national):
    conference = upcoming()
    response = patch(
        national,
        f"/api/v1/training/conferences/{conference.pk}",
        {"start": "2030-06-11T08:00:00", "end": "2030-06-12T17:00:00"},
    )
    assert response.status_code == 200, response.content
    conference.refresh_from_db()
    assert conference.start.isoformat().startswith("2030-06-11T01:00:00")  # 08:00 in Hà Nội = 01:00 UTC


def test_name_of_spaces_only_is_refused_on_create(national):
    from pckb.geo.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(code="P92")
    response = national.post(
        "/api/v1/agencies/",
        {"name": "   ", "kind": "other", "unit": unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_quota_of_70000_is_a_form_error(client, login):
    conference = upcoming()
    invitation = conference.invitations.first()
    login("vptt.cantho")
    response = client.post(
        f"/tap-huan/giay-moi/{invitation.pk}/sua/",
        {"conference": conference.pk, "agency": invitation.agency_id, "quota": 70000},
    )
    assert response.status_code == 200
    assert "500" in response.content.decode()  # the highest quota accepted is named
    invitation.refresh_from_db()
    assert invitation.quota != 70000
    assert Invitation.objects.filter(quota__gt=500).count() == 0


# --- The API description ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_api_description_needs_a_login_in_production(client, settings, path):
    settings.DEBUG = False
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_api_description_for_a_token_or_a_session(client, settings, login, api_client, path):
    settings.DEBUG = False
    assert api_client("vptt.cantho").get(path).status_code == 200
    login("lanhdao.cantho")
    assert client.get(path).status_code == 200


def test_api_description_is_open_while_developing(client, settings):
    settings.DEBUG = True
    assert client.get("/api/v1/openapi.json").status_code == 200


# --- Cache-Control ----------------------------------------------------------------------------------------
def test_signed_in_pages_exports_and_api_are_not_stored(client, login, api_client):
    login("vptt.cantho")
    for url in ["/", "/to-chuc/co-quan/", "/to-chuc/co-quan/?export=csv", "/to-chuc/co-quan/?export=xlsx"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    response = api_client("vptt.cantho").get("/api/v1/agencies/")
    assert "no-store" in response["Cache-Control"]


def test_delegate_code_pages_are_not_stored(client, db):
    participant = upcoming().participants.first()
    response = client.get(f"/tap-huan/ma/{participant.code}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
