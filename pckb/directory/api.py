import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema

from pckb.api.crud import register_crud
from pckb.core import access
from pckb.directory import filtersets, selectors
from pckb.directory.models import Agency, Committee, Decision, Person

router = Router()


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    unit_id: int
    parent_id: int | None
    merged_into_id: int | None
    merged_on: dt.date | None
    address: str
    phone: str
    email: str


class AgencyIn(Schema):
    name: str = Field(max_length=255)
    short_name: str = ""
    kind: str
    unit: int
    parent: int | None = None
    merged_into: int | None = None
    merged_on: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


class AgencyPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    unit: int | None = None
    parent: int | None = None
    merged_into: int | None = None
    merged_on: dt.date | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


class CommitteeOut(Schema):
    id: int
    name: str
    level: str
    unit_id: int
    parent_id: int | None
    host_authority_id: int
    standing_agency_id: int
    standing_office: str
    sector: str
    address: str
    phone: str
    email: str


class CommitteeIn(Schema):
    name: str
    level: str
    unit: int
    parent: int | None = None
    host_authority: int
    standing_agency: int
    standing_office: str = ""
    sector: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


class CommitteePatch(Schema):
    name: str | None = None
    level: str | None = None
    unit: int | None = None
    parent: int | None = None
    host_authority: int | None = None
    standing_agency: int | None = None
    standing_office: str | None = None
    sector: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


class PersonOut(Schema):
    id: int
    full_name: str
    rank: str
    title: str
    agency_id: int
    office_phone: str
    mobile: str
    email: str
    classification: int


class PersonIn(Schema):
    full_name: str
    rank: str = ""
    title: str
    agency: int
    office_phone: str = ""
    mobile: str = ""
    email: str = ""
    classification: int = 0


class PersonPatch(Schema):
    full_name: str | None = None
    rank: str | None = None
    title: str | None = None
    agency: int | None = None
    office_phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    classification: int | None = None


class DecisionOut(Schema):
    id: int
    committee_id: int
    number: str
    date: dt.date
    issuer: str
    signer: str
    subject: str
    classification: int


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
    out_schema=AgencyOut,
    in_schema=AgencyIn,
    patch_schema=AgencyPatch,
    filterset_class=filtersets.AgencyFilterSet,
    tag="Cơ quan",
)
register_crud(
    router,
    model=Committee,
    prefix="committees",
    out_schema=CommitteeOut,
    in_schema=CommitteeIn,
    patch_schema=CommitteePatch,
    filterset_class=filtersets.CommitteeFilterSet,
    tag="Ban Chỉ đạo",
)
register_crud(
    router,
    model=Person,
    prefix="people",
    out_schema=PersonOut,
    in_schema=PersonIn,
    patch_schema=PersonPatch,
    filterset_class=filtersets.PersonFilterSet,
    tag="Cán bộ",
)
register_crud(
    router,
    model=Decision,
    prefix="decisions",
    out_schema=DecisionOut,
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
