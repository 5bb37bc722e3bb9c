"""A regulation's parties (các cơ quan tham gia) through the API: a list of agency ids, read as the reader may
see them, written through ``object_create/update(many=…)`` — each agency checked through the access layer, the
unseen ones kept, one audit entry with the list before and after; a refusal is a 422 naming the list."""

import pytest
from django.urls import reverse

from pckb.coordination.models import Regulation
from pckb.directory.models import Agency
from tests.coordination.builders import build_regulations, committee, hcm_police, health, police
from tests.support.api import patch, post
from tests.support.mixins import last_audit

OFFICE = "vptt.cantho"
REGULATIONS = "/api/v1/coordination/regulations/"


@pytest.fixture
def regulations(db):
    regulations, _functions, _cells = build_regulations()
    return regulations


def new_regulation(**extra):
    return {
        "committee": committee("P92").pk,
        "title": "Quy chế phối hợp thử nghiệm qua API",
        "effective_from": "2026-03-01",
        **extra,
    }


def fire():
    """Another Cần Thơ agency the office may choose."""
    return (
        Agency.objects.filter(unit__code="P92", merged_into__isnull=True)
        .exclude(pk__in=[police().pk, health().pk])
        .order_by("pk")
        .first()
    )


def test_get_and_list_show_the_parties(api_client, regulations):
    office = api_client(OFFICE)
    expected = sorted([police().pk, health().pk])
    assert office.get(f"{REGULATIONS}{regulations['in'].pk}").json()["parties"] == expected
    rows = office.get(REGULATIONS, {"q": "Quy chế thử nghiệm Cần Thơ"}).json()["items"]
    assert [r["parties"] for r in rows] == [expected]


def test_an_unseen_party_is_neither_named_nor_counted(api_client, regulations):
    """TP.HCM's police is a party of Cần Thơ's regulation (set nationally): Cần Thơ's office never sees it."""
    regulations["in"].parties.add(hcm_police())
    body = api_client(OFFICE).get(f"{REGULATIONS}{regulations['in'].pk}").json()
    assert body["parties"] == sorted([police().pk, health().pk])
    national = api_client("vptt.quocgia").get(f"{REGULATIONS}{regulations['in'].pk}").json()
    assert national["parties"] == sorted([police().pk, health().pk, hcm_police().pk])


def test_create_with_parties_is_audited(api_client, regulations):
    response = post(api_client(OFFICE), REGULATIONS, new_regulation(parties=[police().pk, fire().pk]))
    assert response.status_code == 201, response.content
    assert response.json()["parties"] == sorted([police().pk, fire().pk])
    regulation = Regulation.objects.get(pk=response.json()["id"])
    assert set(regulation.parties.all()) == {police(), fire()}
    entry = last_audit()
    assert entry.action == "create" and entry.object_id == str(regulation.pk)
    assert entry.after["parties"] == sorted([police().pk, fire().pk])


@pytest.mark.parametrize("which", ["hidden", "unknown"])
def test_a_hidden_or_unknown_party_is_refused_by_name_and_nothing_is_saved(api_client, regulations, which):
    refused = hcm_police().pk if which == "hidden" else 2_000_000_000
    before = Regulation.objects.count()
    response = post(api_client(OFFICE), REGULATIONS, new_regulation(parties=[police().pk, refused]))
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"]["parties"]
    assert message.startswith("Các cơ quan tham gia:") and str(refused) in message
    assert "Hồ Chí Minh" not in response.content.decode()
    assert Regulation.objects.count() == before


def test_patch_replaces_the_list_and_audits_it(api_client, regulations):
    regulation = regulations["in"]
    url = f"{REGULATIONS}{regulation.pk}"
    response = patch(api_client(OFFICE), url, {"parties": [police().pk, fire().pk]})
    assert response.status_code == 200, response.content
    assert response.json()["parties"] == sorted([police().pk, fire().pk])
    assert set(regulation.parties.all()) == {police(), fire()}
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(regulation.pk)
    assert entry.before["parties"] == sorted([police().pk, health().pk])
    assert entry.after["parties"] == sorted([police().pk, fire().pk])
    # Without the list, a PATCH leaves it as it is.
    response = patch(api_client(OFFICE), url, {"summary": "Phạm vi phối hợp thử nghiệm"})
    assert response.status_code == 200 and response.json()["parties"] == sorted([police().pk, fire().pk])


def test_patch_with_a_hidden_party_changes_nothing(api_client, regulations):
    regulation = regulations["in"]
    body = {"title": "Không được đổi", "parties": [hcm_police().pk]}
    response = patch(api_client(OFFICE), f"{REGULATIONS}{regulation.pk}", body)
    assert response.status_code == 422 and "parties" in response.json()["detail"]
    regulation.refresh_from_db()
    assert regulation.title == "Quy chế thử nghiệm Cần Thơ"
    assert set(regulation.parties.all()) == {police(), health()}


def test_emptying_the_list_keeps_a_party_the_editor_cannot_see(api_client, regulations):
    regulation = regulations["in"]
    regulation.parties.add(hcm_police())
    response = patch(api_client(OFFICE), f"{REGULATIONS}{regulation.pk}", {"parties": []})
    assert response.status_code == 200, response.content
    assert response.json()["parties"] == []
    assert list(regulation.parties.all()) == [hcm_police()]
    assert last_audit().after["parties"] == [hcm_police().pk]


def test_web_edit_keeps_a_party_the_editor_cannot_see_and_audits_the_list(client, login, regulations):
    """The edit page goes through the same service (it set the list itself before: unaudited, and it dropped
    an agency the editor cannot see)."""
    regulation = regulations["in"]
    regulation.parties.add(hcm_police())
    login(OFFICE)
    data = {
        "committee": regulation.committee_id,
        "title": regulation.title,
        "effective_from": "01/01/2026",
        "parties": [police().pk],
        "classification": 0,
    }
    response = client.post(reverse("coordination:regulation_edit", args=[regulation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(regulation.parties.all()) == {police(), hcm_police()}
    entry = last_audit()
    assert entry.object_id == str(regulation.pk)
    assert entry.before["parties"] == sorted([police().pk, health().pk, hcm_police().pk])
    assert entry.after["parties"] == sorted([police().pk, hcm_police().pk])
