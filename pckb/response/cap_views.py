"""Pages for CAP 1.2: a received alert becomes a new report (the intake officer checks and completes it)."""

from __future__ import annotations

from django import forms
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
from pckb.core.views import ObjectListView, apply_validation_error
from pckb.response import cap, services
from pckb.response.fields import REPORT
from pckb.response.models import Report


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
