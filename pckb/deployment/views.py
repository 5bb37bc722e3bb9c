"""Pages of the planner: team types, the planner form (a new run), a run's results and its daily orders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.core.views import Download, ObjectDetailView, ObjectEditView, ObjectFileView, ObjectListView
from pckb.deployment import choices as c
from pckb.deployment import documents, selectors, services
from pckb.deployment.fields import PLANNING_RUN, TEAM_TYPE
from pckb.deployment.forms import ATTACKER_PREFIX, PlanningRunForm, TeamTypeForm, attacker_formset
from pckb.deployment.models import PlanningRun, TeamType
from pckb.deployment.planner import robust_limit
from pckb.training.documents.content import classification_mark


class TeamTypeDetailView(ObjectDetailView):
    fields = TEAM_TYPE
    select_related = ("committee",)

    def extra_context(self, obj) -> dict:
        return {
            "categories": list(obj.categories.all()),
            "specific_targets": list(selectors.team_type_targets(self.request.user, obj)),
        }


class TeamTypeEditView(ObjectEditView):
    fields = TEAM_TYPE
    form_class = TeamTypeForm

    def create(self, form):
        return services.team_type_save(
            actor=self.request.user, instance=form.instance, changes=None, **self.many(form)
        )

    def update(self, form):
        many = self.many(form, form.changed_data)
        changes = {
            name: getattr(form.instance, name)
            for name in form.changed_data
            if name in form.cleaned_data and name not in many
        }
        return services.team_type_save(
            actor=self.request.user, instance=form.instance, changes=changes, **many
        )


class PlanningRunListView(ObjectListView):
    fields = PLANNING_RUN
    select_related = ("committee",)


class PlanningRunCreateView(ObjectEditView):
    """The planner: choose targets and team types, set the payoff rule, solve and save."""

    fields = PLANNING_RUN
    form_class = PlanningRunForm
    template_name = "deployment/planner.html"

    def dispatch(self, request, *args, **kwargs):
        # Attacker types are optional rows; a POST without them (older clients) plans against one attacker.
        if request.method == "POST" and f"{ATTACKER_PREFIX}-TOTAL_FORMS" in request.POST:
            self.attackers = attacker_formset(request.POST)
        else:
            self.attackers = attacker_formset(preset=request.GET.get("mau") == "hai-loai")
        return super().dispatch(request, *args, **kwargs)

    def create(self, form):
        attackers = []
        if self.attackers.is_bound:
            if not self.attackers.is_valid():
                raise ValidationError(_("Kiểm tra lại các loại đối tượng: lỗi ghi ngay tại từng ô bên dưới."))
            attackers = self.attackers.cleaned_types()
        return services.planning_run_create(
            actor=self.request.user,
            run=form.instance,
            team_types=form.cleaned_data["team_types"],
            attacker_types=attackers,
        )

    def _render(self, form, obj):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "attackers": self.attackers,
                "object": obj,
                "opts": self.model._meta,
                "title": _("Lập phương án bố trí lực lượng"),
                "cancel_url": self.list_url(),
            },
        )


def _number(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


class PlanningRunDetailView(ObjectDetailView):
    fields = PLANNING_RUN
    select_related = ("committee", "area", "category")

    def extra_context(self, run) -> dict:
        user = self.request.user
        outputs = run.outputs or {}
        info = outputs.get("targets", {})
        coverage = run.solution.get("coverage", {})
        attacked = run.solution.get("attacked_target")
        order = sorted(
            (-(info.get(t["id"], {}).get("score") or 0), -coverage.get(t["id"], 0.0), n)
            for n, t in enumerate(run.game.get("targets", []))
        )
        game_targets = run.game.get("targets", [])
        rows = []
        for _score, _cov, n in order[: c.TABLE_ROWS]:
            key = game_targets[n]["id"]
            rows.append(
                {
                    "key": key,
                    "name": game_targets[n].get("name", key),
                    "score": info.get(key, {}).get("score"),
                    "unit": info.get(key, {}).get("unit", ""),
                    "percent": _number(100 * coverage.get(key, 0.0), 1),
                    "attacked": key == attacked,
                }
            )
        visible = selectors.run_targets(user, run, [r["key"] for r in rows])
        for row in rows:
            row["target"] = visible.get(row["key"])
        names = {t["id"]: t.get("name", t["id"]) for t in run.game.get("targets", [])}
        baselines = outputs.get("baselines", {})
        comparison = [
            (_("Phương án tối ưu (ngẫu nhiên hóa)"), _number(run.expected_loss), True),
            (_("Dàn đều các tổ"), _number(baselines.get("uniform", {}).get("expected_loss")), False),
            (
                _("Cố định tổ ở các mục tiêu rủi ro cao nhất"),
                _number(baselines.get("top_risk", {}).get("expected_loss")),
                False,
            ),
        ]
        robust = None
        if outputs.get("robust"):
            labels = {
                "sse": _("Chuẩn (đối tượng tính toán hoàn hảo)"),
                "match": _("MATCH (β = {beta})").format(beta=_number(run.beta, 1)),
                "qr": _("Phản ứng lượng tử (λ = {lam})").format(lam=_number(run.lam, 1)),
            }
            robust = [
                (
                    labels.get(name, name),
                    _number(values["expected_loss_vs_perfect"]),
                    _number(values["expected_loss_vs_qr"]),
                    name == run.plan,
                )
                for name, values in outputs["robust"]["plans"].items()
            ]
        by_type = [
            {
                "name": item["name"],
                "prior": _number(100 * item["prior"], 0),
                "target": names.get(item["attacked_target"], item["attacked_target"]),
                "loss": _number(item["expected_loss"]),
            }
            for item in outputs.get("by_type") or ()
        ]
        orders = outputs.get("orders") or []
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        dates = [day["date"] for day in orders]
        chosen = self.request.GET.get("ngay")
        if chosen not in dates:
            chosen = tomorrow.isoformat() if tomorrow.isoformat() in dates else (dates[0] if dates else None)
        day_lines = []
        for day in orders:
            if day["date"] != chosen:
                continue
            for line in day["teams"]:
                stops = [
                    {**stop, "name": names.get(stop["target"], stop["target"])}
                    for stop in line.get("stops") or ()
                ]
                day_lines.append(
                    {
                        **line,
                        "mobile": "stops" in line,
                        "name": names.get(line["target"], "") if line["target"] else None,
                        "route": stops,
                    }
                )
        return {
            "rows": rows,
            "rows_hidden": max(0, run.target_count - c.TABLE_ROWS),
            "attacker_best": [
                {"name": names.get(a["target"], a["target"]), "utility": _number(a["attacker_utility"])}
                for a in outputs.get("attacker_best", [])
            ],
            "comparison": comparison,
            "robust": robust,
            "robust_limit": robust_limit(run.game),
            "orders_days": len(orders),
            "order_dates": [(d, dt.date.fromisoformat(d)) for d in dates],
            "chosen_day": dt.date.fromisoformat(chosen) if chosen else None,
            "chosen_iso": chosen,
            "day_lines": day_lines,
            "plan_label": c.Plan(run.plan).label if run.plan in c.Plan.values else run.plan,
            "expected_loss_vs_qr": _number(outputs.get("expected_loss_vs_qr")),
            "by_type": by_type,
            "attacker_types": list(selectors.run_attacker_types(user, run)) if by_type else [],
            "match_dropped": bool(by_type) and sum(1 for t in outputs["by_type"] if t["prior"] > 0) > 1,
            "routes": outputs.get("routes", False),
            "no_position": outputs.get("no_position", 0),
            "has_tomorrow": any(day["date"] == tomorrow.isoformat() for day in orders),
            "tomorrow": tomorrow.isoformat(),
            "team_types": list(selectors.run_team_types(user, run)),
            "unused": outputs.get("unused_team_types", []),
            "unassessed": outputs.get("unassessed", 0),
            "expected_loss": _number(run.expected_loss),
            "attacked_name": names.get(run.solution.get("attacked_target"), ""),
            "can_export": access.has_action(user, PlanningRun, access.EXPORT),
        }


class OrdersView(ObjectFileView):
    """The run's daily orders, DOCX or PDF: every day, or one day (``?ngay=yyyy-mm-dd``)."""

    fields = PLANNING_RUN
    select_related = ("committee__unit",)
    action = access.EXPORT
    audited = True

    def make(self, run, kind: str, **kwargs) -> Download | None:
        outputs = run.outputs or {}
        if not outputs.get("orders"):
            return None
        user = self.request.user
        keys = {line["target"] for day in outputs["orders"] for line in day["teams"] if line["target"]}
        keys |= {
            stop["target"]
            for day in outputs["orders"]
            for line in day["teams"]
            for stop in line.get("stops") or ()
        }
        visible = selectors.run_targets(user, run, keys)
        names = {key: t.name for key, t in visible.items()}
        units = {key: v.get("unit", "") for key, v in outputs.get("targets", {}).items()}
        sheets = documents.sheets_of(run, names, units)
        day = self.request.GET.get("ngay")
        if day:
            sheets = [s for s in sheets if s.day.isoformat() == day]
            if not sheets:
                return None
        province = run.committee.unit.name
        for prefix in ("thành phố ", "Thành phố ", "tỉnh ", "Tỉnh "):
            province = province.removeprefix(prefix)
        orders = documents.Orders(
            str(run.committee).upper(),
            province,
            run.title,
            sheets,
            classification_mark(access.classification_of(run)),
        )
        stem = f"lenh-bo-tri-{run.pk}" + (f"-{day}" if day else "")
        if kind == "docx":
            return Download(
                documents.orders_docx(orders),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                f"{stem}.docx",
            )
        return Download(documents.orders_pdf(orders), "application/pdf", f"{stem}.pdf")


__all__ = ["TeamType"]
