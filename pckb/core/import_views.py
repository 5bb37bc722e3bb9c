"""The generic import page: upload a CSV or XLSX file, all-or-nothing, every fault listed with line and
column; a template file (the header row and one fictional example row) to download in both formats."""

import csv
import io

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access
from pckb.core.exports import XLSX_TYPE, build_xlsx, content_disposition, csv_safe, download_name
from pckb.core.imports import KEY_ATTR, MAX_IMPORT_BYTES, ImportFailed, import_csv
from pckb.core.views import ObjectViewMixin


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp CSV (UTF-8)"), help_text=gettext_lazy("Dòng đầu là tên cột. Tối đa 5 MB.")
    )
    extensions = (".csv",)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp vượt quá 5 MB."))
        if not upload.name.lower().endswith(self.extensions):
            if self.extensions == (".csv",):
                raise forms.ValidationError(_("Chỉ nhận tệp .csv."))
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return upload


class TableImportForm(ImportForm):
    """A list import takes the CSV or the XLSX template (or an export) back."""

    file = forms.FileField(
        label=gettext_lazy("Tệp CSV (UTF-8) hoặc XLSX"),
        help_text=gettext_lazy("Dòng đầu là tên cột (như tệp mẫu). Tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    extensions = (".csv", ".xlsx")


class ObjectImportView(ObjectViewMixin, View):
    columns = []
    template_name = "core/object_import.html"
    #: A paragraph under the list of columns (e.g. how an old address is converted).
    help_text = ""
    #: The heading of the result's notes (what the import converted on its own, for a person to check).
    notes_title = gettext_lazy("Các giá trị đã tự chuyển đổi khi nhập")

    def import_format(self):
        """(columns, derive) for one import (see ``pckb.core.imports.import_csv``)."""
        return self.columns, None

    def _check(self):
        if not access.has_action(self.request.user, self.model, access.IMPORT):
            raise Http404

    def _render(self, form, faults=(), result=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "faults": faults,
                "opts": self.model._meta,
                "columns": [c for c in self.columns if c.attr != KEY_ATTR],
                "has_key": any(c.attr == KEY_ATTR for c in self.columns),
                "list_url": self.url("list"),
                "template_csv": "?mau=csv",
                "template_xlsx": "?mau=xlsx",
                "title": _("Nhập {name} từ tệp").format(name=self.model._meta.verbose_name_plural),
                "help_text": self.help_text,
                "result": result,
                "notes_title": self.notes_title,
            },
        )

    def template_file(self, fmt: str) -> HttpResponse:
        """The header row with the exact column names (Vietnamese, the file format) and one example row of
        fictional data."""
        columns = [c for c in self.columns if c.attr != KEY_ATTR]
        with translation.override("vi"):
            header = [str(c.header) for c in columns]
            example = [c.example_value(self.request.user) for c in columns]
            stem = _("mẫu nhập {name}").format(name=self.model._meta.verbose_name_plural)
        names = download_name(stem, fmt)
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([csv_safe(h) for h in header])
            writer.writerow([csv_safe(v) for v in example])
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(build_xlsx(header, [example], sheet=stem), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(*names)
        return response

    def get(self, request):
        self._check()
        fmt = request.GET.get("mau")
        if fmt in {"csv", "xlsx"}:
            return self.template_file(fmt)
        return self._render(TableImportForm())

    def post(self, request):
        self._check()
        form = TableImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        upload = form.cleaned_data["file"]
        columns, derive = self.import_format()
        try:
            result = import_csv(
                actor=request.user,
                model=self.model,
                columns=columns,
                data=upload.read(),
                filename=upload.name,
                derive=derive,
            )
        except ImportFailed as exc:
            return self._render(form, exc.faults)
        messages.success(
            request,
            _("Đã nhập: {created} dòng mới, {updated} dòng cập nhật, {unchanged} dòng không đổi.").format(
                created=len(result.created), updated=len(result.updated), unchanged=result.unchanged
            ),
        )
        if result.notes:  # the result page lists them, for the person to check
            return self._render(TableImportForm(), result=result)
        return HttpResponseRedirect(self.url("list"))
