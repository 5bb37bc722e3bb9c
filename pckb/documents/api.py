"""REST endpoints of the documents module under /api/v1/documents/ — same access layer, same services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.documents import selectors, services
from pckb.documents.fields import (
    ATTENDANCE,
    CONCLUSION,
    DOCUMENT,
    DOCUMENT_FILE_API,
    MEETING,
    REGISTER_ENTRY,
)
from pckb.documents.filtersets import DocumentFilterSet, RegisterEntryFilterSet
from pckb.documents.models import (
    Conclusion,
    Document,
    DocumentFile,
    Meeting,
    MeetingAttendance,
    RegisterEntry,
)
from pckb.plans.models import Task

TAG = "Văn bản"
router = Router(tags=[TAG])

# Recipient agencies (and a conclusion's supporting agencies) are lists of agency ids: read as the reader may
# see them, written through the module's services, each agency checked through the access layer.
register_crud(
    router,
    prefix="documents/documents",
    fields=DOCUMENT,
    filterset_class=DocumentFilterSet,
    tag=TAG,
    create=lambda actor, document, many: services.document_save(
        actor=actor, document=document, recipients=many.get("recipient_agencies")
    ),
    update=lambda actor, document, changes, many: services.document_save(
        actor=actor, document=document, changes=changes, recipients=many.get("recipient_agencies")
    ),
)
# Files are uploaded on the page; the API reads them (their versions and notes).
register_crud(
    router, model=DocumentFile, prefix="documents/files", out_schema=DOCUMENT_FILE_API.out_schema, tag=TAG
)
# Register entries are numbered by the service: read here, added by the endpoint below.
register_crud(
    router,
    model=RegisterEntry,
    prefix="documents/entries",
    out_schema=REGISTER_ENTRY.out_schema,
    filterset_class=RegisterEntryFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=Meeting,
    prefix="documents/meetings",
    out_schema=MEETING.out_schema,
    in_schema=MEETING.in_schema,
    patch_schema=MEETING.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    prefix="documents/conclusions",
    fields=CONCLUSION,
    tag=TAG,
    create=lambda actor, conclusion, many: services.conclusion_save(
        actor=actor, conclusion=conclusion, supporting=many.get("supporting_agencies")
    ),
    update=lambda actor, conclusion, changes, many: services.conclusion_save(
        actor=actor, conclusion=conclusion, changes=changes, supporting=many.get("supporting_agencies")
    ),
)
register_children(
    router,
    parent=Document,
    path="documents/documents/{pk}/files",
    child=DocumentFile,
    fk="document",
    out_schema=DOCUMENT_FILE_API.out_schema,
    operation_id="documents_document_files",
    summary="Các tệp (phiên bản) của một văn bản",
)
register_children(
    router,
    parent=Document,
    path="documents/documents/{pk}/entries",
    child=RegisterEntry,
    fk="document",
    out_schema=REGISTER_ENTRY.out_schema,
    operation_id="documents_document_entries",
    summary="Các lần vào sổ của một văn bản",
)
register_children(
    router,
    parent=Meeting,
    path="documents/meetings/{pk}/conclusions",
    child=Conclusion,
    fk="meeting",
    fields=CONCLUSION,
    operation_id="documents_meeting_conclusions",
    summary="Các kết luận của một cuộc họp",
)

register_children(
    router,
    parent=Meeting,
    path="documents/meetings/{pk}/attendance",
    child=MeetingAttendance,
    fk="meeting",
    fields=ATTENDANCE,
    operation_id="documents_meeting_attendance",
    summary="Điểm danh của một cuộc họp",
)


class AttendanceIn(Schema):
    """The seats to record (one or more; a seat not sent keeps what was recorded)."""

    seats: list[ATTENDANCE.in_schema] = Field(..., min_length=1, max_length=500)


def _record_attendance(request, meeting, payload):
    """Seats are those of the committee on the meeting's date with a holder the user may see (the
    attendance page's rows); the holder is taken from the composition, never from the request."""
    seated = {row.position.pk: row for row in selectors.meeting_seats(request.user, meeting)}
    problems, statuses, seen = [], {}, set()
    for seat in payload.seats:
        row = seated.get(seat.position)
        if seat.position in seen:
            problems.append(_("Vị trí mã {id} được gửi hai lần.").format(id=seat.position))
        elif row is None:
            problems.append(
                _(
                    "Vị trí mã {id} không có trong thành phần Ban Chỉ đạo vào ngày họp "
                    "hoặc chưa có người đảm nhiệm."
                ).format(id=seat.position)
            )
        else:
            statuses[row.position] = (row.membership, seat.status)
        seen.add(seat.position)
    if problems:
        raise ApiValidationError({"position": problems})
    services.meeting_attendance_record(actor=request.user, meeting=meeting, statuses=statuses)
    return selectors.meeting_attendance(request.user, meeting)


register_action(
    router,
    model=Meeting,
    path="documents/meetings/{pk}/attendance",
    perform=_record_attendance,
    in_schema=AttendanceIn,
    out_schema=list[ATTENDANCE.out_schema],
    child_model=MeetingAttendance,
    child_action=access.ADD,
    operation_id="documents_meeting_attendance_record",
    summary="Ghi điểm danh cuộc họp (các thành viên theo thành phần Ban Chỉ đạo vào ngày họp)",
)


class AssignOut(Schema):
    tasks: list[int]


register_action(
    router,
    model=Meeting,
    path="documents/meetings/{pk}/assign",
    perform=lambda request, meeting, payload: {
        "tasks": [t.pk for t in services.meeting_conclusions_assign(actor=request.user, meeting=meeting)]
    },
    out_schema=AssignOut,
    child_model=Task,
    child_action=access.ADD,
    operation_id="documents_meeting_assign",
    summary="Giao các kết luận của cuộc họp thành nhiệm vụ",
)


@router.post(
    "/documents/entries/",
    response={201: REGISTER_ENTRY.out_schema, 422: ErrorOut, 403: ErrorOut},
    tags=[TAG],
    operation_id="registerentry_create",
)
def create_entry(request, payload: REGISTER_ENTRY.in_schema):
    if not access.has_action(request.user, RegisterEntry, access.ADD):
        raise HttpError(403, "Bạn không có quyền vào sổ văn bản.")
    data = _resolve_foreign_keys(RegisterEntry, request.user, payload.dict())
    try:
        saved = services.register_entry_create(actor=request.user, entry=RegisterEntry(**data))
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc
    return Status(201, access.get_or_404(RegisterEntry, request.user, access.VIEW, pk=saved.pk))
