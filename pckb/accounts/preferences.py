"""A user's own list settings: the columns shown and the saved filters of each list page (``ListPreference``).

Reads (``list_preferences``) and writes (``list_columns_set``, ``saved_filter_save``, ``saved_filter_delete``)
only ever touch the acting user's own rows; another user's settings are never read or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pckb.accounts.models import ListPreference

MAX_SAVED_FILTERS = 30
#: Query keys a saved filter never keeps (a page number, an export, the form's own fields).
_NOT_SAVED = {"page", "export", "csrfmiddlewaretoken", "_action", "filter_name"}


@dataclass
class ListSettings:
    columns: list[str] | None = None
    filters: list[ListPreference] = field(default_factory=list)


def list_preferences(*, user, list_label: str) -> ListSettings:
    """The user's chosen columns (None: the declared default) and saved filters for one list (one query)."""
    settings = ListSettings()
    for pref in ListPreference.objects.filter(user=user, list_label=list_label):
        if pref.kind == ListPreference.Kind.COLUMNS:
            settings.columns = [key for key in pref.value.split(",") if key]
        else:
            settings.filters.append(pref)
    return settings


def list_columns_set(*, user, list_label: str, keys: list[str]) -> None:
    """Remember the columns ``user`` shows on a list; an empty choice goes back to the default columns."""
    with transaction.atomic():
        if not keys:
            ListPreference.objects.filter(
                user=user, list_label=list_label, kind=ListPreference.Kind.COLUMNS
            ).delete()
            return
        ListPreference.objects.update_or_create(
            user=user,
            list_label=list_label,
            kind=ListPreference.Kind.COLUMNS,
            name="",
            defaults={"value": ",".join(keys)},
        )


def clean_query(query: str) -> str:
    """The filter part of a query string (no page number, export or form field)."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in _NOT_SAVED]
    return urlencode(pairs)


def saved_filter_save(*, user, list_label: str, name: str, query: str) -> ListPreference:
    """Save (or replace) the filter ``name`` of a list for ``user``."""
    name = (name or "").strip()
    query = clean_query(query)
    if not name:
        raise ValidationError(_("Hãy đặt tên cho bộ lọc."))
    if len(name) > 100:
        raise ValidationError(_("Tên bộ lọc dài tối đa 100 ký tự."))
    if not query:
        raise ValidationError(_("Chưa có điều kiện lọc nào để lưu."))
    if len(query) > 2000:
        raise ValidationError(_("Bộ lọc quá dài để lưu."))
    with transaction.atomic():
        mine = ListPreference.objects.filter(
            user=user, list_label=list_label, kind=ListPreference.Kind.FILTER
        )
        if mine.count() >= MAX_SAVED_FILTERS and not mine.filter(name=name).exists():
            raise ValidationError(_("Mỗi danh sách lưu được tối đa {n} bộ lọc.").format(n=MAX_SAVED_FILTERS))
        pref, _created = ListPreference.objects.update_or_create(
            user=user,
            list_label=list_label,
            kind=ListPreference.Kind.FILTER,
            name=name,
            defaults={"value": query},
        )
    return pref


def saved_filter_delete(*, user, list_label: str, pk) -> None:
    """Delete one of ``user``'s saved filters of a list (another user's filter is not found)."""
    ListPreference.objects.filter(
        user=user, list_label=list_label, kind=ListPreference.Kind.FILTER, pk=pk
    ).delete()
