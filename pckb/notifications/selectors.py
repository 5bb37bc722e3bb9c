"""Reads of the notification module. A user only ever reads their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from pckb.notifications.models import Notification, OutboxMessage


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user) -> int:
    return notifications_for(user=user, unread_only=True).count()


def outbox_summary() -> dict[str, int]:
    """Rows per delivery status (for operators: ``pckb manage notifications_deliver --status``)."""
    from django.db.models import Count

    return dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
