"""The permission matrix of the coordination module, web and API, from the generic mixins. Each class builds
its own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one Mật."""

from pckb.coordination.models import Function, Regulation, Responsibility
from tests.coordination.builders import (
    build_regulations,
    committee,
    health,
    make_function,
    make_regulation,
    police,
)
from tests.support.mixins import APITestCases, ChildMatrix, FullMatrix, ViewTestCases


class CoordinationData:
    namespace = "coordination"
    marker = "thử nghiệm"

    def build(self):
        self.regulations, self.functions, self.cells = build_regulations()


class TestRegulation(CoordinationData, FullMatrix):
    model = Regulation
    base = "regulation"
    prefix = "coordination/regulations"
    api_patch = {"document_number": "05/QĐ-BCĐ-THU"}

    def create_objects(self, users) -> dict:
        self.build()
        r = self.regulations
        return {"scoped": r["in"], "outside": r["out"], "classified": r["secret"]}

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "title": "Quy chế thử nghiệm mới",
            "effective_from": "01/02/2026",
            "parties": [police().pk, health().pk],
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"document_number": "09/QĐ-BCĐ-THU"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_regulation("Quy chế thử nghiệm để xóa")

    def api_valid(self, users):
        data = {k: v for k, v in self.valid_data(users).items() if k != "parties"}
        return {**data, "effective_from": "2026-02-01"}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestFunction(CoordinationData, ChildMatrix, ViewTestCases.EditView, APITestCases, APITestCases.Read):
    model = Function
    base = "function"
    prefix = "coordination/functions"

    def create_objects(self, users) -> dict:
        self.build()
        f = self.functions
        return {"scoped": f["in"], "outside": f["out"], "classified": f["secret"]}

    def edit_changes(self, obj):
        return {"title": "Nội dung thử nghiệm đã sửa"}

    def into_other_scope(self, users):
        return {"regulation": self.regulations["out"].pk}


class TestResponsibility(CoordinationData, ViewTestCases, APITestCases, APITestCases.Read):
    """Cells are edited in the matrix editor; the API reads them."""

    model = Responsibility
    prefix = "coordination/responsibilities"

    def create_objects(self, users) -> dict:
        self.build()
        c = self.cells
        return {"scoped": c["in"], "outside": c["out"], "classified": c["secret"]}


def test_a_content_title_is_unique_in_its_regulation(db):
    regulation = make_regulation("Quy chế thử nghiệm trùng", parties=[police()])
    make_function(regulation, "Tiếp nhận tin báo")
    from django.core.exceptions import ValidationError

    try:
        make_function(regulation, "tiếp nhận tin báo", order=2)
    except ValidationError as exc:
        assert "Quy chế đã có nội dung phối hợp này." in exc.messages
    else:
        raise AssertionError("a duplicate content was accepted")
