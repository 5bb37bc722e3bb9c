"""The permission matrix of the planner, web and API, from the generic mixins; each class builds its own
objects (Cần Thơ in scope, TP.HCM outside, a run holding a Mật target above a Thường reader)."""

from pckb.deployment.models import PlanningRun, TeamType
from tests.deployment.builders import MARKER, build_runs, category, make_run, make_team, run_form_data
from tests.plans.builders import committee
from tests.support.mixins import APITestCases, FullMatrix, ViewTestCases


class TestTeamType(FullMatrix):
    model = TeamType
    namespace = "deployment"
    base = "teamtype"
    prefix = "deployment/team-types"
    marker = MARKER
    api_patch = {"count": 4}

    def create_objects(self, users) -> dict:
        return {
            "scoped": make_team(f"Tổ cơ động {MARKER}", count=2),
            "outside": make_team(f"Tổ cơ động {MARKER} HCM", "P79"),
            "classified": None,
        }

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "name": f"Tổ rà phá bom mìn {MARKER}",
            "count": 1,
            "categories": [category().pk],
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"count": 3}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_team(f"Tổ tạm {MARKER} để xóa")

    def api_valid(self, users):
        return {"committee": committee("P92").pk, "name": f"Tổ API {MARKER}", "count": 2}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestPlanningRun(
    ViewTestCases,
    ViewTestCases.ListView,
    ViewTestCases.GetView,
    ViewTestCases.CreateView,
    ViewTestCases.DeleteView,
    ViewTestCases.ClassifiedView,
    APITestCases,
    APITestCases.Read,
):
    model = PlanningRun
    namespace = "deployment"
    base = "planningrun"
    prefix = "deployment/runs"
    marker = MARKER

    def create_objects(self, users) -> dict:
        self.data = build_runs()
        runs = self.data["runs"]
        return {"scoped": runs["in"], "outside": runs["out"], "classified": runs["secret"]}

    def valid_data(self, users):
        return run_form_data(self.data["teams"]["ct"], title=f"Phương án {MARKER} mới", days=2, seed=11)

    def out_of_scope_data(self, users):
        return {
            **self.valid_data(users),
            "committee": committee("P79").pk,
            "team_types": [self.data["teams"]["hcm"].pk],
        }

    def deletable(self, users):
        return make_run(f"Phương án {MARKER} tạm để xóa", "P92", [self.data["teams"]["ct"]])
