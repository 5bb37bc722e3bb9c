"""A provincial office carries out the national plan it cannot open: it picks the national items its own items
implement (page and API), reads their names on its plan, and the national plan's page shows, item by item,
which provinces implement it and how far they are. Also: the progress form sends its evidence file."""

import json

import pytest
from django.urls import reverse

from pckb.core.choices import Classification
from pckb.plans.choices import TaskStatus
from pckb.plans.models import PlanItem
from tests.plans.builders import make_item, make_plan, make_task, police
from tests.support.mixins import thuong_twin, token_client

OFFICE = "vptt.cantho"
NATIONAL_COMMITTEE = "Ban Chỉ đạo Phòng, chống khủng bố quốc gia"


@pytest.fixture
def plans(db):
    national = make_plan("Kế hoạch quốc gia thử nghiệm", "VN")
    secret = make_plan("Kế hoạch quốc gia Mật thử nghiệm", "VN", classification=Classification.CONFIDENTIAL)
    hcm = make_plan("Kế hoạch TP.HCM thử nghiệm", "P79")
    return {
        "national": make_item(national, "Q-1", "Nội dung quốc gia thử nghiệm"),
        "secret": make_item(secret, "QM-1", "Nội dung quốc gia Mật thử nghiệm"),
        "hcm": make_item(hcm, "H-1", "Nội dung TP.HCM thử nghiệm"),
        "own": make_plan("Kế hoạch Cần Thơ thử nghiệm"),
    }


def test_provincial_office_picks_a_national_item_and_reads_its_name(client, login, plans):
    login(OFFICE)
    form = client.get(reverse("plans:planitem_add"), {"plan": plans["own"].pk}).content.decode()
    assert "Kế hoạch quốc gia thử nghiệm — Q-1. Nội dung quốc gia thử nghiệm" in form
    assert "Nội dung quốc gia Mật thử nghiệm" in form  # Cần Thơ's office is cleared for Mật
    assert "Nội dung TP.HCM thử nghiệm" not in form  # another province is not above Cần Thơ
    response = client.post(
        reverse("plans:planitem_add"),
        {
            "plan": plans["own"].pk,
            "number": "1",
            "title": "Thực hiện tại Cần Thơ",
            "implements": plans["national"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = PlanItem.objects.get(plan=plans["own"], number="1")
    assert item.implements == plans["national"]
    # Its name, not a link: the national item stays out of Cần Thơ's reach.
    for url in (item.get_absolute_url(), plans["own"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Kế hoạch quốc gia thử nghiệm — Q-1. Nội dung quốc gia thử nghiệm" in page, url
        assert NATIONAL_COMMITTEE not in page
        assert plans["national"].get_absolute_url() not in page
    assert client.get(plans["national"].get_absolute_url()).status_code == 404
    # Editing the item keeps the choice (the field is not dropped as an invisible reference).
    edit = client.get(reverse("plans:planitem_edit", args=[item.pk])).content.decode()
    assert 'name="implements"' in edit


def test_another_province_item_cannot_be_implemented(client, login, plans):
    login(OFFICE)
    response = client.post(
        reverse("plans:planitem_add"),
        {"plan": plans["own"].pk, "number": "1", "title": "Thử", "implements": plans["hcm"].pk},
    )
    assert response.status_code == 200 and not PlanItem.objects.filter(plan=plans["own"]).exists()


def test_a_thuong_reader_is_not_offered_a_secret_national_item(client, users, plans):
    twin = thuong_twin(users, OFFICE)
    client.force_login(twin)
    form = client.get(reverse("plans:planitem_add"), {"plan": plans["own"].pk}).content.decode()
    assert "Nội dung quốc gia thử nghiệm" in form
    assert "Nội dung quốc gia Mật thử nghiệm" not in form


def test_the_api_accepts_the_same_higher_items(users, plans):
    api = token_client(users[OFFICE])
    body = {"plan": plans["own"].pk, "number": "2", "title": "Qua API", "description": ""}
    created = api.post(
        "/api/v1/plans/items/", json.dumps({**body, "implements": plans["national"].pk}), "application/json"
    )
    assert created.status_code == 201, created.content
    assert PlanItem.objects.get(plan=plans["own"], number="2").implements == plans["national"]
    refused = api.post(
        "/api/v1/plans/items/",
        json.dumps({**body, "number": "3", "implements": plans["hcm"].pk}),
        "application/json",
    )
    assert refused.status_code == 422


def test_national_plan_page_shows_each_province_progress(client, login, plans):
    national = plans["national"]
    low = make_item(plans["own"], "1", "Thực hiện tại Cần Thơ", implements=national)
    make_task(low, "Việc một", police(), status=TaskStatus.DONE)
    make_task(low, "Việc hai", police())
    login("vptt.quocgia")
    page = client.get(national.plan.get_absolute_url()).content.decode()
    assert "Địa phương thực hiện" in page
    assert f'<a href="{low.get_absolute_url()}">Thành phố Cần Thơ</a>: 1/2' in page
    login(OFFICE)  # its own plan implements nothing below it: no such column
    assert "Địa phương thực hiện" not in client.get(plans["own"].get_absolute_url()).content.decode()


def test_progress_form_sends_its_evidence_file(client, login, plans):
    task = make_task(make_item(plans["own"], "1", "Nội dung"), "Việc", police())
    login(OFFICE)
    page = client.get(reverse("plans:progressupdate_add"), {"task": task.pk}).content.decode()
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page  # without it the browser sends the file's name only


def test_national_plan_page_queries_do_not_grow_with_provinces(client, login, plans):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.plans.builders import hcm_police

    national = plans["national"]
    url = national.plan.get_absolute_url()
    low = make_item(plans["own"], "1", "Cần Thơ thực hiện", implements=national)
    make_task(low, "Việc Cần Thơ", police())
    login("vptt.quocgia")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    hcm = make_plan("Kế hoạch TP.HCM thực hiện", "P79")
    for n in range(5):
        other = make_item(hcm, f"{n}", f"TP.HCM thực hiện {n}", implements=national)
        make_task(other, f"Việc TP.HCM {n}", hcm_police())
    assert count() == before
    assert client.get(url).content.decode().count("Thành phố Hồ Chí Minh</a>") == 5
