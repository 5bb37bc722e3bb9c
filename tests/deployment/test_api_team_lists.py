"""A team type's categories and specific targets through the API: lists of ids, read as the reader may see
them (a Mật target is neither named nor counted for a Thường reader), written through the team type's service
— each object checked through the access layer, a target the writer cannot see kept, every target within the
committee's area, one audit entry with both lists before and after; a refusal is a 422 naming the list."""

import pytest
from django.urls import reverse

from pckb.core.choices import Classification
from pckb.deployment.models import TeamType
from tests.deployment.builders import MARKER, category, make_target, make_team
from tests.plans.builders import committee
from tests.support.api import patch, post
from tests.support.mixins import last_audit

OFFICE = "vptt.cantho"  # cleared for Mật, not Tối mật
CLERK = "vanthu.cantho"  # reads team types, Thường only
TEAMS = "/api/v1/deployment/team-types/"


@pytest.fixture
def targets(db):
    return {
        "open": make_target(f"Mục tiêu {MARKER} thường"),
        "mat": make_target(f"Mục tiêu {MARKER} mật", classification=Classification.CONFIDENTIAL),
        "toi_mat": make_target(f"Mục tiêu {MARKER} tối mật", classification=Classification.SECRET),
        "hcm": make_target(f"Mục tiêu {MARKER} HCM", "P79"),
    }


@pytest.fixture
def team(targets):
    team = make_team(f"Tổ rà phá {MARKER}")
    team.categories.set([category()])
    team.targets.set([targets["open"], targets["mat"]])
    return team


def new_team(**extra):
    return {"committee": committee("P92").pk, "name": f"Tổ API {MARKER}", "count": 2, **extra}


def test_get_and_list_show_the_lists_as_the_reader_may_see_them(api_client, targets, team):
    office = api_client(OFFICE).get(f"{TEAMS}{team.pk}").json()
    assert office["categories"] == [category().pk]
    assert office["targets"] == sorted([targets["open"].pk, targets["mat"].pk])
    clerk = api_client(CLERK).get(f"{TEAMS}{team.pk}").json()
    assert clerk["targets"] == [targets["open"].pk]  # the Mật target: neither named nor counted
    rows = api_client(CLERK).get(TEAMS).json()["items"]
    assert [r["targets"] for r in rows if r["id"] == team.pk] == [[targets["open"].pk]]


def test_create_with_lists_is_audited(api_client, targets):
    body = new_team(categories=[category().pk], targets=[targets["open"].pk, targets["mat"].pk])
    response = post(api_client(OFFICE), TEAMS, body)
    assert response.status_code == 201, response.content
    team = TeamType.objects.get(pk=response.json()["id"])
    assert response.json()["targets"] == sorted([targets["open"].pk, targets["mat"].pk])
    assert list(team.categories.all()) == [category()]
    entry = last_audit()
    assert entry.action == "create" and entry.object_id == str(team.pk)
    assert entry.after["categories"] == [category().pk]
    assert entry.after["targets"] == sorted([targets["open"].pk, targets["mat"].pk])


@pytest.mark.parametrize(
    ("field", "which"),
    [("targets", "toi_mat"), ("targets", "hcm"), ("targets", "unknown"), ("categories", "unknown")],
)
def test_a_hidden_or_unknown_id_is_refused_by_name_and_nothing_is_saved(api_client, targets, field, which):
    refused = 2_000_000_000 if which == "unknown" else targets[which].pk
    before = TeamType.objects.count()
    response = post(api_client(OFFICE), TEAMS, new_team(**{field: [refused]}))
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"][field]
    assert str(refused) in message
    assert "tối mật" not in message and "HCM" not in message
    assert TeamType.objects.count() == before


def test_patch_replaces_the_lists_and_audits_them(api_client, targets, team):
    response = patch(
        api_client(OFFICE), f"{TEAMS}{team.pk}", {"categories": [], "targets": [targets["open"].pk]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["categories"] == [] and response.json()["targets"] == [targets["open"].pk]
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(team.pk)
    assert entry.before["categories"] == [category().pk] and entry.after["categories"] == []
    assert entry.before["targets"] == sorted([targets["open"].pk, targets["mat"].pk])
    assert entry.after["targets"] == [targets["open"].pk]
    response = patch(api_client(OFFICE), f"{TEAMS}{team.pk}", {"count": 5})  # lists not sent: unchanged
    assert response.status_code == 200 and response.json()["targets"] == [targets["open"].pk]


def test_patch_with_a_hidden_target_changes_nothing(api_client, targets, team):
    body = {"count": 9, "targets": [targets["open"].pk, targets["toi_mat"].pk]}
    response = patch(api_client(OFFICE), f"{TEAMS}{team.pk}", body)
    assert response.status_code == 422 and "targets" in response.json()["detail"]
    team.refresh_from_db()
    assert team.count == 1 and set(team.targets.all()) == {targets["open"], targets["mat"]}


def test_a_target_outside_the_committee_area_is_refused(api_client, targets):
    """The national office may see TP.HCM's target, but a Cần Thơ team does not cover it."""
    before = TeamType.objects.count()
    response = post(api_client("vptt.quocgia"), TEAMS, new_team(targets=[targets["hcm"].pk]))
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"]["targets"]
    assert "ngoài địa bàn" in message and targets["hcm"].name in message
    assert TeamType.objects.count() == before


def test_the_editor_keeps_a_target_it_cannot_see_on_the_page_and_in_the_api(
    client, login, api_client, targets, team
):
    team.targets.add(targets["toi_mat"])
    response = patch(api_client(OFFICE), f"{TEAMS}{team.pk}", {"targets": []})
    assert response.status_code == 200 and response.json()["targets"] == []
    assert list(team.targets.all()) == [targets["toi_mat"]]
    login(OFFICE)
    data = {
        "committee": team.committee_id,
        "name": team.name,
        "count": 1,
        "categories": [category().pk],
        "targets": [targets["open"].pk],
    }
    response = client.post(reverse("deployment:teamtype_edit", args=[team.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(team.targets.all()) == {targets["open"], targets["toi_mat"]}
