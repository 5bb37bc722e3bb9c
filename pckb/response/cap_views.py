"""Pages for CAP 1.2: a received alert becomes a new report (the intake officer checks and completes it)."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access
from pckb.core.forms import PckbModelForm
from pckb.core.views import Download, ObjectFileView, ObjectListView, apply_validation_error
from pckb.response import cap, services
from pckb.response.choices import IncidentStatus
from pckb.response.fields import REPORT
from pckb.response.incident_map import incident_point
from pckb.response.models import Incident, Report

logger = logging.getLogger("pckb.response.cap")


class CapImportForm(PckbModelForm):
    cap_file = forms.FileField(
        label=gettext_lazy("Tệp cảnh báo CAP 1.2 (XML)"),
        help_text=gettext_lazy("Tệp .xml theo chuẩn OASIS CAP 1.2, tối đa 512 KB."),
    )

    class Meta:
        model = Report
        fields = ("receiving_unit", "classification")


class CapImportView(LoginRequiredMixin, View):
    """Upload a CAP alert; it is checked against the CAP 1.2 schema and recorded as a new report (channel
    "from another agency"). Every schema fault is listed; nothing is saved on a fault."""

    template_name = "response/cap_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_action(request.user, Report, access.ADD):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(
            self.request, self.template_name, {"form": form, "title": _("Nhập cảnh báo CAP thành tin báo")}
        )

    def get(self, request):
        return self.render_form(CapImportForm(user=request.user))

    def post(self, request):
        form = CapImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(form)
        upload = form.cleaned_data["cap_file"]
        try:
            if upload.size > cap.MAX_BYTES:
                raise ValidationError({"cap_file": _("Tệp CAP quá lớn (tối đa 512 KB).")})
            try:
                alert = cap.parse(upload.read())
            except ValidationError as exc:
                raise ValidationError({"cap_file": exc.messages}) from exc
            report = Report(
                **cap.report_fields(alert),
                received_at=timezone.now(),
                receiving_unit=form.cleaned_data["receiving_unit"],
                classification=form.cleaned_data["classification"],
            )
            report = services.report_create(actor=request.user, report=report)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_form(form)
        messages.success(
            request,
            _("Đã ghi cảnh báo CAP thành {report}. Kiểm tra, bổ sung rồi chuyển tin báo.").format(
                report=report
            ),
        )
        return HttpResponseRedirect(report.get_absolute_url())


class ReportListView(ObjectListView):
    fields = REPORT
    extra_links = ((gettext_lazy("Nhập cảnh báo CAP"), "response:report_cap_import", access.ADD),)


def incident_alert(incident: Incident, status: str) -> cap.Alert:
    """A CAP 1.2 alert for an incident: what happened, where, how urgent — never who reported it."""
    sent = timezone.now()
    place = ", ".join(p for p in (incident.place_text, str(incident.place_unit or "")) if p)
    point = incident_point(incident)  # the incident's own point, else its commune's centroid
    circles = ()
    if point is not None:
        circles = (cap.Circle(point.latitude, point.longitude, settings.PCKB_CAP_RADIUS_KM),)
    is_open = incident.status == IncidentStatus.OPEN
    return cap.Alert(
        identifier=f"PCKB-{incident.pk}-{sent.strftime('%Y%m%dT%H%M%S')}",
        sender=settings.PCKB_CAP_SENDER,
        sent=sent,
        status=status,
        msg_type="Alert" if is_open else "Update",
        scope="Restricted",
        restriction=_("Các cơ quan thành viên Ban Chỉ đạo phòng, chống khủng bố"),
        info=(
            cap.Info(
                event=incident.title[:200],
                urgency="Immediate" if is_open else "Past",
                severity="Severe",
                certainty="Observed",
                category=("Security",),
                headline=incident.title,
                description=_("Sự cố mở lúc {opened}; {status}.").format(
                    opened=timezone.localtime(incident.opened_at).strftime("%d/%m/%Y %H:%M"),
                    status=incident.get_status_display().lower(),
                ),
                sender_name=str(incident.committee),
                area_desc=place or str(incident.committee.unit),
                circles=circles,
            ),
        ),
    )


class IncidentCapView(ObjectFileView):
    """``?status=Actual`` or ``Exercise``: the incident as a CAP 1.2 alert, validated against the schema
    before it leaves; an incident above Thường is not exported (CAP goes to systems outside the product)."""

    model = Incident
    action = access.EXPORT
    audited = True

    def make(self, incident, **kwargs) -> Download | None:
        status = self.request.GET.get("status", "Actual")
        if status not in ("Actual", "Exercise") or incident.classification:
            return None
        xml = cap.to_xml(incident_alert(incident, status))
        errors = cap.schema_errors(xml)
        if errors:  # never send an invalid alert (a bug of ours: logged, and the download is refused)
            logger.error("CAP alert of incident %s is invalid: %s", incident.pk, errors)
            return None
        return Download(xml, "application/xml", f"canh-bao-cap-su-co-{incident.pk}.xml")


def cap_panel(user, obj):
    """On an incident's page: download its CAP alert (Actual or Exercise), for who may export it."""
    if not isinstance(obj, Incident) or obj.classification:
        return None
    if not access.has_action(user, Incident, access.EXPORT):
        return None
    return {"incident": obj}
