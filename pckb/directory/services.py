"""Writes to the directory. Plain create/update/delete use the generic audited services; the
reconstitution (kiện toàn) applies a decision that ends and starts memberships in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot
from pckb.core import access, services
from pckb.directory.models import Committee, Decision, Membership, Person, Position


@dataclass(frozen=True)
class SeatChange:
    """For one position: who holds it from the effective date (``None`` leaves it vacant)."""

    position: Position
    person: Person | None


def committee_reconstitute(
    *,
    actor,
    committee: Committee,
    decision: Decision,
    effective: dt.date,
    changes: list[SeatChange],
) -> Decision:
    """Apply a kiện toàn decision: end the current holders of the changed positions the day before
    ``effective`` and start the new holders on ``effective``, all or nothing, audited."""
    committee = access.get_or_404(Committee, actor, access.CHANGE, pk=committee.pk)
    if not access.has_action(actor, Membership, access.ADD):
        raise ValidationError(_("Bạn không có quyền kiện toàn Ban Chỉ đạo."))
    errors = []
    for change in changes:
        if change.position.committee_id != committee.pk:
            errors.append(_("Vị trí “{p}” không thuộc Ban Chỉ đạo này.").format(p=change.position))
        if change.person is not None and not access.can(actor, access.VIEW, change.person):
            errors.append(_("Không tìm thấy cán bộ cho vị trí “{p}”.").format(p=change.position))
    people = [c.person.pk for c in changes if c.person is not None]
    if len(people) != len(set(people)):
        errors.append(_("Một cán bộ được chọn cho nhiều vị trí."))
    if not changes:
        errors.append(_("Chưa có thay đổi nào để kiện toàn."))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        decision.committee = committee
        services.object_create(actor=actor, instance=decision)
        ended, started = [], []
        for change in changes:
            current = (
                Membership.objects.select_for_update()
                .filter(position=change.position, valid_to__isnull=True)
                .first()
            )
            if current is not None and change.person is not None and current.person_id == change.person.pk:
                continue
            if current is not None:
                if current.valid_from >= effective:
                    raise ValidationError(
                        _(
                            "Vị trí “{p}”: ngày hiệu lực phải sau ngày bắt đầu "
                            "của người đang đảm nhiệm ({d})."
                        ).format(p=change.position, d=current.valid_from.strftime("%d/%m/%Y"))
                    )
                before = snapshot(current)
                current.valid_to = effective - dt.timedelta(days=1)
                current.end_decision = decision
                current.full_clean()
                current.save()
                audit_record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=current,
                    before=before,
                    after=snapshot(current),
                )
                ended.append(current)
            if change.person is not None:
                membership = Membership(
                    position=change.position, person=change.person, decision=decision, valid_from=effective
                )
                services.object_create(actor=actor, instance=membership)
                started.append(membership)
        audit_record(
            actor=actor,
            action=AuditAction.RECONSTITUTE,
            obj=committee,
            after={
                "decision": decision.pk,
                "effective": effective.isoformat(),
                "ended": [m.pk for m in ended],
                "started": [m.pk for m in started],
            },
        )
    return decision
