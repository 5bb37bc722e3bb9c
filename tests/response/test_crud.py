"""The permission matrix of the response module, web and API, from the generic mixins. Each class builds its
own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one Mật."""

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.models import Agency, Committee
from pckb.geo.models import AdministrativeUnit
from pckb.response.models import PlanPhase, PlanStep, Report, ScenarioPlan
from tests.support.mixins import ChildMatrix, FullMatrix, ReadOnlyAPIMatrix, ViewTestCases


def unit(code):
    return AdministrativeUnit.objects.get(code=code)


def committee(code):
    return Committee.objects.get(unit__code=code, level="province")


def police(code):
    return Agency.objects.filter(unit__code=code, kind="police").order_by("pk").first()


def make_plan(title, code, classification=Classification.NORMAL):
    return ScenarioPlan.objects.create(
        title=title, scenario_type="bomb_threat", committee=committee(code), classification=classification
    )


def own_plans():
    return {
        "in": make_plan("Phương án thử nghiệm Cần Thơ", "P92"),
        "out": make_plan("Phương án thử nghiệm TP.HCM", "P79"),
        "secret": make_plan("Phương án thử nghiệm mật", "P92", Classification.CONFIDENTIAL),
    }


def make_report(summary, code, classification=Classification.NORMAL, **extra):
    extra.setdefault("received_at", timezone.now())
    report = Report(
        channel="phone",
        receiving_unit=unit(code),
        summary=summary,
        classification=classification,
        **extra,
    )
    report.save()
    return report


class TestScenarioPlan(FullMatrix):
    model = ScenarioPlan
    namespace = "response"
    base = "scenarioplan"
    prefix = "response/plans"
    marker = "thử nghiệm"
    api_patch = {"command_notes": "Trưởng ban chỉ định người chỉ huy"}

    def create_objects(self, users):
        plans = own_plans()
        return {"scoped": plans["in"], "outside": plans["out"], "classified": plans["secret"]}

    def valid_data(self, users):
        return {
            "title": "Phương án thử nghiệm tấn công mạng",
            "scenario_type": "cyber",
            "committee": committee("P92").pk,
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"command_notes": "Trưởng ban chỉ định người chỉ huy"}

    def deletable(self, users):
        return make_plan("Phương án thử nghiệm để xóa", "P92")

    def api_valid(self, users):
        return {**self.valid_data(users)}

    def api_out_of_scope(self, users):
        return {**self.out_of_scope_data(users)}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestPlanStep(ChildMatrix, ViewTestCases.EditView):
    model = PlanStep
    namespace = "response"
    base = "planstep"

    def create_objects(self, users):
        plans = own_plans()
        steps = {}
        for key, plan in plans.items():
            phase = PlanPhase.objects.create(plan=plan, title="Xử lý ban đầu thử nghiệm")
            code = "P79" if key == "out" else "P92"
            self.phases = {**getattr(self, "phases", {}), key: phase}
            steps[key] = PlanStep.objects.create(
                phase=phase, agency=police(code), action="Lập vành đai thử nghiệm"
            )
        return {"scoped": steps["in"], "outside": steps["out"], "classified": steps["secret"]}

    def edit_changes(self, obj):
        return {"action": "Sơ tán người dân thử nghiệm"}

    def into_other_scope(self, users):
        return {"phase": self.phases["out"].pk}


class TestReport(ReadOnlyAPIMatrix):
    """Reports are recorded in the web form; the API reads them (never the contact)."""

    model = Report
    namespace = "response"
    base = "report"
    prefix = "response/reports"
    marker = "thử nghiệm"

    def create_objects(self, users):
        return {
            "scoped": make_report("Tin báo thử nghiệm Cần Thơ", "P92"),
            "outside": make_report("Tin báo thử nghiệm TP.HCM", "P79"),
            "classified": make_report("Tin báo thử nghiệm mật", "P92", Classification.CONFIDENTIAL),
        }

    def valid_data(self, users):
        return {
            "channel": "in_person",
            "received_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "receiving_unit": "P92",
            "summary": "Tin báo thử nghiệm về vật khả nghi",
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "receiving_unit": "P79"}

    def edit_changes(self, obj):
        return {"assessment": "Đã xác minh, không có cơ sở"}

    def deletable(self, users):
        return make_report("Tin báo thử nghiệm để xóa", "P92")

    def into_other_scope(self, users):
        return {"receiving_unit": "P79"}
