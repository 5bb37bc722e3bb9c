"""One declaration per model of the fields people edit and the list shows; the forms, the API schemas and
the list columns are derived from it (see ``pckb.core.declarations``)."""

from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.documents.models import (
    Conclusion,
    Document,
    DocumentFile,
    Meeting,
    MeetingAttendance,
    RegisterEntry,
)


def _date(obj):
    return obj.date.strftime("%d/%m/%Y")


def _entry_date(entry):
    return entry.entry_date.strftime("%d/%m/%Y")


def _entry_number(entry):
    return f"{entry.number}/{entry.year}"


def _deadline(conclusion):
    return conclusion.deadline.strftime("%d/%m/%Y")


DOCUMENT = ModelFields(
    Document,
    fields=(
        "committee",
        "kind",
        "number",
        "date",
        "issuer_committee",
        "issuer_agency",
        "issuer_name",
        "subject",
        "signer_position",
        "signer_title",
        "urgency",
        "recipient_agencies",
        "recipients_text",
        "classification",
    ),
    columns=(
        "number",
        "kind",
        Column(_date, _("Ngày ban hành"), order_by="date"),
        "issuer_name",
        "subject",
        "urgency",
    ),
    link="number",
)
DOCUMENT_FILE = ModelFields(
    DocumentFile, fields=("document", "file", "note"), columns=("document", "version", "note", "uploaded_by")
)
DOCUMENT_FILE_API = ModelFields(
    DocumentFile, fields=("document", "note"), read_only=("version", "uploaded_by")
)
REGISTER_ENTRY = ModelFields(
    RegisterEntry,
    fields=("document", "direction", "entry_date", "counterpart", "handling"),
    read_only=("number", "year", "clerk"),
    columns=(
        Column(_entry_number, _("Số đến/đi"), order_by="number"),
        Column(_entry_date, _("Ngày đến/đi"), order_by="entry_date"),
        "document",
        "counterpart",
        "handling",
    ),
    link="document",
)
MEETING = ModelFields(
    Meeting,
    fields=(
        "committee",
        "title",
        "date",
        "venue",
        "chaired_by",
        "agenda",
        "minutes",
        "conclusion_document",
        "classification",
    ),
    columns=("title", "committee", Column(_date, _("Ngày họp"), order_by="date"), "venue"),
)
CONCLUSION = ModelFields(
    Conclusion,
    fields=("meeting", "number", "text", "lead_agency", "supporting_agencies", "deadline"),
    read_only=("task",),
    columns=("text", "number", "lead_agency", Column(_deadline, _("Thời hạn"), order_by="deadline")),
    link="text",
)
#: Attendance is recorded for a whole meeting (the attendance page, ``POST …/meetings/{pk}/attendance``):
#: the seat and what its holder did; the holder is the seat's on the meeting's date, never sent.
ATTENDANCE = ModelFields(MeetingAttendance, fields=("position", "status"), read_only=("membership",))
