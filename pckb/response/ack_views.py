"""The one-time acknowledgement link from an e-mail (``/ung-pho/xac-nhan/<token>/``).

The link authenticates one thing only: that its recipient acknowledges its one checklist item. Opening it
(GET) changes nothing: it shows the minimum (the agency, the due time, and the task and incident only when
:func:`selectors.ack_link_shows_details` allows) and a button. The button (POST) acknowledges through
``services.checklist_acknowledge_by_link`` as the recipient (audited). A token never issued is a 404; a used
or expired link, or an item already acknowledged, says so and changes nothing. Look-ups are rate-limited
per address and per token like the delegates' code look-ups."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from pckb.core import errors, ratelimit
from pckb.response import selectors, services


class AckLinkView(View):
    template_name = "response/ack_link.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        token = kwargs.get("token", "")
        by_address = ratelimit.hit(
            request, "ack-link", limit=settings.PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE
        )
        by_token = ratelimit.allow(
            "ack-link-token",
            services.ack_token_hash(token),
            limit=settings.PCKB_CODE_LOOKUPS_PER_CODE_PER_MINUTE,
        )
        if not (by_address and by_token):
            return render(request, "response/ack_link_too_many.html", status=429)
        return super().dispatch(request, *args, **kwargs)

    def _link(self, token):
        link = selectors.ack_link(token)
        if link is None:
            raise Http404
        return link

    def _page(self, request, link, *, status=200, message="", error=""):
        item = link.item
        now = timezone.now()
        if message:
            state = "done"
        elif link.used_at is not None:
            state = "used"
        elif link.expired(now):
            state = "expired"
        elif item.acknowledged_at is not None or item.done_at is not None:
            state = "acknowledged"
        elif not item.incident.is_open:
            state = "closed"
        else:
            state = "ready"
        return render(
            request,
            self.template_name,
            {
                "title": _("Xác nhận đã nhận việc"),
                "link": link,
                "item": item,
                "details": selectors.ack_link_shows_details(request.user, link),
                "state": state,
                "message": message,
                "error": error,
            },
            status=status,
        )

    def get(self, request, token):
        return self._page(request, self._link(token))

    def post(self, request, token):
        link = self._link(token)
        try:
            services.checklist_acknowledge_by_link(token=token)
        except errors.NotFound as exc:
            raise Http404 from exc
        except ValidationError as exc:
            link.refresh_from_db()
            link.item.refresh_from_db()
            gone = link.used_at is not None or link.expired()
            return self._page(request, link, status=410 if gone else 409, error=" ".join(exc.messages))
        except PermissionDenied:
            return self._page(
                request,
                link,
                status=403,
                error=_("Tài khoản nhận liên kết này không còn quyền xác nhận việc này."),
            )
        link.refresh_from_db()
        link.item.refresh_from_db()
        return self._page(request, link, message=_("Đã xác nhận đã nhận. Cảm ơn đồng chí."))
