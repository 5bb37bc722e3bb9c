"""The permission matrix of the conference's children (agenda items, invitations, delegates, tests): each
class builds a Thường conference in Cần Thơ, one in TP.HCM and a Mật one in Cần Thơ, and its child in each.
A child of a Mật conference answers 404 to a reader cleared only for Thường, on every page and in the API."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.directory.models import Agency, Committee, Person
from pckb.geo.models import AdministrativeUnit
from pckb.training.choices import SessionKind
from pckb.training.choices import TestKind as Kind
from pckb.training.models import Conference, Invitation, KnowledgeTest, Participant, Session
from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE
from tests.support.mixins import WRITER, ChildMatrix, ViewTestCases, thuong_twin, token_client

START = timezone.now() + dt.timedelta(days=150)


def conference(where: str, classification: int = 0) -> Conference:
    committee, code = (CAN_THO_COMMITTEE, "P92") if where == "ct" else (HCM_COMMITTEE, "P79")
    return Conference.objects.create(
        committee=Committee.objects.get(name=committee),
        title=f"Hội nghị thử ma trận {where} {classification}",
        start=START,
        end=START + dt.timedelta(hours=4),
        venue="Hội trường",
        venue_unit=AdministrativeUnit.objects.get(code=code),
        classification=classification,
    )


def agency(code: str) -> Agency:
    return Agency.objects.filter(unit__code=code, name__startswith="Sở").order_by("pk").first()


def three(make) -> dict:
    """The child ``make(conference)`` in Cần Thơ, in TP.HCM and in a Mật conference of Cần Thơ."""
    return {
        "scoped": make(conference("ct"), "P92"),
        "outside": make(conference("hcm"), "P79"),
        "classified": make(conference("ct", classification=1), "P92"),
    }


class _DateTimeForm:
    def form_data(self, client, obj) -> dict:
        data = super().form_data(client, obj)
        data = {k: v for k, v in data.items() if not (hasattr(v, "field") and not v)}  # an empty upload
        for name in ("start", "end"):
            if name in data:
                data[name] = timezone.localtime(getattr(obj, name)).strftime("%d/%m/%Y %H:%M")
        return data


class TestSession(_DateTimeForm, ChildMatrix, ViewTestCases.EditView):
    model = Session
    namespace = "training"
    base = "session"

    def create_objects(self, users):
        return three(
            lambda c, _code: Session.objects.create(
                conference=c,
                start=START,
                end=START + dt.timedelta(minutes=30),
                kind=SessionKind.DISCUSSION,
                title=f"Thảo luận {c.title}",
            )
        )

    def edit_changes(self, obj):
        return {"title": "Thảo luận và giải đáp"}

    def into_other_scope(self, users):
        return {"conference": self.outside(users).conference_id}


class TestInvitation(ChildMatrix, ViewTestCases.EditView):
    model = Invitation
    namespace = "training"
    base = "invitation"

    def create_objects(self, users):
        return three(lambda c, code: Invitation.objects.create(conference=c, agency=agency(code), quota=2))

    def edit_changes(self, obj):
        return {"quota": 3}

    def into_other_scope(self, users):
        return {"conference": self.outside(users).conference_id}


class TestParticipant(ChildMatrix):
    model = Participant
    namespace = "training"
    base = "participant"

    def create_objects(self, users):
        def delegate(c, code):
            person = Person.objects.create(full_name="Đại biểu thử", title="Chuyên viên", agency=agency(code))
            return Participant.objects.create(conference=c, person=person)

        return three(delegate)

    def test_api_list_of_a_classified_conference_is_404(self, users):
        participant = self.classified(users)
        url = f"/api/v1/training/conferences/{participant.conference_id}/participants"
        assert token_client(users[WRITER]).get(url).status_code == 200
        assert token_client(thuong_twin(users)).get(url).status_code == 404


class TestKnowledgeTest(ChildMatrix):
    model = KnowledgeTest
    namespace = "training"
    base = "test"

    def create_objects(self, users):
        return three(
            lambda c, _code: KnowledgeTest.objects.create(
                conference=c, kind=Kind.PRE, opens_at=START, closes_at=START + dt.timedelta(hours=1)
            )
        )

    def test_statistics_api_above_clearance_is_404(self, users):
        url = f"/api/v1/training/tests/{self.classified(users).pk}/statistics"
        assert token_client(users[WRITER]).get(url).status_code == 200
        assert token_client(thuong_twin(users)).get(url).status_code == 404
        url = f"/api/v1/training/tests/{self.outside(users).pk}/statistics"
        assert token_client(users[WRITER]).get(url).status_code == 404
