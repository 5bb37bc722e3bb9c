"""Writes of the documents module, each in one transaction with its audit entry. Plain edits go through the
generic audited services (``core.services.object_*``); what the records clerk numbers (register entries,
file versions), the attendance of a meeting and turning its conclusions into tasks are here."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.core import access, errors, services
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.directory.models import Committee
from pckb.documents.models import (
    Conclusion,
    Document,
    DocumentFile,
    Meeting,
    MeetingAttendance,
    RegisterEntry,
)


def _actor_name(actor) -> str:
    return actor.get_full_name() or actor.get_username()


def _save(*, actor, obj, changes: dict | None, m2m: str, agencies):
    """Create (no pk yet) or update ``obj`` with its many-to-many list of agencies (``None``: unchanged),
    each chosen agency checked through the access layer; one audit entry with what changed."""
    if obj.pk is None:
        return services.object_create(actor=actor, instance=obj, many={m2m: agencies})
    return services.object_update(actor=actor, instance=obj, changes=changes or {}, many={m2m: agencies})


def document_save(*, actor, document: Document, changes: dict | None = None, recipients=None) -> Document:
    """Create (``changes`` None) or update a document with its recipient agencies (objects or ids)."""
    return _save(actor=actor, obj=document, changes=changes, m2m="recipient_agencies", agencies=recipients)


def conclusion_save(
    *, actor, conclusion: Conclusion, changes: dict | None = None, supporting=None
) -> Conclusion:
    """Create or update a meeting's conclusion with its supporting agencies (never the lead one too)."""
    if conclusion.pk and conclusion.task_id and changes:
        raise errors.ValidationError(_("Kết luận đã giao thành nhiệm vụ; sửa trên trang nhiệm vụ."))
    if supporting is not None:
        lead = (changes or {}).get("lead_agency", conclusion.lead_agency_id)
        lead_id = getattr(lead, "pk", lead)
        supporting = [a for a in supporting if getattr(a, "pk", a) != lead_id]
    return _save(actor=actor, obj=conclusion, changes=changes, m2m="supporting_agencies", agencies=supporting)


def document_file_add(*, actor, upload: DocumentFile) -> DocumentFile:
    """Add a file to a document the actor may change: it becomes the next version (earlier ones are kept)."""
    with services.service_transaction():
        document = services.object_get(
            actor=actor, model=Document, action=access.CHANGE, pk=upload.document_id, lock=True
        )
        last = DocumentFile.objects.filter(document=document).aggregate(v=Max("version"))["v"] or 0
        upload.document = document
        upload.version = last + 1
        upload.uploaded_by = _actor_name(actor)
        services.object_create(actor=actor, instance=upload)
    return upload


def register_entry_create(*, actor, entry: RegisterEntry) -> RegisterEntry:
    """Enter a document in its committee's incoming or outgoing register: the next number of that register
    in the year of the entry date (the committee row is locked so two clerks never get the same number)."""
    with services.service_transaction():
        document = services.object_get(actor=actor, model=Document, pk=entry.document_id)
        Committee.objects.select_for_update().filter(pk=document.committee_id).first()
        if not entry.entry_date:
            raise errors.ValidationError({"entry_date": [_("Nhập ngày đến/đi.")]})
        if RegisterEntry.objects.filter(document=document, direction=entry.direction).exists():
            raise errors.ValidationError(
                {
                    "direction": [
                        _("Văn bản này đã được vào {register}.").format(
                            register=entry.get_direction_display().lower()
                        )
                    ]
                }
            )
        entry.document = document
        entry.committee_id = document.committee_id
        entry.year = entry.entry_date.year
        last = RegisterEntry.objects.filter(
            committee_id=document.committee_id, direction=entry.direction, year=entry.year
        ).aggregate(n=Max("number"))["n"]
        entry.number = (last or 0) + 1
        entry.clerk = _actor_name(actor)
        services.object_create(actor=actor, instance=entry)
    return entry


def meeting_attendance_record(*, actor, meeting: Meeting, statuses: dict) -> int:
    """Record who attended (seat → (membership, status)) for a meeting the actor may change; seats are those
    of the committee on the meeting's date. Returns the number of seats recorded."""
    with services.service_transaction():
        meeting = services.object_get(
            actor=actor, model=Meeting, action=access.CHANGE, pk=meeting.pk, lock=True
        )
        existing = {a.position_id: a for a in MeetingAttendance.objects.filter(meeting=meeting)}
        before = {str(k): a.status for k, a in existing.items()}
        # A fixed number of queries whatever the number of seats: the references come from the committee's
        # composition (read by the caller), the seat is unique under the meeting's lock (and by the
        # database's constraint), so each row only checks its own values; then one insert and one update.
        new, changed, now = [], [], timezone.now()
        for position, (membership, status) in statuses.items():
            if position.committee_id != meeting.committee_id:
                raise errors.ValidationError(_("Chỉ điểm danh thành viên của Ban Chỉ đạo tổ chức cuộc họp."))
            row = existing.get(position.pk)
            if row is None:
                row = MeetingAttendance(meeting=meeting, position=position)
                new.append(row)
            elif (row.membership_id, row.status) != (getattr(membership, "pk", None), status):
                changed.append(row)
            else:
                continue
            row.membership, row.status, row.updated = membership, status, now
            row.full_clean(exclude=("meeting", "position", "membership"), validate_constraints=False)
        if new:
            for row in new:
                row.prepare_bulk_insert()
            MeetingAttendance.objects.bulk_create(new)
        if changed:
            MeetingAttendance.objects.bulk_update(changed, ("membership", "status", "updated"))
        after = {str(p.pk): s for p, (_m, s) in statuses.items()}
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=meeting,
            before={"attendance": before},
            after={"attendance": {**before, **after}},
        )
    return len(statuses)


def meeting_conclusions_assign(*, actor, meeting: Meeting) -> list:
    """Turn every conclusion of the meeting not yet assigned into a task of the meeting's committee, in one
    transaction (all or none), through the plans module's one service. Returns the tasks created."""
    from pckb.plans.services import task_from_outcome

    with services.service_transaction():
        meeting = services.object_get(
            actor=actor, model=Meeting, action=access.CHANGE, pk=meeting.pk, lock=True
        )
        pending = list(
            Conclusion.objects.filter(meeting=meeting, task__isnull=True)
            .select_related("lead_agency")
            .prefetch_related("supporting_agencies")
        )
        if not pending:
            raise errors.ValidationError(_("Không còn kết luận nào chưa giao thành nhiệm vụ."))
        tasks = []
        for conclusion in pending:
            task = task_from_outcome(
                actor=actor,
                committee=meeting.committee,
                title=conclusion.task_title,
                lead_agency=conclusion.lead_agency,
                deadline=conclusion.deadline,
                supporting=list(conclusion.supporting_agencies.all()),
                source=conclusion,
                source_label=_("Kết luận {number}, {meeting} ngày {day}").format(
                    number=conclusion.number, meeting=meeting.title, day=meeting.date.strftime("%d/%m/%Y")
                ),
                classification=meeting.classification,
            )
            conclusion.task = task
            conclusion.save(update_fields=["task"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=conclusion,
                before={"task": None},
                after={"task": task.pk},
            )
            tasks.append(task)
    return tasks
