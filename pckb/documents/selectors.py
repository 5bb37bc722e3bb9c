"""Reads of the documents module that span relations; each starts from the access layer and takes the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pckb.core import access
from pckb.core.text import fold
from pckb.documents.models import Conclusion, Document, DocumentFile, MeetingAttendance, RegisterEntry


def document_files(user, document):
    return DocumentFile.objects.restrict(user).filter(document=document)


def document_entries(user, document):
    return RegisterEntry.objects.restrict(user).filter(document=document)


def meeting_conclusions(user, meeting) -> list[Conclusion]:
    """The conclusions with their agencies; a task the reader may not see is withheld (not linked)."""
    rows = list(
        Conclusion.objects.restrict(user)
        .filter(meeting=meeting)
        .select_related("lead_agency", "task")
        .prefetch_related("supporting_agencies")
    )
    access.withhold_related(user, rows)
    return rows


def meeting_attendance(user, meeting) -> list[MeetingAttendance]:
    return list(
        MeetingAttendance.objects.restrict(user)
        .filter(meeting=meeting)
        .select_related("position", "membership__person")
        .order_by("position__order", "pk")
    )


def meeting_composition(user, meeting):
    """The committee's seats on the meeting's date with their holders (a holder above the reader's clearance
    is a vacant line), as the attendance form lists them."""
    from pckb.directory.selectors import committee_composition

    return committee_composition(user, meeting.committee, meeting.date)


def meeting_seats(user, meeting) -> list:
    """The seats whose attendance ``user`` may record: the composition's rows with a holder the user may
    see (the attendance page's rows and what the API accepts)."""
    return [row for row in meeting_composition(user, meeting) if row.membership is not None]


@dataclass(frozen=True)
class RegisterRow:
    """One line of the all-documents list: a document of this module, a directory decision or a training
    document, read where it lives (nothing is copied) and linked to its own page."""

    kind: str
    number: str
    date: dt.date | None
    issuer: str
    subject: str
    url: str
    source: str


def _matches(query: str, *texts) -> bool:
    return not query or query in fold(" ".join(str(t) for t in texts if t))


def all_documents(user, query: str = "", limit: int = 200) -> tuple[list[RegisterRow], bool]:
    """The committee's documents, the directory's decisions and the training module's documents (sent
    invitations, conference reports) the user may see, newest first, at most ``limit`` (and whether more
    were left out). Each source is read through the access layer with at most ``limit`` rows."""
    from pckb.directory.models import Decision
    from pckb.training.models import Conference, Invitation

    q = fold(query or "")
    rows: list[RegisterRow] = []
    documents = Document.objects.restrict(user).order_by("-date", "-id")
    if q:
        documents = documents.search(query)
    for d in documents[: limit + 1]:
        rows.append(
            RegisterRow(
                d.get_kind_display(),
                d.number,
                d.date,
                d.issuer_name,
                d.subject,
                d.get_absolute_url(),
                _("Sổ văn bản"),
            )
        )
    decisions = Decision.objects.restrict(user).order_by("-date", "-id")
    if q:
        decisions = decisions.search(query)
    for d in decisions[: limit + 1]:
        rows.append(
            RegisterRow(
                _("Quyết định"), d.number, d.date, d.issuer, d.subject, d.get_absolute_url(), _("Danh bạ")
            )
        )
    invitations = (
        Invitation.objects.restrict(user)
        .exclude(letter_number="")
        .filter(sent_on__isnull=False)
        .select_related("conference__committee", "agency")
        .order_by("-sent_on", "-id")
    )
    for inv in invitations[: limit + 1]:
        subject = _("Mời dự {title} ({agency})").format(title=inv.conference.title, agency=inv.agency.name)
        if _matches(q, inv.letter_number, subject):
            rows.append(
                RegisterRow(
                    _("Giấy mời"),
                    inv.letter_number,
                    inv.sent_on,
                    inv.conference.committee.name,
                    subject,
                    inv.get_absolute_url(),
                    _("Tập huấn"),
                )
            )
    reports = (
        Conference.objects.restrict(user)
        .filter(report_date__isnull=False)
        .select_related("committee")
        .order_by("-report_date", "-id")
    )
    for c in reports[: limit + 1]:
        subject = _("Báo cáo kết quả {title}").format(title=c.title)
        if _matches(q, subject):
            rows.append(
                RegisterRow(
                    _("Báo cáo"),
                    "",
                    c.report_date,
                    c.committee.name,
                    subject,
                    c.get_absolute_url(),
                    _("Tập huấn"),
                )
            )
    rows.sort(key=lambda r: r.date or dt.date.min, reverse=True)
    return rows[:limit], len(rows) > limit
