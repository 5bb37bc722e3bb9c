"""The generic layer's child pages, actions on an object, downloads and model pages (web and API), and the
per-app registrations that replace core's tables. Each page is tried as the role that may use it, a role
that may see the object but not act, and a user whose scope does not hold the object."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from pckb.accounts.choices import Role
from pckb.core import access
from pckb.core.services import object_update
from pckb.directory.models import Committee, Position
from pckb.training.models import Conference, Participant
from pckb.training.services import checkin_open
from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE
from tests.support.generic import REFUSED_POST, REFUSED_SECTOR
from tests.support.mixins import last_audit

WRITER, READER, FOCAL, OUTSIDER, ADMIN = (
    "vptt.cantho",
    "lanhdao.cantho",
    "daumoi.cantho",
    "vptt.hcm",
    "quantri",
)
generic_urls = pytest.mark.urls("tests.support.generic")


def can_tho() -> Committee:
    return Committee.objects.get(name=CAN_THO_COMMITTEE)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Child pages ----------------------------------------------------------------------------------------
@generic_urls
def test_child_page_saves_through_the_service_and_goes_to_the_parent(client, login):
    login(WRITER)
    committee = can_tho()
    url = reverse("generic_child", args=[committee.pk])
    assert f"Thêm vị trí vào {committee.name}" in client.get(url).content.decode()
    response = client.post(url, {"post": "Giám đốc Sở Thử nghiệm"})
    assert response.status_code == 302 and response["Location"] == committee.get_absolute_url()
    assert Position.objects.filter(committee=committee, post="Giám đốc Sở Thử nghiệm").exists()
    assert last_audit().action == "create" and last_audit().object_type == "directory.position"


@generic_urls
def test_child_page_shows_a_refusal_on_the_form_and_saves_nothing(client, login):
    login(WRITER)
    committee = can_tho()
    before = Position.objects.count()
    response = client.post(reverse("generic_child", args=[committee.pk]), {"post": REFUSED_POST})
    assert response.status_code == 200
    assert "Chức vụ này không được nhận." in response.content.decode()
    assert Position.objects.count() == before


@generic_urls
@pytest.mark.parametrize("username", [READER, OUTSIDER])
def test_child_page_needs_the_parent_and_the_right_on_the_children(client, login, username):
    """The reader sees the committee but may not add positions; the outsider does not see the committee."""
    login(username)
    committee = can_tho()
    url = reverse("generic_child", args=[committee.pk])
    before = Position.objects.count()
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "Không được lưu"}).status_code == 404
    assert Position.objects.count() == before


@generic_urls
def test_child_page_of_an_unknown_parent_is_404(client, login):
    login(WRITER)
    assert client.get(reverse("generic_child", args=[987654321])).status_code == 404


# --- Actions --------------------------------------------------------------------------------------------
@generic_urls
def test_action_is_post_only(client, login):
    login(WRITER)
    assert client.get(reverse("generic_action", args=[can_tho().pk])).status_code == 405


@generic_urls
def test_action_calls_the_service_and_says_so(client, login):
    login(WRITER)
    committee = can_tho()
    response = client.post(reverse("generic_action", args=[committee.pk]), {"sector": "Ngành thử"})
    assert response.status_code == 302 and response["Location"] == committee.get_absolute_url()
    assert messages_of(response) == ["Đã đổi ngành."]
    committee.refresh_from_db()
    assert committee.sector == "Ngành thử"
    assert last_audit().action == "update"


@generic_urls
@pytest.mark.parametrize(
    ("data", "message"),
    [({"sector": REFUSED_SECTOR}, "Ngành này không được nhận."), ({}, "Trường này là bắt buộc.")],
)
def test_refused_action_changes_nothing_and_says_why(client, login, data, message):
    login(WRITER)
    committee = can_tho()
    sector = committee.sector
    response = client.post(reverse("generic_action", args=[committee.pk]), data)
    assert response.status_code == 302
    assert messages_of(response) == [message]
    committee.refresh_from_db()
    assert committee.sector == sector


@generic_urls
@pytest.mark.parametrize("username", [READER, OUTSIDER])
def test_action_needs_its_own_permission(client, login, username):
    login(username)
    committee = can_tho()
    sector = committee.sector
    assert client.post(reverse("generic_action", args=[committee.pk]), {"sector": "X"}).status_code == 404
    committee.refresh_from_db()
    assert committee.sector == sector


# --- Downloads and model pages --------------------------------------------------------------------------
@generic_urls
def test_download_is_read_with_its_permission_and_audited(client, login):
    login(READER)  # a committee leader may export
    committee = can_tho()
    response = client.get(reverse("generic_file", args=[committee.pk, "a"]))
    assert response.status_code == 200
    assert response.content.decode() == committee.name
    assert response["Content-Disposition"] == f'attachment; filename="ban-{committee.pk}-a.txt"'
    entry = last_audit()
    assert entry.action == "export" and entry.object_id == str(committee.pk) and "a:" in entry.object_repr
    assert client.get(reverse("generic_file", args=[committee.pk, "rong"])).status_code == 404


@generic_urls
@pytest.mark.parametrize("username", [FOCAL, OUTSIDER])
def test_download_without_the_right_is_404(client, login, username):
    login(username)  # the focal point may view but not export; the outsider does not see the committee
    assert client.get(reverse("generic_file", args=[can_tho().pk, "a"])).status_code == 404


@generic_urls
def test_model_page_is_for_roles_that_may_view_the_model(client, login):
    url = reverse("generic_page")
    assert client.get(url).status_code == 302  # anonymous: sent to log in
    login(ADMIN)
    assert client.get(url).status_code == 404
    login(READER)
    assert "Báo cáo vị trí" in client.get(url).content.decode()


# --- Child models' own pages ----------------------------------------------------------------------------
def test_child_add_form_takes_its_parent_and_delete_returns_to_it(client, login):
    login(WRITER)
    committee = can_tho()
    response = client.get(reverse("directory:position_add"), {"committee": committee.pk})
    assert response.context["form"]["committee"].value() == str(committee.pk)
    position = Position.objects.filter(committee=committee).first()
    response = client.post(reverse("directory:position_delete", args=[position.pk]))
    assert response.status_code == 302 and response["Location"] == committee.get_absolute_url()


def test_child_detail_leads_back_to_its_parent(client, login):
    login(WRITER)
    participant = Participant.objects.restrict(login(WRITER)).select_related("conference").first()
    response = client.get(reverse("training:participant", args=[participant.pk]))
    assert response.context["list_url"] == participant.conference.get_absolute_url()


# --- API: children and actions --------------------------------------------------------------------------
def _conference_with_delegates(user) -> Conference:
    return Conference.objects.restrict(user).filter(participants__isnull=False).distinct().first()


def test_api_children_are_those_of_a_visible_parent(api_client, users):
    conference = _conference_with_delegates(users[WRITER])
    url = f"/api/v1/training/conferences/{conference.pk}/participants"
    rows = api_client(WRITER).get(url).json()
    visible = access.restrict(Participant.objects.filter(conference=conference), users[WRITER])
    assert {r["id"] for r in rows} == set(visible.values_list("pk", flat=True))
    assert rows[0]["full_name"] and rows[0]["agency"]
    assert api_client(OUTSIDER).get(url).status_code == 404


def test_api_action_answers_by_permission_and_input(api_client, users):
    conference = _conference_with_delegates(users[WRITER])
    participant = conference.participants.filter(checked_in_at__isnull=True).first()
    url = f"/api/v1/training/conferences/{conference.pk}/checkin"

    def post(username, code):
        return api_client(username).post(url, json.dumps({"code": code}), content_type="application/json")

    assert post(READER, participant.code).status_code == 403  # sees the conference, may not check in
    assert post(OUTSIDER, participant.code).status_code == 404
    participant.refresh_from_db()
    assert participant.checked_in_at is None
    # outside the conference's dates the API refuses the check-in (no override through the API)
    if not checkin_open(conference):
        response = post(WRITER, participant.code)
        assert response.status_code == 422 and "không phải ngày điểm danh" in response.json()["detail"][0]
    now = timezone.now()
    Conference.objects.filter(pk=conference.pk).update(start=now, end=now + dt.timedelta(hours=3))
    response = post(WRITER, "KHONGCO")
    assert response.status_code == 422 and "KHONGCO" in response.json()["detail"][0]
    response = post(WRITER, participant.code)
    assert response.status_code == 200
    assert response.json()["participant"]["id"] == participant.pk
    assert response.json()["already_checked_in"] is False
    assert post(WRITER, participant.code).json()["already_checked_in"] is True


# --- Registrations --------------------------------------------------------------------------------------
#: The grants as core's one table held them before each app declared its own (the behaviour to keep).
_R, _A = access.READ_ACTIONS, access.ALL_ACTIONS
_QB, _AUDIT = "training.question", "audit.auditentry"
BEFORE = {
    Role.ADMIN: {"geo.administrativeunit": frozenset({access.VIEW})},
    Role.NATIONAL_OFFICE: {"*": _A, _AUDIT: _R},
    Role.PROVINCIAL_OFFICE: {
        "*": _A,
        _AUDIT: _R,
        "training.topic": _R,
        "training.topicmaterial": _R,
        _QB: _R,
    },
    Role.COMMITTEE_LEADER: {"*": _R, _QB: frozenset()},
    Role.AGENCY_FOCAL: {
        "*": frozenset({access.VIEW}),
        "directory.person": frozenset({access.VIEW, access.ADD, access.CHANGE}),
        "training.participant": frozenset({access.VIEW, access.ADD, access.DELETE}),
        "training.knowledgetest": frozenset(),
        _QB: frozenset(),
    },
    Role.COMMUNE_OFFICER: {"*": frozenset({access.VIEW}), _QB: frozenset()},
    Role.INSPECTOR: {"*": _R, _AUDIT: _R},
}
READ_ONLY_BEFORE = {"geo.administrativeunit": _R, _AUDIT: _R}


#: Apps added after the grants moved out of core: they declare their own grants (none existed before).
OWN_GRANTS = {"protection", "plans", "response", "reports", "documents", "coordination", "deployment", "live"}


def test_registrations_grant_what_core_granted_before(users):
    # Apps added after the split declare grants of their own, tested with the app (tests/protection/).
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("pckb.")
        and m._meta.app_label not in OWN_GRANTS
    ]
    for user in users.values():
        if not user.is_active or user.role not in BEFORE:  # a role added later (intake) has no "before"
            continue
        grants = BEFORE[user.role]
        for model in models:
            label = model._meta.label_lower
            expected = grants.get(label, grants.get("*", frozenset()) if label != _AUDIT else frozenset())
            expected &= READ_ONLY_BEFORE.get(label, _A)
            assert access.actions_for(user, model) == expected, (user.username, label)


def test_focal_point_row_rules_come_from_the_apps(users):
    focal = users[FOCAL]
    agency = focal.person.agency_id
    people = access.restrict(apps.get_model("directory.Person").objects.all(), focal, access.CHANGE)
    assert people.exists() and set(people.values_list("agency_id", flat=True)) == {agency}
    delegates = access.restrict(Participant.objects.all(), focal, access.VIEW)
    assert set(delegates.values_list("person__agency_id", flat=True)) <= {agency}


def test_menu_is_gathered_from_the_apps_in_module_order(client, login):
    login(WRITER)
    menu = client.get(reverse("core:home")).context["menu"]
    assert [str(g["label"]) for g in menu] == [
        "Tổ chức",
        "Tập huấn & Diễn tập",
        "Kế hoạch",
        "Báo cáo",
        "Văn bản",
        "Bảo vệ",
        "Bố trí lực lượng",
        "Phương án và tin báo",
        "Hệ thống",
    ]
    assert [i["url_name"] for i in menu[0]["items"]] == [
        "directory:committee_list",
        "directory:agency_list",
        "directory:person_list",
        "directory:decision_list",
        "geo:unit_list",
    ]
    login(ADMIN)
    menu = client.get(reverse("core:home")).context["menu"]
    assert [i["url_name"] for g in menu for i in g["items"]] == ["geo:unit_list", "accounts:user_list"]


def test_start_page_shows_the_registered_panels(client, login, users):
    login(WRITER)
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    # A change by a person (the demo loader's own entries are not "recent changes by people").
    object_update(actor=users[WRITER], instance=committee, changes={"phone": "0292 3820 000"})
    page = client.get(reverse("core:home")).content.decode()
    assert CAN_THO_COMMITTEE in page and HCM_COMMITTEE not in page  # the directory's panel, scoped
    assert "Thay đổi gần đây" in page  # the audit log's panel
    login(FOCAL)  # no audit access: the audit panel has nothing to show
    page = client.get(reverse("core:home")).content.decode()
    assert "Thay đổi gần đây" not in page and "Ban Chỉ đạo trong phạm vi" in page


# --- Schemas derived from one declaration ---------------------------------------------------------------
def test_api_schemas_carry_the_model_constraints(client, db):
    from pckb.api.urls import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    agency_in = schemas["AgencyIn"]
    assert agency_in["properties"]["name"]["maxLength"] == 255
    assert set(agency_in["required"]) == {"name", "kind", "unit"}
    assert "peoples_committee" in agency_in["properties"]["kind"]["enum"]
    pass_mark = schemas["ConferenceIn"]["properties"]["pass_mark"]
    assert (pass_mark["minimum"], pass_mark["maximum"]) == (0, 100)
    assert "status" in schemas["ConferenceOut"]["properties"]
    assert "status" not in schemas["ConferenceIn"]["properties"]
    assert "required" not in schemas["AgencyPatch"]


def test_form_api_and_list_share_one_declaration():
    from django.urls import resolve

    from pckb.directory.api import router  # noqa: F401 - the API is built from the declaration
    from pckb.directory.fields import AGENCY
    from pckb.directory.forms import AgencyForm

    assert tuple(AgencyForm._meta.fields) == AGENCY.fields
    assert tuple(AGENCY.in_schema.model_fields) == AGENCY.fields
    assert resolve(reverse("directory:agency_list")).func.view_class.columns == AGENCY.list_columns()


@pytest.mark.parametrize(
    "payload",
    [{"name": None}, {"name": "x" * 256}, {"kind": "khong-co"}, {"classification": 3}],
    ids=["null-required-text", "too-long", "unknown-choice", "above-top-secret-choice"],
)
def test_api_patch_outside_the_declared_constraints_is_422_and_changes_nothing(api_client, users, payload):
    from pckb.directory.models import Agency

    agency = access.restrict(Agency.objects.all(), users[WRITER], access.CHANGE).first()
    if "classification" in payload:
        from pckb.directory.models import Person

        obj, url = Person.objects.restrict(users[WRITER], access.CHANGE).first(), "people"
    else:
        obj, url = agency, "agencies"
    before = {k: getattr(obj, k) for k in payload}
    response = api_client(WRITER).patch(
        f"/api/v1/{url}/{obj.pk}", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    obj.refresh_from_db()
    assert {k: getattr(obj, k) for k in payload} == before
