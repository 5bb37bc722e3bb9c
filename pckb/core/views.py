"""Generic object views (NetBox style). A model's views are subclasses that only name the model, its
columns, form, filterset and template; reading always goes through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.db.models import ProtectedError, QuerySet
from django.forms import modelform_factory
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
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


class IdsFirstPaginator(Paginator):
    """A list's pages read ids first: the page's primary keys are chosen by a narrow query (the list's
    filters, access rules and ordering, only the ``pk`` column, LIMIT/OFFSET), then the page's rows with
    their references are read for those ids only, in the same order — so a deep page does not carry every
    matching row's joined columns through the sort. Both steps are one SQL statement (``pk IN (narrow
    subquery)``): the same number of queries as a plain slice.

    ``rows`` is where the rows are read from once their ids are chosen (the view's base queryset for the
    reader: the ids already went through the access layer and the filters, which then need not run again);
    by default the list itself. A queryset it cannot narrow safely (``distinct()``, a union, ``extra()``, no
    ordering) is sliced as usual."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, rows=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.ids_first(bottom, top), number, self)

    def ids_first(self, bottom: int, top: int):
        qs = self.object_list
        if not isinstance(qs, QuerySet) or not self.narrowable(qs):
            return qs[bottom:top]
        ids = qs.values("pk")[bottom:top]
        rows = self.rows
        if (
            rows is None
            or rows.model is not qs.model
            or not set(qs.query.annotations) <= set(rows.query.annotations)
        ):
            rows = qs
        rows = rows.filter(pk__in=ids)
        # The ids' order (the list's sort, or the model's default one), applied again to the page's rows.
        return rows.order_by(*qs.query.order_by) if qs.query.order_by else rows

    @staticmethod
    def narrowable(qs: QuerySet) -> bool:
        query = qs.query
        return qs.ordered and not (
            query.distinct or query.combinator or query.extra or query.extra_order_by or query.is_sliced
        )


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


def column_key(index: int, column: Column) -> str:
    """A column's stable key in URLs and preferences: its accessor, or its position for a computed one."""
    return column.accessor if isinstance(column.accessor, str) else f"col{index}"


def _has_sort_key(model) -> bool:
    """Whether the model fills a Vietnamese ``sort_key`` (from ``sort_source`` or its own
    ``compute_sort_key``, e.g. a person sorted by given name)."""
    if not any(f.name == "sort_key" for f in model._meta.concrete_fields):
        return False
    from pckb.core.models import PckbModel

    return (
        bool(getattr(model, "sort_source", None)) or model.compute_sort_key is not PckbModel.compute_sort_key
    )


def sort_lookup(model, column: Column) -> str | None:
    """The ``order_by`` lookup of a column, or None when it cannot be sorted in the database (a computed
    value, a property, a to-many relation). A name column (the ``sort_source``, or the linked column of a
    model that computes its own key) sorts by its model's Vietnamese ``sort_key``; a
    reference column by the referenced object's ``sort_key`` when it has one."""
    if column.order_by:
        return column.order_by
    if not isinstance(column.accessor, str):
        return None
    parts = column.accessor.split(".")
    current = model
    field = None
    for i, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.many_to_many or field.one_to_many:
            return None
        if i < len(parts) - 1:
            if not field.is_relation:
                return None
            current = field.related_model
    lookup = "__".join(parts)
    if field.is_relation:
        return f"{lookup}__sort_key" if _has_sort_key(field.related_model) else lookup
    source = getattr(current, "sort_source", None)
    if _has_sort_key(current) and (field.name == source or (not source and column.link and len(parts) == 1)):
        prefix = "__".join(parts[:-1])
        return f"{prefix}__sort_key" if prefix else "sort_key"
    return lookup


class ObjectListView(ObjectViewMixin, View):
    """List with filters, accent-insensitive search, sortable columns, a column chooser and saved filters
    remembered per user, bulk delete, pagination, and CSV/XLSX export."""

    columns: list[Column] = []
    #: (label, URL name) links shown beside the list's own actions; a third item names the action on the
    #: model the user needs for the link to be shown (the page it leads to checks the same).
    extra_links: tuple[tuple[str, ...], ...] = ()
    filterset_class = None
    paginator_class = IdsFirstPaginator
    template_name = "core/object_list.html"
    bulk_delete_template = "core/object_bulk_delete.html"
    bulk_edit_template = "core/object_bulk_edit.html"
    import_enabled = False
    #: Offer bulk delete (when the model has a delete page and the user may delete).
    bulk_delete = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.fields is not None and not cls.__dict__.get("columns"):
            cls.columns = cls.fields.list_columns()
            if not cls.select_related:  # the columns' references, read with the rows (no query per row)
                cls.select_related = cls.fields.related_columns()
        if cls.filterset_class is None and cls.model is not None:
            meta = type("Meta", (), {"model": cls.model, "fields": []})
            cls.filterset_class = type(f"{cls.model.__name__}FilterSet", (PckbFilterSet,), {"Meta": meta})

    @property
    def list_label(self) -> str:
        return self.model._meta.label_lower

    def keyed_columns(self) -> list[tuple[str, Column]]:
        return [(column_key(i, c), c) for i, c in enumerate(self.columns)]

    def locked_keys(self) -> set[str]:
        """Columns that cannot be hidden: the one that opens the object."""
        keyed = self.keyed_columns()
        linked = {key for key, c in keyed if c.link}
        return linked or {keyed[0][0]} if keyed else set()

    def shown_columns(self, chosen: list[str] | None) -> list[tuple[str, Column]]:
        keyed = self.keyed_columns()
        if not chosen:
            return keyed
        wanted = set(chosen) | self.locked_keys()
        shown = [(key, c) for key, c in keyed if key in wanted]
        return shown or keyed

    def filtered(self, qs, data=None):
        data = self.request.GET if data is None else data
        filterset = self.filterset_class(data or None, queryset=qs, request=self.request)
        return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else qs)

    def sort_of(self) -> tuple[str, bool, str | None]:
        """The requested sort (column key, descending, order_by lookup); an unknown key sorts nothing."""
        raw = (self.request.GET.get("sort") or "").strip()
        descending = raw.startswith("-")
        key = raw.lstrip("-")
        for column_key_, column in self.keyed_columns():
            if column_key_ == key:
                lookup = sort_lookup(self.model, column)
                if lookup:
                    return key, descending, lookup
        return "", False, None

    def sorted(self, qs):
        key, descending, lookup = self.sort_of()
        if lookup is None:
            return qs
        return qs.order_by(f"-{lookup}" if descending else lookup, "-pk" if descending else "pk")

    def header(self, key: str, column: Column, sort: tuple[str, bool, str | None]):
        """(key, column, link that sorts by it or None, aria-sort value or "")."""
        if sort_lookup(self.model, column) is None:
            return key, column, None, ""
        current, descending, _lookup = sort
        query = self.request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key and not descending else key
        aria = ("descending" if descending else "ascending") if current == key else ""
        return key, column, f"?{query.urlencode()}", aria

    def sort_options(self) -> list[tuple[str, str]]:
        """The sort choices of the filter form (a phone shows no table header to click)."""
        options = []
        for key, column in self.keyed_columns():
            if sort_lookup(self.model, column) is not None:
                options.append((key, _("{label}, tăng dần").format(label=column.label)))
                options.append((f"-{key}", _("{label}, giảm dần").format(label=column.label)))
        return options

    def can_bulk_delete(self, perms) -> bool:
        return self.bulk_delete and perms[access.DELETE] and self.url("delete", 0) is not None

    def bulk_fields(self) -> tuple[str, ...]:
        """The fields the list may set on many objects at once (the declaration's ``bulk_fields``)."""
        return tuple(self.fields.bulk_fields) if self.fields is not None else ()

    def can_bulk_edit(self, perms) -> bool:
        return bool(self.bulk_fields()) and perms[access.CHANGE] and self.url("edit", 0) is not None

    def bulk_update(self, obj, changes: dict):
        """One object of a bulk edit, through the model's update service — the one its edit page uses
        (a list view whose edit page calls its own service overrides this)."""
        return services.object_update(actor=self.request.user, instance=obj, changes=changes)

    def get(self, request, *args, **kwargs):
        from pckb.accounts import preferences
        from pckb.core.bulk import BULK_CAP

        if not access.has_action(request.user, self.model, access.VIEW):
            raise Http404
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            return self.export(export)
        filterset, qs = self.filtered(self.get_queryset())
        qs = self.sorted(qs)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        page = self.paginate(qs, per_page).get_page(request.GET.get("page"))
        perms = self.permissions()
        bulk_delete, bulk_edit = self.can_bulk_delete(perms), self.can_bulk_edit(perms)
        query = request.GET.copy()
        query.pop("page", None)
        settings = preferences.list_preferences(user=request.user, list_label=self.list_label)
        shown = self.shown_columns(settings.columns)
        shown_keys = {key for key, _c in shown}
        locked = self.locked_keys()
        sort = self.sort_of()
        columns = [c for _key, c in shown]
        context = {
            "model": self.model,
            "opts": self.model._meta,
            "title": capfirst(self.model._meta.verbose_name_plural),
            "columns": columns,
            "headers": [self.header(key, c, sort) for key, c in shown],
            "column_choices": [
                (key, c.label, key in shown_keys, key in locked) for key, c in self.keyed_columns()
            ],
            "rows": [(obj, [(c, c.value(obj)) for c in columns]) for obj in page.object_list],
            "page": page,
            "filterset": filterset,
            "query": query.urlencode(),
            "sort": f"-{sort[0]}" if sort[0] and sort[1] else sort[0],
            "sort_options": self.sort_options(),
            "filter_query": preferences.clean_query(query.urlencode()),
            "saved_filters": [(f.pk, f.name, f.value) for f in settings.filters],
            "perms": perms,
            "bulk": bulk_delete or bulk_edit,
            "bulk_delete": bulk_delete,
            "bulk_edit": bulk_edit,
            "bulk_cap": BULK_CAP,
            "add_url": self.url("add") if perms[access.ADD] else None,
            "import_url": self.url("import") if self.import_enabled and perms[access.IMPORT] else None,
            "page_sizes": PAGE_SIZES,
            "extra_links": [
                (label, reverse(name))
                for label, name, *needs in self.extra_links
                if all(perms[action] for action in needs)
            ],
        }
        template = "core/_object_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def rows_queryset(self):
        """Where a page's rows are read once the paginator has chosen their ids through the access layer and
        the filters: the base queryset (references, annotations), guarded relations withheld for the
        reader."""
        qs = self.base_queryset()
        return qs.for_reader(self.request.user) if hasattr(qs, "for_reader") else qs

    def paginate(self, qs, per_page: int) -> Paginator:
        if issubclass(self.paginator_class, IdsFirstPaginator):
            return self.paginator_class(qs, per_page, rows=self.rows_queryset())
        return self.paginator_class(qs, per_page)

    def back(self) -> HttpResponseRedirect:
        """Back to the list with the query the form came from (a query string only: no open redirect)."""
        from pckb.accounts.preferences import clean_query

        query = clean_query(self.request.POST.get("query", ""))
        return HttpResponseRedirect(f"{self.request.path}?{query}" if query else self.request.path)

    def post(self, request, *args, **kwargs):
        """The list page's own forms: ``_action`` = ``columns``, ``save_filter``, ``delete_filter`` or
        ``bulk_delete`` (which first shows a confirmation page, then deletes on ``confirm``)."""
        from pckb.accounts import preferences

        if not access.has_action(request.user, self.model, access.VIEW):
            raise Http404
        action = request.POST.get("_action")
        if action == "columns":
            valid = {key for key, _c in self.keyed_columns()}
            keys = [k for k in request.POST.getlist("columns") if k in valid]
            if request.POST.get("reset"):
                keys = []
            preferences.list_columns_set(user=request.user, list_label=self.list_label, keys=keys)
            messages.success(request, _("Đã lưu các cột hiển thị."))
            return self.back()
        if action == "save_filter":
            try:
                saved = preferences.saved_filter_save(
                    user=request.user,
                    list_label=self.list_label,
                    name=request.POST.get("filter_name", ""),
                    query=request.POST.get("query", ""),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã lưu bộ lọc “{name}”.").format(name=saved.name))
            return self.back()
        if action == "delete_filter":
            preferences.saved_filter_delete(
                user=request.user, list_label=self.list_label, pk=request.POST.get("filter_pk") or 0
            )
            messages.success(request, _("Đã xóa bộ lọc đã lưu."))
            return self.back()
        if action == "bulk_delete":
            return self.bulk_delete_post()
        if action == "bulk_edit":
            return self.bulk_edit_post()
        return HttpResponse(_("Thao tác không hợp lệ."), status=400)

    def bulk_delete_post(self):
        from pckb.core.bulk import BulkRefused, objects_delete

        request = self.request
        if not self.can_bulk_delete(self.permissions()):
            raise Http404
        pks, problem = self.selected_pks()
        query = request.POST.get("query", "")
        if problem:
            messages.error(request, problem)
            return self.back()
        context = {
            "opts": self.model._meta,
            "title": _("Xóa nhiều {name}").format(name=self.model._meta.verbose_name_plural),
            "objects": list(self.get_queryset().filter(pk__in=pks)),
            "pks": pks,
            "query": query,
            "list_url": f"{request.path}?{query}" if query else request.path,
            "refusals": [],
        }
        if not request.POST.get("confirm"):
            return render(request, self.bulk_delete_template, context)
        try:
            count = objects_delete(actor=request.user, model=self.model, pks=pks)
        except BulkRefused as exc:
            context["refusals"] = exc.refusals
            return render(request, self.bulk_delete_template, context, status=409)
        messages.success(
            request,
            _("Đã xóa {count} {name}.").format(count=count, name=self.model._meta.verbose_name_plural),
        )
        return self.back()

    def selected_pks(self) -> tuple[list[int], str]:
        """The objects a bulk action takes: the ticked rows, or — with ``all_matching`` — every object the
        list's filter matches (at most ``BULK_CAP``). Returns (pks, the refusal in words or "")."""
        from pckb.accounts.preferences import clean_query
        from pckb.core.bulk import BULK_CAP

        request = self.request
        if request.POST.get("all_matching"):
            _filterset, qs = self.filtered(
                self.get_queryset(), QueryDict(clean_query(request.POST.get("query", "")))
            )
            pks = list(qs.order_by().values_list("pk", flat=True)[: BULK_CAP + 1])
            if len(pks) > BULK_CAP:
                return [], _(
                    "Bộ lọc khớp hơn {cap} mục; mỗi lần chỉ xử lý tối đa {cap} mục — hãy lọc hẹp hơn."
                ).format(cap=f"{BULK_CAP:,}".replace(",", "."))
        else:
            pks = []
            for raw in request.POST.getlist("pk"):
                try:
                    pks.append(int(raw))
                except ValueError:
                    continue
            pks = list(dict.fromkeys(pks))[: BULK_CAP + 1]
        if not pks:
            return [], _("Chưa chọn mục nào.")
        return pks, ""

    def bulk_edit_post(self):
        """Bulk edit (NetBox style), in steps on one page: choose the field, give the value, see a preview
        (every object's current and new value, and every refusal, from a dry run), then apply — each object
        through the model's update service, all or nothing."""
        from pckb.core.bulk import BULK_CAP, BulkRefused, objects_update

        request = self.request
        if not self.can_bulk_edit(self.permissions()):
            raise Http404
        pks, problem = self.selected_pks()
        if problem:
            messages.error(request, problem)
            return self.back()
        if len(pks) > BULK_CAP:
            messages.error(
                request,
                _("Mỗi lần sửa tối đa {cap} mục; hãy lọc hẹp hơn.").format(
                    cap=f"{BULK_CAP:,}".replace(",", ".")
                ),
            )
            return self.back()
        query = request.POST.get("query", "")
        opts = self.model._meta
        names = self.bulk_fields()
        name = request.POST.get("field", "")
        step = request.POST.get("step", "")
        context = {
            "opts": opts,
            "title": _("Sửa nhiều {name}").format(name=opts.verbose_name_plural),
            "pks": pks,
            "query": query,
            "list_url": f"{request.path}?{query}" if query else request.path,
            "field_choices": [(n, capfirst(opts.get_field(n).verbose_name)) for n in names],
            "field": name if name in names else "",
            "refusals": [],
        }
        objects = self.get_queryset().filter(pk__in=pks)
        if name not in names:
            context["objects"] = list(objects)
            return render(request, self.bulk_edit_template, context)
        model_field = opts.get_field(name)
        context["field_label"] = capfirst(model_field.verbose_name)
        if model_field.is_relation:
            objects = objects.select_related(name)
        objects = list(objects)
        form_class = modelform_factory(self.model, form=PckbModelForm, fields=(name,))
        bound = step in {"preview", "apply"}
        form = form_class(
            request.POST if bound else None, instance=self.model(), user=request.user, prefix="value"
        )
        context["form"] = form
        context["objects"] = objects
        if not bound or not form.is_valid():
            return render(request, self.bulk_edit_template, context, status=200)
        value = form.cleaned_data[name]
        probe = self.model()
        setattr(probe, name, value)
        new = field_display(probe, name)
        if model_field.is_relation:  # a current reference the user may not see is not named (the one guard)
            access.withhold_related(request.user, objects, (name,))
        context["changes"] = [(obj, field_display(obj, name), new) for obj in objects]
        try:
            count = objects_update(
                actor=request.user,
                model=self.model,
                pks=pks,
                field=name,
                value=value,
                update=self.bulk_update,
                dry_run=step != "apply",
            )
        except BulkRefused as exc:
            context["refusals"] = exc.refusals
            return render(request, self.bulk_edit_template, context, status=409 if step == "apply" else 200)
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.bulk_edit_template, context)
        if step == "apply":
            messages.success(
                request,
                _("Đã sửa {field} của {count} {name}.").format(
                    field=model_field.verbose_name, count=count, name=opts.verbose_name_plural
                ),
            )
            return self.back()
        context["ready"] = True
        return render(request, self.bulk_edit_template, context)

    def export_objects(self, qs):
        """The exported objects, in chunks (a list view reads related objects its export columns need)."""
        return qs.iterator(chunk_size=2000)

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
            objects=self.export_objects(qs),
            columns=getattr(self, "export_columns", None) or self.columns,
            fmt=fmt,
        )


def field_display(obj, name: str) -> str:
    """A field's value as a person reads it (a choice's label, dd/mm/yyyy, a reference's name — unless the
    access layer withheld it from the reader, see ``access.withhold_related``)."""
    field = obj._meta.get_field(name)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")()) or "—"
    if field.is_relation:
        if getattr(obj, field.attname) is None:
            return "—"
        related = access.related(obj, name)
        return str(related) if related is not None else _("(không hiển thị)")
    value = getattr(obj, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


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

    def many(self, form, names=None) -> dict:
        """The form's many-to-many lists (of ``names``, default all): set by the service, which checks each
        chosen object, keeps what the editor may not see and audits the lists."""
        return {
            f.name: form.cleaned_data[f.name]
            for f in self.model._meta.many_to_many
            if f.name in form.cleaned_data and (names is None or f.name in names)
        }

    def create(self, form):
        return services.object_create(
            actor=self.request.user, instance=form.instance, many=self.many(form) or None
        )

    def update(self, form):
        many = self.many(form, form.changed_data)
        changes = {
            name: getattr(form.instance, name)
            for name in form.changed_data
            if name in form.cleaned_data and name not in many
        }
        return services.object_update(
            actor=self.request.user, instance=form.instance, changes=changes, many=many or None
        )

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
