"""The permission matrix of the protection register, web and API, from the generic mixins. Each class builds
its own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one Mật."""

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.geo.models import AdministrativeUnit
from pckb.protection.models import RiskAssessment, Target, TargetCategory
from tests.support.mixins import READER, WRITER, APITestCases, FullMatrix, ViewTestCases, last_audit

TODAY = timezone.localdate()


def unit(code):
    return AdministrativeUnit.objects.get(code=code)


def category(code="cho"):
    return TargetCategory.objects.get(code=code)


def make_target(name, code, classification=Classification.NORMAL, **extra):
    target = Target(
        name=name,
        category=category(extra.pop("category", "cho")),
        unit=unit(code),
        managing_name=extra.pop("managing_name", "Ban quản lý chợ"),
        classification=classification,
        **extra,
    )
    target.full_clean()
    target.save()
    return target


def assess(target, days_ago=10, ratings=(3, 3, 3, 3, 3), **extra):
    day = TODAY - dt.timedelta(days=days_ago)
    c, s, p, z, t = ratings
    assessment = RiskAssessment(
        target=target,
        assessed_on=day,
        assessor="Đại úy Trần Văn Thử",
        approved_by_position="Phó Giám đốc Công an thành phố",
        approved_by_name="Nguyễn Văn Duyệt",
        approved_on=day,
        criticality=c,
        symbolism=s,
        population=p,
        size=z,
        threat=t,
        **extra,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


def build_own_targets():
    """In scope (phường Cái Khế, Cần Thơ), outside (phường Bến Thành, TP.HCM), and Mật in scope."""
    return {
        "in": make_target("Chợ Cái Khế thử nghiệm", "X31120"),
        "out": make_target("Chợ Tân Định thử nghiệm", "X26737"),
        "secret": make_target(
            "Trạm bơm nước thô thử nghiệm",
            "X31120",
            Classification.CONFIDENTIAL,
            category="cap-nuoc",
            latitude=10.04611,
            longitude=105.78377,
            layout_notes="Cửa van điều khiển phía đông",
        ),
    }


class TestTarget(FullMatrix):
    model = Target
    namespace = "protection"
    base = "target"
    prefix = "protection/targets"
    api_patch = {"address": "Số 9 đường Hai Bà Trưng"}

    marker = "thử nghiệm"

    def create_objects(self, users) -> dict:
        self.own = build_own_targets()
        return {"scoped": self.own["in"], "outside": self.own["out"], "classified": self.own["secret"]}

    def valid_data(self, users):
        return {
            "name": "Bến xe khách trung tâm thử nghiệm",
            "category": category("nha-ga-ben-xe").pk,
            "unit": "X31120",
            "managing_name": "Công ty cổ phần Bến xe Tây Đô",
            "protection_level": "important",
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "unit": "X26743"}

    def edit_changes(self, obj):
        return {"address": "Số 2 đường Hòa Bình"}

    def deletable(self, users):
        return make_target("Chợ tạm để xóa", "X31135")

    def api_valid(self, users):
        return {**self.valid_data(users), "unit": unit("X31120").pk}

    def api_out_of_scope(self, users):
        return {**self.valid_data(users), "unit": unit("X26743").pk}

    def into_other_scope(self, users):
        return {"unit": "X26743"}  # a TP.HCM ward: the Cần Thơ writer cannot move a target there

    def api_into_other_scope(self, users):
        return {"unit": unit("X26743").pk}

    def test_mat_target_is_shown_to_cleared_writer(self, client, login):
        login(WRITER)
        response = client.get(self.own["secret"].get_absolute_url())
        assert response.status_code == 200
        assert "Cửa van điều khiển phía đông" in response.content.decode()


class TestRiskAssessment(
    ViewTestCases,
    ViewTestCases.ListView,
    ViewTestCases.GetView,
    ViewTestCases.CreateView,
    APITestCases,
    APITestCases.Read,
):
    """Assessments are read and added; there is no edit or delete (history is kept)."""

    model = RiskAssessment
    namespace = "protection"
    base = "riskassessment"
    prefix = "protection/assessments"

    def create_objects(self, users) -> dict:
        self.own = build_own_targets()
        self.assessments = {key: assess(target) for key, target in self.own.items()}
        return {
            "scoped": self.assessments["in"],
            "outside": self.assessments["out"],
            "classified": self.assessments["secret"],
        }

    def valid_data(self, users):
        return {
            "target": self.own["in"].pk,
            "assessed_on": TODAY.strftime("%d/%m/%Y"),
            "assessor": "Thiếu tá Lê Văn Đánh",
            "approved_by_position": "Phó Giám đốc Công an thành phố Cần Thơ",
            "approved_by_name": "Phạm Văn Ký",
            "approved_on": TODAY.strftime("%d/%m/%Y"),
            "criticality": 4,
            "symbolism": 3,
            "population": 5,
            "size": 2,
            "threat": 3,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "target": self.own["out"].pk}

    def api_data(self, target):
        data = {**self.valid_data(None), "target": target.pk}
        data["assessed_on"] = data["approved_on"] = TODAY.isoformat()
        return data

    def test_api_create_is_scored_and_audited(self, api_client):
        response = api_client(WRITER).post(
            self.api_url(), self.api_data(self.own["in"]), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["total"] == 17 and body["level"] == 4
        assert body["next_review"] == (TODAY + dt.timedelta(days=365)).isoformat()
        assert last_audit().action == "create" and last_audit().object_type == "protection.riskassessment"

    def test_api_create_for_target_outside_scope_is_refused(self, api_client):
        before = RiskAssessment.objects.count()
        response = api_client(WRITER).post(
            self.api_url(), self.api_data(self.own["out"]), content_type="application/json"
        )
        assert response.status_code == 422
        assert RiskAssessment.objects.count() == before

    def test_api_reader_cannot_create(self, api_client):
        before = RiskAssessment.objects.count()
        response = api_client(READER).post(
            self.api_url(), self.api_data(self.own["in"]), content_type="application/json"
        )
        assert response.status_code == 403
        assert RiskAssessment.objects.count() == before

    def test_signed_off_assessment_cannot_be_changed_or_deleted(self, api_client, client, login):
        assessment = self.assessments["in"]
        writer = api_client(WRITER)
        patch = writer.patch(self.api_url(assessment.pk), {"threat": 5}, content_type="application/json")
        assert patch.status_code in {404, 405}
        assert writer.delete(self.api_url(assessment.pk)).status_code in {404, 405}
        login(WRITER)
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert "/sua/" not in page and "/xoa/" not in page
        assessment.refresh_from_db()
        assert assessment.threat == 3

    def test_target_page_lists_its_assessments_and_add_link(self, client, login):
        login(WRITER)
        target = self.own["in"]
        page = client.get(target.get_absolute_url()).content.decode()
        assert self.assessments["in"].get_absolute_url() in page
        assert f"/bao-ve/danh-gia-rui-ro/them/?target={target.pk}" in page
        login(READER)
        page = client.get(target.get_absolute_url()).content.decode()
        assert "/bao-ve/danh-gia-rui-ro/them/" not in page
