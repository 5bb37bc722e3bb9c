"""Writes of the planner: team types (with the categories and targets they may cover) and planning runs.
Each write is one durable, audited transaction; a run is solved before its transaction opens, and a
run the engine refuses is not saved at all."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pckb.core import access, errors, services
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.core.services import OutOfScope, service_transaction
from pckb.deployment import selectors
from pckb.deployment.models import PlanningRun, TeamType
from pckb.deployment.planner import GameError, Rule, build_game, solve_run


def _check_targets(team_type: TeamType, targets) -> None:
    path = team_type.committee.unit.path
    outside = [t.name for t in targets if not t.unit.path.startswith(path)]
    if outside:
        raise ValidationError(
            {
                "targets": _("Mục tiêu ngoài địa bàn của Ban Chỉ đạo: {names}.").format(
                    names=", ".join(outside)
                )
            }
        )


def _m2m(team_type: TeamType) -> dict:
    return {
        "categories": sorted(team_type.categories.values_list("pk", flat=True)),
        "targets": sorted(team_type.targets.values_list("pk", flat=True)),
    }


def team_type_save(*, actor, instance: TeamType, changes: dict | None, categories, targets) -> TeamType:
    """Create (``changes`` None) or update a team type and set the categories and specific targets its
    teams may cover; one audit entry records the fields and both lists."""
    categories, targets = list(categories), list(targets)
    creating = instance.pk is None
    if not access.has_action(actor, TeamType, access.ADD if creating else access.CHANGE):
        raise errors.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    with service_transaction():
        before = None
        if not creating:
            current = services.object_get(
                actor=actor, model=TeamType, action=access.CHANGE, pk=instance.pk, lock=True
            )
            before = {**snapshot(current), **_m2m(current)}
            for name, value in (changes or {}).items():
                setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        _check_targets(instance, targets)
        instance.categories.set(categories)
        instance.targets.set(targets)
        if not access.can(actor, access.ADD if creating else access.CHANGE, instance):
            raise OutOfScope(_("Đối tượng sau khi lưu nằm ngoài phạm vi hoặc mức mật của bạn."))
        after = {**snapshot(instance), **_m2m(instance)}
        if creating:
            audit_record(actor=actor, action=AuditAction.CREATE, obj=instance, after=after)
        elif after != before:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=instance, before=before, after=after)
    return instance


def planning_run_create(*, actor, run: PlanningRun, team_types) -> PlanningRun:
    """Pick the targets ``actor`` may see under the run's filters, derive their payoffs from their latest
    risk assessments, solve, compute the baselines, robust plans and daily orders, and save the run with
    its inputs and outputs. The run is at least as classified as its most classified target."""
    if not access.has_action(actor, PlanningRun, access.ADD):
        raise errors.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    team_types = list(team_types)
    if not team_types:
        raise ValidationError({"team_types": _("Chọn ít nhất một loại tổ, đội.")})
    if run.committee_id and any(t.committee_id != run.committee_id for t in team_types):
        raise ValidationError({"team_types": _("Chỉ chọn loại tổ, đội của Ban Chỉ đạo này.")})
    run.full_clean(exclude=["game", "solution", "outputs"])
    qs = selectors.candidate_targets(
        actor, committee=run.committee, area=run.area, category=run.category, min_level=run.min_level
    )
    targets = selectors.target_rows(qs)
    if not targets:
        raise ValidationError(_("Không có mục tiêu nào đã đánh giá rủi ro theo điều kiện đã chọn."))
    teams = selectors.team_rows(actor, team_types)
    rule = Rule(run.defender_weight, run.covered_fraction, run.attacker_weight, run.attacker_penalty)
    game, unused = build_game(targets, teams, rule)
    if not game["teams"]:
        raise ValidationError(
            {
                "team_types": _(
                    "Các loại tổ, đội đã chọn không được bố trí ở mục tiêu nào trong phạm vi đã chọn."
                )
            }
        )
    try:
        result = solve_run(
            game, beta=run.beta, lam=run.lam, days=run.days, seed=run.seed, start=run.start_date
        )
    except GameError as exc:
        raise ValidationError(_("Không giải được bài toán: {error}").format(error=exc)) from exc
    outputs = result["outputs"]
    outputs["unused_team_types"] = unused
    outputs["team_types"] = [t.pk for t in team_types]
    outputs["unassessed"] = selectors.unassessed_count(
        actor, committee=run.committee, area=run.area, category=run.category
    )
    outputs["targets"] = {t.key: {"score": t.score, "level": t.level, "unit": t.unit} for t in targets}
    run.classification = max(run.classification or 0, *(t.classification for t in targets))
    run.game, run.solution, run.outputs = game, result["solution"], outputs
    run.target_count = len(targets)
    run.team_count = sum(team["count"] for team in game["teams"])
    run.expected_loss = outputs["expected_loss"]
    # Saved here rather than by ``object_create``: its second ``full_clean`` would serialise the game and
    # outputs once more only to validate them (the inputs were validated above; the outputs are ours).
    with service_transaction():
        run.save()
        if not access.can(actor, access.ADD, run):
            raise OutOfScope(_("Đối tượng sau khi lưu nằm ngoài phạm vi hoặc mức mật của bạn."))
        audit_record(actor=actor, action=AuditAction.CREATE, obj=run, after=snapshot(run))
    return run


def planning_run_delete(*, actor, run: PlanningRun) -> None:
    services.object_delete(actor=actor, instance=run)


__all__ = ["planning_run_create", "planning_run_delete", "team_type_save"]
