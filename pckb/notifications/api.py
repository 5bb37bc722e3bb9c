"""REST endpoints of the notification centre under /api/v1/notifications/: the caller's own notifications."""

import datetime as dt

from ninja import Router, Schema

from pckb.api.errors import ErrorOut
from pckb.notifications import selectors, services

router = Router(tags=["Thông báo"])

#: The API lists the most recent notifications only; older ones stay in the web notification centre.
LIMIT = 100


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    created: dt.datetime
    read_at: dt.datetime | None


class UnreadOut(Schema):
    unread: int


@router.get("/notifications/", response=list[NotificationOut], operation_id="notification_list")
def notification_list(request, unread: bool = False):
    """The caller's most recent notifications (at most 100), newest first."""
    return list(selectors.notifications_for(user=request.user, unread_only=unread)[:LIMIT])


@router.get("/notifications/unread-count", response=UnreadOut, operation_id="notification_unread_count")
def notification_unread_count(request):
    return {"unread": selectors.unread_count(user=request.user)}


@router.post(
    "/notifications/{pk}/read",
    response={200: NotificationOut, 404: ErrorOut},
    operation_id="notification_read",
)
def notification_read(request, pk: int):
    """Mark one of the caller's notifications read (idempotent); someone else's answers 404."""
    return services.notification_mark_read(user=request.user, notification_id=pk)
