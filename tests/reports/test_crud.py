"""The permission matrix of the reports module, web and API, from the generic mixins. Each class builds its
own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one Mật report."""

from pckb.core.choices import Classification
from pckb.reports.models import PeriodicReport, ReportSchedule
from tests.plans.builders import committee
from tests.reports.builders import make_report, make_schedule
from tests.support.mixins import FullMatrix


class TestReportSchedule(FullMatrix):
    model = ReportSchedule
    namespace = "reports"
    base = "reportschedule"
    prefix = "reports/schedules"
    marker = "thử nghiệm"
    api_patch = {"note": "Ghi chú thử nghiệm đã sửa"}

    def create_objects(self, users) -> dict:
        return {"scoped": make_schedule("P92"), "outside": make_schedule("P79"), "classified": None}

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "kind": "quarterly",
            "period_start": "01/01/2035",
            "period_end": "31/03/2035",
            "due_date": "10/04/2035",
            "note": "Lịch thử nghiệm mới",
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"note": "Ghi chú thử nghiệm khác"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_schedule("P92")

    def api_valid(self, users):
        return {
            **self.valid_data(users),
            "period_start": "2035-01-01",
            "period_end": "2035-03-31",
            "due_date": "2035-04-10",
        }

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestPeriodicReport(FullMatrix):
    model = PeriodicReport
    namespace = "reports"
    base = "periodicreport"
    prefix = "reports/reports"
    marker = "thử nghiệm"
    api_patch = {"number": "07/BC-BCĐ-THU"}

    def create_objects(self, users) -> dict:
        self.free = make_schedule("P92")
        self.free_outside = make_schedule("P79")
        return {
            "scoped": make_report(make_schedule("P92"), title="Báo cáo thử nghiệm Cần Thơ"),
            "outside": make_report(make_schedule("P79"), title="Báo cáo thử nghiệm TP.HCM"),
            "classified": make_report(
                make_schedule("P92"),
                title="Báo cáo thử nghiệm Mật",
                classification=Classification.CONFIDENTIAL,
            ),
        }

    def valid_data(self, users):
        self.objects(users)
        return {"schedule": self.free.pk, "title": "Báo cáo thử nghiệm mới", "classification": 0}

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "schedule": self.free_outside.pk}

    def edit_changes(self, obj):
        return {"number": "09/BC-BCĐ-THU"}

    def into_other_scope(self, users):
        self.objects(users)
        return {"schedule": self.free_outside.pk}

    def deletable(self, users):
        return make_report(make_schedule("P92"), title="Báo cáo thử nghiệm để xóa")

    def api_valid(self, users):
        return self.valid_data(users)

    def api_out_of_scope(self, users):
        return self.out_of_scope_data(users)

    def api_into_other_scope(self, users):
        return self.into_other_scope(users)


def test_grants_of_the_reports_module(users):
    from pckb.core import access

    focal, leader, office = users["daumoi.cantho"], users["lanhdao.cantho"], users["vptt.cantho"]
    assert access.actions_for(focal, PeriodicReport) == frozenset()
    assert access.actions_for(focal, ReportSchedule) == frozenset({"view"})
    assert access.actions_for(leader, PeriodicReport) == access.READ_ACTIONS
    assert access.actions_for(office, PeriodicReport) == access.ALL_ACTIONS
