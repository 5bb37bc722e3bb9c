"""A scenario plan's target categories (loại mục tiêu áp dụng) through the API: a list of category ids, read
and written like the other many-to-many lists — checked through the access layer, one audit entry with the
list before and after, a refusal a 422 naming the list. (The category list is national and every role that
reads plans reads it, so no reader has categories withheld; an unknown id is the refusal to test.)"""

import pytest
from django.urls import reverse

from pckb.protection.models import TargetCategory
from pckb.response.models import ScenarioPlan
from tests.response.test_crud import committee, make_plan
from tests.support.api import patch, post
from tests.support.mixins import last_audit

OFFICE = "vptt.cantho"
PLANS = "/api/v1/response/plans/"


def categories(n):
    return list(TargetCategory.objects.order_by("pk")[:n])


@pytest.fixture
def plan(db):
    plan = make_plan("Phương án thử nghiệm loại mục tiêu", "P92")
    plan.target_categories.set(categories(1))
    return plan


def new_plan(**extra):
    return {
        "title": "Phương án thử nghiệm qua API",
        "scenario_type": "bomb_threat",
        "committee": committee("P92").pk,
        **extra,
    }


def test_get_and_list_show_the_categories(api_client, plan):
    first = categories(1)[0].pk
    for username in (OFFICE, "tiepnhan.cantho"):
        assert api_client(username).get(f"{PLANS}{plan.pk}").json()["target_categories"] == [first]
    rows = api_client(OFFICE).get(PLANS).json()["items"]
    assert [r["target_categories"] for r in rows if r["id"] == plan.pk] == [[first]]


def test_create_with_categories_is_audited(api_client, db):
    ids = sorted(c.pk for c in categories(2))
    response = post(api_client(OFFICE), PLANS, new_plan(target_categories=ids))
    assert response.status_code == 201, response.content
    assert response.json()["target_categories"] == ids
    created = ScenarioPlan.objects.get(pk=response.json()["id"])
    assert sorted(created.target_categories.values_list("pk", flat=True)) == ids
    entry = last_audit()
    assert entry.action == "create" and entry.after["target_categories"] == ids


def test_an_unknown_category_is_refused_by_name_and_nothing_is_saved(api_client, plan):
    before = ScenarioPlan.objects.count()
    response = post(
        api_client(OFFICE), PLANS, new_plan(target_categories=[categories(1)[0].pk, 2_000_000_000])
    )
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"]["target_categories"]
    assert message.startswith("Loại mục tiêu áp dụng:") and "2000000000" in message
    assert ScenarioPlan.objects.count() == before
    response = patch(
        api_client(OFFICE), f"{PLANS}{plan.pk}", {"title": "Không đổi", "target_categories": [0]}
    )
    assert response.status_code == 422 and "target_categories" in response.json()["detail"]
    plan.refresh_from_db()
    assert plan.title == "Phương án thử nghiệm loại mục tiêu"
    assert list(plan.target_categories.all()) == categories(1)


def test_patch_replaces_the_list_and_audits_it(api_client, plan):
    first, second = categories(2)
    response = patch(api_client(OFFICE), f"{PLANS}{plan.pk}", {"target_categories": [second.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["target_categories"] == [second.pk]
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(plan.pk)
    assert entry.before["target_categories"] == [first.pk] and entry.after["target_categories"] == [second.pk]


def test_web_edit_sets_the_categories_through_the_audited_service(client, login, plan):
    first, second = categories(2)
    login(OFFICE)
    data = {
        "title": plan.title,
        "scenario_type": plan.scenario_type,
        "committee": plan.committee_id,
        "target_categories": [first.pk, second.pk],
        "classification": 0,
    }
    response = client.post(reverse("response:scenarioplan_edit", args=[plan.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(plan.target_categories.all()) == {first, second}
    entry = last_audit()
    assert entry.object_id == str(plan.pk)
    assert entry.before["target_categories"] == [first.pk]
    assert entry.after["target_categories"] == sorted([first.pk, second.pk])
