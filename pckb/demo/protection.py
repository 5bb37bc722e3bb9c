"""Protection demo: fictional key targets in Cần Thơ and TP.HCM (some Mật, some without coordinates), each
with a risk assessment — some due again, one with a history of two assessments, a few never assessed.
Dates are counted back from today, so "overdue" stays true whenever the demo is loaded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.demo.names import NameGenerator
from pckb.directory.models import Agency, Person
from pckb.geo.models import AdministrativeUnit
from pckb.protection.choices import RISK_FACTORS
from pckb.protection.choices import ProtectionLevel as P
from pckb.protection.defaults import categories_ensure
from pckb.protection.models import RiskAssessment, Target, TargetCategory

M, N = Classification.CONFIDENTIAL, Classification.NORMAL
CT, HCM = "thành phố Cần Thơ", "Thành phố Hồ Chí Minh"

# name, category, commune code, classification, level, (lat, lon) or None, managing agency (name, province)
# or a free name, layout notes, assessments as (days ago, ratings of the five factors)
TARGETS = [
    (
        "Trụ sở Ủy ban nhân dân phường Ninh Kiều",
        "co-quan-dang-nha-nuoc",
        "X31135",
        N,
        P.IMPORTANT,
        (10.03412, 105.78795),
        "Ủy ban nhân dân phường Ninh Kiều",
        "Cổng chính hướng đường Hòa Bình; cổng phụ phía sau dành cho xe công vụ.",
        [(120, (3, 3, 2, 2, 2))],
    ),
    (
        "Trung tâm dữ liệu tỉnh Tây Đô",
        "vien-thong-du-lieu",
        "X31135",
        M,
        P.SPECIAL,
        (10.02975, 105.77841),
        ("Sở Khoa học và Công nghệ", CT),
        "Phòng máy chủ tầng 3, một lối vào có kiểm soát thẻ; máy phát điện dự phòng ở tầng hầm.",
        [(60, (5, 3, 1, 3, 3))],
    ),
    (
        "Trung tâm thương mại Ninh Kiều Plaza",
        "trung-tam-thuong-mai",
        "X31135",
        N,
        P.ORDINARY,
        None,
        "Công ty cổ phần Thương mại Tây Đô",
        "",
        [(430, (2, 2, 5, 3, 2))],
    ),
    (
        "Cảng hàng không quốc tế Cần Thơ",
        "cang-hang-khong",
        "X31168",
        M,
        P.SPECIAL,
        (10.08512, 105.71176),
        ("Cảng hàng không", CT),
        "Nhà ga hành khách hai tầng; khu vực cách ly phía tây; trạm kiểm soát an ninh soi chiếu ở cửa số 2.",
        [(200, (5, 4, 4, 4, 3))],
    ),
    (
        "Kho xăng dầu Trà Nóc",
        "nang-luong",
        "X31168",
        M,
        P.IMPORTANT,
        (10.10561, 105.70934),
        "Công ty Xăng dầu Tây Nam Bộ",
        "Khu bồn chứa phía bắc; cầu cảng xuất nhập phía sông Hậu; tường rào hai lớp.",
        [(500, (4, 2, 1, 4, 2)), (30, (4, 2, 1, 4, 3))],
    ),
    (
        "Chợ nổi Cái Răng",
        "cho",
        "X31186",
        N,
        P.ORDINARY,
        None,
        "Ban quản lý chợ nổi Cái Răng",
        "",
        [(400, (2, 4, 4, 2, 2))],
    ),
    (
        "Nhà máy nước Cái Khế",
        "cap-nuoc",
        "X31120",
        M,
        P.IMPORTANT,
        (10.04620, 105.78390),
        "Công ty cổ phần Cấp thoát nước Cần Thơ",
        "Trạm bơm nước thô bên sông; khu xử lý và bể chứa nước sạch có tường rào riêng.",
        [(100, (4, 2, 1, 3, 2))],
    ),
    (
        "Bệnh viện Đa khoa Cái Khế",
        "benh-vien",
        "X31120",
        N,
        P.ORDINARY,
        (10.04377, 105.78204),
        ("Sở Y tế", CT),
        "",
        [],
    ),
    (
        "Nhà ga quốc tế Cảng hàng không Tân Sơn Nhất",
        "cang-hang-khong",
        "X26968",
        M,
        P.SPECIAL,
        (10.81763, 106.65843),
        ("Cảng hàng không", HCM),
        "Sảnh đến tầng 1, sảnh đi tầng 2; khu vực hạn chế sau điểm soi chiếu.",
        [(90, (5, 5, 5, 5, 3))],
    ),
    (
        "Chợ Bến Thành",
        "cho",
        "X26743",
        N,
        P.IMPORTANT,
        (10.77248, 106.69803),
        "Ban quản lý chợ Bến Thành",
        "",
        [(420, (3, 5, 5, 3, 3))],
    ),
    (
        "Nhà thi đấu Phú Thọ",
        "san-van-dong",
        "X27226",
        N,
        P.IMPORTANT,
        None,
        ("Sở Văn hóa, Thể thao và Du lịch", HCM),
        "",
        [(150, (3, 3, 4, 3, 2))],
    ),
    (
        "Cảng container Hiệp Phước",
        "cang-bien",
        "X27658",
        M,
        P.IMPORTANT,
        (10.63560, 106.76610),
        "Công ty cổ phần Cảng Hiệp Phước",
        "Cổng cảng số 1 và số 2; bãi container phía nam; khu hàng nguy hiểm tách riêng.",
        [(380, (4, 2, 2, 4, 2))],
    ),
    (
        "Nhà ga metro Bến Thành",
        "nha-ga-ben-xe",
        "X26743",
        N,
        P.IMPORTANT,
        None,
        "Công ty Đường sắt đô thị số 1",
        "",
        [],
    ),
]


def ensure(ctx: dict) -> int:
    """Build the protection demo once (an install that has targets keeps them). Returns targets added."""
    if Target.objects.exists():
        return 0
    today = timezone.localdate()
    generator, taken = NameGenerator(seed=2026), set(Person.objects.values_list("full_name", flat=True))

    def names() -> str:
        """A fictional name that is nobody's in the directory (free text is not a directory reference)."""
        name = generator()
        while name in taken:
            name = generator()
        taken.add(name)
        return name

    categories_ensure()  # a flushed test database has lost the migration's categories
    categories = {c.code: c for c in TargetCategory.objects.all()}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in={t[2] for t in TARGETS})}
    police = {
        "P92": Agency.objects.filter(name=f"Công an {CT}").first(),
        "P79": Agency.objects.filter(name=f"Công an {HCM}").first(),
    }
    for name, category, code, classification, level, location, managing, notes, assessments in TARGETS:
        unit = units[code]
        province = "P92" if unit.path.startswith("/VN/92/") else "P79"
        managing_agency, managing_name = None, managing
        if isinstance(managing, tuple):
            managing_agency = Agency.objects.filter(name=f"{managing[0]} {managing[1]}").first()
            managing_name = "" if managing_agency else f"{managing[0]} {managing[1]}"
        target = Target(
            name=name,
            category=categories[category],
            unit=unit,
            classification=classification,
            protection_level=level,
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            managing_agency=managing_agency,
            managing_name=managing_name,
            protecting_agency=police[province],
            address=unit.name,
            layout_notes=notes,
        )
        target.full_clean()
        target.save()
        police_name = "TP. Cần Thơ" if province == "P92" else "TP. Hồ Chí Minh"
        for days_ago, ratings in assessments:
            assessed = today - dt.timedelta(days=days_ago)
            assessment = RiskAssessment(
                target=target,
                assessed_on=assessed,
                assessor=f"Thiếu tá {names()}, Phòng An ninh nội địa",
                approved_by_position=f"Phó Giám đốc Công an {police_name}",
                approved_by_name=names(),
                approved_on=assessed + dt.timedelta(days=3) if days_ago > 3 else assessed,
                **dict(zip(RISK_FACTORS, ratings, strict=True)),
                notes="Duy trì lực lượng bảo vệ thường xuyên; rà soát phương án khi có sự kiện lớn.",
            )
            assessment.full_clean()
            assessment.save()
    return len(TARGETS)
