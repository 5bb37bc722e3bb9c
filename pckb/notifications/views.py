"""The notification centre: the signed-in user's own notifications, newest first, and "mark read"."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from pckb.notifications import selectors, services


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        unread_only = self.request.GET.get("chua-doc") == "1"
        qs = selectors.notifications_for(user=self.request.user, unread_only=unread_only)
        page = Paginator(qs, 50).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "title": _("Thông báo"),
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "query": "chua-doc=1" if unread_only else "",
        }


class NotificationBadgeView(LoginRequiredMixin, TemplateView):
    """The header's unread counter alone: the fragment ``pckb/live.js`` re-fetches when a notification
    event arrives on the user's live stream (the count comes from the ``notifications`` context processor)."""

    template_name = "notifications/_unread_badge.html"


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then open its link (or go back to the centre)."""

    def post(self, request, pk: int):
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
        if (
            request.POST.get("open")
            and notification.url
            and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
        ):
            return redirect(notification.url)
        return redirect("notifications:list")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        return redirect("notifications:list")
