"""The permission matrix of the plans module, web and API, from the generic mixins. Each class builds its
own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one under a Mật plan."""

from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task
from tests.plans.builders import (
    TODAY,
    build_plans,
    committee,
    health,
    make_item,
    make_plan,
    make_task,
    make_update,
    police,
)
from tests.support.mixins import APITestCases, FullMatrix, ViewTestCases


class PlansData:
    namespace = "plans"
    marker = "thử nghiệm"

    def build(self):
        self.plans, self.items, self.tasks = build_plans()


class TestPlan(PlansData, FullMatrix):
    model = Plan
    base = "plan"
    prefix = "plans/plans"
    api_patch = {"document_number": "07/KH-BCĐ-THU"}

    def create_objects(self, users) -> dict:
        self.build()
        return {"scoped": self.plans["in"], "outside": self.plans["out"], "classified": self.plans["secret"]}

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "title": "Kế hoạch thử nghiệm mới",
            "year": 2026,
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"document_number": "09/KH-BCĐ-THU"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_plan("Kế hoạch tạm để xóa")

    def api_valid(self, users):
        return self.valid_data(users)

    def api_out_of_scope(self, users):
        return self.out_of_scope_data(users)

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestPlanItem(PlansData, FullMatrix):
    model = PlanItem
    base = "planitem"
    prefix = "plans/items"
    api_patch = {"title": "Nội dung thử nghiệm đã sửa"}

    def create_objects(self, users) -> dict:
        self.build()
        return {"scoped": self.items["in"], "outside": self.items["out"], "classified": self.items["secret"]}

    def valid_data(self, users):
        return {"plan": self.plans["in"].pk, "number": "T-72", "title": "Nội dung thử nghiệm mới"}

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "plan": self.plans["out"].pk}

    def edit_changes(self, obj):
        return {"description": "Mô tả thử nghiệm"}

    def into_other_scope(self, users):
        return {"plan": self.plans["out"].pk}

    def deletable(self, users):
        return make_item(self.plans["in"], "X-1", "Nội dung tạm để xóa")

    def api_valid(self, users):
        return self.valid_data(users)

    def api_out_of_scope(self, users):
        return self.out_of_scope_data(users)

    def api_into_other_scope(self, users):
        return {"plan": self.plans["out"].pk}


class TestTask(PlansData, FullMatrix):
    model = Task
    base = "task"
    prefix = "plans/tasks"
    api_patch = {"title": "Nhiệm vụ thử nghiệm đã sửa"}

    def create_objects(self, users) -> dict:
        self.build()
        return {"scoped": self.tasks["in"], "outside": self.tasks["out"], "classified": self.tasks["secret"]}

    def valid_data(self, users):
        return {
            "item": self.items["in"].pk,
            "title": "Nhiệm vụ thử nghiệm mới",
            "lead_agency": health().pk,
            "supporting_agencies": [police().pk],
            "deadline": TODAY.strftime("%d/%m/%Y"),
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "item": self.items["out"].pk}

    def edit_changes(self, obj):
        return {"title": "Nhiệm vụ thử nghiệm đổi tên"}

    def into_other_scope(self, users):
        return {"item": self.items["out"].pk}

    def deletable(self, users):
        return make_task(self.items["in"], "Nhiệm vụ tạm để xóa", police())

    def api_valid(self, users):
        # The supporting agencies go as agency ids, as the form sends them.
        return {**self.valid_data(users), "deadline": TODAY.isoformat()}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "item": self.items["out"].pk}

    def api_into_other_scope(self, users):
        return {"item": self.items["out"].pk}

    def test_created_task_has_its_supporting_agencies(self, client, login, users):
        login("vptt.cantho")
        response = client.post(self.url("add"), self.valid_data(users))
        assert response.status_code == 302
        task = Task.objects.get(title="Nhiệm vụ thử nghiệm mới")
        assert list(task.supporting_agencies.all()) == [police()]
        page = client.get(task.get_absolute_url()).content.decode()
        assert "Công an thành phố Cần Thơ" in page and "Chưa bắt đầu" in page


class TestProgressUpdate(PlansData, ViewTestCases, APITestCases, APITestCases.Read):
    """Updates are shown on their task's page and read through the API; they are only added."""

    model = ProgressUpdate
    prefix = "plans/updates"
    marker = None

    def create_objects(self, users) -> dict:
        self.build()
        updates = {key: make_update(task) for key, task in self.tasks.items()}
        return {"scoped": updates["in"], "outside": updates["out"], "classified": updates["secret"]}
