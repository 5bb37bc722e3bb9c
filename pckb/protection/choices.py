"""Choices of the protection module (Bảo vệ)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionLevel(models.TextChoices):
    """How the target is guarded (an internal scale: no official levels were found in law)."""

    SPECIAL = "special", _("Đặc biệt quan trọng")
    IMPORTANT = "important", _("Quan trọng")
    ORDINARY = "ordinary", _("Thông thường")


class RiskLevel(models.IntegerChoices):
    """The facility-security-level style result of a risk assessment (I lowest, V highest)."""

    I = 1, _("Cấp I (thấp)")  # noqa: E741 - the level's name is the Roman numeral
    II = 2, _("Cấp II")
    III = 3, _("Cấp III")
    IV = 4, _("Cấp IV")
    V = 5, _("Cấp V (rất cao)")


#: The five factors of the score, each rated 1–5 (see docs/protection.md).
RISK_FACTORS = ("criticality", "symbolism", "population", "size", "threat")
#: Total score (5–25) → level: the upper bound of each band.
LEVEL_BANDS = (
    (8, RiskLevel.I),
    (12, RiskLevel.II),
    (16, RiskLevel.III),
    (20, RiskLevel.IV),
    (25, RiskLevel.V),
)
#: Days from an assessment to its next review when the assessor gives no date.
DEFAULT_REVIEW_DAYS = 365


def risk_level(total: int) -> RiskLevel:
    """The level of a total score 5–25."""
    for upper, level in LEVEL_BANDS:
        if total <= upper:
            return level
    return RiskLevel.V


class EventKind(models.TextChoices):
    """What is protected: an important political event, a delegation of the Centre, an international one."""

    POLITICAL = "political", _("Sự kiện chính trị quan trọng")
    CENTRAL = "central", _("Đoàn công tác Trung ương")
    INTERNATIONAL = "international", _("Đoàn khách quốc tế")


class TaskStatus(models.TextChoices):
    """Progress of an agency's task for an event."""

    TODO = "todo", _("Chưa thực hiện")
    DOING = "doing", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


#: An agency task due within this many days (or overdue) appears on the start page's to-do panel.
TASK_WARNING_DAYS = 3


class PlanStatus(models.TextChoices):
    """A protection plan's life: a draft, approved by the committee leader, superseded by the next version."""

    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã thay thế")


class ActionStatus(models.TextChoices):
    """Progress of the corrective action of an inspection finding."""

    OPEN = "open", _("Mở")
    IN_PROGRESS = "in_progress", _("Đang khắc phục")
    CLOSED = "closed", _("Đã khắc phục")


#: Days from an approval to the plan's next review when none is given.
PLAN_REVIEW_DAYS = 365
