from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeLevel(models.TextChoices):
    NATIONAL = "national", _("Quốc gia")
    SECTOR = "sector", _("Bộ, ngành")
    PROVINCE = "province", _("Cấp tỉnh")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    BORDER_GUARD = "border_guard", _("Bộ đội Biên phòng")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    BANK = "bank", _("Ngân hàng Nhà nước")
    PORT_AUTHORITY = "port_authority", _("Cảng vụ, cảng hàng không")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    MASS_ORGANISATION = "mass_organisation", _("Tổ chức chính trị - xã hội")
    OTHER = "other", _("Khác")


class CommitteeRole(models.TextChoices):
    """Chức danh trong Ban Chỉ đạo, in the order of an official list."""

    HEAD = "head", _("Trưởng ban")
    PERMANENT_DEPUTY = "permanent_deputy", _("Phó Trưởng ban thường trực")
    DEPUTY = "deputy", _("Phó Trưởng ban")
    STANDING_MEMBER = "standing_member", _("Thành viên thường trực")
    MEMBER = "member", _("Thành viên")
    SECRETARY = "secretary", _("Thư ký")


ROLE_ORDER = {role: i for i, role in enumerate(CommitteeRole.values)}
