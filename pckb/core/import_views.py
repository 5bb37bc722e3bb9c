"""The generic CSV import page: upload, all-or-nothing, every fault listed with line and column."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access
from pckb.core.imports import MAX_IMPORT_BYTES, ImportFailed, import_csv
from pckb.core.views import ObjectViewMixin


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp CSV (UTF-8)"), help_text=gettext_lazy("Dòng đầu là tên cột. Tối đa 5 MB.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp vượt quá 5 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv."))
        return upload


class ObjectImportView(ObjectViewMixin, View):
    columns = []
    template_name = "core/object_import.html"

    def _check(self):
        if not access.has_action(self.request.user, self.model, access.IMPORT):
            raise Http404

    def _render(self, form, faults=()):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "faults": faults,
                "opts": self.model._meta,
                "columns": self.columns,
                "list_url": self.url("list"),
                "title": _("Nhập {name} từ CSV").format(name=self.model._meta.verbose_name_plural),
            },
        )

    def get(self, request):
        self._check()
        return self._render(ImportForm())

    def post(self, request):
        self._check()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        try:
            created = import_csv(
                actor=request.user,
                model=self.model,
                columns=self.columns,
                data=form.cleaned_data["file"].read(),
            )
        except ImportFailed as exc:
            return self._render(form, exc.faults)
        messages.success(request, _("Đã nhập {count} dòng.").format(count=len(created)))
        return HttpResponseRedirect(self.url("list"))
