"""Pages of the training module. Reads go through the access layer; writes through services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access, services
from pckb.core.exports import Column
from pckb.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectViewMixin,
    apply_validation_error,
)
from pckb.directory.models import Person
from pckb.training import filtersets, forms, selectors
from pckb.training import services as training
from pckb.training.choices import STATUS_ORDER, ConferenceStatus
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


# --- Topic catalogue ------------------------------------------------------------------------------------
class TopicListView(ObjectListView):
    model = Topic
    filterset_class = filtersets.TopicFilterSet
    columns = [
        Column("code", gettext_lazy("Mã")),
        Column("title", gettext_lazy("Tên chuyên đề"), link=True),
        Column("active", gettext_lazy("Đang sử dụng")),
    ]


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


class MaterialDownloadView(ObjectViewMixin, View):
    """Uploaded files are served only through the access layer (never as public media)."""

    def get(self, request, pk, model):
        from django.http import FileResponse

        self.model = TopicMaterial if model == "tai-lieu" else Session
        obj = self.get_object(access.VIEW)
        upload = obj.file if isinstance(obj, TopicMaterial) else obj.material
        if not upload:
            raise Http404
        return FileResponse(upload.open("rb"), as_attachment=True, filename=upload.name.rsplit("/", 1)[-1])


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
    columns = [
        Column("title", gettext_lazy("Tên hội nghị"), link=True),
        Column("start", gettext_lazy("Bắt đầu")),
        Column("venue", gettext_lazy("Địa điểm")),
        Column("committee", gettext_lazy("Ban Chỉ đạo tổ chức")),
        Column("status", gettext_lazy("Trạng thái")),
    ]


class ConferenceDetailView(ObjectDetailView):
    model = Conference
    select_related = ("committee", "venue_unit")

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
            "can_see_results": access.has_action(user, KnowledgeTest, access.VIEW),
            "checked_in": sum(1 for p in participants if p.checked_in_at),
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


class _ChildOfConference(ObjectEditView):
    """Agenda items and invitations are added from their conference's page (``?conference=<id>``)."""

    def initial(self) -> dict:
        return {"conference": self.request.GET.get("conference")}

    def list_url(self) -> str:
        return reverse("training:conference_list")


class SessionEditView(_ChildOfConference):
    model = Session
    form_class = forms.SessionForm


class SessionDeleteView(ObjectDeleteView):
    model = Session

    def success_url(self, obj) -> str:
        return obj.conference.get_absolute_url()


class InvitationEditView(_ChildOfConference):
    model = Invitation
    form_class = forms.InvitationForm


class InvitationDeleteView(ObjectDeleteView):
    model = Invitation

    def success_url(self, obj) -> str:
        return obj.conference.get_absolute_url()


class InvitationSendView(ObjectViewMixin, View):
    """Record the letter number and date; the letter itself is the DOCX of ``InvitationLetterView``."""

    model = Invitation

    def post(self, request, pk):
        invitation = self.get_object(access.CHANGE)
        form = forms.InvitationSendForm(request.POST)
        if form.is_valid():
            training.invitation_send(actor=request.user, invitation=invitation, **form.cleaned_data)
            messages.success(
                request, _("Đã ghi nhận gửi giấy mời {n}.").format(n=form.cleaned_data["letter_number"])
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return HttpResponseRedirect(invitation.conference.get_absolute_url())


class NominateView(ObjectViewMixin, View):
    """An agency nominates its delegates (existing officials or new ones) within the quota."""

    model = Invitation
    template_name = "training/nominate.html"

    def _render(self, invitation, form):
        used = invitation.participants.count()
        return render(
            self.request,
            self.template_name,
            {
                "object": invitation,
                "form": form,
                "used": used,
                "title": _("Cử đại biểu: {agency}").format(agency=invitation.agency),
            },
        )

    def _invitation(self):
        invitation = self.get_object(access.VIEW)
        if not access.has_action(self.request.user, Participant, access.ADD):
            raise Http404
        return invitation

    def get(self, request, pk):
        invitation = self._invitation()
        return self._render(invitation, forms.NominateForm(invitation=invitation, user=request.user))

    def post(self, request, pk):
        invitation = self._invitation()
        form = forms.NominateForm(request.POST, invitation=invitation, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["person"]:
                    participant = training.participant_nominate(
                        actor=request.user, invitation=invitation, person=data["person"]
                    )
                else:
                    person = Person(full_name=data["full_name"], rank=data["rank"], title=data["title"])
                    participant = training.participant_nominate_new_person(
                        actor=request.user, invitation=invitation, person=person
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã cử {name}.").format(name=participant.person))
                return HttpResponseRedirect(request.path)
        return self._render(invitation, form)


class ParticipantDetailView(ObjectDetailView):
    model = Participant
    select_related = ("person", "person__agency", "conference")

    def extra_context(self, obj) -> dict:
        from pckb.training.codes import qr_svg

        certificate = getattr(obj, "certificate", None)
        return {
            "can_revoke": certificate is not None
            and not certificate.revoked
            and access.can(self.request.user, access.CHANGE, certificate),
            "attempts": selectors.attempts_of(obj, user=self.request.user),
            "qr": qr_svg(self.request.build_absolute_uri(reverse("training:public_home", args=[obj.code]))),
            "certificate": getattr(obj, "certificate", None),
        }

    def url(self, action: str, *args) -> str:
        if action == "list":
            return reverse("training:conference_list")
        return super().url(action, *args)


class ParticipantDeleteView(ObjectDeleteView):
    model = Participant

    def success_url(self, obj) -> str:
        return obj.conference.get_absolute_url()


class ParticipantImportView(ObjectViewMixin, View):
    """Delegates from a CSV file, all or nothing; every fault listed by line and column."""

    model = Conference
    template_name = "core/object_import.html"

    def _conference(self):
        conference = self.get_object(access.VIEW)
        if not access.has_action(self.request.user, Participant, access.ADD):
            raise Http404
        return conference

    def _render(self, conference, form, faults=()):
        from pckb.core.imports import ImportColumn
        from pckb.training.imports import HEADERS

        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "faults": faults,
                "opts": Participant._meta,
                "list_url": conference.get_absolute_url(),
                "columns": [ImportColumn(h, "", required=i < 2) for i, h in enumerate(HEADERS)],
                "title": _("Nhập danh sách đại biểu: {name}").format(name=conference),
            },
        )

    def get(self, request, pk):
        from pckb.core.import_views import ImportForm

        return self._render(self._conference(), ImportForm())

    def post(self, request, pk):
        from pckb.core.import_views import ImportForm
        from pckb.core.imports import ImportFailed
        from pckb.training.imports import participants_import_csv

        conference = self._conference()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(conference, form)
        try:
            created = participants_import_csv(
                actor=request.user, conference=conference, data=form.cleaned_data["file"].read()
            )
        except ImportFailed as exc:
            return self._render(conference, form, exc.faults)
        messages.success(request, _("Đã cử {n} đại biểu.").format(n=len(created)))
        return HttpResponseRedirect(conference.get_absolute_url())


# --- Check-in -------------------------------------------------------------------------------------------
class CheckinView(ObjectViewMixin, View):
    """The door: type or scan a personal code; bulk list; walk-ins; live count per agency."""

    model = Conference
    template_name = "training/checkin.html"

    def _conference(self):
        conference = self.get_object(access.VIEW)
        if not access.has_action(self.request.user, Participant, access.CHANGE):
            raise Http404
        return conference

    def _context(self, conference, **extra):
        return {
            "object": conference,
            "title": _("Điểm danh: {name}").format(name=conference),
            "form": forms.CheckinForm(),
            "bulk_form": forms.BulkCheckinForm(),
            "walk_in_form": forms.WalkInForm(user=self.request.user, conference=conference),
            "attendance": selectors.attendance_by_agency(conference),
            **extra,
        }

    def get(self, request, pk):
        conference = self._conference()
        if request.htmx and request.GET.get("board"):
            return render(
                request,
                "training/_attendance_board.html",
                {"attendance": selectors.attendance_by_agency(conference)},
            )
        return render(request, self.template_name, self._context(conference))

    def post(self, request, pk):
        conference = self._conference()
        result = None
        context = {}
        try:
            if "codes" in request.POST:
                done = training.checkin_bulk(
                    actor=request.user, conference=conference, text=request.POST["codes"]
                )
                result = _("Đã điểm danh {n} đại biểu.").format(n=len(done))
            elif "person" in request.POST:
                form = forms.WalkInForm(request.POST, user=request.user, conference=conference)
                if not form.is_valid():
                    raise ValidationError(form.errors["person"])
                participant = training.participant_walk_in(
                    actor=request.user, conference=conference, person=form.cleaned_data["person"]
                )
                result = _("Đã đăng ký và điểm danh {name}.").format(name=participant.person)
            else:
                participant, already = training.checkin(
                    actor=request.user, conference=conference, code=request.POST.get("code", "")
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
        return render(request, self.template_name, self._context(conference, **context))


# --- Tests and results ----------------------------------------------------------------------------------
class TestBuildView(ObjectViewMixin, View):
    model = Conference
    template_name = "training/test_build.html"

    def _conference(self):
        conference = self.get_object(access.CHANGE)
        if not access.has_action(self.request.user, KnowledgeTest, access.ADD):
            raise Http404
        return conference

    def get(self, request, pk):
        conference = self._conference()
        initial = {"opens_at": conference.start, "closes_at": conference.end}
        return render(
            request,
            self.template_name,
            {
                "object": conference,
                "form": forms.TestBuildForm(initial=initial),
                "title": _("Tạo bài kiểm tra"),
            },
        )

    def post(self, request, pk):
        conference = self._conference()
        form = forms.TestBuildForm(request.POST)
        if form.is_valid():
            try:
                test = training.test_build(actor=request.user, conference=conference, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("Đã tạo {test} gồm {n} câu.").format(test=test, n=test.items.count())
                )
                return HttpResponseRedirect(test.get_absolute_url())
        return render(
            request, self.template_name, {"object": conference, "form": form, "title": _("Tạo bài kiểm tra")}
        )


class TestDetailView(ObjectDetailView):
    """A test's questions and Moodle-style item analysis of the submitted attempts."""

    model = KnowledgeTest
    select_related = ("conference",)
    template_name = "training/test.html"

    def extra_context(self, obj) -> dict:
        from pckb.training.reports import test_statistics

        return {"stats": test_statistics(obj), "list_url": obj.conference.get_absolute_url()}

    def url(self, action: str, *args) -> str:
        if action == "list":
            return reverse("training:conference_list")
        return super().url(action, *args)


class ResultsView(ObjectViewMixin, View):
    """Learning gain by participant, agency and topic, with charts."""

    model = Conference

    def get(self, request, pk):
        from pckb.training.reports import gain_tables

        conference = self.get_object(access.VIEW)
        if not access.has_action(request.user, KnowledgeTest, access.VIEW):
            raise Http404
        return render(
            request,
            "training/results.html",
            {
                "object": conference,
                "title": _("Kết quả: {name}").format(name=conference),
                **gain_tables(conference),
            },
        )


class ConferenceFileView(ObjectViewMixin, View):
    """Downloads: attendance and results (XLSX), report (DOCX, PDF), certificates (PDF), letter (DOCX)."""

    model = Conference

    def get(self, request, pk, kind):
        from pckb.audit.choices import AuditAction
        from pckb.audit.services import audit_record
        from pckb.training import reports

        conference = self.get_object(access.EXPORT)
        makers = {
            "diem-danh.xlsx": reports.attendance_xlsx,
            "ket-qua.xlsx": reports.results_xlsx,
            "bao-cao.docx": reports.report_docx,
            "bao-cao.pdf": reports.report_pdf,
            "chung-nhan.pdf": lambda c: reports.certificates_pdf(c, request),
        }
        if kind not in makers:
            raise Http404
        made = makers[kind](conference)
        if made is None:
            messages.error(request, _("Chưa có giấy chứng nhận nào được cấp."))
            return HttpResponseRedirect(conference.get_absolute_url())
        content, content_type = made
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            obj=conference,
            object_repr=_("Tải {kind}: {name}").format(kind=kind, name=conference),
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{conference.pk}-{kind}"'
        return response


class InvitationLetterView(ObjectViewMixin, View):
    model = Invitation

    def get(self, request, pk):
        from pckb.training import reports

        invitation = self.get_object(access.VIEW)
        content = reports.invitation_docx(invitation)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f'attachment; filename="giay-moi-{invitation.pk}.docx"'
        return response


class CertificateRevokeView(ObjectViewMixin, View):
    model = Certificate

    def post(self, request, pk):
        certificate = self.get_object(access.CHANGE)
        try:
            training.certificate_revoke(actor=request.user, certificate=certificate)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thu hồi giấy chứng nhận {n}.").format(n=certificate.number))
        return HttpResponseRedirect(reverse("training:participant", args=[certificate.participant_id]))


class CertificatesIssueView(ObjectViewMixin, View):
    model = Conference

    def post(self, request, pk):
        conference = self.get_object(access.CHANGE)
        created = training.certificates_issue(actor=request.user, conference=conference)
        messages.success(request, _("Đã cấp {n} giấy chứng nhận.").format(n=len(created)))
        return HttpResponseRedirect(conference.get_absolute_url())


class ConferenceAdvanceView(ObjectViewMixin, View):
    model = Conference

    def post(self, request, pk):
        conference = self.get_object(access.CHANGE)
        try:
            training.conference_advance(
                actor=request.user, conference=conference, status=request.POST["status"]
            )
        except (ValidationError, KeyError, ValueError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [_("Trạng thái không hợp lệ.")])))
        return HttpResponseRedirect(conference.get_absolute_url())


class CalendarView(LoginRequiredMixin, View):
    """Upcoming conferences in the user's scope as iCalendar (RFC 5545)."""

    def get(self, request):
        from pckb.training.reports import icalendar

        body = icalendar(selectors.upcoming_conferences(request.user), request)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="hoi-nghi-tap-huan.ics"'
        return response


class CoverageView(LoginRequiredMixin, View):
    """Who has been trained on which topic in the last 12 months; units with no trained officer."""

    def get(self, request):
        if not access.has_action(request.user, Participant, access.VIEW):
            raise Http404
        from pckb.training.reports import coverage_charts

        rows, untrained, since = selectors.training_coverage(request.user)
        topics = list(Topic.objects.filter(active=True).values_list("title", flat=True))
        return render(
            request,
            "training/coverage.html",
            {
                "title": _("Độ bao phủ tập huấn"),
                "rows": rows,
                "untrained": untrained[:500],
                "untrained_count": len(untrained),
                "since": since,
                "topics": topics,
                "charts": coverage_charts(rows, topics),
            },
        )
