"""REST endpoints of the training module under /api/v1/training/ — same access layer, same services."""

import datetime as dt

from ninja import Field, Router, Schema

from pckb.api.crud import register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.api.errors import ApiValidationError
from pckb.core import access
from pckb.directory.models import Person
from pckb.training import filtersets
from pckb.training import services as training
from pckb.training.fields import CONFERENCE, TOPIC
from pckb.training.models import Conference, Invitation, KnowledgeTest, Participant, Session, Topic

router = Router(tags=["Tập huấn"])


class SessionOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    kind: str
    topic_id: int | None
    title: str
    presenter: str = Field(alias="presenter_display")


class ParticipantOut(Schema):
    id: int
    person_id: int
    full_name: str = Field(alias="person.full_name")
    agency: str = Field(alias="person.agency.name")
    invitation_id: int | None
    checked_in_at: dt.datetime | None
    walk_in: bool


class NominateIn(Schema):
    person: int


class CheckinIn(Schema):
    code: str


class CheckinOut(Schema):
    participant: ParticipantOut
    already_checked_in: bool


class ItemOut(Schema):
    number: int
    question: str | None = Field(None, description="Trống với người không có quyền xem ngân hàng câu hỏi.")
    facility_pct: float | None
    discrimination_pct: float | None
    discriminative_efficiency_pct: float | None
    item_total_r: float | None
    option_counts: list[int] | None
    non_responses: int


class StatisticsOut(Schema):
    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    cronbach_alpha: float | None
    alpha_se: float | None
    standard_error: float | None
    items: list[ItemOut]


class GainOut(Schema):
    label: str
    n_paired: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    hake_gain: float | None


class ResultsOut(Schema):
    overall: GainOut | None
    by_agency: list[GainOut]
    by_topic: list[GainOut]


register_crud(
    router,
    model=Topic,
    prefix="training/topics",
    out_schema=TOPIC.out_schema,
    filterset_class=filtersets.TopicFilterSet,
    tag="Tập huấn",
)
register_crud(
    router,
    model=Conference,
    prefix="training/conferences",
    out_schema=CONFERENCE.out_schema,
    in_schema=CONFERENCE.in_schema,
    patch_schema=CONFERENCE.patch_schema,
    filterset_class=filtersets.ConferenceFilterSet,
    select_related=("committee",),
    tag="Tập huấn",
)


register_children(
    router,
    parent=Conference,
    path="training/conferences/{pk}/sessions",
    child=Session,
    fk="conference",
    out_schema=SessionOut,
    select_related=("presenter",),
    operation_id="training_sessions",
)
register_children(
    router,
    parent=Conference,
    path="training/conferences/{pk}/participants",
    child=Participant,
    fk="conference",
    out_schema=ParticipantOut,
    select_related=("person__agency",),
    operation_id="training_participants",
)


def _nominate(request, invitation, payload):
    person = Person.objects.restrict(request.user).filter(pk=payload.person).first()
    if person is None:
        raise ApiValidationError({"person": ["Không tìm thấy cán bộ."]})
    return training.participant_nominate(actor=request.user, invitation=invitation, person=person)


def _checkin(request, conference, payload):
    participant, already = training.checkin(actor=request.user, conference=conference, code=payload.code)
    return {"participant": participant, "already_checked_in": already}


register_action(
    router,
    model=Invitation,
    path="training/invitations/{pk}/participants",
    action=access.VIEW,
    child_model=Participant,
    child_action=access.ADD,
    in_schema=NominateIn,
    out_schema=ParticipantOut,
    status=201,
    perform=_nominate,
    operation_id="training_nominate",
)
register_action(
    router,
    model=Conference,
    path="training/conferences/{pk}/checkin",
    action=access.VIEW,
    child_model=Participant,
    child_action=access.CHANGE,
    in_schema=CheckinIn,
    out_schema=CheckinOut,
    perform=_checkin,
    operation_id="training_checkin",
)


@router.get(
    "/training/tests/{pk}/statistics", response=StatisticsOut, operation_id="training_test_statistics"
)
def statistics(request, pk: int):
    from pckb.training.reports import test_statistics

    test = access.get_or_404(KnowledgeTest, request.user, access.VIEW, pk=pk)
    stats = test_statistics(request.user, test)
    analysis = stats["analysis"]
    summary = analysis.summary if analysis else None
    return StatisticsOut(
        attempts=summary.n_attempts if summary else 0,
        mean=summary.mean if summary else None,
        median=summary.median if summary else None,
        sd=summary.sd if summary else None,
        cronbach_alpha=summary.cronbach_alpha if summary else None,
        alpha_se=summary.alpha_se if summary else None,
        standard_error=summary.standard_error if summary else None,
        items=[
            ItemOut(
                number=row.number,
                question=row.text,
                facility_pct=row.stats.facility_pct,
                discrimination_pct=row.stats.discrimination_pct,
                discriminative_efficiency_pct=row.stats.discriminative_efficiency_pct,
                item_total_r=row.stats.item_total_r,
                option_counts=row.option_counts,
                non_responses=row.stats.non_responses,
            )
            for row in stats["rows"]
        ],
    )


def _gain(label: str, g) -> GainOut:
    return GainOut(
        label=label,
        n_paired=g.n_paired,
        mean_pre=g.mean_pre,
        mean_post=g.mean_post,
        mean_gain=g.mean_gain,
        hake_gain=g.hake_gain,
    )


@router.get("/training/conferences/{pk}/results", response=ResultsOut, operation_id="training_results")
def results(request, pk: int):
    from pckb.training.reports import gain_tables

    conference = access.get_or_404(Conference, request.user, access.VIEW, pk=pk)
    if not access.has_action(request.user, KnowledgeTest, access.VIEW):
        raise ApiValidationError(["Bạn không có quyền xem kết quả."])
    tables = gain_tables(request.user, conference)
    if not tables.get("has_results"):
        return ResultsOut(overall=None, by_agency=[], by_topic=[])
    return ResultsOut(
        overall=_gain("overall", tables["overall"]),
        by_agency=[_gain(k, g) for k, g in tables["by_agency"].items()],
        by_topic=[_gain(k, g) for k, g in tables["by_topic"].items()],
    )
