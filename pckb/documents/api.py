"""REST endpoints of the documents module under /api/v1/documents/ — same access layer, same services."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.documents import services
from pckb.documents.fields import CONCLUSION, DOCUMENT, DOCUMENT_FILE_API, MEETING, REGISTER_ENTRY
from pckb.documents.filtersets import DocumentFilterSet, RegisterEntryFilterSet
from pckb.documents.models import Conclusion, Document, DocumentFile, Meeting, RegisterEntry
from pckb.plans.models import Task

TAG = "Văn bản"
router = Router(tags=[TAG])

register_crud(
    router,
    model=Document,
    prefix="documents/documents",
    out_schema=DOCUMENT.out_schema,
    in_schema=DOCUMENT.in_schema,
    patch_schema=DOCUMENT.patch_schema,
    filterset_class=DocumentFilterSet,
    tag=TAG,
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
    model=Conclusion,
    prefix="documents/conclusions",
    out_schema=CONCLUSION.out_schema,
    in_schema=CONCLUSION.in_schema,
    patch_schema=CONCLUSION.patch_schema,
    tag=TAG,
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
    out_schema=CONCLUSION.out_schema,
    operation_id="documents_meeting_conclusions",
    summary="Các kết luận của một cuộc họp",
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
