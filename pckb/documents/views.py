"""Pages of the documents module: the register of documents with their files and register entries, the
incoming and outgoing registers, the list of every document (with the directory's decisions and the
training module's documents), and committee meetings with attendance and conclusions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core import access
from pckb.core.views import (
    Download,
    ModelPageView,
    ObjectActionView,
    ObjectChildView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.documents import selectors, services
from pckb.documents.choices import Direction
from pckb.documents.fields import CONCLUSION, DOCUMENT, DOCUMENT_FILE, MEETING, REGISTER_ENTRY
from pckb.documents.filtersets import DocumentFilterSet, MeetingFilterSet, RegisterEntryFilterSet
from pckb.documents.forms import AttendanceForm, ConclusionForm, DocumentForm
from pckb.documents.models import (
    Conclusion,
    Document,
    DocumentFile,
    Meeting,
    MeetingAttendance,
    RegisterEntry,
)
from pckb.plans.models import Task


def _m2m_changes(form, skip: str) -> dict:
    return {n: getattr(form.instance, n) for n in form.changed_data if n in form.cleaned_data and n != skip}


# --- Documents ------------------------------------------------------------------------------------------
class DocumentListView(ObjectListView):
    fields = DOCUMENT
    filterset_class = DocumentFilterSet

    @property
    def extra_links(self):
        """The registers only for those who may read them (a focal point reads documents, not registers)."""
        links = [(gettext_lazy("Tất cả văn bản"), "documents:all")]
        if access.has_action(self.request.user, RegisterEntry, access.VIEW):
            links[:0] = [
                (gettext_lazy("Sổ văn bản đến"), "documents:incoming"),
                (gettext_lazy("Sổ văn bản đi"), "documents:outgoing"),
            ]
        return links


class DocumentDetailView(ObjectDetailView):
    fields = DOCUMENT
    select_related = ("committee", "issuer_committee", "issuer_agency", "signer_position")

    def extra_context(self, document) -> dict:
        user = self.request.user
        access.withhold_related(user, [document])
        can_change = access.can(user, access.CHANGE, document)
        return {
            "issuer_committee": access.related(document, "issuer_committee"),
            "issuer_agency": access.related(document, "issuer_agency"),
            "signer_position": access.related(document, "signer_position"),
            "recipients": access.restrict(document.recipient_agencies.all(), user),
            "files": selectors.document_files(user, document),
            "entries": selectors.document_entries(user, document),
            "can_add_file": can_change and access.has_action(user, DocumentFile, access.ADD),
            "can_enter": access.has_action(user, RegisterEntry, access.ADD),
        }


class DocumentEditView(ObjectEditView):
    fields = DOCUMENT
    form_class = DocumentForm

    def create(self, form):
        return services.document_save(
            actor=self.request.user,
            document=form.instance,
            recipients=form.cleaned_data["recipient_agencies"],
        )

    def update(self, form):
        return services.document_save(
            actor=self.request.user,
            document=form.instance,
            changes=_m2m_changes(form, "recipient_agencies"),
            recipients=form.cleaned_data["recipient_agencies"],
        )


class DocumentFileAddView(ObjectEditView):
    """Upload a file (a new version) from the document's page: ``?document=<id>``."""

    fields = DOCUMENT_FILE
    parent_field = "document"

    def create(self, form):
        return services.document_file_add(actor=self.request.user, upload=form.instance)


class DocumentFileDownloadView(ObjectFileView):
    """Files are served only through the access layer (never as public media)."""

    model = DocumentFile

    def make(self, obj, **kwargs) -> Download | None:
        return Download(obj.file, "", obj.filename) if obj.file else None


class AllDocumentsView(ModelPageView):
    """Every document the user may see: this module's, the directory's decisions and training documents."""

    model = Document
    template_name = "documents/all.html"
    title = gettext_lazy("Tất cả văn bản")

    def context(self) -> dict:
        query = self.request.GET.get("q", "").strip()
        rows, truncated = selectors.all_documents(self.request.user, query)
        return {"rows": rows, "truncated": truncated, "q": query}


# --- Registers ------------------------------------------------------------------------------------------
class RegisterListView(ObjectListView):
    """Sổ văn bản: every register entry; the incoming and outgoing registers open it with their own filter
    chosen (and shown chosen in the filter form)."""

    fields = REGISTER_ENTRY
    filterset_class = RegisterEntryFilterSet
    select_related = ("document",)
    direction = ""
    bulk_delete = False

    def filtered(self, qs):
        data = self.request.GET.copy()
        if self.direction and not data.get("direction"):
            data["direction"] = self.direction
        filterset = self.filterset_class(data or None, queryset=qs, request=self.request)
        return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else qs)


class IncomingRegisterView(RegisterListView):
    direction = Direction.INCOMING


class OutgoingRegisterView(RegisterListView):
    direction = Direction.OUTGOING


class RegisterEntryDetailView(ObjectDetailView):
    fields = REGISTER_ENTRY
    parent_field = "document"
    select_related = ("document",)


class RegisterEntryEditView(ObjectEditView):
    """Enter a document in a register (from its page: ``?document=<id>&direction=…``): the service gives the
    number. Editing corrects the date, the counterpart and the handling note."""

    fields = REGISTER_ENTRY
    parent_field = "document"

    def initial(self) -> dict:
        return {"entry_date": timezone.localdate(), "direction": self.request.GET.get("direction", "")}

    def create(self, form):
        return services.register_entry_create(actor=self.request.user, entry=form.instance)


# --- Meetings -------------------------------------------------------------------------------------------
class MeetingListView(ObjectListView):
    fields = MEETING
    filterset_class = MeetingFilterSet


class MeetingDetailView(ObjectDetailView):
    fields = MEETING
    select_related = ("committee", "conclusion_document")

    def extra_context(self, meeting) -> dict:
        user = self.request.user
        access.withhold_related(user, [meeting])
        conclusions = selectors.meeting_conclusions(user, meeting)
        can_change = access.can(user, access.CHANGE, meeting)
        return {
            "conclusion_document": access.related(meeting, "conclusion_document"),
            "attendance": selectors.meeting_attendance(user, meeting),
            "conclusions": conclusions,
            "can_attend": can_change and access.has_action(user, MeetingAttendance, access.ADD),
            "can_add_conclusion": can_change and access.has_action(user, Conclusion, access.ADD),
            "can_assign": can_change
            and access.has_action(user, Task, access.ADD)
            and any(c.task_id is None for c in conclusions),
        }


class MeetingAttendanceView(ObjectChildView):
    """Điểm danh: one choice per seat of the committee on the meeting's date."""

    model = Meeting
    parent_action = access.CHANGE
    child_model = MeetingAttendance
    child_action = access.ADD
    form_class = AttendanceForm
    template_name = "documents/attendance.html"
    title = gettext_lazy("Điểm danh: {name}")

    def form_kwargs(self, meeting) -> dict:
        rows = selectors.meeting_seats(self.request.user, meeting)
        current = {a.position_id: a.status for a in selectors.meeting_attendance(self.request.user, meeting)}
        return {"rows": rows, "current": current}

    def perform(self, meeting, form) -> str:
        services.meeting_attendance_record(actor=self.request.user, meeting=meeting, statuses=form.statuses())
        return meeting.get_absolute_url()


class MeetingAssignView(ObjectActionView):
    """Turn the meeting's conclusions into tasks, all in one action."""

    model = Meeting
    action = access.CHANGE
    child_model = Task
    child_action = access.ADD

    def perform(self, meeting, form) -> str:
        tasks = services.meeting_conclusions_assign(actor=self.request.user, meeting=meeting)
        return _("Đã giao {n} nhiệm vụ từ kết luận cuộc họp.").format(n=len(tasks))


class ConclusionEditView(ObjectEditView):
    fields = CONCLUSION
    form_class = ConclusionForm
    parent_field = "meeting"

    def create(self, form):
        return services.conclusion_save(
            actor=self.request.user,
            conclusion=form.instance,
            supporting=form.cleaned_data["supporting_agencies"],
        )

    def update(self, form):
        return services.conclusion_save(
            actor=self.request.user,
            conclusion=form.instance,
            changes=_m2m_changes(form, "supporting_agencies"),
            supporting=form.cleaned_data["supporting_agencies"],
        )


class ConclusionDetailView(ObjectDetailView):
    fields = CONCLUSION
    parent_field = "meeting"
