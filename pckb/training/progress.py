"""Where a conference stands and what comes next: agenda → invitations → sending → nominations → tests →
check-in → report → certificates. The conference page shows the steps and links the next one, only when the
user may open the page that does it (the same check as that page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.training.choices import ConferenceStatus
from pckb.training.models import Certificate, Conference, Invitation, KnowledgeTest, Participant, Session

DONE, CURRENT, TODO = "done", "current", "todo"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    detail: str = ""
    url: str | None = None
    state: str = TODO


def conference_steps(conference: Conference, user) -> list[Step]:
    """The eight steps of a conference with their state; the first step not done is the current one."""
    now = timezone.now()
    sessions = Session.objects.filter(conference=conference).count()
    inv = Invitation.objects.filter(conference=conference).aggregate(
        total=Count("id"),
        unsent=Count("id", filter=Q(sent_on__isnull=True)),
    )
    short = (
        Invitation.objects.filter(conference=conference)
        .annotate(n=Count("participants"))
        .filter(n__lt=F("quota"))
        .count()
    )
    people = Participant.objects.filter(conference=conference).aggregate(
        total=Count("id"), present=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    tests = KnowledgeTest.objects.filter(conference=conference).count()
    certificates = Certificate.objects.filter(participant__conference=conference, revoked=False).count()
    held = conference.end <= now or conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED)
    can_change = access.can(user, access.CHANGE, conference)
    can_add = {m: access.has_action(user, m, access.ADD) and can_change for m in (Session, Invitation)}
    can_test = access.has_action(user, KnowledgeTest, access.ADD) and can_change
    can_check_in = access.has_action(user, Participant, access.CHANGE)
    page = conference.get_absolute_url()

    steps = [
        Step(
            "agenda",
            _("Chương trình"),
            sessions > 0,
            _("{n} phiên").format(n=sessions),
            reverse("training:session_add") + f"?conference={conference.pk}" if can_add[Session] else None,
        ),
        Step(
            "invite",
            _("Mời cơ quan"),
            inv["total"] > 0,
            _("{n} cơ quan").format(n=inv["total"]),
            reverse("training:invitation_add") + f"?conference={conference.pk}"
            if can_add[Invitation]
            else None,
        ),
        Step(
            "send",
            _("Ghi nhận gửi giấy mời"),
            inv["total"] > 0 and inv["unsent"] == 0,
            _("{n} giấy mời chưa gửi").format(n=inv["unsent"]) if inv["unsent"] else "",
            page + "#invitations" if can_change else None,
        ),
        Step(
            "nominate",
            _("Cử đại biểu"),
            inv["total"] > 0 and short == 0,
            _("{n} cơ quan chưa cử đủ").format(n=short)
            if short
            else _("{n} đại biểu").format(n=people["total"]),
            page + "#invitations",
        ),
        Step(
            "tests",
            _("Bài kiểm tra"),
            tests > 0 or not conference.requires_test,
            _("{n} bài").format(n=tests),
            reverse("training:test_add", args=[conference.pk]) if can_test and tests < 2 else None,
        ),
        Step(
            "checkin",
            _("Điểm danh"),
            held and people["present"] > 0,
            _("{present}/{total} có mặt").format(present=people["present"], total=people["total"]),
            reverse("training:checkin", args=[conference.pk]) if can_check_in and can_change else None,
        ),
        Step(
            "report",
            _("Báo cáo kết quả"),
            conference.status == ConferenceStatus.REPORTED,
            "",
            reverse("training:conference_file", args=[conference.pk, "bao-cao.docx"])
            if held and people["present"] and access.can(user, access.EXPORT, conference)
            else None,
        ),
        Step(
            "certificates",
            _("Cấp giấy chứng nhận"),
            certificates > 0,
            _("{n} đã cấp").format(n=certificates) if certificates else "",
            reverse("training:certificates_issue", args=[conference.pk])
            if held and people["present"] and can_change
            else None,
        ),
    ]
    current = next((i for i, s in enumerate(steps) if not s.done), None)
    return [
        Step(s.key, s.label, s.done, s.detail, s.url, DONE if s.done else CURRENT if i == current else TODO)
        for i, s in enumerate(steps)
    ]
