"""Training conferences on the calendar (see :mod:`pckb.core.agenda`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pckb.core.agenda import AgendaEvent
from pckb.training.models import Conference


def conferences(user, start, end):
    for conf in (
        Conference.objects.restrict(user).filter(start__lt=end, end__gte=start).order_by("start")[:200]
    ):
        yield AgendaEvent(conf.title, conf.start, conf.end, conf.get_absolute_url(), _("Tập huấn"))
