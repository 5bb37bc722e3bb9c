"""Classification follows relations: a child is never more visible than its classified parent, related
objects shown beside an object go through one guard, and the question bank stays with those who may read it.

Each test reproduces a leak measured on the demo before the fix (see issue 7, section 1)."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.urls import reverse

from pckb.accounts.choices import Role
from pckb.accounts.models import User
from pckb.core import access
from pckb.core.choices import Classification
from pckb.core.models import PckbModel
from pckb.directory.models import Committee, Decision, Membership, Person
from pckb.training.choices import SessionKind
from pckb.training.models import Certificate, Conference, KnowledgeTest, Participant, Question, Session
from tests.support.demo import CAN_THO_COMMITTEE, CLASSIFIED_CONFERENCE, CLASSIFIED_DECISION


def text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.fixture
def thuong(users, db):
    """A Cần Thơ committee leader cleared only for Thường (the demo's leader holds Mật)."""
    leader = users["lanhdao.cantho"]
    return User.objects.create_user(
        username="lanhdao.thuong",
        password="x-Not-Used-1",  # noqa: S106 - logged in with force_login
        role=Role.COMMITTEE_LEADER,
        scope_unit=leader.scope_unit,
        clearance=Classification.NORMAL,
    )


@pytest.fixture
def token_client():
    from django.test import Client

    from pckb.accounts.services import api_token_issue

    def _client(user) -> Client:
        key, _token = api_token_issue(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return _client


def classified_conference() -> Conference:
    return Conference.objects.get(title=CLASSIFIED_CONFERENCE)


# --- Children of a Mật conference ----------------------------------------------------------------------
def test_participant_page_of_a_classified_conference_is_404_below_clearance(client, users, thuong):
    conference = classified_conference()
    participant = conference.participants.select_related("person").first()
    client.force_login(users["lanhdao.cantho"])  # Mật clearance: the page opens
    assert client.get(participant.get_absolute_url()).status_code == 200
    client.force_login(thuong)
    assert client.get(conference.get_absolute_url()).status_code == 404
    response = client.get(participant.get_absolute_url())
    assert response.status_code == 404
    assert conference.title not in text(response) and participant.code not in text(response)


def test_test_page_of_a_classified_conference_is_404_below_clearance(client, users, thuong):
    test = classified_conference().tests.first()
    client.force_login(users["lanhdao.cantho"])
    assert client.get(test.get_absolute_url()).status_code == 200
    client.force_login(thuong)
    response = client.get(test.get_absolute_url())
    assert response.status_code == 404
    assert CLASSIFIED_CONFERENCE not in text(response)


def test_statistics_api_of_a_classified_test_is_404_below_clearance(users, thuong, token_client):
    test = classified_conference().tests.first()
    url = f"/api/v1/training/tests/{test.pk}/statistics"
    assert token_client(users["lanhdao.cantho"]).get(url).status_code == 200
    assert token_client(thuong).get(url).status_code == 404


def test_every_child_of_a_classified_conference_is_hidden_below_clearance(users, thuong):
    conference = classified_conference()
    for model, lookup in (
        (Session, "conference"),
        (Participant, "conference"),
        (KnowledgeTest, "conference"),
        (Certificate, "participant__conference"),
    ):
        rows = model.objects.filter(**{lookup: conference})
        assert rows.exists(), model
        assert access.restrict(rows, users["lanhdao.cantho"]).count() == rows.count(), model
        assert not access.restrict(rows, thuong).exists(), model


def test_results_and_exports_leave_out_delegates_above_clearance(client, login, users):
    """A Mật official who attended a Thường conference is left out of the results of a Thường reader."""
    conference = Conference.objects.get(title__startswith="Hội nghị tập huấn công tác", start__year=2024)
    participant = conference.participants.filter(checked_in_at__isnull=False).select_related("person").first()
    Person.objects.filter(pk=participant.person_id).update(classification=Classification.CONFIDENTIAL)
    name = participant.person.full_name
    login("vptt.cantho")  # Mật
    assert name in text(client.get(reverse("training:results", args=[conference.pk])))
    user = users["vptt.cantho"]
    user.clearance = Classification.NORMAL
    user.save()
    login("vptt.cantho")
    assert name not in text(client.get(reverse("training:results", args=[conference.pk])))
    assert name not in text(client.get(conference.get_absolute_url()))
    response = client.get(reverse("training:conference_file", args=[conference.pk, "diem-danh.xlsx"]))
    assert response.status_code == 200
    assert name.encode() not in _xlsx_text(response.content)


def _xlsx_text(content: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row).encode()


# --- Related objects through one guard ------------------------------------------------------------------
def test_classified_decision_number_is_withheld_on_the_committee_page(client, login):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    member = Membership.objects.select_related("person").get(decision__number=CLASSIFIED_DECISION)
    login("vptt.cantho")  # Mật
    page = text(client.get(committee.get_absolute_url()))
    assert member.person.full_name in page and CLASSIFIED_DECISION in page
    login("daumoi.cantho")  # Thường: the member is listed, the decision is not
    page = text(client.get(committee.get_absolute_url()))
    assert member.person.full_name in page
    assert CLASSIFIED_DECISION not in page
    assert text(client.get(member.person.get_absolute_url())).count(CLASSIFIED_DECISION) == 0


def test_classified_decision_number_is_withheld_in_the_members_api(api_client):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    member = Membership.objects.select_related("person").get(decision__number=CLASSIFIED_DECISION)
    url = f"/api/v1/committees/{committee.pk}/members"
    rows = {r["person_id"]: r for r in api_client("vptt.cantho").get(url).json()}
    assert rows[member.person_id]["decision"] == CLASSIFIED_DECISION
    rows = {r["person_id"]: r for r in api_client("daumoi.cantho").get(url).json()}
    assert rows[member.person_id]["full_name"] == member.person.full_name
    assert rows[member.person_id]["decision"] is None
    assert CLASSIFIED_DECISION not in str(rows)


def test_classified_presenter_is_withheld_from_the_agenda(client, login, api_client):
    session = Session.objects.select_related("presenter", "conference").get(
        kind=SessionKind.DISCUSSION, presenter__classification=Classification.CONFIDENTIAL
    )
    name = session.presenter.full_name
    url = f"/api/v1/training/conferences/{session.conference_id}/sessions"
    login("vptt.cantho")
    assert name in text(client.get(session.conference.get_absolute_url()))
    assert name in text(api_client("vptt.cantho").get(url))
    login("daumoi.cantho")
    page = text(client.get(session.conference.get_absolute_url()))
    assert session.title in page and name not in page
    assert name not in text(api_client("daumoi.cantho").get(url))


def test_withheld_relation_reads_as_none_and_saves_unchanged(users):
    member = Membership.objects.get(decision__number=CLASSIFIED_DECISION)
    reader = users["daumoi.cantho"]
    seen = Membership.objects.restrict(reader).get(pk=member.pk)
    assert access.related(seen, "decision") is None
    assert seen.decision_id == member.decision_id  # only the display is withheld, never the data
    assert access.visible_related(users["vptt.cantho"], Membership.objects.get(pk=member.pk), "decision")
    assert access.visible_related(reader, Membership.objects.get(pk=member.pk), "decision") is None
    # Exports iterate in chunks: the guard applies there too.
    assert all(
        access.related(m, "decision") is None or m.decision.classification <= reader.clearance
        for m in Membership.objects.restrict(reader).iterator(chunk_size=5)
    )


# --- The question bank --------------------------------------------------------------------------------
def _held_test() -> KnowledgeTest:
    return (
        KnowledgeTest.objects.filter(conference__committee__unit__code="L93", conference__classification=0)
        .filter(attempts__submitted_at__isnull=False)
        .first()
    )


def test_committee_leader_reads_item_statistics_without_questions(client, login):
    test = _held_test()
    question = test.items.select_related("question").first().question
    login("vptt.cantho")
    page = text(client.get(test.get_absolute_url()))
    assert question.text[:40] in page and "Số lượt chọn từng phương án" in page
    login("lanhdao.cantho")  # no right to the question bank
    page = text(client.get(test.get_absolute_url()))
    assert "Độ dễ (%)" in page  # the statistics are there
    assert question.text[:40] not in page
    assert "Số lượt chọn từng phương án" not in page
    for q in Question.objects.filter(pk__in=test.items.values("question")):
        assert q.text[:40] not in page


def test_committee_leader_gets_statistics_api_without_questions(api_client):
    test = _held_test()
    url = f"/api/v1/training/tests/{test.pk}/statistics"
    office = api_client("vptt.cantho").get(url).json()
    assert office["items"][0]["question"] and office["items"][0]["option_counts"]
    leader = api_client("lanhdao.cantho").get(url).json()
    assert leader["attempts"] == office["attempts"] and len(leader["items"]) == len(office["items"])
    assert all(i["question"] is None and i["option_counts"] is None for i in leader["items"])
    assert leader["items"][0]["facility_pct"] == office["items"][0]["facility_pct"]


# --- The model stack ----------------------------------------------------------------------------------
def _walk(model, path: str):
    """The models a lookup passes through (without the last field)."""
    out = []
    for part in path.split("__")[:-1]:
        model = model._meta.get_field(part).related_model
        out.append((part, model))
    return out


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if issubclass(m, PckbModel)], ids=lambda m: m._meta.label
)
def test_children_declare_the_classification_of_every_classified_parent(model):
    """A model whose scope runs through a classified model names that model's classification too."""
    declared = set(access.classification_lookups(model))
    prefix = ""
    for part, parent in _walk(model, model.scope_path or ""):
        prefix += part + "__"
        for path in access.classification_lookups(parent):
            assert prefix + path in declared, f"{model._meta.label} must declare {prefix + path}"
    for path in declared:
        _walk(model, path)  # every declared lookup resolves


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if issubclass(m, PckbModel)], ids=lambda m: m._meta.label
)
def test_every_relation_to_a_classified_model_is_inherited_or_guarded(model):
    """A foreign key to a model that carries a classification either passes that classification on to this
    model (``classification_paths``) or is withheld from readers below it (``guarded_relations``)."""
    declared = access.classification_lookups(model)
    for field in model._meta.concrete_fields:
        if not field.many_to_one or not access.classification_lookups(field.related_model):
            continue
        inherited = all(
            f"{field.name}__{path}" in declared for path in access.classification_lookups(field.related_model)
        )
        assert inherited or field.name in model.guarded_relations, f"{model._meta.label}.{field.name}"


def test_a_missing_parent_on_a_nullable_path_does_not_hide_the_row(users):
    """Participant inherits its invitation's classification; a walk-in has no invitation and stays visible."""
    assert "invitation__conference__classification" in Participant.classification_paths
    conference = Conference.objects.get(
        title__startswith="Hội nghị tập huấn công tác phòng", start__year=2024
    )
    walk_in = conference.participants.first()
    Participant.objects.filter(pk=walk_in.pk).update(invitation=None, walk_in=True)
    reader = users["lanhdao.cantho"]
    reader.clearance = Classification.NORMAL
    assert access.classification_q(Participant, reader)  # the paths are applied…
    visible = access.restrict(Participant.objects.filter(conference=conference), reader)
    assert walk_in.pk in set(visible.values_list("pk", flat=True))  # …and an empty invitation does not hide
    assert visible.count() == conference.participants.count()


def test_strictest_classification_wins(users):
    """A Thường delegate of a Mật conference, and a Mật delegate of a Thường conference, are both hidden."""
    reader = users["vptt.cantho"]
    reader.clearance = Classification.NORMAL
    mat_conference = access.restrict(Participant.objects.filter(conference=classified_conference()), reader)
    assert not mat_conference.exists()
    other = Participant.objects.filter(conference__classification=0, conference__committee__unit__code="L93")
    first = other.first()
    Person.objects.filter(pk=first.person_id).update(classification=Classification.CONFIDENTIAL)
    assert not access.restrict(other.filter(pk=first.pk), reader).exists()
    assert access.restrict(other.exclude(pk=first.pk), reader).exists()
    assert Decision.objects.filter(number=CLASSIFIED_DECISION, classification=1).exists()


def test_opening_a_delegate_of_a_classified_conference_is_audited_as_classified(client, users):
    from pckb.audit.models import AuditEntry

    participant = classified_conference().participants.first()
    client.force_login(users["lanhdao.cantho"])
    assert client.get(participant.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "view" and entry.object_id == str(participant.pk)
    assert entry.classification == Classification.CONFIDENTIAL  # hidden from Thường readers of the log
    reader = users["vptt.cantho"]
    reader.clearance = Classification.NORMAL
    assert not access.restrict(AuditEntry.objects.filter(pk=entry.pk), reader).exists()


def test_focal_point_cannot_reach_its_own_delegates_of_a_classified_conference(client, users):
    """The demo's Thường focal point has delegates of its own agency at the Mật conference."""
    own = Participant.objects.filter(
        conference=classified_conference(), person__agency=users["daumoi.cantho"].person.agency
    )
    assert own.exists()
    client.force_login(users["daumoi.cantho"])
    for participant in own:
        assert client.get(participant.get_absolute_url()).status_code == 404
    assert not access.restrict(own, users["daumoi.cantho"]).exists()


def test_visible_related_checks_each_reader(users):
    member = Membership.objects.get(decision__number=CLASSIFIED_DECISION)
    assert access.visible_related(users["daumoi.cantho"], member, "decision") is None
    assert access.visible_related(users["vptt.cantho"], member, "decision").number == CLASSIFIED_DECISION
    assert access.visible_related(users["daumoi.cantho"], member, "decision") is None
