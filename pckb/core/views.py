"""Generic object views (NetBox style). A model's views are subclasses that only name the model, its
columns, form, filterset and template; reading always goes through the access layer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from pckb.audit.choices import AuditAction
from pckb.audit.selectors import object_history, recent_changes
from pckb.audit.services import audit_record
from pckb.core import access, services
from pckb.core.exports import Column, export_csv, export_xlsx

PAGE_SIZES = (25, 50, 100)


class ObjectViewMixin(LoginRequiredMixin):
    model = None
    select_related: tuple[str, ...] = ()

    def base_queryset(self):
        qs = self.model.objects.all()
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_queryset(self, action: str = access.VIEW):
        return access.restrict(self.base_queryset(), self.request.user, action)

    def get_object(self, action: str = access.VIEW):
        return access.get_or_404(self.base_queryset(), self.request.user, action, pk=self.kwargs["pk"])

    def permissions(self, obj=None) -> dict[str, bool]:
        actions = access.actions_for(self.request.user, self.model)
        if obj is None:
            return {a: a in actions for a in access.ALL_ACTIONS}
        # Per-object checks only for change and delete, where a row rule or scope can differ from the grant.
        user = self.request.user
        checked = {a: a in actions and access.can(user, a, obj) for a in (access.CHANGE, access.DELETE)}
        return {a: checked.get(a, a in actions) for a in access.ALL_ACTIONS}

    def url(self, action: str, *args) -> str | None:
        """The URL of one of the model's pages, or None when the model has no such page."""
        try:
            return reverse(f"{self.url_namespace}:{self.url_base}_{action}", args=args)
        except NoReverseMatch:
            return None

    @property
    def url_namespace(self) -> str:
        return self.model._meta.app_label

    @property
    def url_base(self) -> str:
        return self.model._meta.model_name


class ObjectListView(ObjectViewMixin, View):
    """List with filters, accent-insensitive search, pagination, and CSV/XLSX export."""

    columns: list[Column] = []
    #: (label, URL name) links shown beside the list's own actions.
    extra_links: tuple[tuple[str, str], ...] = ()
    filterset_class = None
    paginator_class = Paginator
    template_name = "core/object_list.html"
    import_enabled = False

    def filtered(self, qs):
        filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else qs)

    def get(self, request, *args, **kwargs):
        if not access.has_action(request.user, self.model, access.VIEW):
            raise Http404
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            return self.export(export)
        filterset, qs = self.filtered(self.get_queryset())
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        page = self.paginator_class(qs, per_page).get_page(request.GET.get("page"))
        perms = self.permissions()
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "model": self.model,
            "opts": self.model._meta,
            "title": capfirst(self.model._meta.verbose_name_plural),
            "columns": self.columns,
            "rows": [(obj, [(c, c.value(obj)) for c in self.columns]) for obj in page.object_list],
            "page": page,
            "filterset": filterset,
            "query": query.urlencode(),
            "perms": perms,
            "add_url": self.url("add") if perms[access.ADD] else None,
            "import_url": self.url("import") if self.import_enabled and perms[access.IMPORT] else None,
            "page_sizes": PAGE_SIZES,
            "extra_links": [(label, reverse(name)) for label, name in self.extra_links],
        }
        template = "core/_object_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def export(self, fmt: str):
        if not access.has_action(self.request.user, self.model, access.EXPORT):
            raise Http404
        _filterset, qs = self.filtered(self.get_queryset(access.EXPORT))
        filename = self.model._meta.model_name
        audit_record(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            object_type=self.model._meta.label_lower,
            object_repr=_("Xuất {fmt}: {name} ({count} dòng)").format(
                fmt=fmt.upper(), name=self.model._meta.verbose_name_plural, count=qs.count()
            ),
            unit_path=self.request.user.scope_path,
        )
        if fmt == "csv":
            return export_csv(qs.iterator(chunk_size=2000), self.columns, filename)
        return export_xlsx(
            qs.iterator(chunk_size=2000), self.columns, filename, self.model._meta.verbose_name_plural
        )


class ObjectDetailView(ObjectViewMixin, View):
    template_name: str = ""

    def extra_context(self, obj) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if access.classification_of(obj):  # its own or a parent's (a Mật conference's delegate)
            audit_record(actor=request.user, action=AuditAction.VIEW, obj=obj)
        perms = self.permissions(obj)
        context = {
            "object": obj,
            "opts": self.model._meta,
            "title": str(obj),
            "perms": perms,
            "edit_url": self.url("edit", obj.pk) if perms[access.CHANGE] else None,
            "delete_url": self.url("delete", obj.pk) if perms[access.DELETE] else None,
            "list_url": self.url("list"),
            "history": object_history(request.user, obj)[:20],
            **self.extra_context(obj),
        }
        return render(request, self.template_name or f"{self.url_namespace}/{self.url_base}.html", context)


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a model or service ValidationError on the form (per field where it names one)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectEditView(ObjectViewMixin, View):
    """Create (no ``pk``) or edit. The save goes through a service that validates, re-checks and audits."""

    form_class = None
    template_name = "core/object_edit.html"

    def create(self, form):
        return services.object_create(actor=self.request.user, instance=form.instance)

    def update(self, form):
        changes = {
            name: getattr(form.instance, name) for name in form.changed_data if name in form.cleaned_data
        }
        return services.object_update(actor=self.request.user, instance=form.instance, changes=changes)

    def initial(self) -> dict:
        return {}

    def list_url(self) -> str:
        return self.url("list")

    def _object(self):
        if "pk" in self.kwargs:
            return self.get_object(access.CHANGE)
        if not access.has_action(self.request.user, self.model, access.ADD):
            raise Http404
        return self.model()

    def _render(self, form, obj):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": obj,
                "opts": self.model._meta,
                "title": (
                    _("Sửa: {name}").format(name=obj)
                    if obj.pk
                    else _("Thêm {name}").format(name=self.model._meta.verbose_name)
                ),
                "cancel_url": obj.get_absolute_url() if obj.pk else self.list_url(),
            },
        )

    def get(self, request, *args, **kwargs):
        obj = self._object()
        form = self.form_class(
            instance=obj, user=request.user, initial=self.initial() if not obj.pk else None
        )
        return self._render(form, obj)

    def post(self, request, *args, **kwargs):
        obj = self._object()
        creating = obj.pk is None
        form = self.form_class(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = self.create(form) if creating else self.update(form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu {name}.").format(name=saved))
                return HttpResponseRedirect(saved.get_absolute_url())
        return self._render(form, obj)


class ObjectDeleteView(ObjectViewMixin, View):
    template_name = "core/object_delete.html"

    def get(self, request, *args, **kwargs):
        obj = self.get_object(access.DELETE)
        return render(
            request,
            self.template_name,
            {"object": obj, "opts": self.model._meta, "title": _("Xóa: {name}").format(name=obj)},
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object(access.DELETE)
        try:
            services.object_delete(actor=request.user, instance=obj)
        except ProtectedError:
            messages.error(
                request, _("Không thể xóa {name}: còn dữ liệu khác liên kết tới.").format(name=obj)
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Đã xóa {name}.").format(name=obj))
        return HttpResponseRedirect(self.success_url(obj))

    def success_url(self, obj) -> str:
        return self.url("list")


class HomeView(LoginRequiredMixin, View):
    """The start page for the user's scope."""

    def get(self, request):
        from pckb.directory.models import Agency, Committee, Person

        user = request.user
        context = {"title": _("Trang chủ")}
        if user.is_administrator:
            context["admin"] = True
        else:
            context.update(
                {
                    "committees": Committee.objects.restrict(user).select_related("unit")[:10],
                    "counts": {
                        "committees": Committee.objects.restrict(user).count(),
                        "agencies": Agency.objects.restrict(user).count(),
                        "people": Person.objects.restrict(user).count(),
                    },
                    "recent": recent_changes(user)[:8],
                }
            )
        return render(request, "core/home.html", context)


def healthz(request):
    from django.http import JsonResponse

    from pckb.core.health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
