"""Pages of the reports module: schedules, reports with their workflow and documents, the national roll-up
and the standing office's dashboard."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core import access, todo
from pckb.core.charts import Bar, bar_chart
from pckb.core.views import (
    Download,
    ModelPageView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.reports import documents, selectors, services
from pckb.reports import sections as registry
from pckb.reports.choices import SENT_STATUSES
from pckb.reports.fields import REPORT, SCHEDULE
from pckb.reports.filtersets import ReportFilterSet, ScheduleFilterSet
from pckb.reports.forms import ReportForm, ReviewForm, RollupForm
from pckb.reports.models import PeriodicReport, ReportSchedule


def _with_ratios(sections: list[dict]) -> list[dict]:
    """Sections with each ratio's value (a percentage) for the page."""
    out = []
    for section in sections:
        ratios = [
            {**r, "value": v * 100 if (v := registry.ratio_value(section, r)) is not None else None}
            for r in section.get("ratios", ())
        ]
        out.append({**section, "ratios": ratios})
    return out


class ScheduleListView(ObjectListView):
    fields = SCHEDULE
    filterset_class = ScheduleFilterSet
    select_related = ("committee",)


class ScheduleDetailView(ObjectDetailView):
    fields = SCHEDULE
    select_related = ("committee__unit",)

    def extra_context(self, schedule) -> dict:
        user = self.request.user
        report = access.restrict(PeriodicReport.objects.filter(schedule=schedule), user).first()
        return {
            "report": report,
            "can_add_report": report is None
            and not PeriodicReport.objects.filter(schedule=schedule).exists()
            and selectors.is_own(user, schedule.committee)
            and access.has_action(user, PeriodicReport, access.ADD),
        }


class ReportListView(ObjectListView):
    fields = REPORT
    filterset_class = ReportFilterSet
    select_related = ("schedule__committee",)


class ReportDetailView(ObjectDetailView):
    fields = REPORT
    select_related = ("schedule__committee__unit", "schedule__committee__parent")

    def extra_context(self, report) -> dict:
        user = self.request.user
        sections = _with_ratios(selectors.compiled_sections(user, report))
        return {
            "sections": sections,
            "frozen": report.snapshot is not None,
            "can_submit": report.is_editable and access.can(user, access.CHANGE, report),
            "can_review": selectors.can_review(user, report),
            "late": report.is_late(),
        }


class ReportEditView(ObjectEditView):
    fields = REPORT
    form_class = ReportForm

    def initial(self) -> dict:
        schedule = (
            access.restrict(ReportSchedule.objects.all(), self.request.user)
            .filter(
                pk=self.request.GET.get("schedule")
                if str(self.request.GET.get("schedule", "")).isdigit()
                else None
            )
            .select_related("committee")
            .first()
        )
        if schedule is None:
            return {}
        year = schedule.period_end.year
        return {
            "schedule": schedule.pk,
            "title": _("Báo cáo {kind} năm {year}").format(
                kind=schedule.get_kind_display().removeprefix("Báo cáo ").lower(), year=year
            ),
        }


class ReportSubmitView(ObjectActionView):
    """The committee's standing office sends its report up; the figures are frozen."""

    model = PeriodicReport
    action = access.CHANGE

    def perform(self, report, form) -> str:
        services.report_submit(actor=self.request.user, report=report)
        return _("Đã gửi báo cáo “{title}”; số liệu đã được chốt.").format(title=report.title)


class _ReviewView(ObjectActionView):
    model = PeriodicReport
    action = access.VIEW
    form_class = ReviewForm


class ReportAcceptView(_ReviewView):
    def perform(self, report, form) -> str:
        services.report_accept(actor=self.request.user, report=report, comment=form.cleaned_data["comment"])
        return _("Đã tiếp nhận báo cáo “{title}”.").format(title=report.title)


class ReportReturnView(_ReviewView):
    def perform(self, report, form) -> str:
        services.report_return(actor=self.request.user, report=report, comment=form.cleaned_data["comment"])
        return _("Đã trả lại báo cáo “{title}” kèm ý kiến.").format(title=report.title)


class ReportDocumentView(ObjectFileView):
    """The report as DOCX or PDF (NĐ30 layout); each download is audited."""

    model = PeriodicReport
    audited = True

    def make(self, report, kind: str = "docx", **kwargs) -> Download | None:
        maker = {"docx": documents.report_docx, "pdf": documents.report_pdf}.get(kind)
        if maker is None:
            return None
        content, content_type, filename = maker(self.request.user, report)
        return Download(content, content_type, filename)


class RollupView(ModelPageView):
    """The higher committee's view of a period: which lower committees sent their report (and which are
    late), the consolidated table and a chart."""

    model = PeriodicReport
    template_name = "reports/rollup.html"
    title = gettext_lazy("Tổng hợp báo cáo các địa phương")

    @staticmethod
    def latest_sent(user):
        """By default the latest period for which a lower committee sent its report."""
        sent = (
            access.restrict(PeriodicReport.objects.all(), user)
            .filter(
                status__in=SENT_STATUSES,
                schedule__committee__in=selectors.lower_committees(user).values("pk"),
            )
            .order_by("-schedule__period_end", "-submitted_at")
            .values_list("schedule__kind", "schedule__period_start", "schedule__period_end")
            .first()
        )
        return tuple(sent) if sent else None

    def get(self, request, *args, **kwargs):
        if not selectors.reads_rollup(request.user):
            raise Http404  # a province has no provinces below it: no empty national roll-up
        return super().get(request, *args, **kwargs)

    def context(self) -> dict:
        user = self.request.user
        periods = selectors.rollup_periods(user)
        form = RollupForm(self.request.GET or None, periods=periods)
        chosen = self.latest_sent(user) or (periods[0] if periods else None)
        if form.is_valid() and form.cleaned_data.get("period"):
            kind, start, end = form.cleaned_data["period"].split(":")
            chosen = (kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        elif periods:
            form = RollupForm(
                initial={"period": f"{chosen[0]}:{chosen[1]:%Y-%m-%d}:{chosen[2]:%Y-%m-%d}"}, periods=periods
            )
        if chosen is None:
            return {"form": form, "rollup": None}
        rollup = selectors.rollup(user, *chosen)
        # The chart shows people trained, or (when nobody was) the first figure that is not zero everywhere.
        keys = [k for k, _label in rollup.columns if rollup.totals.get(k)]
        chart_key = "training.people" if "training.people" in keys else (keys[0] if keys else None)
        chart = None
        if chart_key:
            label = dict(rollup.columns)[chart_key]
            chart = bar_chart(
                [Bar(r.committee.unit.name, r.values.get(chart_key, 0)) for r in rollup.submitted],
                title=label,
            )
        national = (
            access.restrict(PeriodicReport.objects.all(), user)
            .filter(
                selectors.own_committee_q(user, "schedule__committee__"),
                schedule__kind=chosen[0],
                schedule__period_start=chosen[1],
                schedule__period_end=chosen[2],
            )
            .first()
        )
        return {
            "form": form,
            "rollup": rollup,
            # Each value with its column's heading: on a phone a cell is shown under its heading.
            "rows": [(r, [(label, r.values.get(k)) for k, label in rollup.columns]) for r in rollup.rows],
            "totals": [(label, rollup.totals.get(k, 0)) for k, label in rollup.columns],
            "chart": chart,
            "chart_label": dict(rollup.columns).get(chart_key, ""),
            "own_report": national,
            "today": timezone.localdate(),
        }


class DashboardView(ModelPageView):
    """The standing office's week: what is due or late (whatever the modules list as to-do), the reports
    not yet sent, and plan progress by agency this year."""

    model = ReportSchedule
    template_name = "reports/dashboard.html"
    title = gettext_lazy("Bảng điều khiển của Văn phòng Thường trực")

    def context(self) -> dict:
        from pckb.reports import providers

        user = self.request.user
        now = timezone.now()
        today = timezone.localdate(now)
        week_end = today + dt.timedelta(days=7)
        items = [
            i
            for i in todo.todo_items(user, now)
            if i.level in ("danger", "warning")
            or (i.when is not None and timezone.localdate(i.when) <= week_end)
        ]
        progress = None
        chart = None
        if user.scope_path:
            start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
            progress = providers.plans(user, user.scope_path, start, end)
            if progress and progress["table"]["rows"]:
                chart = bar_chart(
                    [Bar(r[0], r[2], secondary=r[1]) for r in progress["table"]["rows"][:12]],
                    title=_("Nhiệm vụ hoàn thành theo cơ quan chủ trì năm {year}").format(year=today.year),
                    legend=(_("Đã hoàn thành"), _("Tổng số nhiệm vụ")),
                )
        return {
            "items": items,
            "schedules": list(selectors.schedules_needing_attention(user, today)[:20]),
            "awaiting": list(selectors.reports_awaiting_review(user)[:20]),
            "progress": _with_ratios([{"key": "plans", "title": "", **progress}])[0] if progress else None,
            "chart": chart,
            "today": today,
            "year": str(today.year),
        }
