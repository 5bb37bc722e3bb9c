"""What the documents module asks of each user on the start page (see :mod:`pckb.core.todo`): documents not
yet entered in a register (for whoever may enter them) and meetings whose conclusions are not yet tasks."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.documents.models import Conclusion, Document, Meeting, RegisterEntry
from pckb.plans.models import Task

MODULE = "documents"
LIMIT = 99  # "99 documents" at most: the list shows the rest


def documents_to_register(user, now):
    """Documents of the user's scope that are in no register yet (one line, two queries at most)."""
    if not access.has_action(user, RegisterEntry, access.ADD):
        return
    pending = list(
        Document.objects.restrict(user)
        .filter(entries__isnull=True)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)[:LIMIT]
    )
    if not pending:
        return
    n = len(pending)
    url = reverse("documents:document", args=[pending[0]]) if n == 1 else reverse("documents:document_list")
    yield TodoItem(
        ngettext("{n} văn bản chưa vào sổ", "{n} văn bản chưa vào sổ", n).format(n=n), url, "warning", MODULE
    )


def conclusions_to_assign(user, now):
    """Meetings with conclusions not yet turned into tasks, for whoever may assign them."""
    if not access.has_action(user, Task, access.ADD):
        return
    pending = Conclusion.objects.restrict(user).filter(task__isnull=True).values("meeting_id")
    for meeting in access.restrict(Meeting.objects.filter(pk__in=pending), user, access.CHANGE)[:5]:
        yield TodoItem(
            _("Kết luận chưa giao thành nhiệm vụ: {title}").format(title=meeting.title),
            meeting.get_absolute_url(),
            "info",
            MODULE,
        )
