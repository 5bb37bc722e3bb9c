"""Training pages as organisers and agency focal points use them: nominating, the check-in desk, building
tests, results, topic materials, and the permission matrix of conferences."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pckb.directory.models import Committee, Person
from pckb.geo.models import AdministrativeUnit
from pckb.training.choices import TestKind as Kind
from pckb.training.models import Conference, Participant, Topic, TopicMaterial
from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE
from tests.support.mixins import FullMatrix, last_audit
from tests.training.test_services import free_person, hau_giang, hcm, held_today, invitation_of, upcoming

HX = {"HX-Request": "true"}


def page(response) -> str:
    return response.content.decode()


# --- Nomination -----------------------------------------------------------------------------------------
def test_office_nominates_an_official_on_the_page(client, login):
    login("vptt.cantho")
    invitation = invitation_of(upcoming(), "Công an")
    url = reverse("training:nominate", args=[invitation.pk])
    assert "Đã cử 1 / 2 đại biểu." in page(client.get(url))
    person = free_person(invitation)
    response = client.post(url, {"person": person.pk})
    assert response.status_code == 302
    assert Participant.objects.filter(invitation=invitation, person=person).exists()
    assert last_audit().object_type == "training.participant"
    response = client.post(url, {"full_name": "Đinh Văn Dư", "title": "Cán bộ"})
    assert response.status_code == 200
    assert "Đã đủ 2 đại biểu theo giấy mời." in page(response)
    assert not Person.objects.filter(full_name="Đinh Văn Dư").exists()


def test_office_nominates_a_new_person_in_one_step(client, login):
    login("vptt.cantho")
    invitation = invitation_of(upcoming(), "Sở Ngoại vụ")
    url = reverse("training:nominate", args=[invitation.pk])
    response = client.post(url, {"full_name": "Võ Thị Mới", "rank": "", "title": "Chuyên viên"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="Võ Thị Mới")
    assert person.agency == invitation.agency
    assert Participant.objects.filter(invitation=invitation, person=person).exists()


def test_nomination_form_needs_a_person_or_a_name(client, login):
    login("vptt.cantho")
    invitation = invitation_of(upcoming(), "Công an")
    before = Participant.objects.count()
    response = client.post(reverse("training:nominate", args=[invitation.pk]), {"full_name": "Chỉ Có Tên"})
    assert response.status_code == 200
    assert "Chọn một cán bộ, hoặc nhập họ tên và chức vụ của người mới." in page(response)
    assert Participant.objects.count() == before


def test_focal_point_nominates_for_own_agency(client, login):
    focal = login("daumoi.cantho")
    invitation = invitation_of(upcoming(), "Sở Y tế")
    assert invitation.agency_id == focal.person.agency_id
    person = free_person(invitation)
    response = client.post(reverse("training:nominate", args=[invitation.pk]), {"person": person.pk})
    assert response.status_code == 302
    assert Participant.objects.filter(invitation=invitation, person=person).exists()


def test_focal_point_cannot_nominate_for_another_agency(client, login):
    login("daumoi.cantho")
    invitation = invitation_of(upcoming(), "Công an")
    person = free_person(invitation)
    url = reverse("training:nominate", args=[invitation.pk])
    people, participants = Person.objects.count(), Participant.objects.count()
    for data in ({"person": person.pk}, {"full_name": "Người Ngoài", "title": "Cán bộ"}):
        response = client.post(url, data)
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert "error-summary" in page(response) or "không có quyền" in page(response).lower()
    assert Participant.objects.count() == participants and Person.objects.count() == people


def test_focal_point_cannot_see_results_or_tests(client, login):
    login("daumoi.cantho")
    conference = hau_giang()
    assert client.get(conference.get_absolute_url()).status_code == 200  # the conference is in scope
    assert client.get(reverse("training:results", args=[conference.pk])).status_code == 404
    test = conference.tests.get(kind=Kind.PRE)
    assert client.get(reverse("training:test", args=[test.pk])).status_code == 404


def test_focal_point_cannot_check_in(client, login):
    login("daumoi.cantho")
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    url = reverse("training:checkin", args=[conference.pk])
    assert client.post(url, {"code": participant.code}).status_code == 404
    participant.refresh_from_db()
    assert participant.checked_in_at is None


# --- Check-in desk --------------------------------------------------------------------------------------
def test_checkin_page_by_code(client, login):
    login("vptt.cantho")
    conference = held_today(upcoming())
    participant = conference.participants.select_related("person").order_by("pk").first()
    url = reverse("training:checkin", args=[conference.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": participant.code.lower()}, headers=HX)
    assert response.status_code == 200
    assert f"Đã điểm danh: {participant.person}" in page(response)
    assert 'id="attendance-board"' not in page(response) and "hx-swap-oob" in page(response)
    response = client.post(url, {"code": participant.code}, headers=HX)
    assert f"{participant.person} — {participant.person.agency} đã điểm danh trước đó." in page(response)
    response = client.post(url, {"code": "KHONGCO99"}, headers=HX)
    assert "Mã “KHONGCO99” không có trong danh sách đại biểu của hội nghị này." in page(response)
    participant.refresh_from_db()
    assert participant.checked_in_at is not None


def test_attendance_board_counts_the_checked_in(client, login):
    login("vptt.cantho")
    conference = held_today(upcoming())
    participant = conference.participants.select_related("person__agency").order_by("pk").first()
    url = reverse("training:checkin", args=[conference.pk])
    client.post(url, {"code": participant.code}, headers=HX)
    response = client.get(url, {"board": 1}, headers=HX)
    rows = {r["agency"]: r for r in response.context["attendance"]}
    assert rows[participant.person.agency.name]["attended"] == 1
    assert sum(r["attended"] for r in rows.values()) == 1
    assert sum(r["invited"] for r in rows.values()) == 12


def test_checkin_outside_scope_is_404(client, login):
    login("vptt.hcm")
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    url = reverse("training:checkin", args=[conference.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": participant.code}).status_code == 404
    participant.refresh_from_db()
    assert participant.checked_in_at is None


def test_bulk_checkin_page_is_all_or_nothing(client, login):
    login("vptt.cantho")
    conference = held_today(upcoming())
    codes = list(conference.participants.order_by("pk").values_list("code", flat=True)[:2])
    url = reverse("training:checkin", args=[conference.pk])
    response = client.post(url, {"codes": f"{codes[0]}\nSAIMA\n{codes[1]}"}, headers=HX)
    assert "Dòng 2: Mã “SAIMA”" in page(response)
    assert not conference.participants.filter(checked_in_at__isnull=False).exists()
    response = client.post(url, {"codes": "\n".join(codes)})
    assert "Đã điểm danh 2 đại biểu." in page(response)
    assert conference.participants.filter(checked_in_at__isnull=False).count() == 2


def test_walk_in_on_the_page(client, login):
    login("vptt.cantho")
    conference = held_today(upcoming())
    person = free_person(invitation_of(conference, "Sở Xây dựng"))
    response = client.post(
        reverse("training:checkin", args=[conference.pk]), {"person": person.pk}, headers=HX
    )
    assert f"Đã đăng ký và điểm danh {person}." in page(response)
    participant = Participant.objects.get(conference=conference, person=person)
    assert participant.walk_in and participant.checked_in_at


# --- Building a test ------------------------------------------------------------------------------------
def test_build_post_test_on_the_page(client, login):
    login("vptt.cantho")
    conference = upcoming()
    url = reverse("training:test_add", args=[conference.pk])
    now = timezone.localtime()
    data = {
        "kind": "post",
        "opens_at": now.strftime("%d/%m/%Y %H:%M"),
        "closes_at": (now + dt.timedelta(hours=3)).strftime("%d/%m/%Y %H:%M"),
        "duration_minutes": 20,
        "per_topic": 5,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "chỉ có 4 câu hỏi trong ngân hàng" in page(response)
    response = client.post(url, {**data, "per_topic": 2})
    assert response.status_code == 302
    test = conference.tests.get(kind=Kind.POST)
    assert response["Location"] == test.get_absolute_url() and test.items.count() == 10
    response = client.post(url, {**data, "kind": "pre", "per_topic": 1})
    assert "Hội nghị đã có Kiểm tra đầu vào." in page(response)


def test_agenda_item_is_added_on_the_page(client, login):
    login("vptt.cantho")
    conference = upcoming()
    day = timezone.localtime(conference.start).strftime("%d/%m/%Y")
    data = {
        "conference": conference.pk,
        "start": f"{day} 11:30",
        "end": f"{day} 11:45",
        "kind": "discussion",
        "title": "Giải đáp thắc mắc",
        "external_presenter": "",
    }
    before = conference.sessions.count()
    response = client.post(reverse("training:session_add"), data)
    assert response.status_code == 302
    assert conference.sessions.count() == before + 1


def test_reader_cannot_build_tests(client, login):
    login("lanhdao.cantho")
    assert client.get(reverse("training:test_add", args=[upcoming().pk])).status_code == 404


# --- Results --------------------------------------------------------------------------------------------
def test_item_analysis_page_shows_statistics(client, login):
    login("vptt.cantho")
    test = hau_giang().tests.get(kind=Kind.PRE)
    response = client.get(reverse("training:test", args=[test.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "Thống kê bài kiểm tra" in text and "Phân tích từng câu hỏi" in text
    submitted = test.attempts.exclude(submitted_at=None)
    summary = response.context["stats"]["analysis"].summary
    assert summary.n_attempts == submitted.count() == 28
    mean = sum(a.score for a in submitted) / submitted.count()
    assert summary.mean == pytest.approx(mean)
    assert f"<dd>{submitted.count()}</dd>" in text
    assert len(response.context["stats"]["rows"]) == test.items.count()


def test_item_analysis_outside_scope_is_404(client, login):
    login("vptt.hcm")
    test = hau_giang().tests.get(kind=Kind.PRE)
    assert client.get(reverse("training:test", args=[test.pk])).status_code == 404


def test_learning_gain_page_matches_the_attempts(client, login):
    login("vptt.cantho")
    conference = hau_giang()
    response = client.get(reverse("training:results", args=[conference.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "Theo cơ quan" in text and "Theo chuyên đề" in text
    for invitation in conference.invitations.select_related("agency"):
        assert invitation.agency.name in response.context["by_agency"]
        assert invitation.agency.name in text
    topics = set(response.context["by_topic"])
    assert topics == set(Topic.objects.values_list("title", flat=True))
    participant = conference.participants.filter(checked_in_at__isnull=False).order_by("pk").first()
    pre = participant.attempts.get(test__kind=Kind.PRE)
    post = participant.attempts.get(test__kind=Kind.POST)
    row = next(r for r in response.context["people"] if r["participant"].pk == participant.pk)
    assert row["pre"] == pytest.approx(100 * pre.score / pre.max_score)
    assert row["post"] == pytest.approx(100 * post.score / post.max_score)
    expected_gain = (
        (row["post"] - row["pre"]) / (100 - row["pre"]) if row["pre"] < 100 else None
    )  # normalised gain
    if expected_gain is not None:
        assert row["gain"] == pytest.approx(expected_gain)
    overall = response.context["overall"]
    assert overall.n_paired == 28


def test_results_of_absent_delegate_are_empty(client, login):
    login("vptt.hcm")
    conference = hcm()
    absent = conference.participants.filter(checked_in_at__isnull=True).first()
    response = client.get(reverse("training:results", args=[conference.pk]))
    row = next(r for r in response.context["people"] if r["participant"].pk == absent.pk)
    assert row["pre"] is None and row["post"] is None and row["gain"] is None


# --- Topic materials ------------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, topic, name: str, size: int):
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * (size - 9), content_type="application/pdf")
    return client.post(
        reverse("training:topicmaterial_add"),
        {"topic": topic.pk, "title": "Tài liệu thử", "file": upload, "version": 1},
    )


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_national_office_uploads_a_material(client, login, media):
    login("vptt.quocgia")
    topic = Topic.objects.get(code="CD3")
    response = _upload(client, topic, "luat-pckb.pdf", 2048)
    assert response.status_code == 302
    assert TopicMaterial.objects.filter(topic=topic, title="Tài liệu thử").exists()
    assert len(_stored_files(media)) == 1


def test_material_over_20_mb_is_refused(client, login, media):
    login("vptt.quocgia")
    before = TopicMaterial.objects.count()
    response = _upload(client, Topic.objects.get(code="CD3"), "qua-lon.pdf", 20 * 1024 * 1024 + 1)
    assert response.status_code == 200
    assert "Tệp vượt quá 20 MB." in page(response)
    assert TopicMaterial.objects.count() == before and _stored_files(media) == []


def test_material_with_exe_extension_is_refused(client, login, media):
    login("vptt.quocgia")
    before = TopicMaterial.objects.count()
    response = _upload(client, Topic.objects.get(code="CD3"), "virus.exe", 1024)
    assert response.status_code == 200
    assert "error-summary" in page(response) and "exe" in page(response)
    assert TopicMaterial.objects.count() == before and _stored_files(media) == []


def test_material_extension_error_is_in_vietnamese(client, login, media):
    login("vptt.quocgia")
    response = _upload(client, Topic.objects.get(code="CD3"), "virus.exe", 1024)
    errors = response.context["form"].errors["file"]
    assert not any("File extension" in e or "not allowed" in e for e in errors), errors


def test_provincial_office_may_not_upload_materials(client, login, media):
    login("vptt.cantho")
    topic = Topic.objects.get(code="CD3")
    assert client.get(reverse("training:topicmaterial_add")).status_code == 404
    assert _upload(client, topic, "tai-lieu.pdf", 1024).status_code == 404
    assert not TopicMaterial.objects.filter(title="Tài liệu thử").exists()
    assert _stored_files(media) == []
    assert client.get(topic.get_absolute_url()).status_code == 200  # still reads the catalogue
    assert client.get(reverse("training:topic_edit", args=[topic.pk])).status_code == 404


def test_question_bank_is_hidden_from_focal_points(client, login):
    topic = Topic.objects.get(code="CD3")
    question = topic.questions.first()
    login("vptt.cantho")
    assert question.text in page(client.get(topic.get_absolute_url()))
    login("daumoi.cantho")
    text = page(client.get(topic.get_absolute_url()))
    assert topic.title in text and question.text not in text


# --- Permission matrix ----------------------------------------------------------------------------------
def _committee(name: str) -> Committee:
    return Committee.objects.get(name=name)


class TestConference(FullMatrix):
    model = Conference
    namespace = "training"
    base = "conference"
    prefix = "training/conferences"
    api_patch = {"venue": "Hội trường Công an thành phố Cần Thơ"}
    marker = "Zeta"
    scope_fixed_in_api = True  # the committee cannot be changed through PATCH

    def create_objects(self, users):
        def conference(committee, code, title, classification=0):
            start = timezone.now() + dt.timedelta(days=120)
            return Conference.objects.create(
                committee=_committee(committee),
                title=title,
                start=start,
                end=start + dt.timedelta(hours=3),
                venue="Hội trường",
                venue_unit=AdministrativeUnit.objects.get(code=code),
                classification=classification,
            )

        return {
            "scoped": conference(CAN_THO_COMMITTEE, "P92", "Hội nghị Zeta Cần Thơ"),
            "outside": conference(HCM_COMMITTEE, "P79", "Hội nghị Zeta Sài Gòn"),
            "classified": conference(CAN_THO_COMMITTEE, "P92", "Hội nghị Zeta mật", classification=1),
        }

    def into_other_scope(self, users):
        return {"committee": _committee(HCM_COMMITTEE).pk, "venue_unit": "P79"}

    def api_into_other_scope(self, users):
        return {"committee": _committee(HCM_COMMITTEE).pk}

    def api_valid(self, users):
        return {
            "committee": _committee(CAN_THO_COMMITTEE).pk,
            "title": "Hội nghị tập huấn qua API",
            "start": "2027-03-10T08:00:00+07:00",
            "end": "2027-03-10T11:30:00+07:00",
            "venue": "Hội trường thử",
            "venue_unit": AdministrativeUnit.objects.get(code="P92").pk,
        }

    def api_out_of_scope(self, users):
        return {
            **self.api_valid(users),
            "committee": _committee(HCM_COMMITTEE).pk,
            "venue_unit": AdministrativeUnit.objects.get(code="P79").pk,
        }

    def valid_data(self, users):
        return {
            "committee": _committee(CAN_THO_COMMITTEE).pk,
            "title": "Hội nghị tập huấn thử nghiệm",
            "start": "10/03/2027 08:00",
            "end": "10/03/2027 11:30",
            "venue": "Hội trường thử",
            "venue_unit": "P92",
            "format": "in_person",
            "status": "planned",
            "pass_mark": 50,
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": _committee(HCM_COMMITTEE).pk, "venue_unit": "P79"}

    def edit_changes(self, obj):
        return {"venue": "Hội trường Ủy ban nhân dân tỉnh Hậu Giang (cơ sở 2)"}

    def form_data(self, client, obj) -> dict:
        """Date-times are typed as dd/mm/yyyy hh:mm; the generic helper keeps only the date."""
        data = super().form_data(client, obj)
        for name in ("start", "end"):
            data[name] = timezone.localtime(getattr(obj, name)).strftime("%d/%m/%Y %H:%M")
        data["venue_unit"] = obj.venue_unit.code
        if not obj.requires_test:
            data.pop("requires_test", None)
        return data

    def deletable(self, users):
        start = timezone.now() + dt.timedelta(days=90)
        return Conference.objects.create(
            committee=_committee(CAN_THO_COMMITTEE),
            title="Hội nghị tạm để xóa",
            start=start,
            end=start + dt.timedelta(hours=3),
            venue="Hội trường",
            venue_unit=AdministrativeUnit.objects.get(code="P92"),
        )

    def test_end_before_start_is_refused(self, client, login, users):
        login("vptt.cantho")
        before = Conference.objects.count()
        data = {**self.valid_data(users), "end": "10/03/2027 07:00"}
        response = client.post(self.url("add"), data)
        assert "Thời gian kết thúc phải sau thời gian bắt đầu." in page(response)
        assert Conference.objects.count() == before

    def test_hau_giang_conference_is_in_can_tho_scope(self, client, login):
        login("vptt.cantho")
        response = client.get(self.url("list"), {"per_page": 100})
        assert hau_giang().get_absolute_url() in page(response)
        assert re.search(re.escape(hcm().get_absolute_url()) + r'"', page(response)) is None
