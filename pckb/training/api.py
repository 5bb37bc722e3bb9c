"""REST endpoints of the training module under /api/v1/training/ — same access layer, same services."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status

from pckb.api.crud import ApiValidationError, ErrorOut, register_crud, validation_detail
from pckb.core import access
from pckb.directory.models import Person
from pckb.training import filtersets
from pckb.training import services as training
from pckb.training.models import Conference, Invitation, KnowledgeTest, Participant, Session, Topic

router = Router(tags=["Tập huấn"])


class TopicOut(Schema):
    id: int
    code: str
    title: str
    description: str
    active: bool


class ConferenceOut(Schema):
    id: int
    committee_id: int
    title: str
    co_organisers: str
    start: dt.datetime
    end: dt.datetime
    venue: str
    venue_unit_id: int
    format: str
    status: str
    requires_test: bool
    pass_mark: int
    classification: int


class ConferenceIn(Schema):
    committee: int
    title: str
    co_organisers: str = ""
    start: dt.datetime
    end: dt.datetime
    venue: str
    venue_unit: int
    format: str = "in_person"
    requires_test: bool = False
    pass_mark: int = 50
    classification: int = 0


class ConferencePatch(Schema):
    title: str | None = None
    co_organisers: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    venue: str | None = None
    format: str | None = None
    requires_test: bool | None = None
    pass_mark: int | None = None


class SessionOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    kind: str
    topic_id: int | None
    title: str
    presenter: str


class ParticipantOut(Schema):
    id: int
    person_id: int
    full_name: str
    agency: str
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


def _participant_out(p: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=p.pk,
        person_id=p.person_id,
        full_name=p.person.full_name,
        agency=p.person.agency.name,
        invitation_id=p.invitation_id,
        checked_in_at=p.checked_in_at,
        walk_in=p.walk_in,
    )


def _invalid(exc: ValidationError):
    return ApiValidationError(validation_detail(exc))


register_crud(
    router,
    model=Topic,
    prefix="training/topics",
    out_schema=TopicOut,
    filterset_class=filtersets.TopicFilterSet,
    tag="Tập huấn",
)
register_crud(
    router,
    model=Conference,
    prefix="training/conferences",
    out_schema=ConferenceOut,
    in_schema=ConferenceIn,
    patch_schema=ConferencePatch,
    filterset_class=filtersets.ConferenceFilterSet,
    select_related=("committee",),
    tag="Tập huấn",
)


@router.get(
    "/training/conferences/{pk}/sessions", response=list[SessionOut], operation_id="training_sessions"
)
def sessions(request, pk: int):
    conference = access.get_or_404(Conference, request.user, access.VIEW, pk=pk)
    rows = access.restrict(Session.objects.filter(conference=conference), request.user).select_related(
        "presenter"
    )
    return [
        SessionOut(
            id=s.pk,
            start=s.start,
            end=s.end,
            kind=s.kind,
            topic_id=s.topic_id,
            title=s.title,
            presenter=s.presenter_display,
        )
        for s in rows
    ]


@router.get(
    "/training/conferences/{pk}/participants",
    response=list[ParticipantOut],
    operation_id="training_participants",
)
def participants(request, pk: int):
    conference = access.get_or_404(Conference, request.user, access.VIEW, pk=pk)
    rows = access.restrict(Participant.objects.filter(conference=conference), request.user)
    return [_participant_out(p) for p in rows.select_related("person__agency")]


@router.post(
    "/training/invitations/{pk}/participants",
    response={201: ParticipantOut, 422: ErrorOut},
    operation_id="training_nominate",
)
def nominate(request, pk: int, payload: NominateIn):
    invitation = access.get_or_404(Invitation, request.user, access.VIEW, pk=pk)
    person = Person.objects.restrict(request.user).filter(pk=payload.person).first()
    if person is None:
        raise ApiValidationError({"person": ["Không tìm thấy cán bộ."]})
    try:
        participant = training.participant_nominate(actor=request.user, invitation=invitation, person=person)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    except PermissionDenied as exc:
        raise ApiValidationError([str(exc)]) from exc
    return Status(201, _participant_out(participant))


@router.post(
    "/training/conferences/{pk}/checkin",
    response={200: CheckinOut, 422: ErrorOut},
    operation_id="training_checkin",
)
def checkin(request, pk: int, payload: CheckinIn):
    conference = access.get_or_404(Conference, request.user, access.VIEW, pk=pk)
    if not access.has_action(request.user, Participant, access.CHANGE):
        raise ApiValidationError(["Bạn không có quyền điểm danh."])
    try:
        participant, already = training.checkin(actor=request.user, conference=conference, code=payload.code)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return CheckinOut(participant=_participant_out(participant), already_checked_in=already)


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
