"""REST endpoints of the response module under /api/v1/response/. The reporter's contact is in no schema:
intake roles read it through the audited ``reveal`` action."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from pckb.api.crud import register_crud
from pckb.api.errors import ErrorOut
from pckb.core import access
from pckb.response import services
from pckb.response.fields import PLAN_PHASE, PLAN_STEP, REPORT, REPORT_FORWARDING, SCENARIO_PLAN
from pckb.response.models import PlanPhase, PlanStep, Report, ReportForwarding, ScenarioPlan

TAG = "Phương án và tin báo"
router = Router(tags=[TAG])

register_crud(
    router,
    model=ScenarioPlan,
    prefix="response/plans",
    out_schema=SCENARIO_PLAN.out_schema,
    in_schema=SCENARIO_PLAN.in_schema,
    patch_schema=SCENARIO_PLAN.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    model=PlanPhase,
    prefix="response/phases",
    out_schema=PLAN_PHASE.out_schema,
    in_schema=PLAN_PHASE.in_schema,
    patch_schema=PLAN_PHASE.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    model=PlanStep,
    prefix="response/steps",
    out_schema=PLAN_STEP.out_schema,
    in_schema=PLAN_STEP.in_schema,
    patch_schema=PLAN_STEP.patch_schema,
    tag=TAG,
)
# Reports are recorded in the web form (where the contact is typed and encrypted); the API reads them.
register_crud(router, model=Report, prefix="response/reports", out_schema=REPORT.out_schema, tag=TAG)
register_crud(
    router,
    model=ReportForwarding,
    prefix="response/forwardings",
    out_schema=REPORT_FORWARDING.out_schema,
    tag=TAG,
)


class ContactOut(Schema):
    reporter_contact: str


@router.post(
    "/response/reports/{pk}/reveal",
    response={200: ContactOut, 404: ErrorOut, 422: ErrorOut},
    tags=[TAG],
    operation_id="report_reveal_contact",
    summary="Giải mã thông tin người báo tin (chỉ cán bộ tiếp nhận và lãnh đạo; có ghi nhật ký)",
)
def reveal_contact(request, pk: int):
    if not services.can_reveal(request.user):
        raise HttpError(404, "Không tìm thấy.")
    report = access.get_or_404(Report, request.user, access.VIEW, pk=pk)
    try:
        contact = services.report_reveal_contact(actor=request.user, report=report)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(404, "Không tìm thấy.") from exc
    return {"reporter_contact": contact}
