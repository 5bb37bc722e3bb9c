"""Writes to the directory. Plain create/update/delete use the generic audited services; the
reconstitution (kiện toàn) applies a decision that ends and starts memberships in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot
from pckb.core import access, services
from pckb.directory.models import Agency, Committee, Decision, Membership, Person, Position
from pckb.directory.selectors import CompositionRow, committee_composition


@dataclass(frozen=True)
class SeatChange:
    """For one position: who holds it from the effective date (``None`` leaves it vacant)."""

    position: Position
    person: Person | None


class PlanChanged(ValidationError):
    """The committee's seats changed between the preview and the confirmation."""


@dataclass(frozen=True)
class SeatPlan:
    """One seat in a reconstitution plan: who holds it now (as the user sees it) and who holds it after."""

    number: int
    position: Position
    leaving: Person | None
    joining: Person | None

    @property
    def changed(self) -> bool:
        return self.leaving != self.joining


@dataclass(frozen=True)
class ReconstitutionPlan:
    """What a kiện toàn will do, computed without writing: seats that change hands and seats that stay.

    ``token`` fingerprints the current holders the plan was computed from, so a confirmation applies
    exactly the previewed plan or is refused when the committee changed in between."""

    effective: dt.date
    seats: list[SeatPlan] = field(default_factory=list)
    token: str = ""

    @property
    def last_day(self) -> dt.date:
        """The last day of the leaving holders (the day before the effective date)."""
        return self.effective - dt.timedelta(days=1)

    @property
    def changed(self) -> list[SeatPlan]:
        return [s for s in self.seats if s.changed]

    @property
    def leaving(self) -> list[SeatPlan]:
        return [s for s in self.seats if s.changed and s.leaving is not None]

    @property
    def joining(self) -> list[SeatPlan]:
        return [s for s in self.seats if s.changed and s.joining is not None]

    @property
    def unchanged(self) -> list[SeatPlan]:
        return [s for s in self.seats if not s.changed]

    @property
    def changes(self) -> list[SeatChange]:
        return [SeatChange(position=s.position, person=s.joining) for s in self.changed]


def agency_subtrees(agency_ids) -> dict[int, set[int]]:
    """For each agency id: itself and every agency below it (``Agency.parent``), one query per level."""
    roots = set(agency_ids)
    children: dict[int, list[int]] = {}
    seen, frontier = set(roots), set(roots)
    while frontier:
        rows = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", "parent_id"))
        frontier = set()
        for pk, parent_id in rows:
            children.setdefault(parent_id, []).append(pk)
            if pk not in seen:
                seen.add(pk)
                frontier.add(pk)
    trees = {}
    for root in roots:
        tree, stack = set(), [root]
        while stack:
            pk = stack.pop()
            if pk not in tree:
                tree.add(pk)
                stack.extend(children.get(pk, ()))
        trees[root] = tree
    return trees


def reconstitution_candidates(*, user, rows: list[CompositionRow]) -> dict[int, object]:
    """The people who may take each seat: those of the seat's agency and of its sub-units, as far as the
    user may see them. Keyed by position id."""
    trees = agency_subtrees({row.position.agency_id for row in rows})
    return {
        row.position.pk: Person.objects.restrict(user, access.VIEW)
        .filter(agency_id__in=trees[row.position.agency_id])
        .select_related("agency")
        for row in rows
    }


def _plan_token(rows: list[CompositionRow]) -> str:
    state = [
        [row.position.pk, row.membership.pk, row.membership.person_id, str(row.membership.valid_from)]
        if row.membership
        else [row.position.pk, None]
        for row in rows
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]


def reconstitution_plan(
    *,
    actor,
    committee: Committee,
    effective: dt.date,
    holders: dict[int, Person | None],
    rows: list[CompositionRow] | None = None,
) -> ReconstitutionPlan:
    """Preview a kiện toàn: for every seat, who leaves, who joins, or who stays. Writes nothing.

    ``holders`` maps a position id to the person who holds it from ``effective`` (``None``: vacant); a seat
    left out keeps its holder. Raises ``ValidationError`` (Vietnamese messages) when the plan cannot be
    applied: a person out of reach or of another agency, one person on two seats, no change at all, or an
    effective date not after a leaving holder's start."""
    if rows is None:
        rows = committee_composition(actor, committee)
    errors = []
    known = {row.position.pk for row in rows}
    for position_id in holders:
        if position_id not in known:
            errors.append(_("Một vị trí được chọn không thuộc Ban Chỉ đạo này."))
    trees = agency_subtrees({row.position.agency_id for row in rows})
    seats = []
    for row in rows:
        current = row.membership.person if row.membership else None
        joining = holders.get(row.position.pk, current)
        seat = SeatPlan(number=row.number, position=row.position, leaving=current, joining=joining)
        seats.append(seat)
        if not seat.changed:
            continue
        if joining is not None:
            if not access.can(actor, access.VIEW, joining):
                errors.append(_("Không tìm thấy cán bộ cho vị trí “{p}”.").format(p=row.position))
            elif joining.agency_id not in trees[row.position.agency_id]:
                errors.append(
                    _("Vị trí “{p}”: {person} không thuộc {agency} hoặc đơn vị trực thuộc.").format(
                        p=row.position, person=joining, agency=row.position.agency
                    )
                )
        if row.membership is not None and row.membership.valid_from >= effective:
            errors.append(
                _("Vị trí “{p}”: ngày hiệu lực phải sau ngày bắt đầu của người đang đảm nhiệm ({d}).").format(
                    p=row.position, d=row.membership.valid_from.strftime("%d/%m/%Y")
                )
            )
    joiners = [s.joining.pk for s in seats if s.changed and s.joining is not None]
    staying = {s.leaving.pk for s in seats if not s.changed and s.leaving is not None}
    if len(joiners) != len(set(joiners)) or staying.intersection(joiners):
        errors.append(_("Một cán bộ được chọn cho nhiều vị trí."))
    if not any(s.changed for s in seats):
        errors.append(_("Chưa có thay đổi nào để kiện toàn."))
    if errors:
        raise ValidationError(errors)
    return ReconstitutionPlan(effective=effective, seats=seats, token=_plan_token(rows))


def committee_reconstitute(
    *,
    actor,
    committee: Committee,
    decision: Decision,
    effective: dt.date,
    changes: list[SeatChange],
    expected_token: str | None = None,
) -> Decision:
    """Apply a kiện toàn decision: end the current holders of the changed positions the day before
    ``effective`` and start the new holders on ``effective``, all or nothing, audited.

    With ``expected_token`` (from ``reconstitution_plan``) the seats are locked and checked first: when
    a holder changed since the preview, ``PlanChanged`` is raised and nothing is written."""
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
        if expected_token is not None:
            list(
                Membership.objects.select_for_update()
                .filter(position__committee=committee, valid_to__isnull=True)
                .values_list("pk", flat=True)
            )
            if _plan_token(committee_composition(actor, committee)) != expected_token:
                raise PlanChanged(
                    _(
                        "Thành phần Ban Chỉ đạo đã thay đổi sau khi xem trước; "
                        "hãy kiểm tra lại trước khi áp dụng."
                    )
                )
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
