from django.db import models
from django.utils.translation import gettext_lazy as _

#: Days before a due date when a report appears in "Việc cần làm" and its committee is reminded.
DUE_SOON_DAYS = 7


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Báo cáo tháng")
    QUARTERLY = "quarterly", _("Báo cáo quý")
    HALF_YEAR = "half_year", _("Báo cáo sơ kết 6 tháng")
    ANNUAL = "annual", _("Báo cáo tổng kết năm")
    AD_HOC = "ad_hoc", _("Báo cáo đột xuất")
    THEMATIC = "thematic", _("Báo cáo chuyên đề")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Bị trả lại để hoàn thiện")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


#: States a higher committee may read: what was sent to it (never a draft, nor one returned for rework).
SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
#: States in which the committee that writes the report may still edit it.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
