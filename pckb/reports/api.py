"""REST endpoints of the reports module under /api/v1/reports/ — same access layer, same services."""

from ninja import Router, Schema

from pckb.api.crud import register_crud
from pckb.api.endpoints import register_action
from pckb.core import access
from pckb.reports import selectors, services
from pckb.reports.fields import REPORT, SCHEDULE
from pckb.reports.filtersets import ReportFilterSet, ScheduleFilterSet
from pckb.reports.models import PeriodicReport, ReportSchedule

TAG = "Báo cáo định kỳ"
router = Router(tags=[TAG])


class ReviewIn(Schema):
    comment: str = ""


class FigureOut(Schema):
    key: str
    label: str
    value: int


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]


register_crud(
    router,
    model=ReportSchedule,
    prefix="reports/schedules",
    out_schema=SCHEDULE.out_schema,
    in_schema=SCHEDULE.in_schema,
    patch_schema=SCHEDULE.patch_schema,
    filterset_class=ScheduleFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=PeriodicReport,
    prefix="reports/reports",
    out_schema=REPORT.out_schema,
    in_schema=REPORT.in_schema,
    patch_schema=REPORT.patch_schema,
    filterset_class=ReportFilterSet,
    tag=TAG,
)


def _fresh(request, report):
    return access.get_or_404(PeriodicReport, request.user, pk=report.pk)


register_action(
    router,
    model=PeriodicReport,
    path="reports/reports/{pk}/submit",
    perform=lambda request, report, payload: _fresh(
        request, services.report_submit(actor=request.user, report=report)
    ),
    out_schema=REPORT.out_schema,
    operation_id="reports_report_submit",
    summary="Gửi báo cáo lên cấp trên (chốt số liệu)",
)
register_action(
    router,
    model=PeriodicReport,
    path="reports/reports/{pk}/accept",
    action=access.VIEW,
    in_schema=ReviewIn,
    perform=lambda request, report, payload: _fresh(
        request, services.report_accept(actor=request.user, report=report, comment=payload.comment)
    ),
    out_schema=REPORT.out_schema,
    operation_id="reports_report_accept",
    summary="Tiếp nhận báo cáo của cấp dưới",
)
register_action(
    router,
    model=PeriodicReport,
    path="reports/reports/{pk}/return",
    action=access.VIEW,
    in_schema=ReviewIn,
    perform=lambda request, report, payload: _fresh(
        request, services.report_return(actor=request.user, report=report, comment=payload.comment)
    ),
    out_schema=REPORT.out_schema,
    operation_id="reports_report_return",
    summary="Trả lại báo cáo kèm ý kiến",
)


@router.get(
    "/reports/reports/{pk}/figures",
    response=list[SectionOut],
    tags=[TAG],
    operation_id="reports_report_figures",
)
def report_figures(request, pk: int):
    """The report's compiled figures (frozen once it was sent)."""
    report = access.get_or_404(PeriodicReport, request.user, pk=pk)
    return selectors.compiled_sections(request.user, report)
