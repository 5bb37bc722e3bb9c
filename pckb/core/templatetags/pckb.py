"""Template helpers: one way to render a cell, a field, a date."""

import datetime as dt

from django import template
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def cell(obj, value, column):
    """Render a list cell: the first linked column links to the object; dates are dd/mm/yyyy."""
    if isinstance(value, bool):
        text = _("Có") if value else _("Không")
    elif isinstance(value, dt.datetime):
        text = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    elif isinstance(value, dt.date):
        text = formats.date_format(value, "SHORT_DATE_FORMAT")
    elif value is None or value == "":
        text = "—"
    else:
        text = value
    if column.link and hasattr(obj, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)
    if isinstance(value, Model) and hasattr(value, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), text)
    return text


@register.filter
def vndate(value):
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def field_type(bound_field) -> str:
    return bound_field.field.widget.__class__.__name__.lower()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def with_labels(row, columns):
    """A table row's cells with their column headings, ``[(heading, cell), …]``: on a phone each cell is
    shown under its heading (``data-label``), so a column of bare numbers still says what it counts."""
    return list(zip(columns, row, strict=False))
