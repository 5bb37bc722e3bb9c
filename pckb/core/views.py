"""Generic object views (NetBox style). A model's views are subclasses that only name the model, its
columns, form, filterset and template; reading always goes through the access layer."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.forms import modelform_factory
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from pckb.core import access, registry, services
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.core.exports import Column, export_list
from pckb.core.filtersets import PckbFilterSet
from pckb.core.forms import PckbModelForm

PAGE_SIZES = (25, 50, 100)


class ObjectViewMixin(LoginRequiredMixin):
    model = None
    #: The model's field declaration (``pckb.core.declarations.ModelFields``): gives the model, the list
    #: columns and the edit form when the view does not name them.
    fields = None
    select_related: tuple[str, ...] = ()
    #: For a child model: the foreign key to its parent (e.g. ``"conference"``). The child's pages then lead
    #: back to the parent's page, and its add form takes the parent from ``?<parent_field>=<id>``.
    parent_field: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.fields is not None and cls.model is None:
            cls.model = cls.fields.model

    def base_queryset(self):
        qs = self.model.objects.all()
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_queryset(self, action: str = access.VIEW):
        return access.restrict(self.base_queryset(), self.request.user, action)

    def get_object(self, action: str = access.VIEW):
        return access.get_or_404(self.base_queryset(), self.request.user, action, pk=self.kwargs["pk"])

    def get_object_and_child_right(self, action: str):
        """The object read with ``action``, when the user also has ``child_action`` on ``child_model`` (the
        child and action pages); otherwise 404."""
        obj = self.get_object(action)
        child_model = getattr(self, "child_model", None)
        if child_model is not None and not access.has_action(
            self.request.user, child_model, self.child_action
        ):
            raise Http404
        return obj

    def permissions(self, obj=None) -> dict[str, bool]:
        actions = access.actions_for(self.request.user, self.model)
        if obj is None:
            return {a: a in actions for a in access.ALL_ACTIONS}
        # Per-object checks only for change and delete, where a row rule or scope can differ from the grant.
        user = self.request.user
        checked = {a: a in actions and access.can(user, a, obj) for a in (access.CHANGE, access.DELETE)}
        return {a: checked.get(a, a in actions) for a in access.ALL_ACTIONS}

    def parent_model(self):
        return self.model._meta.get_field(self.parent_field).related_model

    def parent_of(self, obj):
        """The parent of ``obj`` if the user may see it (a link to a hidden parent would leak it)."""
        parent_id = getattr(obj, f"{self.parent_field}_id", None)
        if parent_id is None:
            return None
        return (
            access.restrict(self.parent_model().objects.all(), self.request.user).filter(pk=parent_id).first()
        )

    def parent_list_url(self) -> str | None:
        opts = self.parent_model()._meta
        try:
            return reverse(f"{opts.app_label}:{opts.model_name}_list")
        except NoReverseMatch:
            return None

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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.fields is not None and not cls.__dict__.get("columns"):
            cls.columns = cls.fields.list_columns()
            if not cls.select_related:  # the columns' references, read with the rows (no query per row)
                cls.select_related = cls.fields.related_columns()
        if cls.filterset_class is None and cls.model is not None:
            meta = type("Meta", (), {"model": cls.model, "fields": []})
            cls.filterset_class = type(f"{cls.model.__name__}FilterSet", (PckbFilterSet,), {"Meta": meta})

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
        audit_record(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            object_type=self.model._meta.label_lower,
            object_repr=_("Xuất {fmt}: {name} ({count} dòng)").format(
                fmt=fmt.upper(), name=self.model._meta.verbose_name_plural, count=qs.count()
            ),
            unit_path=self.request.user.scope_path,
        )
        return export_list(
            user=self.request.user,
            model=self.model,
            objects=qs.iterator(chunk_size=2000),
            columns=getattr(self, "export_columns", None) or self.columns,
            fmt=fmt,
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
        parent = self.parent_of(obj) if self.parent_field else None
        context = {
            "object": obj,
            "opts": self.model._meta,
            "title": str(obj),
            "perms": perms,
            "edit_url": self.url("edit", obj.pk) if perms[access.CHANGE] else None,
            "delete_url": self.url("delete", obj.pk) if perms[access.DELETE] else None,
            "list_url": parent.get_absolute_url() if parent else self.url("list") or self.default_list_url(),
            "parent": parent,
            "object_panels": registry.render_panels(registry.object_panels(), request, request.user, obj),
            **self.extra_context(obj),
        }
        return render(request, self.template_name or f"{self.url_namespace}/{self.url_base}.html", context)

    def default_list_url(self) -> str | None:
        return self.parent_list_url() if self.parent_field else None


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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.form_class is None and cls.fields is not None:
            cls.form_class = modelform_factory(cls.model, form=PckbModelForm, fields=cls.fields.fields)

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
        if self.parent_field:
            return self.parent_list_url()
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
        initial = None
        if not obj.pk:
            initial = {self.parent_field: request.GET.get(self.parent_field)} if self.parent_field else {}
            initial.update(self.initial())
        form = self.form_class(instance=obj, user=request.user, initial=initial)
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
        parent = self.parent_of(obj) if self.parent_field else None
        return parent.get_absolute_url() if parent else self.url("list") or self.parent_list_url()


class ObjectChildView(ObjectViewMixin, View):
    """A page of one object that works on its children (nominate delegates for an invitation, build a test
    for a conference, the check-in desk). The parent (``model``, URL ``pk``) is read with ``parent_action``,
    and the user also needs ``child_action`` on ``child_model``; otherwise the page is a 404.

    Without ``form_class`` the page only shows ``context(parent)``. With one, a valid POST calls
    ``perform(parent, form)`` — a service call that returns the URL to go to; a ``ValidationError`` or
    ``PermissionDenied`` it raises is shown on the form and nothing is saved."""

    parent_action: str = access.VIEW
    child_model = None
    child_action: str = access.VIEW
    form_class = None
    template_name: str = ""
    #: The page title; ``{name}`` is the parent.
    title: str = ""

    def get_parent(self):
        return self.get_object_and_child_right(self.parent_action)

    def form_kwargs(self, parent) -> dict:
        return {}

    def initial(self, parent) -> dict:
        return {}

    def get_form(self, parent, data=None, files=None):
        kwargs = self.form_kwargs(parent)
        if data is None:
            kwargs.setdefault("initial", self.initial(parent))
        return self.form_class(data, files, **kwargs)

    def context(self, parent) -> dict:
        return {}

    def get_title(self, parent) -> str:
        return str(self.title).format(name=parent)

    def render_page(self, parent, form=None, **extra):
        context = {
            "object": parent,
            "opts": (self.child_model or self.model)._meta,
            "title": self.get_title(parent),
            "form": form,
            **self.context(parent),
            **extra,
        }
        return render(self.request, self.template_name, context)

    def perform(self, parent, form) -> str:
        raise NotImplementedError

    def form_valid(self, parent, form):
        try:
            url = self.perform(parent, form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(url)
        return self.render_page(parent, form)

    def get(self, request, *args, **kwargs):
        parent = self.get_parent()
        return self.render_page(parent, self.get_form(parent) if self.form_class else None)

    def post(self, request, *args, **kwargs):
        if self.form_class is None:
            return HttpResponseNotAllowed(["GET"])
        parent = self.get_parent()
        form = self.get_form(parent, request.POST, request.FILES)
        if form.is_valid():
            return self.form_valid(parent, form)
        return self.render_page(parent, form)


class ObjectActionView(ObjectViewMixin, View):
    """A verb on one object (send, revoke, advance, issue) — a POST with its own permission: ``action`` on the
    object, and, if set, ``child_action`` on ``child_model``; otherwise 404. ``perform(obj, form)`` calls the
    service and returns the success message; a ``ValidationError`` or ``PermissionDenied`` becomes an error
    message. Either way the user goes back to ``success_url(obj)`` (the object's page)."""

    action: str = access.CHANGE
    child_model = None
    child_action: str = access.VIEW
    form_class = None
    http_method_names = ["post"]

    def get_target(self):
        return self.get_object_and_child_right(self.action)

    def perform(self, obj, form) -> str:
        raise NotImplementedError

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def post(self, request, *args, **kwargs):
        obj = self.get_target()
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(self.success_url(obj))
        try:
            message = self.perform(obj, form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(self.success_url(obj))


@dataclass(frozen=True)
class Download:
    """A file for the browser to save: bytes made now, or a stored file."""

    content: bytes | File
    content_type: str
    filename: str


class ObjectFileView(ObjectViewMixin, View):
    """A file made from one object (a letter, a report) or stored on it, read with ``action``. With
    ``audited`` each download leaves an export entry in the audit log. ``make(obj, **kwargs)`` returns a
    :class:`Download`, or None when there is nothing to download (404)."""

    action: str = access.VIEW
    audited = False

    def make(self, obj, **kwargs) -> Download | None:
        raise NotImplementedError

    def nothing(self, obj, **kwargs):
        raise Http404

    def get(self, request, *args, **kwargs):
        kwargs.pop("pk", None)
        obj = self.get_object(self.action)
        made = self.make(obj, **kwargs)
        if made is None:
            return self.nothing(obj, **kwargs)
        if self.audited:
            audit_record(
                actor=request.user,
                action=AuditAction.EXPORT,
                obj=obj,
                object_repr=_("Tải {kind}: {name}").format(kind=kwargs.get("kind", made.filename), name=obj),
            )
        if isinstance(made.content, bytes):
            response = HttpResponse(made.content, content_type=made.content_type)
            response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
            return response
        return FileResponse(made.content.open("rb"), as_attachment=True, filename=made.filename)


class ModelPageView(LoginRequiredMixin, View):
    """A page about a model as a whole (a report over what the user may see), for users with ``action`` on
    ``model``; others get a 404. Subclasses set ``template_name`` and ``title`` and return ``context()``."""

    model = None
    action: str = access.VIEW
    template_name: str = ""
    title: str = ""

    def context(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        if not access.has_action(request.user, self.model, self.action):
            raise Http404
        return render(request, self.template_name, {"title": self.title, **self.context()})


class HomeView(LoginRequiredMixin, View):
    """The start page for the user's scope: the panels the installed apps register (see ``registry``)."""

    def get(self, request):
        user = request.user
        context = {"title": _("Trang chủ")}
        if user.is_administrator:
            context["admin"] = True
        else:
            context["panels"] = registry.render_panels(registry.start_panels(), request, user)
        return render(request, "core/home.html", context)


def healthz(request):
    from django.http import JsonResponse

    from pckb.core.health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
