import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from pckb.api.crud import register_crud
from pckb.core import access
from pckb.directory import filtersets, selectors
from pckb.directory.fields import AGENCY, COMMITTEE, DECISION, PERSON
from pckb.directory.models import Agency, Committee, Decision, Person

router = Router()


class MemberOut(Schema):
    number: int
    role: str
    role_label: str
    post: str
    agency: str
    person_id: int | None
    full_name: str | None
    valid_from: dt.date | None
    decision: str | None


register_crud(
    router,
    model=Agency,
    prefix="agencies",
    out_schema=AGENCY.out_schema,
    in_schema=AGENCY.in_schema,
    patch_schema=AGENCY.patch_schema,
    filterset_class=filtersets.AgencyFilterSet,
    tag="Cơ quan",
)
register_crud(
    router,
    model=Committee,
    prefix="committees",
    out_schema=COMMITTEE.out_schema,
    in_schema=COMMITTEE.in_schema,
    patch_schema=COMMITTEE.patch_schema,
    filterset_class=filtersets.CommitteeFilterSet,
    tag="Ban Chỉ đạo",
)
register_crud(
    router,
    model=Person,
    prefix="people",
    out_schema=PERSON.out_schema,
    in_schema=PERSON.in_schema,
    patch_schema=PERSON.patch_schema,
    filterset_class=filtersets.PersonFilterSet,
    tag="Cán bộ",
)
register_crud(
    router,
    model=Decision,
    prefix="decisions",
    out_schema=DECISION.out_schema,
    filterset_class=filtersets.DecisionFilterSet,
    tag="Quyết định",
)


def _decision_number(membership) -> str | None:
    """The appointing decision's number, unless it is withheld from the reader (above clearance)."""
    decision = access.related(membership, "decision") if membership else None
    return decision.number if decision else None


@router.get(
    "/committees/{pk}/members",
    response=list[MemberOut],
    tags=["Ban Chỉ đạo"],
    operation_id="committee_members",
    summary="Thành phần Ban Chỉ đạo tại một ngày",
)
def committee_members(request, pk: int, date: dt.date | None = None):
    committee = access.get_or_404(Committee, request.user, access.VIEW, pk=pk)
    rows = selectors.committee_composition(request.user, committee, date or timezone.localdate())
    return [
        MemberOut(
            number=row.number,
            role=row.position.role,
            role_label=str(row.position.get_role_display()),
            post=row.position.post,
            agency=row.position.agency.name,
            person_id=row.membership.person_id if row.membership else None,
            full_name=row.membership.person.full_name if row.membership else None,
            valid_from=row.membership.valid_from if row.membership else None,
            decision=_decision_number(row.membership),
        )
        for row in rows
    ]
