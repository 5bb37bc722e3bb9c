"""Delegates from a CSV file (one per line: name, agency, title), all or nothing, faults by line and column.

An official who is not yet in the directory is created there (with the title given) through the directory
service; every delegate is nominated through ``participant_nominate``, so quotas and duplicates are checked
exactly as in the form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pckb.core import access
from pckb.core.imports import ImportFailed, ImportFault, read_csv
from pckb.core.text import fold
from pckb.directory.imports import parse_agency
from pckb.directory.models import Person
from pckb.training import services as training
from pckb.training.models import Conference, Invitation

HEADERS = ["Họ và tên", "Cơ quan", "Chức vụ"]


def participants_import_csv(*, actor, conference: Conference, data: bytes) -> list:
    rows = read_csv(data)
    if not rows or [h.strip() for h in rows[0][:3]] != HEADERS[: len(rows[0][:3])] or len(rows[0]) < 2:
        raise ImportFailed(
            [ImportFault(1, None, "", _("Dòng đầu phải là: {h}.").format(h=", ".join(HEADERS)))]
        )
    invitations = {
        inv.agency_id: inv
        for inv in access.restrict(Invitation.objects.filter(conference=conference), actor).select_related(
            "agency"
        )
    }
    faults: list[ImportFault] = []
    created = []
    with transaction.atomic():
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            name = row[0].strip() if row else ""
            agency_raw = row[1].strip() if len(row) > 1 else ""
            title = row[2].strip() if len(row) > 2 else ""
            if not name:  # the row's other cells are still checked: every fault shows on one pass
                faults.append(ImportFault(line, 1, HEADERS[0], _("Không được để trống.")))
            try:
                agency = parse_agency(agency_raw, actor)
            except ValidationError as exc:
                faults.extend(ImportFault(line, 2, HEADERS[1], m) for m in exc.messages)
                continue
            refusal = training.nomination_refusal(actor, agency.pk)
            if refusal:
                faults.append(ImportFault(line, 2, HEADERS[1], refusal))
                continue
            invitation = invitations.get(agency.pk)
            if invitation is None:
                faults.append(ImportFault(line, 2, HEADERS[1], _("Cơ quan chưa được mời dự hội nghị này.")))
                continue
            if not name:
                continue
            person = next(
                (
                    p
                    for p in Person.objects.restrict(actor).filter(
                        agency=agency, search_text__contains=fold(name)
                    )
                    if fold(p.full_name) == fold(name)
                ),
                None,
            )
            try:
                with transaction.atomic():
                    if person is None:
                        if not title:
                            faults.append(ImportFault(line, 3, HEADERS[2], _("Người mới cần có chức vụ.")))
                            continue
                        created.append(
                            training.participant_nominate_new_person(
                                actor=actor, invitation=invitation, person=Person(full_name=name, title=title)
                            )
                        )
                    else:
                        created.append(
                            training.participant_nominate(actor=actor, invitation=invitation, person=person)
                        )
            except ValidationError as exc:
                faults.extend(ImportFault(line, None, "", m) for m in exc.messages)
            except PermissionDenied as exc:
                faults.append(ImportFault(line, None, "", str(exc)))
        if faults:
            transaction.set_rollback(True)
            raise ImportFailed(faults)
    return created
