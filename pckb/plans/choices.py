from django.db import models
from django.utils.translation import gettext_lazy as _

#: Days before a deadline when a task appears in "Việc cần làm".
DUE_SOON_DAYS = 7


class TaskStatus(models.TextChoices):
    """Stored states; "quá hạn" (overdue) is computed from the deadline, never stored."""

    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    AWAITING = "awaiting", _("Hoàn thành, chờ xác nhận")
    DONE = "done", _("Đã hoàn thành")


#: States in which a task is still open (it can be late).
OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.AWAITING)
