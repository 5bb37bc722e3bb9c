"""Roles of PCKB Hub users (see docs/permissions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    NATIONAL_OFFICE = "national_office", _("Văn phòng Thường trực quốc gia")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng Thường trực tỉnh")
    COMMITTEE_LEADER = "committee_leader", _("Lãnh đạo Ban Chỉ đạo")
    AGENCY_FOCAL = "agency_focal", _("Đầu mối cơ quan thành viên")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")
    INTAKE_OFFICER = "intake_officer", _("Tiếp nhận tin báo")
    RECORDS_CLERK = "records_clerk", _("Văn thư")
