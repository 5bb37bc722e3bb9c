"""The base-model stack every domain model stands on.

``PckbModel`` gives timestamps, the restricted manager, the folded search text and the Vietnamese sort key.
Each concrete model declares, as class attributes:

* ``scope_path`` — the lookup to the ``geo.AdministrativeUnit`` that decides who may see the object
  (e.g. ``"unit"`` or ``"committee__unit"``); ``None`` makes the model unscoped (reference data);
* ``classification_paths`` — the lookups to every ``Classification`` the object depends on: its own
  (``"classification"``) and its parents' (``"conference__classification"``), built with
  :func:`classification_via`; ``restrict`` applies all of them (the strictest wins). A child always names its
  classified parent's lookups, so it is never more visible than the parent (``tests/core/test_classification``
  checks every model). The older single ``classification_path`` is still read;
* ``guarded_relations`` — related objects shown beside the object that carry their own scope or
  classification (a member's decision, a session's presenter): withheld from readers who may not see them;
* ``search_fields`` — attribute names folded into ``search_text``;
* ``sort_source`` — the attribute (or callable name) whose Vietnamese collation key fills ``sort_key``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from pckb.core.choices import Classification
from pckb.core.text import fold, vi_sort_key

if TYPE_CHECKING:
    from pckb.accounts.models import User


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what one user may do (see ``pckb.core.access``).

    A restricted queryset remembers its reader: the objects it yields have their ``guarded_relations``
    withheld where the reader may not see them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reader = None
        self._guard = False

    def restrict(self, user: User | None, action: str = "view") -> RestrictedQuerySet:
        from pckb.core.access import restrict

        return restrict(self, user, action)

    def for_reader(self, user: User | None) -> RestrictedQuerySet:
        clone = self._chain()
        clone._reader, clone._guard = user, bool(getattr(self.model, "guarded_relations", ()))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._reader, clone._guard = self._reader, self._guard
        return clone

    def _withhold(self, objects: list) -> None:
        if self._guard and objects and isinstance(objects[0], self.model):
            from pckb.core.access import withhold_related

            withhold_related(self._reader, objects)

    def _fetch_all(self):
        filled = self._result_cache is not None
        super()._fetch_all()
        if not filled:
            self._withhold(self._result_cache)

    def _iterator(self, use_chunked_fetch, chunk_size):
        if not self._guard:
            yield from super()._iterator(use_chunked_fetch, chunk_size)
            return
        batch = []
        for obj in super()._iterator(use_chunked_fetch, chunk_size):
            batch.append(obj)
            if len(batch) >= (chunk_size or 2000):
                self._withhold(batch)
                yield from batch
                batch = []
        self._withhold(batch)
        yield from batch

    def search(self, query: str | None) -> RestrictedQuerySet:
        """Accent-insensitive search (đ matches d) over the model's ``search_fields``."""
        from pckb.core.search import token_q
        from pckb.core.text import search_tokens

        qs = self
        for token in search_tokens(query):
            qs = qs.filter(token_q(self.model, token))
        return qs


class PckbModel(models.Model):
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, default="", editable=False)
    sort_key = models.CharField(
        _("khóa sắp xếp"), max_length=400, blank=True, default="", editable=False, db_index=True
    )

    objects = RestrictedQuerySet.as_manager()

    scope_path: ClassVar[str | None] = None
    classification_paths: ClassVar[tuple[str, ...]] = ()
    classification_path: ClassVar[str | None] = None  # older single lookup, still honoured
    guarded_relations: ClassVar[tuple[str, ...]] = ()
    search_fields: ClassVar[tuple[str, ...]] = ()
    sort_source: ClassVar[str | None] = None
    #: Fields left out of audit snapshots (derived values).
    audit_exclude: ClassVar[tuple[str, ...]] = ("created", "updated", "search_text", "sort_key")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        self.sort_key = self.compute_sort_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "sort_key", "updated"}
        super().save(*args, **kwargs)

    def prepare_bulk_insert(self) -> None:
        """What ``save()`` does before a new row is written, for a bulk insert (which skips ``save``). A
        model that overrides ``save`` overrides this too, or its objects are created one by one."""
        self.search_text = self.compute_search_text()
        self.sort_key = self.compute_sort_key()

    def compute_search_text(self) -> str:
        parts = [getattr(self, name, "") for name in self.search_fields]
        return fold(" ".join(str(p) for p in parts if p))

    def compute_sort_key(self) -> str:
        if not self.sort_source:
            return ""
        value = getattr(self, self.sort_source)
        value = value() if callable(value) else value
        return vi_sort_key(str(value or ""))[:400]

    def get_unit(self):
        """The administrative unit this object belongs to (for scope checks and display)."""
        if not self.scope_path:
            return None
        obj = self
        for part in self.scope_path.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj


class ClassifiedMixin(models.Model):
    """Adds ``classification`` (Thường / Mật / Tối mật) to a model."""

    classification = models.PositiveSmallIntegerField(
        _("độ mật"),
        choices=Classification.choices,
        default=Classification.NORMAL,
        help_text=_("Hệ thống không lưu tài liệu Tuyệt mật."),
    )
    classification_paths = ("classification",)

    class Meta:
        abstract = True


def classification_via(relation: str, parent: type[models.Model]) -> tuple[str, ...]:
    """A parent's classification lookups seen from a child through ``relation``:
    ``classification_via("conference", Conference)`` → ``("conference__classification",)``."""
    from pckb.core.access import classification_lookups

    return tuple(f"{relation}__{path}" for path in classification_lookups(parent))


class WorkerHeartbeat(models.Model):
    """One row the background worker refreshes every minute; /healthz reads its age."""

    name = models.CharField(max_length=32, unique=True)
    seen = models.DateTimeField()

    class Meta:
        verbose_name = _("nhịp hoạt động của tiến trình nền")

    def __str__(self) -> str:
        return f"{self.name} {self.seen:%d/%m/%Y %H:%M:%S}"
