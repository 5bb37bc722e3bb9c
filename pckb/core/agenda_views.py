"""The calendar page: a month of events from every module, in the user's scope."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from pckb.core.agenda import month_grid

#: Months a user may page to, either side of today (a bound, so that a crafted ?thang= cannot ask for year 1).
REACH_YEARS = 10


def _month_param(raw: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    if not raw:
        return today.year, today.month
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        dt.date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if abs(year - today.year) > REACH_YEARS:
        raise Http404
    return year, month


class AgendaView(LoginRequiredMixin, View):
    def get(self, request):
        if request.user.is_administrator:
            raise Http404
        year, month = _month_param(request.GET.get("thang"))
        first = dt.date(year, month, 1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        weeks = month_grid(request.user, year, month)
        return render(
            request,
            "core/agenda.html",
            {
                "title": _("Lịch công tác tháng {month}").format(month=formats.date_format(first, "m/Y")),
                "weeks": weeks,
                "days_with_events": [d for week in weeks for d in week if d.in_month and d.events],
                "previous": f"{previous:%Y-%m}",
                "following": f"{following:%Y-%m}",
                "weekdays": [
                    _("Thứ Hai"),
                    _("Thứ Ba"),
                    _("Thứ Tư"),
                    _("Thứ Năm"),
                    _("Thứ Sáu"),
                    _("Thứ Bảy"),
                    _("Chủ nhật"),
                ],
            },
        )
