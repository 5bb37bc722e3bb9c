"""Pages of the training module. Reads go through the access layer; writes through services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.audit.models import AuditEntry
from pckb.core import access, services
from pckb.core.import_views import ImportForm
from pckb.core.views import (
    Download,
    ModelPageView,
    ObjectActionView,
    ObjectChildView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.directory.models import Person
from pckb.training import filtersets, forms, selectors
from pckb.training import services as training
from pckb.training.choices import STATUS_ORDER, ConferenceStatus
from pckb.training.fields import CONFERENCE, TOPIC
from pckb.training.models import (
    Certificate,
    Conference,
    Invitation,
    KnowledgeTest,
    Participant,
    Question,
    Session,
    Topic,
    TopicMaterial,
)
from pckb.training.progress import conference_steps


# --- Topic catalogue ------------------------------------------------------------------------------------
class TopicListView(ObjectListView):
    model = Topic
    filterset_class = filtersets.TopicFilterSet
    columns = TOPIC.list_columns()


class TopicDetailView(ObjectDetailView):
    model = Topic

    def extra_context(self, obj) -> dict:
        user = self.request.user
        questions = Question.objects.restrict(user).filter(topic=obj).prefetch_related("choices")
        return {
            "materials": TopicMaterial.objects.restrict(user).filter(topic=obj),
            "questions": questions,
            "can_see_questions": access.has_action(user, Question, access.VIEW),
            "can_add_question": access.has_action(user, Question, access.ADD),
            "can_add_material": access.has_action(user, TopicMaterial, access.ADD),
        }


class TopicEditView(ObjectEditView):
    model = Topic
    form_class = forms.TopicForm


class TopicDeleteView(ObjectDeleteView):
    model = Topic


class TopicMaterialEditView(ObjectEditView):
    """Upload a material; a file with the title of an existing one becomes its next version."""

    model = TopicMaterial
    form_class = forms.TopicMaterialForm

    def create(self, form):
        material = form.instance
        latest = (
            TopicMaterial.objects.filter(topic=material.topic, title=material.title)
            .order_by("-version")
            .first()
        )
        material.version = latest.version + 1 if latest else 1
        return services.object_create(actor=self.request.user, instance=material)

    def initial(self) -> dict:
        return {"topic": self.request.GET.get("topic")}

    def list_url(self) -> str:
        return reverse("training:topic_list")


class MaterialDownloadView(ObjectFileView):
    """Uploaded files are served only through the access layer (never as public media)."""

    def get_object(self, action: str = access.VIEW):
        self.model = TopicMaterial if self.kwargs["model"] == "tai-lieu" else Session
        return super().get_object(action)

    def make(self, obj, model) -> Download | None:
        upload = obj.file if isinstance(obj, TopicMaterial) else obj.material
        return Download(upload, "", upload.name.rsplit("/", 1)[-1]) if upload else None


class QuestionEditView(ObjectEditView):
    model = Question
    form_class = forms.QuestionForm

    def initial(self) -> dict:
        return {"topic": self.request.GET.get("topic")}

    def list_url(self) -> str:
        return reverse("training:topic_list")

    def create(self, form):
        return training.question_create(
            actor=self.request.user, question=form.instance, choices=form.options()
        )


# --- Conferences ----------------------------------------------------------------------------------------
class ConferenceListView(ObjectListView):
    model = Conference
    extra_links = (
        (gettext_lazy("Lịch hội nghị sắp tới (.ics)"), "training:calendar"),
        (gettext_lazy("Nhập mã đại biểu"), "training:public_entry"),
    )
    filterset_class = filtersets.ConferenceFilterSet
    select_related = ("committee", "venue_unit")
    columns = CONFERENCE.list_columns()


class ConferenceDetailView(ObjectDetailView):
    model = Conference
    select_related = ("committee", "venue_unit", "signer")

    def extra_context(self, obj) -> dict:
        user = self.request.user
        participants = (
            Participant.objects.restrict(user)
            .filter(conference=obj)
            .select_related("person", "person__agency", "certificate")
        )
        invitations = (
            Invitation.objects.restrict(user)
            .filter(conference=obj)
            .select_related("agency")
            .annotate(n_participants=Count("participants"))
        )
        can_change = access.can(user, access.CHANGE, obj)
        return {
            "sessions": Session.objects.restrict(user)
            .filter(conference=obj)
            .select_related("topic", "presenter"),
            "invitations": invitations,
            "participants": participants,
            "attendance": selectors.attendance_by_agency(obj),
            "tests": KnowledgeTest.objects.restrict(user)
            .filter(conference=obj)
            .annotate(n_attempts=Count("attempts", filter=Q(attempts__submitted_at__isnull=False))),
            "can_change": can_change,
            "can_nominate": access.has_action(user, Participant, access.ADD),
            # Each link below is shown only to who may open its page (the same checks as those pages).
            "can_results": access.has_action(user, KnowledgeTest, access.VIEW),
            "can_export": access.has_action(user, Conference, access.EXPORT),
            "can_check_in": can_change and access.has_action(user, Participant, access.CHANGE),
            # Badges: who runs the check-in desk and may export the conference (as for their download).
            "can_badges": can_change
            and access.has_action(user, Conference, access.EXPORT)
            and access.has_action(user, Participant, access.CHANGE),
            "checked_in": sum(1 for p in participants if p.checked_in_at),
            "certificates_issued": sum(1 for p in participants if getattr(p, "certificate", None)),
            "steps": conference_steps(obj, user),
            # A conference with delegates cannot be deleted (their results belong to them): no button for it.
            **({"delete_url": None} if participants else {}),
            "status_choices": ConferenceStatus.choices,
            "next_status": _next_status(obj.status),
        }


def _next_status(status: str):
    index = STATUS_ORDER.index(status)
    return ConferenceStatus.choices[index + 1] if index + 1 < len(STATUS_ORDER) else None


class ConferenceEditView(ObjectEditView):
    model = Conference
    form_class = forms.ConferenceForm


class ConferenceDeleteView(ObjectDeleteView):
    model = Conference


class SessionEditView(ObjectEditView):
    """Agenda items and invitations are added from their conference's page (``?conference=<id>``)."""

    model = Session
    form_class = forms.SessionForm
    parent_field = "conference"


class SessionDeleteView(ObjectDeleteView):
    model = Session
    parent_field = "conference"


class InvitationEditView(ObjectEditView):
    model = Invitation
    form_class = forms.InvitationForm
    parent_field = "conference"


class InvitationDeleteView(ObjectDeleteView):
    model = Invitation
    parent_field = "conference"


class InvitationSendView(ObjectActionView):
    """Record the letter number and date; the letter itself is the DOCX of ``InvitationLetterView``."""

    model = Invitation
    form_class = forms.InvitationSendForm

    def perform(self, invitation, form) -> str:
        training.invitation_send(actor=self.request.user, invitation=invitation, **form.cleaned_data)
        return _("Đã ghi nhận gửi giấy mời {n}.").format(n=form.cleaned_data["letter_number"])

    def success_url(self, invitation) -> str:
        return invitation.conference.get_absolute_url()


class NominateView(ObjectChildView):
    """An agency nominates its delegates (existing officials or new ones) within the quota."""

    model = Invitation
    child_model = Participant
    child_action = access.ADD
    form_class = forms.NominateForm
    template_name = "training/nominate.html"

    def get_title(self, invitation) -> str:
        return _("Cử đại biểu: {agency}").format(agency=invitation.agency)

    def form_kwargs(self, invitation) -> dict:
        return {"invitation": invitation, "user": self.request.user}

    def context(self, invitation) -> dict:
        return {"used": invitation.participants.count()}

    def perform(self, invitation, form) -> str:
        data = form.cleaned_data
        if data["person"]:
            participant = training.participant_nominate(
                actor=self.request.user, invitation=invitation, person=data["person"]
            )
        else:
            person = Person(full_name=data["full_name"], rank=data["rank"], title=data["title"])
            participant = training.participant_nominate_new_person(
                actor=self.request.user, invitation=invitation, person=person
            )
        messages.success(self.request, _("Đã cử {name}.").format(name=participant.person))
        return self.request.path


class ParticipantDetailView(ObjectDetailView):
    model = Participant
    select_related = ("person", "person__agency", "conference")
    parent_field = "conference"

    def extra_context(self, obj) -> dict:
        from pckb.training.codes import qr_svg

        certificate = getattr(obj, "certificate", None)
        return {
            "can_revoke": certificate is not None
            and not certificate.revoked
            and access.can(self.request.user, access.CHANGE, certificate),
            "attempts": selectors.attempts_of(self.request.user, obj),
            "qr": qr_svg(self.request.build_absolute_uri(reverse("training:public_home", args=[obj.code]))),
            "certificate": getattr(obj, "certificate", None),
        }


class ParticipantDeleteView(ObjectDeleteView):
    model = Participant
    parent_field = "conference"


class ParticipantImportView(ObjectChildView):
    """Delegates from a CSV file, all or nothing; every fault listed by line and column."""

    model = Conference
    child_model = Participant
    child_action = access.ADD
    form_class = ImportForm
    template_name = "core/object_import.html"
    title = gettext_lazy("Nhập danh sách đại biểu: {name}")

    def context(self, conference) -> dict:
        from pckb.core.imports import ImportColumn
        from pckb.training.imports import HEADERS

        return {
            "list_url": conference.get_absolute_url(),
            "columns": [ImportColumn(h, "", required=i < 2) for i, h in enumerate(HEADERS)],
        }

    def form_valid(self, conference, form):
        from pckb.core.imports import ImportFailed
        from pckb.training.imports import participants_import_csv

        try:
            created = participants_import_csv(
                actor=self.request.user, conference=conference, data=form.cleaned_data["file"].read()
            )
        except ImportFailed as exc:
            return self.render_page(conference, form, faults=exc.faults)
        messages.success(self.request, _("Đã cử {n} đại biểu.").format(n=len(created)))
        return HttpResponseRedirect(conference.get_absolute_url())


# --- Check-in -------------------------------------------------------------------------------------------
class CheckinView(ObjectChildView):
    """The door: type or scan a personal code; bulk list; walk-ins; live count per agency."""

    model = Conference
    child_model = Participant
    child_action = access.CHANGE
    template_name = "training/checkin.html"
    title = gettext_lazy("Điểm danh: {name}")

    def context(self, conference) -> dict:
        user = self.request.user
        closed = not training.checkin_open(conference)
        return {
            "form": forms.CheckinForm(),
            "bulk_form": forms.BulkCheckinForm(),
            "walk_in_form": forms.WalkInForm(user=user, conference=conference),
            "attendance": selectors.attendance_by_agency(conference),
            "closed_message": training.checkin_closed_message(conference) if closed else "",
            "can_override": closed and training.checkin_can_override(user),
            "override_min": training.OVERRIDE_REASON_MIN_LENGTH,
            "override_reason": self.request.POST.get("override_reason", ""),
        }

    def get(self, request, pk):
        conference = self.get_parent()
        if request.htmx and request.GET.get("board"):
            return render(
                request,
                "training/_attendance_board.html",
                {"attendance": selectors.attendance_by_agency(conference)},
            )
        return self.render_page(conference)

    def post(self, request, pk):
        conference = self.get_parent()
        result = None
        context = {}
        reason = request.POST.get("override_reason", "")
        try:
            if "codes" in request.POST:
                done = training.checkin_bulk(
                    actor=request.user,
                    conference=conference,
                    text=request.POST["codes"],
                    override_reason=reason,
                )
                result = _("Đã điểm danh {n} đại biểu.").format(n=len(done))
            elif "person" in request.POST:
                form = forms.WalkInForm(request.POST, user=request.user, conference=conference)
                if not form.is_valid():
                    raise ValidationError(form.errors["person"])
                participant = training.participant_walk_in(
                    actor=request.user,
                    conference=conference,
                    person=form.cleaned_data["person"],
                    override_reason=reason,
                )
                result = _("Đã đăng ký và điểm danh {name}.").format(name=participant.person)
            else:
                participant, already = training.checkin(
                    actor=request.user,
                    conference=conference,
                    code=request.POST.get("code", ""),
                    override_reason=reason,
                )
                result = (
                    _("{name} đã điểm danh trước đó.") if already else _("Đã điểm danh: {name}")
                ).format(name=f"{participant.person} — {participant.person.agency}")
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            context["result"] = result
        if request.htmx:
            context["attendance"] = selectors.attendance_by_agency(conference)
            return render(request, "training/_checkin_result.html", context)
        return self.render_page(conference, **context)


class BadgesView(ObjectFileView):
    """Delegates' badges with their personal code and QR, eight per A4 page: the whole conference, or one
    agency's delegates (``?co-quan=<id>``). For who runs the check-in desk; each download is audited."""

    model = Conference
    action = access.EXPORT
    audited = True

    def make(self, conference) -> Download | None:
        from pckb.training.documents.badges import Badge, badges_pdf
        from pckb.training.documents.formatting import date_range

        user = self.request.user
        if not access.has_action(user, Participant, access.CHANGE):
            raise Http404
        participants = (
            access.restrict(Participant.objects.all(), user, access.CHANGE)
            .filter(conference=conference)
            .select_related("person__agency")
            .order_by("person__agency__name", "person__sort_key", "pk")
        )
        agency = self.request.GET.get("co-quan", "")
        if agency:
            if not agency.isdigit():
                raise Http404
            participants = participants.filter(person__agency_id=int(agency))
        dates = date_range(timezone.localdate(conference.start), timezone.localdate(conference.end))
        badges = [
            Badge(
                full_name=p.person.full_name,
                agency=p.person.agency.name if p.person.agency else "",
                conference_title=conference.title,
                dates=dates,
                code=p.code,
                url=self.request.build_absolute_uri(reverse("training:public_home", args=[p.code])),
            )
            for p in participants
        ]
        if not badges:
            return None
        suffix = f"-co-quan-{agency}" if agency else ""
        return Download(badges_pdf(badges), "application/pdf", f"the-dai-bieu-{conference.pk}{suffix}.pdf")

    def nothing(self, conference):
        messages.error(self.request, _("Không có đại biểu nào để in thẻ."))
        return HttpResponseRedirect(conference.get_absolute_url())


class CodesSendView(ObjectActionView):
    """E-mail each delegate their personal code (once per delegate) through the notification outbox."""

    model = Conference
    child_model = Participant
    child_action = access.CHANGE

    def perform(self, conference, form) -> str:
        report = training.participant_codes_send(actor=self.request.user, conference=conference)
        message = _(
            "Đã gửi mã cá nhân qua thư điện tử cho {sent} đại biểu; {already} đại biểu đã được gửi trước đó; "
            "{missing} đại biểu chưa có địa chỉ thư điện tử nên chưa gửi."
        ).format(sent=report.sent, already=report.already, missing=len(report.without_email))
        if report.without_email:
            names = ", ".join(p.person.full_name for p in report.without_email[:20])
            more = len(report.without_email) - 20
            message += " " + _("Chưa gửi: {names}").format(names=names)
            if more > 0:
                message += " " + _("và {n} người khác.").format(n=more)
        return message


class ConferenceHistoryView(ObjectChildView):
    """The whole history of a conference with its agenda and invitations, 50 entries a page (the page's
    panel shows the last 20). For the roles that read the audit log."""

    model = Conference
    child_model = AuditEntry
    template_name = "training/conference_history.html"
    title = gettext_lazy("Lịch sử thay đổi: {name}")

    def context(self, conference) -> dict:
        from django.core.paginator import Paginator

        from pckb.audit.selectors import object_history

        paginator = Paginator(object_history(self.request.user, conference), 50)
        return {"page": paginator.get_page(self.request.GET.get("page"))}

    def get(self, request, pk):
        return self.render_page(self.get_parent())


# --- Tests and results ----------------------------------------------------------------------------------
class TestBuildView(ObjectChildView):
    model = Conference
    parent_action = access.CHANGE
    child_model = KnowledgeTest
    child_action = access.ADD
    form_class = forms.TestBuildForm
    template_name = "training/test_build.html"
    title = gettext_lazy("Tạo bài kiểm tra")

    def initial(self, conference) -> dict:
        return {"opens_at": conference.start, "closes_at": conference.end}

    def perform(self, conference, form) -> str:
        test = training.test_build(actor=self.request.user, conference=conference, **form.cleaned_data)
        messages.success(
            self.request, _("Đã tạo {test} gồm {n} câu.").format(test=test, n=test.items.count())
        )
        return test.get_absolute_url()


class TestDetailView(ObjectDetailView):
    """A test's questions and Moodle-style item analysis of the submitted attempts."""

    model = KnowledgeTest
    select_related = ("conference",)
    template_name = "training/test.html"
    parent_field = "conference"

    def extra_context(self, obj) -> dict:
        from pckb.training.reports import test_statistics

        return {"stats": test_statistics(self.request.user, obj)}


class ResultsView(ObjectChildView):
    """Learning gain by participant, agency and topic, with charts."""

    model = Conference
    child_model = KnowledgeTest
    template_name = "training/results.html"
    title = gettext_lazy("Kết quả: {name}")

    def context(self, conference) -> dict:
        from pckb.training.reports import gain_tables

        tests = KnowledgeTest.objects.restrict(self.request.user).filter(conference=conference)
        return {**gain_tables(self.request.user, conference), "tests": tests}


class ConferenceFileView(ObjectFileView):
    """Downloads: attendance and results (XLSX), report (DOCX, PDF), certificates (PDF), letter (DOCX)."""

    model = Conference
    action = access.EXPORT
    audited = True

    def make(self, conference, kind) -> Download | None:
        from pckb.training import reports

        makers = {
            "diem-danh.xlsx": lambda c: reports.attendance_xlsx(self.request.user, c),
            "ket-qua.xlsx": lambda c: reports.results_xlsx(self.request.user, c),
            "bao-cao.docx": lambda c: reports.report_docx(self.request.user, c),
            "bao-cao.pdf": lambda c: reports.report_pdf(self.request.user, c),
            "chung-nhan.pdf": lambda c: reports.certificates_pdf(c, self.request),
        }
        if kind not in makers:
            raise Http404
        made = makers[kind](conference)
        if made is None:
            return None
        content, content_type = made
        return Download(content, content_type, f"hoi-nghi-{conference.pk}-{kind}")

    def nothing(self, conference, kind):
        messages.error(self.request, _("Chưa có giấy chứng nhận nào được cấp."))
        return HttpResponseRedirect(conference.get_absolute_url())


class InvitationLetterView(ObjectFileView):
    model = Invitation

    def make(self, invitation) -> Download:
        from pckb.training import reports

        return Download(
            reports.invitation_docx(self.request.user, invitation),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            f"giay-moi-{invitation.pk}.docx",
        )


class CertificateRevokeView(ObjectActionView):
    model = Certificate

    def perform(self, certificate, form) -> str:
        training.certificate_revoke(actor=self.request.user, certificate=certificate)
        return _("Đã thu hồi giấy chứng nhận {n}.").format(n=certificate.number)

    def success_url(self, certificate) -> str:
        return reverse("training:participant", args=[certificate.participant_id])


class CertificatesIssueView(ObjectActionView):
    model = Conference

    def perform(self, conference, form) -> str:
        created = training.certificates_issue(actor=self.request.user, conference=conference)
        return _("Đã cấp {n} giấy chứng nhận.").format(n=len(created))


class ConferenceAdvanceView(ObjectActionView):
    model = Conference

    def perform(self, conference, form) -> str:
        try:
            training.conference_advance(
                actor=self.request.user, conference=conference, status=self.request.POST["status"]
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(_("Trạng thái không hợp lệ.")) from exc
        return ""


class CalendarView(LoginRequiredMixin, View):
    """Upcoming conferences in the user's scope as iCalendar (RFC 5545)."""

    def get(self, request):
        from pckb.training.reports import icalendar

        body = icalendar(selectors.upcoming_conferences(request.user), request)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="hoi-nghi-tap-huan.ics"'
        return response


class CoverageView(ModelPageView):
    """Who has been trained on which topic in a period (the last 12 months, a year or a half-year); units
    with no trained officer."""

    model = Participant
    template_name = "training/coverage.html"
    title = gettext_lazy("Độ bao phủ tập huấn")

    def context(self) -> dict:
        from pckb.training.reports import coverage_charts

        period = forms.CoveragePeriodForm(self.request.GET or None)
        since, until = period.bounds()
        rows, untrained, since = selectors.training_coverage(self.request.user, since=since, until=until)
        topics = list(Topic.objects.filter(active=True).values_list("title", flat=True))
        return {
            "period": period,
            "rows": rows,
            "untrained": untrained[:500],
            "untrained_count": len(untrained),
            "since": since,
            "until_last": until - dt.timedelta(days=1) if until else None,
            "anyone_trained": any(r.trained_people for r in rows),
            "topics": topics,
            "charts": coverage_charts(rows, topics),
        }
