"""What the training module asks of each user on the start page (see :mod:`pckb.core.todo`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pckb.accounts.choices import Role
from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.training.models import Conference, Invitation, KnowledgeTest, Participant

MODULE = "training"


def _local(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def invitations_not_sent(user, now):
    """Upcoming conferences whose invitations the standing office has not recorded as sent."""
    rows = (
        Invitation.objects.restrict(user, access.CHANGE)
        .filter(sent_on__isnull=True, conference__start__gte=now)
        .values("conference_id", "conference__title", "conference__start")
        .annotate(n=Count("id"))
        .order_by("conference__start")[:10]
    )
    for row in rows:
        yield TodoItem(
            ngettext(
                "{title}: {n} giấy mời chưa gửi",
                "{title}: {n} giấy mời chưa gửi",
                row["n"],
            ).format(title=row["conference__title"], n=row["n"]),
            reverse("training:conference", args=[row["conference_id"]]),
            "warning",
            MODULE,
            row["conference__start"],
        )


def nominations_short(user, now):
    """Invited agencies that have not nominated their full quota for an upcoming conference. An agency focal
    point sees its own agency's invitations, each with a link to nominate; an office sees a count per
    conference."""
    invitations = (
        Invitation.objects.restrict(user)
        .filter(conference__start__gte=now)
        .annotate(nominated=Count("participants"))
        .filter(nominated__lt=F("quota"))
    )
    if user.role == Role.AGENCY_FOCAL:
        agency_id = user.person.agency_id if user.person_id else None
        can_nominate = access.has_action(user, Participant, access.ADD)
        for inv in invitations.filter(agency_id=agency_id).select_related("agency", "conference")[:10]:
            missing = inv.quota - inv.nominated
            yield TodoItem(
                ngettext(
                    "{agency} còn thiếu {n} đại biểu cho “{title}” ({start})",
                    "{agency} còn thiếu {n} đại biểu cho “{title}” ({start})",
                    missing,
                ).format(
                    agency=inv.agency,
                    n=missing,
                    title=inv.conference.title,
                    start=_local(inv.conference.start),
                ),
                reverse("training:nominate", args=[inv.pk]) if can_nominate else None,
                "danger",
                MODULE,
                inv.conference.start,
            )
        return
    rows = (
        invitations.values("conference_id", "conference__title", "conference__start")
        .annotate(agencies=Count("id", distinct=True))
        .order_by("conference__start")[:10]
    )
    for row in rows:
        yield TodoItem(
            ngettext(
                "{title}: {n} cơ quan chưa cử đủ đại biểu",
                "{title}: {n} cơ quan chưa cử đủ đại biểu",
                row["agencies"],
            ).format(title=row["conference__title"], n=row["agencies"]),
            reverse("training:conference", args=[row["conference_id"]]),
            "warning",
            MODULE,
            row["conference__start"],
        )


def tests_open_now(user, now):
    """Knowledge tests open at this moment, with their closing time."""
    tests = (
        KnowledgeTest.objects.restrict(user)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("conference")
        .order_by("closes_at")[:10]
    )
    for test in tests:
        yield TodoItem(
            _("{test} đang mở, đóng lúc {closes}").format(test=test, closes=_local(test.closes_at)),
            test.get_absolute_url(),
            "info",
            MODULE,
            test.closes_at,
        )


def conferences_today(user, now):
    """Conferences held today, with the live check-in count (the desk is linked for who may check in)."""
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end_of_day = start_of_day + dt.timedelta(days=1)
    conferences = (
        Conference.objects.restrict(user)
        .filter(start__lt=end_of_day, end__gte=start_of_day)
        .annotate(
            registered=Count("participants", distinct=True),
            present=Count("participants", filter=Q(participants__checked_in_at__isnull=False), distinct=True),
        )
        .order_by("start")[:5]
    )
    can_check_in = access.has_action(user, Participant, access.CHANGE)
    for conf in conferences:
        yield TodoItem(
            _("Hôm nay: {title} — {present}/{registered} đại biểu đã điểm danh").format(
                title=conf.title, present=conf.present, registered=conf.registered
            ),
            reverse("training:checkin" if can_check_in else "training:conference", args=[conf.pk]),
            "danger",
            MODULE,
            conf.start,
        )
