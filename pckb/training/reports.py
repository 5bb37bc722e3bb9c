"""Outputs of a conference: statistics for pages, XLSX lists, the report (DOCX, PDF), the invitation letter,
certificates, iCalendar and charts. Data is read here and handed to ``analysis`` and ``documents``."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core import access
from pckb.core.charts import Bar, bar_chart
from pckb.directory.models import Committee
from pckb.training import analysis, quality, selectors
from pckb.training import documents as docs
from pckb.training.documents.content import classification_mark
from pckb.training.models import Conference, Invitation, KnowledgeTest, Participant, Question, Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _opt(value):
    return None if value is None or (isinstance(value, float) and not np.isfinite(value)) else value


# --- Statistics for pages -------------------------------------------------------------------------------
@dataclass
class ItemRow:
    """One test item in the item analysis. ``text`` and ``option_counts`` are ``None`` for a reader without
    the right to the question bank (QUESTION_BANK): per-option counts point at the answers."""

    number: int
    text: str | None
    stats: object
    option_counts: list[int] | None
    flags: list = field(default_factory=list)  # quality.Flag: what to look at in this item


def _item_label(row: ItemRow) -> str:
    return f"{row.number}. {row.text}" if row.text else _("Câu {n}").format(n=row.number)


def test_statistics(user, test: KnowledgeTest) -> dict:
    """Item analysis of a test's submitted attempts, with question texts only for readers of the bank."""
    matrix = selectors.test_matrix(test)
    show_questions = access.has_action(user, Question, access.VIEW)
    result = {"matrix": matrix, "analysis": None, "show_questions": show_questions, "rows": []}
    if matrix.scores.shape[0] >= 1 and matrix.scores.shape[1] >= 1:
        result["analysis"] = analysis.item_analysis(
            matrix.scores, np.ones(len(matrix.items)), matrix.responses, matrix.n_options
        )
        result["rows"] = [
            ItemRow(
                number,
                item.question.text if show_questions else None,
                stats,
                list(stats.option_counts) if show_questions else None,
            )
            for number, (item, stats) in enumerate(
                zip(matrix.items, result["analysis"].items, strict=True), start=1
            )
        ]
        for row in result["rows"]:
            row.flags = quality.item_flags(row.stats)
        result["flagged"] = [row for row in result["rows"] if row.flags]
        summary = result["analysis"].summary
        result["test_flags"] = quality.summary_flags(summary)
        result["chart"] = bar_chart(
            [Bar(_item_label(row), row.stats.facility_pct or 0) for row in result["rows"]],
            title=_("Chỉ số độ dễ của từng câu (%)"),
            maximum=100,
            unit="%",
        )
        totals = result["analysis"].totals
        percent = 100 * totals / summary.max_total if summary.max_total else totals
        result["distribution"] = bar_chart(
            [
                Bar(_("{low}–{high}%").format(low=int(b.low), high=int(b.high)), b.count)
                for b in quality.grade_distribution(percent)
            ],
            title=_("Phổ điểm: số người theo khoảng điểm"),
        )
    return result


#: The two series of a before/after chart: (main, secondary).
PRE_POST = (gettext_lazy("Đầu ra"), gettext_lazy("Đầu vào"))


def gain_tables(user, conference: Conference) -> dict:
    """Learning gain by participant, agency and topic (normalised gain on percentage scores), over the
    delegates the user may see."""
    data = selectors.paired_scores(user, conference)
    pre, post = data["pre"], data["post"]
    if not len(pre):
        return {"has_results": False}
    overall = analysis.learning_gain(pre, post, 100.0)
    by_agency = analysis.aggregate_gain(pre, post, 100.0, np.array(data["agencies"], dtype=object))
    by_topic = {
        topic: analysis.learning_gain(
            data["topic_pre"].get(topic, np.full(len(pre), np.nan)),
            data["topic_post"].get(topic, np.full(len(pre), np.nan)),
            100.0,
        ).summary
        for topic in sorted(set(data["topic_pre"]) | set(data["topic_post"]))
    }
    people = [
        {
            "participant": p,
            "pre": _opt(float(pre[i])),
            "post": _opt(float(post[i])),
            "gain": _opt(float(overall.gain[i])),
        }
        for i, p in enumerate(data["participants"])
    ]
    charts = {
        "agency": bar_chart(
            [Bar(name, g.mean_post or 0, g.mean_pre) for name, g in by_agency.items() if g.n_paired],
            title=_("Điểm trung bình trước và sau tập huấn theo cơ quan (%)"),
            maximum=100,
            unit="%",
            legend=PRE_POST,
        ),
        "topic": bar_chart(
            [Bar(name, g.mean_post or 0, g.mean_pre) for name, g in by_topic.items() if g.n_paired],
            title=_("Điểm trung bình trước và sau tập huấn theo chuyên đề (%)"),
            maximum=100,
            unit="%",
            legend=PRE_POST,
        ),
    }
    return {
        "has_results": bool(overall.summary.n_paired or np.isfinite(post).any() or np.isfinite(pre).any()),
        "overall": overall.summary,
        "by_agency": by_agency,
        "by_topic": by_topic,
        "people": people,
        "charts": charts,
    }


# --- Spreadsheets ---------------------------------------------------------------------------------------
def _xlsx(title: str, header: list[str], rows: list[list]) -> tuple[bytes, str]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from pckb.core.exports import xlsx_as_text

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    xlsx_as_text(ws)  # a delegate's name such as "=HYPERLINK(…)" stays text
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = min(
            60, max(10, *(len(str(c.value or "")) for c in column))
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), XLSX


def _local(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _participants(user, conference: Conference):
    return access.restrict(Participant.objects.filter(conference=conference), user)


def attendance_xlsx(user, conference: Conference) -> tuple[bytes, str]:
    rows = [
        [
            n,
            p.person.full_name,
            p.person.rank,
            p.person.title,
            p.person.agency.name,
            p.code,
            _("Có") if p.checked_in_at else _("Không"),
            _local(p.checked_in_at),
            _("Có") if p.walk_in else "",
        ]
        for n, p in enumerate(
            _participants(user, conference)
            .select_related("person__agency")
            .order_by("person__agency__sort_key", "person__sort_key"),
            start=1,
        )
    ]
    header = [
        _("STT"),
        _("Họ và tên"),
        _("Cấp bậc"),
        _("Chức vụ"),
        _("Cơ quan"),
        _("Mã cá nhân"),
        _("Có mặt"),
        _("Điểm danh lúc"),
        _("Đến không theo danh sách"),
    ]
    return _xlsx(_("Danh sách điểm danh"), header, rows)


def results_xlsx(user, conference: Conference) -> tuple[bytes, str]:
    tables = gain_tables(user, conference)
    rows = [
        [
            n,
            r["participant"].person.full_name,
            r["participant"].person.agency.name,
            _round(r["pre"]),
            _round(r["post"]),
            _round(r["gain"], 3),
        ]
        for n, r in enumerate(tables.get("people", []), start=1)
    ]
    header = [_("STT"), _("Họ và tên"), _("Cơ quan"), _("Đầu vào (%)"), _("Đầu ra (%)"), _("Chỉ số tiến bộ")]
    return _xlsx(_("Kết quả kiểm tra"), header, rows)


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


# --- Official documents ---------------------------------------------------------------------------------
# What a document prints comes from the record: the signer, the signing authority and title and the
# report's date are fields of the conference; an invitation is dated when it was sent, a certificate when it
# was issued.
# The issuing body is the committee in office on that date: after a merger (Hậu Giang into Cần Thơ on
# 01/7/2025), the successor province's committee issues what is dated after it, or not dated yet.
def issuing_committee(conference: Conference, on: dt.date | None = None) -> Committee:
    committee = conference.committee
    unit = committee.unit
    if unit.valid_to is None or (on is not None and on <= unit.valid_to):
        return committee
    current = unit.current()
    if current.pk == unit.pk:
        return committee
    successor = (
        Committee.objects.filter(unit=current, level=committee.level)
        .select_related("host_authority", "unit")
        .order_by("pk")
        .first()
    )
    return successor or committee


def _province_name(committee: Committee) -> str:
    name = committee.unit.name
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _parent_name(committee: Committee) -> str:
    """The body above the issuer, with "Ủy ban nhân dân" written "UBND" as NĐ30 allows."""
    name = committee.host_authority.name.strip()
    for long in ("Ủy ban nhân dân", "Uỷ ban nhân dân"):
        if name.startswith(long):
            return "UBND" + name[len(long) :]
    return name


def _header(
    committee: Committee, number: str, date: dt.date | None, classification: int = 0
) -> docs.DocumentHeader:
    return docs.DocumentHeader(
        issuer_parent=_parent_name(committee).upper(),
        issuer="BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ",
        number=number,
        place=_province_name(committee),
        date=date,
        classification_mark=classification_mark(classification),
    )


def _signer(conference: Conference) -> docs.Signer:
    """As recorded on the conference; no signer recorded prints a placeholder (and the pages warn)."""
    person = conference.signer
    return docs.Signer(
        authority=conference.signer_authority,
        title=conference.signer_title,
        name=person.full_name if person else "",
    )


def _agenda(user, conference: Conference) -> list[docs.AgendaLine]:
    """Agenda lines; a presenter whose record is above the reader's clearance is withheld."""
    sessions = access.restrict(Session.objects.filter(conference=conference), user)
    return [
        docs.AgendaLine(
            time=timezone.localtime(s.start).strftime("%H:%M"),
            title=s.title,
            presenter=s.presenter_display,
            is_topic=s.topic_id is not None,
        )
        for s in sessions.select_related("presenter", "topic")
    ]


def _distribution(conference: Conference) -> list[str]:
    parent = conference.committee.parent
    lines = [f"{parent.name} (để báo cáo)"] if parent else []
    return [*lines, "Các thành viên Ban Chỉ đạo", "Lưu: VT, VPTT."]


def _gain_row(label: str, g) -> docs.GainRow:
    return docs.GainRow(
        label=label, n=g.n_paired, pre_mean=g.mean_pre, post_mean=g.mean_post, gain=g.hake_gain
    )


def report_data(user, conference: Conference) -> docs.ConferenceReport:
    attendance = selectors.attendance_by_agency(conference)
    invited = sum(r["invited"] or r["registered"] for r in attendance)
    attended = sum(r["attended"] for r in attendance)
    tables = gain_tables(user, conference)
    summary_rows = []
    if tables.get("has_results"):
        summary_rows.append(_gain_row(_("Toàn hội nghị"), tables["overall"]))
    recommendations = _recommendations(conference, tables, attendance)
    return docs.ConferenceReport(
        header=_header(
            issuing_committee(conference, conference.report_date),
            "/BC-BCĐ",
            conference.report_date,
            access.classification_of(conference),
        ),
        title=_("Báo cáo kết quả {title}").format(title=conference.title[0].lower() + conference.title[1:]),
        organisers=[conference.committee.name],
        co_organisers=conference.co_organiser_list,
        start=timezone.localtime(conference.start),
        end=timezone.localtime(conference.end),
        venue=conference.venue,
        sessions=_agenda(user, conference),
        attendance=[
            docs.AgencyAttendance(r["agency"], r["invited"], r["registered"], r["attended"])
            for r in attendance
        ],
        attendance_rate=(attended / invited) if invited else 0.0,
        test_summary=summary_rows,
        gain_by_agency=[_gain_row(k, g) for k, g in tables.get("by_agency", {}).items()],
        gain_by_topic=[_gain_row(k, g) for k, g in tables.get("by_topic", {}).items()],
        recommendations=recommendations,
        signer=_signer(conference),
        distribution=_distribution(conference),
    )


def _recommendations(conference: Conference, tables: dict, attendance: list[dict]) -> list[str]:
    """Follow-up drawn from the data: absent agencies, weak topics, and the next conference."""
    out = []
    absent = [r["agency"] for r in attendance if r["invited"] and not r["attended"]]
    if absent:
        out.append(
            _("Đề nghị {agencies} cử cán bộ tham dự đợt tập huấn tiếp theo.").format(
                agencies=", ".join(absent)
            )
        )
    weak = [
        name for name, g in tables.get("by_topic", {}).items() if g.mean_post is not None and g.mean_post < 70
    ]
    if weak:
        out.append(
            _("Tăng thời lượng và tài liệu cho các chuyên đề có kết quả đầu ra dưới 70%: {topics}.").format(
                topics="; ".join(weak)
            )
        )
    out.append(_("Các cơ quan, đơn vị phổ biến nội dung tập huấn đến cán bộ trực tiếp làm công tác PCKB."))
    out.append(
        _(
            "Văn phòng Thường trực tổng hợp, đề xuất kế hoạch tập huấn năm sau trên cơ sở độ bao phủ tập "
            "huấn theo địa bàn."
        )
    )
    return out


def report_docx(user, conference: Conference) -> tuple[bytes, str]:
    return docs.conference_report_docx(report_data(user, conference)), DOCX


def report_pdf(user, conference: Conference) -> tuple[bytes, str]:
    return docs.conference_report_pdf(report_data(user, conference)), PDF


def invitation_docx(user, invitation: Invitation) -> bytes:
    conference = invitation.conference
    letter = docs.InvitationLetter(
        header=_header(
            issuing_committee(conference, invitation.sent_on),
            invitation.letter_number or "/GM-BCĐ",
            invitation.sent_on,
            access.classification_of(invitation),
        ),
        recipient=invitation.agency.name,
        conference_title=conference.title,
        start=timezone.localtime(conference.start),
        end=timezone.localtime(conference.end),
        venue=conference.venue,
        agenda=_agenda(user, conference),
        quota=invitation.quota,
        participant_note=_("là lãnh đạo hoặc cán bộ làm công tác phòng, chống khủng bố của cơ quan"),
        attendance_note=_(
            "Mỗi đại biểu dùng mã cá nhân do Ban Tổ chức cấp để điểm danh và làm bài kiểm tra."
        ),
        contact=conference.committee.standing_office or conference.committee.name,
        signer=_signer(conference),
        distribution=["Như trên", "Lưu: VT, VPTT."],
    )
    return docs.invitation_letter_docx(letter)


def certificates_pdf(conference: Conference, request, participants=None) -> tuple[bytes, str] | None:
    """All valid certificates of the conference the requesting user may see in one PDF, or only those of
    ``participants`` (a delegate's own, on the personal-code pages)."""
    items = []
    signer = _signer(conference)
    issuers: dict[dt.date, Committee] = {}
    chosen = participants if participants is not None else _participants(request.user, conference)
    for participant in (
        chosen.filter(certificate__isnull=False, certificate__revoked=False)
        .select_related("person__agency", "certificate")
        .order_by("person__sort_key")
    ):
        certificate = participant.certificate
        if certificate.issued_on not in issuers:
            issuers[certificate.issued_on] = issuing_committee(conference, certificate.issued_on)
        issuer = issuers[certificate.issued_on]
        items.append(
            docs.Certificate(
                full_name=participant.person.full_name,
                agency=participant.person.agency.name,
                conference_title=conference.title,
                start=timezone.localtime(conference.start).date(),
                end=timezone.localtime(conference.end).date(),
                place=_province_name(issuer),
                number=certificate.number,
                verify_code=certificate.verify_code,
                verify_url=request.build_absolute_uri(
                    reverse("training:verify", args=[certificate.verify_code])
                ),
                issuer=issuer.name,
                issuer_parent=_parent_name(issuer),
                signer=signer,
                issued_on=certificate.issued_on,
            )
        )
    return (docs.certificates_pdf(items), PDF) if items else None


# --- Calendar and coverage ------------------------------------------------------------------------------
def icalendar(conferences, request) -> str:
    """Upcoming conferences as RFC 5545 text, built by the ``icalendar`` library: it escapes and folds every
    value, so a title with line breaks or semicolons cannot add properties or events to the feed."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//PCKB Hub//Training//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for c in conferences:
        event = Event()
        event.add("uid", f"conference-{c.pk}@pckb-hub")
        event.add("dtstamp", stamp)
        event.add("dtstart", c.start.astimezone(dt.UTC))
        event.add("dtend", c.end.astimezone(dt.UTC))
        event.add("summary", c.title)
        event.add("location", c.venue)
        event.add("url", request.build_absolute_uri(c.get_absolute_url()))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def coverage_charts(rows, topics: list[str]) -> dict[str, object]:
    """One chart per topic: trained officials per unit."""
    # A topic nobody was trained on has no chart (a row of zeros says nothing): the page says so instead.
    return {
        topic: bar_chart(
            [Bar(r.unit.name, r.by_topic.get(topic, 0)) for r in rows if r.agencies],
            title=_("Số cán bộ đã được tập huấn chuyên đề “{topic}”").format(topic=topic),
        )
        if any(r.by_topic.get(topic) for r in rows)
        else ""
        for topic in topics
    }
