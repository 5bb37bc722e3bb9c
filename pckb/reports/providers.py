"""The sections the existing modules give to periodic reports (see :mod:`pckb.reports.sections`): training
conferences and people trained by agency with the coverage of member agencies, plan tasks done and late by
lead agency, targets assessed and events protected, reports received. Counts only, read through the access
layer, limited to the reporting committee's unit subtree and to the period."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.reports.sections import figure, register

#: Rows of a by-agency table (the largest first); the rest are added up in one "other agencies" row.
TABLE_ROWS = 25


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    """``field`` (a datetime) falls on a day of [start, end], local time."""
    return Q(**{f"{field}__gte": _moment(start), f"{field}__lt": _moment(end + dt.timedelta(days=1))})


def _within(path: str, scope_path: str) -> Q:
    return Q(**{f"{path}__path__startswith": scope_path})


def _table(title, columns, rows: list[list]) -> dict:
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    if len(rows) > TABLE_ROWS:
        rest = rows[TABLE_ROWS - 1 :]
        rows = [
            *rows[: TABLE_ROWS - 1],
            [str(_("Các cơ quan khác")), *[sum(c) for c in zip(*(r[1:] for r in rest), strict=True)]],
        ]
    return {"title": str(title), "columns": [str(c) for c in columns], "rows": rows}


def training(user, scope_path: str, start: dt.date, end: dt.date) -> dict | None:
    if not apps.is_installed("pckb.training"):
        return None
    from pckb.directory.models import Agency
    from pckb.training.choices import ConferenceStatus
    from pckb.training.models import Conference, Participant

    held = (
        access.restrict(Conference.objects.all(), user)
        .filter(_within("committee__unit", scope_path), _between("start", start, end))
        .filter(status__in=(ConferenceStatus.HELD, ConferenceStatus.REPORTED))
    )
    attended = access.restrict(Participant.objects.all(), user).filter(
        conference__in=held.values("pk"), checked_in_at__isnull=False
    )
    by_agency = list(
        attended.values("person__agency__name")
        .annotate(people=Count("pk"))
        .order_by()
    )
    agencies = access.restrict(Agency.objects.all(), user).filter(
        _within("unit", scope_path), merged_into__isnull=True
    )
    trained_agencies = agencies.filter(pk__in=attended.values("person__agency_id")).count()
    return {
        "figures": [
            figure("conferences", _("Hội nghị tập huấn đã tổ chức"), held.count()),
            figure("people", _("Lượt người được tập huấn"), sum(r["people"] for r in by_agency)),
            figure("agencies_trained", _("Cơ quan, đơn vị có người được tập huấn"), trained_agencies),
            figure("agencies", _("Cơ quan, đơn vị trên địa bàn"), agencies.count()),
        ],
        "ratios": [
            {
                "label": str(_("Tỷ lệ cơ quan, đơn vị được tập huấn")),
                "num": "agencies_trained",
                "den": "agencies",
            }
        ],
        "table": _table(
            _("Người được tập huấn theo cơ quan"),
            [_("Cơ quan"), _("Lượt người")],  # conferences per agency do not add up: not a column
            [[r["person__agency__name"] or "—", r["people"]] for r in by_agency],
        ),
    }


def plans(user, scope_path: str, start: dt.date, end: dt.date) -> dict | None:
    if not apps.is_installed("pckb.plans"):
        return None
    from pckb.plans.choices import OPEN_STATUSES, TaskStatus
    from pckb.plans.models import Task

    today = timezone.localdate()
    tasks = access.restrict(Task.objects.all(), user).filter(
        _within("committee__unit", scope_path), deadline__gte=start, deadline__lte=end
    )
    done_q = Q(status=TaskStatus.DONE)
    late_q = Q(status__in=OPEN_STATUSES, deadline__lt=today)
    by_agency = list(
        tasks.values("lead_agency__name")
        .annotate(total=Count("pk"), done=Count("pk", filter=done_q), late=Count("pk", filter=late_q))
        .order_by()
    )
    total = sum(r["total"] for r in by_agency)
    done = sum(r["done"] for r in by_agency)
    late = sum(r["late"] for r in by_agency)
    return {
        "figures": [
            figure("tasks", _("Nhiệm vụ có thời hạn trong kỳ"), total),
            figure("done", _("Nhiệm vụ đã hoàn thành"), done),
            figure("late", _("Nhiệm vụ quá hạn chưa hoàn thành"), late),
            figure("open", _("Nhiệm vụ đang thực hiện, chưa đến hạn"), total - done - late),
        ],
        "ratios": [{"label": str(_("Tỷ lệ nhiệm vụ hoàn thành")), "num": "done", "den": "tasks"}],
        "table": _table(
            _("Nhiệm vụ theo cơ quan chủ trì"),
            [_("Cơ quan chủ trì"), _("Nhiệm vụ"), _("Hoàn thành"), _("Quá hạn")],
            [[r["lead_agency__name"], r["total"], r["done"], r["late"]] for r in by_agency],
        ),
    }


def protection(user, scope_path: str, start: dt.date, end: dt.date) -> dict | None:
    if not apps.is_installed("pckb.protection"):
        return None
    from pckb.protection.models import ProtectedEvent, RiskAssessment, Target

    targets = access.restrict(Target.objects.all(), user).filter(_within("unit", scope_path))
    assessed = (
        access.restrict(RiskAssessment.objects.all(), user)
        .filter(_within("target__unit", scope_path), assessed_on__gte=start, assessed_on__lte=end)
        .values("target_id")
        .distinct()
        .count()
    )
    events = (
        access.restrict(ProtectedEvent.objects.all(), user)
        .filter(_within("unit", scope_path), _between("start", start, end))
        .count()
    )
    return {
        "figures": [
            figure("targets", _("Mục tiêu trọng điểm đang quản lý"), targets.count()),
            figure("assessed", _("Mục tiêu được đánh giá rủi ro trong kỳ"), assessed),
            figure("events", _("Sự kiện, đoàn được bảo vệ"), events),
        ],
        "ratios": [],
    }


def response(user, scope_path: str, start: dt.date, end: dt.date) -> dict | None:
    if not apps.is_installed("pckb.response"):
        return None
    from pckb.response.models import Report

    received = access.restrict(Report.objects.all(), user).filter(
        _within("receiving_unit", scope_path), _between("received_at", start, end)
    )
    counts = received.aggregate(
        total=Count("pk"), forwarded=Count("pk", filter=Q(first_forwarded_at__isnull=False))
    )
    return {
        "figures": [
            figure("received", _("Tin báo, tố giác tiếp nhận"), counts["total"]),
            figure("forwarded", _("Tin báo đã chuyển cơ quan chức năng"), counts["forwarded"]),
        ],
        "ratios": [],
    }


register("training", _("Công tác tuyên truyền, tập huấn"), training, order=10)
register("plans", _("Thực hiện kế hoạch, nhiệm vụ"), plans, order=20)
register("protection", _("Bảo vệ mục tiêu, sự kiện"), protection, order=30)
register("response", _("Tiếp nhận, xử lý tin báo"), response, order=40)
