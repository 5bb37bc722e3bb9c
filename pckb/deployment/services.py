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
from pckb.deployment import choices as c
from pckb.deployment import selectors
from pckb.deployment.models import AttackerType, PlanningRun, TeamType
from pckb.deployment.planner import (
    AttackerRule,
    GameError,
    PlannerInputError,
    Rule,
    build_game,
    solve_run,
    team_label,
)
from pckb.protection.models import Target


def _check_targets(actor, team_type: TeamType) -> None:
    """Every specific target of a team type lies in its committee's area: those the actor may see are named,
    the others only counted."""
    path = team_type.committee.unit.path
    outside = set(team_type.targets.exclude(unit__path__startswith=path).values_list("pk", flat=True))
    if not outside:
        return
    seen = access.restrict(Target.objects.filter(pk__in=outside), actor).order_by("name")
    names = [t.name for t in seen]
    if len(names) < len(outside):
        names.append(_("{n} mục tiêu khác").format(n=len(outside) - len(names)))
    raise ValidationError(
        {"targets": _("Mục tiêu ngoài địa bàn của Ban Chỉ đạo: {names}.").format(names=", ".join(names))}
    )


def team_type_save(
    *, actor, instance: TeamType, changes: dict | None, categories=None, targets=None
) -> TeamType:
    """Create (``changes`` None) or update a team type and set the categories and specific targets its
    teams may cover (objects or ids; ``None``: unchanged). Each chosen object must be one the actor may see
    (else a ``ValidationError`` naming the list); a target the actor may not see stays; every target lies in
    the committee's area. One audit entry records the fields and both lists."""
    many = {"categories": categories, "targets": targets}
    with service_transaction():
        if changes is None:
            saved = services.object_create(actor=actor, instance=instance, many=many)
        else:
            saved = services.object_update(actor=actor, instance=instance, changes=changes, many=many)
        _check_targets(actor, saved)
    return saved


ATTACKER_FIELDS = (
    "name",
    "prior",
    "criticality_weight",
    "symbolism_weight",
    "population_weight",
    "size_weight",
    "threat_weight",
    "category_factor",
)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _attacker_types(run: PlanningRun, attacker_types) -> list[tuple[AttackerType, list]]:
    """Validate the run's attacker types (each ``{field: value, "categories": [...]}``): every field, names
    unique, at most ``MAX_ATTACKER_TYPES``, some criterion weighted, priors summing to 1. Returns unsaved
    rows with their categories."""
    rows = []
    problems: list[str] = []
    for number, data in enumerate(attacker_types, start=1):
        item = AttackerType(run=run, position=number, **{k: data[k] for k in ATTACKER_FIELDS if k in data})
        label = item.name or _("Loại đối tượng {number}").format(number=number)
        try:
            item.full_clean(exclude=["run"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = AttackerType._meta.get_field(field).verbose_name if field != "__all__" else ""
                problems.extend(f"{label}: {name}: {m}" if name else f"{label}: {m}" for m in messages)
            continue
        if not any(w > 0 for w in item.weights):
            problems.append(_("{label}: cần ít nhất một hệ số tiêu chí lớn hơn 0.").format(label=label))
        rows.append((item, list(data.get("categories", []))))
    if len(attacker_types) > c.MAX_ATTACKER_TYPES:
        problems.append(_("Tối đa {limit} loại đối tượng.").format(limit=c.MAX_ATTACKER_TYPES))
    names = [item.name.strip().casefold() for item, _cats in rows]
    if len(set(names)) != len(names):
        problems.append(_("Tên các loại đối tượng phải khác nhau."))
    if rows and not problems:
        total = sum(item.prior for item, _cats in rows)
        if abs(total - 1.0) > 1e-6:
            problems.append(
                _("Tổng xác suất (prior) của các loại đối tượng phải bằng 1 (hiện là {total}).").format(
                    total=_number(round(total, 6))
                )
            )
    if problems:
        raise ValidationError({"attacker_types": problems})
    return rows


def _input_error(exc: PlannerInputError) -> ValidationError:
    if exc.code == "route_limit":
        message = _(
            "Loại tổ cơ động “{team}” có {count} mục tiêu trong phạm vi đã chọn; chỉ lập tuyến được trên "
            "tối đa {limit} mục tiêu. Hãy thu hẹp địa bàn, loại mục tiêu hoặc cấp độ rủi ro, hoặc giới hạn "
            "mục tiêu của loại tổ."
        ).format(**exc.params)
    else:  # pragma: no cover - every code is listed above
        message = str(exc)
    return ValidationError({exc.field: message})


def planning_run_create(*, actor, run: PlanningRun, team_types, attacker_types=()) -> PlanningRun:
    """Pick the targets ``actor`` may see under the run's filters, derive their payoffs from their latest
    risk assessments (for each attacker type by its own rule), solve with the run's plan (routes for mobile
    team types), compute the baselines, robust plans and daily orders with each mobile team's route, and
    save the run with its attacker types, inputs and outputs. The run is at least as classified as its most
    classified target."""
    if not access.has_action(actor, PlanningRun, access.ADD):
        raise errors.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    team_types = list(team_types)
    if not team_types:
        raise ValidationError({"team_types": _("Chọn ít nhất một loại tổ, đội.")})
    if run.committee_id and any(t.committee_id != run.committee_id for t in team_types):
        raise ValidationError({"team_types": _("Chỉ chọn loại tổ, đội của Ban Chỉ đạo này.")})
    run.full_clean(exclude=["game", "solution", "outputs"])
    attackers = _attacker_types(run, list(attacker_types))
    if run.plan == c.Plan.MATCH and sum(1 for item, _cats in attackers if item.prior > 0) > 1:
        raise ValidationError(
            {
                "plan": _(
                    "Phương án MATCH chỉ dùng khi có một loại đối tượng; với nhiều loại đối tượng hãy chọn "
                    "phương án chuẩn hoặc phản ứng lượng tử."
                )
            }
        )
    qs = selectors.candidate_targets(
        actor,
        committee=run.committee,
        area=run.area,
        category=run.category,
        min_level=run.min_level,
        ratings=bool(attackers),
    )
    targets = selectors.target_rows(qs, ratings=bool(attackers))
    if not targets:
        raise ValidationError(_("Không có mục tiêu nào đã đánh giá rủi ro theo điều kiện đã chọn."))
    teams = selectors.team_rows(actor, team_types)
    rule = Rule(run.defender_weight, run.covered_fraction, run.attacker_weight, run.attacker_penalty)
    rules = [
        AttackerRule(
            item.name,
            item.prior,
            item.weights,
            frozenset(getattr(cat, "pk", cat) for cat in cats),
            item.category_factor,
        )
        for item, cats in attackers
    ]
    try:
        game, unused = build_game(targets, teams, rule, rules, plan=run.plan, beta=run.beta, lam=run.lam)
    except PlannerInputError as exc:
        raise _input_error(exc) from exc
    routes = any("travel" in team for team in game["teams"])
    if routes and run.plan == c.Plan.QR and len(targets) > c.ROUTE_ROBUST_LIMIT:
        raise ValidationError(
            {
                "plan": _(
                    "Phương án phản ứng lượng tử với tổ tuần tra cơ động chỉ tính được khi có tối đa {limit} "
                    "mục tiêu (phạm vi đã chọn có {count}). Hãy thu hẹp phạm vi hoặc chọn phương án khác."
                ).format(limit=c.ROUTE_ROBUST_LIMIT, count=len(targets))
            }
        )
    if not game["teams"]:
        raise ValidationError(
            {
                "team_types": _(
                    "Các loại tổ, đội đã chọn không được bố trí ở mục tiêu nào trong phạm vi đã chọn."
                )
            }
        )
    names: dict[str, int] = {}
    for team in teams:
        names[team.name] = names.get(team.name, 0) + 1
    shift_starts = {
        team_label(team, names): team.patrol.shift_start for team in teams if team.patrol is not None
    }
    try:
        result = solve_run(
            game,
            beta=run.beta,
            lam=run.lam,
            days=run.days,
            seed=run.seed,
            start=run.start_date,
            shift_starts=shift_starts,
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
    outputs["mobile_team_types"] = [t.pk for t in team_types if t.mobile]
    outputs["no_position"] = sum(1 for t in targets if not t.has_position) if routes else 0
    run.classification = max(run.classification or 0, *(t.classification for t in targets))
    run.game, run.solution, run.outputs = game, result["solution"], outputs
    run.target_count = len(targets)
    run.team_count = sum(team["count"] for team in game["teams"])
    run.expected_loss = outputs["expected_loss"]
    # Saved here rather than by ``object_create``: its second ``full_clean`` would serialise the game and
    # outputs once more only to validate them (the inputs were validated above; the outputs are ours).
    with service_transaction():
        run.save()
        for item, cats in attackers:
            item.run = run
            item.save()
            item.categories.set(cats)
        if not access.can(actor, access.ADD, run):
            raise OutOfScope(_("Đối tượng sau khi lưu nằm ngoài phạm vi hoặc mức mật của bạn."))
        after = snapshot(run)
        if attackers:
            after["attacker_types"] = [
                {
                    **{k: getattr(item, k) for k in ATTACKER_FIELDS},
                    "categories": sorted(getattr(c_, "pk", c_) for c_ in cats),
                }
                for item, cats in attackers
            ]
        audit_record(actor=actor, action=AuditAction.CREATE, obj=run, after=after)
    return run


def planning_run_delete(*, actor, run: PlanningRun) -> None:
    services.object_delete(actor=actor, instance=run)


__all__ = ["planning_run_create", "planning_run_delete", "team_type_save"]
