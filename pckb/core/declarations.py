"""One declaration of a model's fields, from which its form fields, its API schemas (Out, In, Patch) and its
list columns are derived, so the same list is never written twice.

``ModelFields(model, fields=…, columns=…)`` names the fields people edit (the form's ``Meta.fields`` and the
API's input), the fields shown only (``read_only``: in the API output, not taken as API input) and the list
columns. The API schemas carry each model field's constraints: ``max_length``, the integer range of its
validators (and of its database column), ``choices`` as an enumeration, and whether it may be empty.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from django.core import validators
from django.db import models
from django.utils.text import capfirst
from ninja import Schema
from pydantic import Field, create_model

from pckb.core.exports import Column

_TYPES: list[tuple[type[models.Field], type]] = [
    (models.BooleanField, bool),
    (models.DateTimeField, dt.datetime),
    (models.DateField, dt.date),
    (models.TimeField, dt.time),
    (models.DecimalField, decimal.Decimal),
    (models.FloatField, float),
    (models.IntegerField, int),
    (models.AutoField, int),
]


#: The most ids one many-to-many list of an API request may hold.
MAX_MANY = 200
_PK_MAX = {"AutoField": 2_147_483_647, "SmallAutoField": 32_767}


def _many_type(field: models.Field) -> Any:
    """A many-to-many list as ids, each within what the target's key column can hold."""
    pk = field.related_model._meta.pk
    top = _PK_MAX.get(pk.get_internal_type(), 9_223_372_036_854_775_807)
    return list[Annotated[int, Field(ge=1, le=top)]]


def _python_type(field: models.Field) -> Any:
    if field.many_to_many:
        return _many_type(field)
    if field.is_relation:
        return int
    if field.choices:
        values = tuple(value for value, _label in field.flatchoices)
        if _blank_text(field) and "" not in values:
            values = ("", *values)  # an optional choice is stored as ""
        return Literal[values]
    for django_type, python_type in _TYPES:
        if isinstance(field, django_type):
            return python_type
    return str


def _blank_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and field.blank and not field.null


def _constraints(field: models.Field) -> dict:
    """Pydantic constraints carried from the model field (string length, integer range)."""
    limits: dict[str, Any] = {}
    if isinstance(field, models.CharField | models.TextField) and field.max_length and not field.choices:
        limits["max_length"] = field.max_length
    if isinstance(field, models.IntegerField) and not field.choices and not field.is_relation:
        for validator in field.validators:
            if isinstance(validator, validators.MinValueValidator):
                limits["ge"] = max(limits.get("ge", validator.limit_value), validator.limit_value)
            elif isinstance(validator, validators.MaxValueValidator):
                limits["le"] = min(limits.get("le", validator.limit_value), validator.limit_value)
    return limits


def _no_default_in_document(schema: dict) -> None:
    schema.pop("default", None)


def visible_attr(name: str) -> str:
    """Where :meth:`ModelFields.visible_prefetches` puts the objects of a many-to-many list the reader may
    see (``Prefetch(…, to_attr=…)``); the API output reads only this, never the raw list."""
    return f"visible_{name}"


def _many_resolver(name: str):
    """The API output of a many-to-many list: the ids of the related objects the reader may see (read from
    the prefetch of :meth:`ModelFields.visible_prefetches`, else through the access layer), so an unseen
    agency is never named nor counted."""

    def resolve(obj, context=None):
        prefetched = getattr(obj, visible_attr(name), None)
        if prefetched is not None:
            return sorted(o.pk for o in prefetched)
        from pckb.core import access

        request = (context or {}).get("request")
        related = getattr(obj, name).all()
        if hasattr(related, "restrict"):
            related = access.restrict(related, getattr(request, "user", None), access.VIEW)
        return sorted(related.values_list("pk", flat=True))

    return staticmethod(resolve)


@dataclass(frozen=True)
class ModelFields:
    model: type[models.Model]
    #: The fields people edit, in form order: the form's fields and the API's input.
    fields: tuple[str, ...]
    #: The list page's columns (field names or ``Column``s); the first linked unless ``link`` names one.
    columns: tuple[str | Column, ...] = ()
    link: str | None = None
    #: Shown in the API output, not taken as API input (it changes through its own action).
    read_only: tuple[str, ...] = ()
    #: Fields a list page may set on many selected objects at once (bulk edit), each through the model's
    #: update service. Only fields people edit; never a classification (each raise is decided one by one).
    bulk_fields: tuple[str, ...] = ()
    #: The schemas' name stem in the OpenAPI document (default: the model's class name).
    schema_name: str | None = None

    def __post_init__(self):
        stray = [n for n in self.bulk_fields if n not in self.input_fields]
        if stray:
            raise ValueError(f"{self.model.__name__}: bulk fields {stray} are not edited fields")

    def _field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    @property
    def input_fields(self) -> tuple[str, ...]:
        return tuple(n for n in self.fields if n not in self.read_only)

    @property
    def many_fields(self) -> tuple[str, ...]:
        """The declared many-to-many lists (a task's supporting agencies, a document's recipients): in the
        API as lists of ids, written through the model's service (``object_create/update(many=…)``)."""
        names = dict.fromkeys((*self.fields, *self.read_only))
        return tuple(n for n in names if self._field(n).many_to_many)

    def visible_prefetches(self, user) -> list:
        """One ``Prefetch`` per many-to-many list, holding only the related objects ``user`` may see (read
        by the API output), so a list of N objects costs one query per list, not one per object."""
        from django.db.models import Prefetch

        from pckb.core import access

        prefetches = []
        for name in self.many_fields:
            qs = self._field(name).related_model._default_manager.all()
            if hasattr(qs, "restrict"):
                qs = access.restrict(qs, user, access.VIEW)
            prefetches.append(Prefetch(name, queryset=qs, to_attr=visible_attr(name)))
        return prefetches

    def list_columns(self) -> list[Column]:
        link = self.link or next((c for c in self.columns if isinstance(c, str)), None)
        out = []
        for column in self.columns:
            if isinstance(column, Column):
                out.append(column)
            else:
                label = capfirst(self._field(column).verbose_name)
                out.append(Column(column, label, link=column == link))
        return out

    def related_columns(self) -> tuple[str, ...]:
        names = (c if isinstance(c, str) else c.accessor for c in self.columns)
        return tuple(n for n in names if isinstance(n, str) and "." not in n and self._field(n).is_relation)

    @cached_property
    def out_schema(self) -> type[Schema]:
        """``id`` and every declared field as stored (a reference as ``<name>_id``)."""
        definitions: dict[str, Any] = {"id": (int, ...)}
        for name in dict.fromkeys((*self.fields, *self.read_only)):
            field = self._field(name)
            if field.many_to_many:
                definitions[name] = (list[int], ...)
                continue
            key = field.attname if field.is_relation else name
            python_type = _python_type(field)
            definitions[key] = (python_type | None if field.null else python_type, ...)
        resolvers = {f"resolve_{name}": _many_resolver(name) for name in self.many_fields}
        base = type(f"{self.model.__name__}OutBase", (Schema,), resolvers) if resolvers else Schema
        return create_model(f"{self.schema_name or self.model.__name__}Out", __base__=base, **definitions)

    @cached_property
    def in_schema(self) -> type[Schema]:
        """The fields a create takes: required unless the model gives a default or lets it be empty."""
        definitions: dict[str, Any] = {}
        for name in self.input_fields:
            field = self._field(name)
            python_type = _python_type(field)
            limits = _constraints(field)
            if field.many_to_many:
                default = {"default_factory": list} if field.blank else {"default": ..., "min_length": 1}
                definitions[name] = (python_type, Field(max_length=MAX_MANY, **default))
            elif field.has_default() and not callable(field.default):
                definitions[name] = (python_type, Field(field.default, **limits))
            elif field.null:
                definitions[name] = (python_type | None, Field(None, **limits))
            elif field.blank and python_type is str:
                definitions[name] = (str, Field("", **limits))
            elif _blank_text(field):
                definitions[name] = (python_type, Field("", **limits))
            else:
                definitions[name] = (python_type, Field(..., **limits))
        return create_model(f"{self.schema_name or self.model.__name__}In", __base__=Schema, **definitions)

    @cached_property
    def patch_schema(self) -> type[Schema]:
        """The fields an update may send, each optional; ``null`` only where the model allows it."""
        definitions: dict[str, Any] = {}
        for name in self.input_fields:
            field = self._field(name)
            python_type = _python_type(field)
            limits = _constraints(field)
            if field.many_to_many:
                extra = {"json_schema_extra": _no_default_in_document}
                definitions[name] = (python_type, Field(None, max_length=MAX_MANY, **extra))
            elif field.null:
                definitions[name] = (python_type | None, Field(None, **limits))
            else:
                extra = {"json_schema_extra": _no_default_in_document}
                definitions[name] = (python_type, Field(None, **limits, **extra))
        return create_model(f"{self.schema_name or self.model.__name__}Patch", __base__=Schema, **definitions)
