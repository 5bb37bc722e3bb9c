"""Protection plans (versioned, approved by the committee leader, with files and the NĐ30 document) and
inspections → findings → corrective actions: the permission matrix of each model (web and API), the plan's
life (draft → approved → superseded), a Mật target's plan file never reaching a lower clearance, the owner
agency's focal point updating only its own agency's actions, the overdue lists and the to-do items."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.models import Agency
from pckb.protection import todo
from pckb.protection.choices import ActionStatus, EventKind, PlanStatus
from pckb.protection.models import (
    EventStop,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
)
from tests.protection.test_crud import make_target, unit
from tests.support.mixins import (
    OUTSIDER,
    READER,
    WRITER,
    APITestCases,
    ChildMatrix,
    FullMatrix,
    ViewTestCases,
    last_audit,
    thuong_twin,
    token_client,
)

FOCAL = "daumoi.cantho"  # the focal point of Sở Y tế thành phố Cần Thơ
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def agency(name: str, province: str = "thành phố Cần Thơ") -> Agency:
    return Agency.objects.get(name=f"{name} {province}")


def police(where: str) -> Agency:
    return agency("Công an", "thành phố Cần Thơ" if where == "ct" else "Thành phố Hồ Chí Minh")


def targets() -> dict:
    return {
        "ct": make_target("Chợ Sigma Cái Khế", "X31120"),
        "hcm": make_target("Chợ Sigma Tân Định", "X26737"),
        "secret": make_target("Trạm bơm Sigma", "X31120", Classification.CONFIDENTIAL, category="cap-nuoc"),
    }


CONTENT = {
    "purpose": "Bảo đảm tuyệt đối an toàn mục tiêu.",
    "forces": "Công an phường: 04 đồng chí; bảo vệ chuyên trách: 06 người.",
    "assignments": "Công an phường chủ trì; Ban quản lý chợ phối hợp.",
    "initial_response": "Phong tỏa khu vực, sơ tán người, báo cáo Cơ quan Thường trực.",
}


def plan(target=None, event=None, title="Phương án Sigma", **extra) -> ProtectionPlan:
    p = ProtectionPlan(title=title, target=target, event=event, **{**CONTENT, **extra})
    p.full_clean()
    p.save()
    return p


def upload(name="phuong-an.pdf", content=b"%PDF-1.4 Sigma"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def body(response) -> str:
    return response.content.decode()


# --- Permission matrices ---------------------------------------------------------------------------------
class TestProtectionPlan(FullMatrix):
    model = ProtectionPlan
    namespace = "protection"
    base = "protectionplan"
    prefix = "protection/plans"
    marker = "Sigma"
    api_patch = {"forces": "Công an phường: 06 đồng chí"}

    def create_objects(self, users):
        t = targets()
        self.targets = t
        # The Mật one is a Thường plan of a Mật target: it inherits the target's classification.
        return {
            "scoped": plan(t["ct"], title="Phương án Sigma Cái Khế"),
            "outside": plan(t["hcm"], title="Phương án Sigma Tân Định"),
            "classified": plan(t["secret"], title="Phương án Sigma trạm bơm"),
        }

    def valid_data(self, users):
        return {
            "title": "Phương án Sigma mới",
            "target": self.targets["ct"].pk,
            "classification": 0,
            **CONTENT,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "target": self.targets["hcm"].pk}

    def edit_changes(self, obj):
        return {"purpose": "Bảo đảm an toàn tuyệt đối mục tiêu và người dân."}

    def into_other_scope(self, users):
        return {"target": self.targets["hcm"].pk}

    def deletable(self, users):
        return plan(self.targets["ct"], title="Phương án Sigma để xóa")

    def api_valid(self, users):
        return {"title": "Phương án Sigma qua API", "target": self.targets["ct"].pk, **CONTENT}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "target": self.targets["hcm"].pk}

    def api_into_other_scope(self, users):
        return {"target": self.targets["hcm"].pk}

    def test_target_or_event_exactly_one(self, client, login, users):
        login(WRITER)
        before = ProtectionPlan.objects.count()
        data = {**self.valid_data(users)}
        data.pop("target")
        response = client.post(self.url("add"), data)
        assert "Chọn một mục tiêu hoặc một sự kiện, đoàn" in body(response)
        assert ProtectionPlan.objects.count() == before


class TestPlanFile(ChildMatrix, APITestCases, APITestCases.Read):
    model = PlanFile
    namespace = "protection"
    base = "planfile"
    prefix = "protection/plans/files"
    marker = "Sigma"

    def create_objects(self, users):
        t = targets()

        def file(target):
            return PlanFile.objects.create(plan=plan(target), title="Sơ đồ Sigma", file=upload())

        return {"scoped": file(t["ct"]), "outside": file(t["hcm"]), "classified": file(t["secret"])}

    def object_pages(self, obj) -> list[str]:
        return [self.url("download", obj.pk), self.url("delete", obj.pk)]

    def test_mat_target_plan_file_never_reaches_lower_clearance(self, client, users):
        secret = self.classified(users)
        url = self.url("download", secret.pk)
        client.force_login(users[WRITER])
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 Sigma"
        assert last_audit().action == "export"
        client.force_login(thuong_twin(users))
        assert client.get(url).status_code == 404
        assert client.get(secret.plan.get_absolute_url()).status_code == 404
        assert token_client(thuong_twin(users)).get(f"/api/v1/{self.prefix}/{secret.pk}").status_code == 404
        assert (
            token_client(thuong_twin(users))
            .get(f"/api/v1/protection/plans/{secret.plan_id}/files")
            .status_code
            == 404
        )

    def test_upload_with_the_same_title_is_the_next_version(self, client, login, users):
        login(WRITER)
        p = self.scoped(users).plan
        response = client.post(
            self.url("add") + f"?plan={p.pk}",
            {"plan": p.pk, "title": "Sơ đồ Sigma", "file": upload("so-do.pdf")},
        )
        assert response.status_code == 302, body(response)
        newest = PlanFile.objects.filter(plan=p).order_by("-version").first()
        assert newest.version == 2 and last_audit().action == "create"
        page = body(client.get(p.get_absolute_url()))
        assert "so-do" in page and self.url("download", newest.pk) in page

    def test_executable_is_refused(self, client, login, users):
        login(WRITER)
        p = self.scoped(users).plan
        before = PlanFile.objects.count()
        response = client.post(
            self.url("add"), {"plan": p.pk, "title": "Sigma", "file": upload("x.exe", b"MZ")}
        )
        assert "error-summary" in body(response) and PlanFile.objects.count() == before


class TestInspection(FullMatrix):
    model = Inspection
    namespace = "protection"
    base = "inspection"
    prefix = "protection/inspections"
    marker = "Sigma"
    api_patch = {"result": "Cơ bản đáp ứng yêu cầu Sigma"}

    def create_objects(self, users):
        t = targets()
        self.targets = t

        def inspect(target, where):
            return Inspection.objects.create(
                target=target,
                date=TODAY - dt.timedelta(days=20),
                inspecting_agency=police(where),
                participants="Phó Trưởng phòng PA09 (trưởng đoàn) Sigma",
                result="Còn tồn tại Sigma",
            )

        return {
            "scoped": inspect(t["ct"], "ct"),
            "outside": inspect(t["hcm"], "hcm"),
            "classified": inspect(t["secret"], "ct"),
        }

    def valid_data(self, users):
        return {
            "target": self.targets["ct"].pk,
            "date": (TODAY - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "inspecting_agency": police("ct").pk,
            "participants": "Trưởng phòng PA09 Sigma; 02 cán bộ PC06",
        }

    def out_of_scope_data(self, users):
        return {
            **self.valid_data(users),
            "target": self.targets["hcm"].pk,
            "inspecting_agency": police("hcm").pk,
        }

    def edit_changes(self, obj):
        return {"result": "Đạt yêu cầu, còn 02 tồn tại Sigma"}

    def into_other_scope(self, users):
        return {"target": self.targets["hcm"].pk}

    def deletable(self, users):
        return Inspection.objects.create(
            target=self.targets["ct"], date=TODAY, inspecting_agency=police("ct"), participants="Sigma để xóa"
        )

    def api_valid(self, users):
        return {
            "target": self.targets["ct"].pk,
            "date": TODAY.isoformat(),
            "inspecting_agency": police("ct").pk,
            "participants": "Sigma qua API",
        }

    def api_out_of_scope(self, users):
        return {
            **self.api_valid(users),
            "target": self.targets["hcm"].pk,
            "inspecting_agency": police("hcm").pk,
        }

    def api_into_other_scope(self, users):
        return {"target": self.targets["hcm"].pk}

    def test_future_date_is_refused(self, client, login, users):
        login(WRITER)
        before = Inspection.objects.count()
        data = {**self.valid_data(users), "date": (TODAY + dt.timedelta(days=3)).strftime("%d/%m/%Y")}
        assert "Ngày kiểm tra không thể ở tương lai" in body(client.post(self.url("add"), data))
        assert Inspection.objects.count() == before


def finding(inspection, owner, due_in=-5, status=ActionStatus.OPEN, text="Camera cổng Sigma hỏng"):
    return Finding.objects.create(
        inspection=inspection,
        description=text,
        action="Thay camera cổng chính",
        owner_agency=owner,
        due=TODAY + dt.timedelta(days=due_in),
        status=status,
    )


class TestFinding(ChildMatrix, ViewTestCases.EditView, APITestCases, APITestCases.Read):
    model = Finding
    namespace = "protection"
    base = "finding"
    prefix = "protection/inspections/findings"
    marker = "Sigma"

    def create_objects(self, users):
        objects = TestInspection.create_objects(self, users)
        return {
            key: finding(i, police("hcm" if key == "outside" else "ct"), text=f"Tồn tại Sigma {key}")
            for key, i in objects.items()
        }

    def edit_changes(self, obj):
        return {"action": "Thay camera, bổ sung đèn chiếu sáng Sigma"}

    def into_other_scope(self, users):
        return {"inspection": self.outside(users).inspection_id}

    def test_overdue_in_words_and_closing_needs_a_note(self, client, login, users):
        f = self.scoped(users)
        login(WRITER)
        page = body(client.get(f.inspection.get_absolute_url()))
        assert "Quá hạn 5 ngày" in page
        response = client.post(self.url("close", f.pk), {"note": ""})
        assert response.status_code == 302
        f.refresh_from_db()
        assert f.status == ActionStatus.OPEN
        client.post(self.url("close", f.pk), {"note": "Đã thay 02 camera"})
        f.refresh_from_db()
        assert (f.status, f.closed_on, f.closing_note) == (ActionStatus.CLOSED, TODAY, "Đã thay 02 camera")
        assert last_audit().action == "update"
        assert "Quá hạn 5 ngày" not in body(client.get(f.inspection.get_absolute_url()))

    def test_closed_without_date_is_refused(self, client, login, users):
        f = self.scoped(users)
        login(WRITER)
        data = {**self.form_data(client, f), "status": ActionStatus.CLOSED, "closing_note": "Xong"}
        data["closed_on"] = ""
        response = client.post(self.url("edit", f.pk), data)
        assert "Ghi ngày khắc phục xong" in body(response)
        f.refresh_from_db()
        assert f.status == ActionStatus.OPEN

    def test_api_close(self, users):
        f = self.scoped(users)
        url = f"/api/v1/{self.prefix}/{f.pk}/close"
        response = token_client(users[WRITER]).post(
            url, {"note": "Đã khắc phục"}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["status"] == "closed"
        again = finding(f.inspection, police("ct"), text="Tồn tại Sigma khác")
        bad = {"note": "Xong\x00"}
        url2 = f"/api/v1/{self.prefix}/{again.pk}/close"
        response = token_client(users[WRITER]).post(url2, bad, content_type="application/json")
        assert response.status_code == 422 and "closing_note" in response.json()["detail"]
        again.refresh_from_db()
        assert again.status == ActionStatus.OPEN
        assert (
            token_client(users[OUTSIDER])
            .post(url, {"note": "x"}, content_type="application/json")
            .status_code
            == 404
        )


# --- The owner agency's focal point ----------------------------------------------------------------------
def test_focal_point_updates_only_own_agency_actions(client, users):
    t = make_target("Bệnh viện Sigma", "X31120")
    i = Inspection.objects.create(
        target=t, date=TODAY - dt.timedelta(days=30), inspecting_agency=police("ct"), participants="PA09"
    )
    own = finding(i, agency("Sở Y tế"), text="Thiếu phương án sơ tán bệnh nhân Sigma")
    other = finding(i, police("ct"), text="Thiếu camera Sigma")
    client.force_login(users[FOCAL])
    page = body(client.get(i.get_absolute_url()))
    assert f"/ton-tai/{own.pk}/sua/" in page and f"/ton-tai/{other.pk}/sua/" not in page
    assert client.get(f"/bao-ve/ton-tai/{other.pk}/sua/").status_code == 404
    client.post(f"/bao-ve/ton-tai/{other.pk}/khac-phuc-xong/", {"note": "x"})
    other.refresh_from_db()
    assert other.status == ActionStatus.OPEN
    form = body(client.get(f"/bao-ve/ton-tai/{own.pk}/sua/"))
    assert 'name="status"' in form and 'name="owner_agency"' not in form and 'name="due"' not in form
    response = client.post(
        f"/bao-ve/ton-tai/{own.pk}/sua/",
        {"status": "closed", "closed_on": TODAY.strftime("%d/%m/%Y"), "closing_note": "Đã diễn tập sơ tán"},
    )
    assert response.status_code == 302, body(response)
    own.refresh_from_db()
    assert own.status == ActionStatus.CLOSED
    api = token_client(users[FOCAL])
    url = f"/api/v1/protection/inspections/findings/{other.pk}"
    assert api.patch(url, {"status": "in_progress"}, content_type="application/json").status_code == 404
    # The to-do list asks the focal point about its own agency's overdue actions only.
    own2 = finding(i, agency("Sở Y tế"), due_in=-3, text="Chưa tập huấn Sigma")
    items = list(todo.findings_overdue(users[FOCAL], timezone.now()))
    urls = [it.url for it in items]
    assert own2.get_absolute_url() in urls and other.get_absolute_url() not in urls
    owners = Finding.objects.filter(pk__in=[int(u.rsplit("-", 1)[1]) for u in urls]).values_list(
        "owner_agency__name", flat=True
    )
    assert set(owners) == {"Sở Y tế thành phố Cần Thơ"}
    assert any("Khắc phục quá hạn 3 ngày" in it.text for it in items)


def test_overdue_list_and_office_todo(client, users):
    t = make_target("Cảng Sigma", "X31120")
    i = Inspection.objects.create(
        target=t, date=TODAY - dt.timedelta(days=30), inspecting_agency=police("ct"), participants="PA09"
    )
    late = finding(i, police("ct"), due_in=-7, text="Hàng rào Sigma hư hỏng")
    finding(i, police("ct"), due_in=7, text="Biển báo Sigma mờ")
    finding(i, police("ct"), due_in=-9, status=ActionStatus.IN_PROGRESS, text="Đèn Sigma thiếu")
    client.force_login(users[WRITER])
    page = body(client.get("/bao-ve/kiem-tra/khac-phuc-qua-han/"))
    assert "Hàng rào Sigma hư hỏng" in page and "Đèn Sigma thiếu" in page and "Biển báo Sigma mờ" not in page
    client.force_login(users[OUTSIDER])
    assert "Hàng rào Sigma" not in body(client.get("/bao-ve/kiem-tra/khac-phuc-qua-han/"))
    urls = [it.url for it in todo.findings_overdue(users[WRITER], timezone.now())]
    assert late.get_absolute_url() in urls
    assert not list(
        todo.findings_overdue(users[OUTSIDER], timezone.now())
    ) or late.get_absolute_url() not in [
        it.url for it in todo.findings_overdue(users[OUTSIDER], timezone.now())
    ]


# --- The plan's life: draft → approved → superseded --------------------------------------------------------
def test_leader_approves_and_new_version_supersedes(client, users):
    t = make_target("Nhà ga Sigma", "X31120")
    draft = plan(t)
    approve = f"/bao-ve/phuong-an/{draft.pk}/phe-duyet/"
    client.force_login(users[WRITER])  # the standing office drafts but does not approve
    assert "phe-duyet" not in body(client.get(draft.get_absolute_url()))
    assert client.post(approve).status_code == 404
    client.force_login(users[READER])  # the committee leader
    assert approve in body(client.get(draft.get_absolute_url()))
    client.post(approve)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED and draft.approved_at and draft.approved_by
    assert draft.review_date == TODAY + dt.timedelta(days=365)
    assert last_audit().action == "update"
    # An approved plan is not edited nor deleted: a new version is.
    client.force_login(users[WRITER])
    page = body(client.get(draft.get_absolute_url()))
    assert f"/bao-ve/phuong-an/{draft.pk}/sua/" not in page and "phien-ban-moi" in page
    assert client.get(f"/bao-ve/phuong-an/{draft.pk}/sua/").status_code == 404
    response = token_client(users[WRITER]).patch(
        f"/api/v1/protection/plans/{draft.pk}", {"purpose": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = token_client(users[WRITER]).delete(f"/api/v1/protection/plans/{draft.pk}")
    assert response.status_code == 409 and "không xóa được" in response.json()["detail"]
    assert ProtectionPlan.objects.filter(pk=draft.pk).exists()
    PlanFile.objects.create(plan=draft, title="Sơ đồ", file=upload())
    response = client.post(f"/bao-ve/phuong-an/{draft.pk}/phien-ban-moi/")
    second = ProtectionPlan.objects.get(previous=draft)
    assert response["Location"] == second.get_absolute_url()
    assert (second.version, second.status, second.purpose) == (2, PlanStatus.DRAFT, CONTENT["purpose"])
    assert second.files.count() == 1
    assert client.post(f"/bao-ve/phuong-an/{draft.pk}/phien-ban-moi/").status_code == 302
    assert ProtectionPlan.objects.filter(previous=draft).count() == 1  # one next version only
    api = token_client(users[READER])
    response = api.post(f"/api/v1/protection/plans/{second.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUPERSEDED
    assert (
        token_client(users[WRITER]).post(f"/api/v1/protection/plans/{second.pk}/approve").status_code == 403
    )


def test_approval_needs_the_content(client, users):
    draft = plan(make_target("Kho Sigma", "X31120"), initial_response="")
    response = token_client(users[READER]).post(f"/api/v1/protection/plans/{draft.pk}/approve")
    assert response.status_code == 422 and "initial_response" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_overdue_review_list_and_todo(client, users):
    t = make_target("Sân vận động Sigma", "X31120")
    late = plan(t, title="Phương án Sigma cũ")
    ProtectionPlan.objects.filter(pk=late.pk).update(
        status=PlanStatus.APPROVED, review_date=TODAY - dt.timedelta(days=12)
    )
    current = plan(t, title="Phương án Sigma còn hạn")
    ProtectionPlan.objects.filter(pk=current.pk).update(
        status=PlanStatus.APPROVED, review_date=TODAY + dt.timedelta(days=12)
    )
    client.force_login(users[WRITER])
    page = body(client.get("/bao-ve/phuong-an/qua-han-ra-soat/"))
    assert "Phương án Sigma cũ" in page and "12 ngày" in page and "Sigma còn hạn" not in page
    assert "(quá hạn rà soát)" in body(client.get("/bao-ve/phuong-an/?q=Sigma"))
    items = list(todo.plans_due_for_review(users[WRITER], timezone.now()))
    assert late.get_absolute_url() in [i.url for i in items]
    client.force_login(users[OUTSIDER])
    assert "Sigma" not in body(client.get("/bao-ve/phuong-an/qua-han-ra-soat/"))


# --- The event's plan as a document ------------------------------------------------------------------------
@pytest.fixture
def event_plan(db):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=10)
    e = ProtectedEvent.objects.create(
        kind=EventKind.INTERNATIONAL,
        title="Đoàn Sigma khách quốc tế",
        start=start,
        end=start + dt.timedelta(days=1),
        unit=unit("P92"),
        lead_agency=police("ct"),
    )
    secret = make_target("Trạm Sigma mật", "X31120", Classification.CONFIDENTIAL)
    EventStop.objects.create(event=e, time=start, place="Bến Ninh Kiều Sigma", place_unit=unit("X31120"))
    EventStop.objects.create(event=e, time=start + dt.timedelta(hours=2), target=secret, activity="Khảo sát")
    EventTask.objects.create(event=e, agency=police("ct"), task="Dẫn đường Sigma", due=TODAY)
    return plan(
        event=e,
        number="15/PA-BCĐ",
        issuer_parent="UBND THÀNH PHỐ CẦN THƠ",
        place="Cần Thơ",
        issued_on=TODAY,
        signer_authority="TM. BAN CHỈ ĐẠO",
        signer_title="TRƯỞNG BAN",
        signer_name="Nguyễn Văn Sigma",
    )


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_event_plan_docx_and_pdf(client, users, event_plan):
    client.force_login(users[WRITER])
    response = client.get(f"/bao-ve/phuong-an/{event_plan.pk}/van-ban.docx")
    assert response.status_code == 200 and last_audit().action == "export"
    text = _docx_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/PA-BCĐ",
        "PHƯƠNG ÁN",
        "Đoàn Sigma khách quốc tế",
        "Bến Ninh Kiều Sigma",
        "Trạm Sigma mật",
        "Dẫn đường Sigma",
        "TRƯỞNG BAN",
        "Nguyễn Văn Sigma",
    ):
        assert expected in text, expected
    pdf = client.get(f"/bao-ve/phuong-an/{event_plan.pk}/van-ban.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A reader cleared only for Thường gets the plan without the Mật target's stop.
    client.force_login(thuong_twin(users))
    text = _docx_text(client.get(f"/bao-ve/phuong-an/{event_plan.pk}/van-ban.docx").content)
    assert "Bến Ninh Kiều Sigma" in text and "Trạm Sigma mật" not in text
    client.force_login(users[OUTSIDER])
    assert client.get(f"/bao-ve/phuong-an/{event_plan.pk}/van-ban.docx").status_code == 404
    assert client.get(f"/bao-ve/phuong-an/{event_plan.pk}/van-ban.odt").status_code == 404


def test_open_corrective_actions_are_on_the_calendar(users):
    from pckb.core.agenda import events

    t = make_target("Cầu Sigma", "X31120")
    i = Inspection.objects.create(
        target=t, date=TODAY - dt.timedelta(days=5), inspecting_agency=police("ct"), participants="PA09"
    )
    due = finding(i, police("ct"), due_in=4, text="Lan can cầu Sigma gãy")
    Finding.objects.create(
        inspection=i,
        description="Đèn cầu Sigma",
        action="Thay đèn",
        owner_agency=police("ct"),
        due=TODAY + dt.timedelta(days=5),
        status=ActionStatus.CLOSED,
        closed_on=TODAY,
        closing_note="Đã thay",
    )
    start = timezone.now()
    end = start + dt.timedelta(days=30)
    titles = [e.title for e in events(users[WRITER], start, end)]
    assert any("Lan can cầu Sigma gãy" in t for t in titles)
    assert not any("Đèn cầu Sigma" in t for t in titles)
    assert not any("Sigma" in t for t in (e.title for e in events(users[OUTSIDER], start, end)))
    assert due.get_absolute_url() in [e.url for e in events(users[WRITER], start, end)]


def test_plan_on_a_mat_target_prints_mat_under_its_number(client, users):
    from tests.support.documents import docx_marks, pdf_marks

    client.force_login(users[WRITER])
    for level, mark in ((Classification.NORMAL, ""), (Classification.CONFIDENTIAL, "MẬT")):
        target = make_target(f"Kho Sigma dấu mật {level}", "X31120", level)
        # The plan itself is Thường: the mark follows the strictest of the plan and its target.
        p = plan(target=target, number="16/PA-BCĐ", classification=Classification.NORMAL)
        docx_file = client.get(f"/bao-ve/phuong-an/{p.pk}/van-ban.docx")
        assert docx_file.status_code == 200 and docx_marks(docx_file.content) == [mark]
        assert pdf_marks(client.get(f"/bao-ve/phuong-an/{p.pk}/van-ban.pdf").content) == [mark]
