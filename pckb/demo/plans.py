"""Plans demo: the national 2026 plan with a few items, Cần Thơ's plan implementing two of them, tasks for
the city police and the health department in every state (one overdue, one due this week), and a Mật plan
whose task is hidden from readers cleared only for Thường. Document numbers are fictional (…-DEMO); dates are
counted from today, so "overdue" stays true whenever the demo is loaded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.models import Agency, Committee
from pckb.plans.choices import TaskStatus as S
from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task

CT = "thành phố Cần Thơ"

NATIONAL_ITEMS = [
    ("1", "Tuyên truyền, phổ biến Luật Phòng, chống khủng bố cho cán bộ và nhân dân"),
    ("2", "Rà soát, cập nhật danh mục mục tiêu trọng điểm và phương án bảo vệ"),
    ("3", "Tập huấn nghiệp vụ ứng phó ban đầu cho lực lượng cơ sở"),
    ("4", "Kiểm tra việc thực hiện quy chế phối hợp tại các địa phương"),
]
# number, title, national item implemented (or None), tasks as
# (title, lead, supporting, deadline in days from today, status, percent,
#  updates as (days ago, text, percent))
CAN_THO_ITEMS = [
    (
        "1",
        "Tuyên truyền Luật Phòng, chống khủng bố tại xã, phường",
        "1",
        [
            (
                "Tổ chức hội nghị tuyên truyền tại 10 phường trung tâm",
                "police",
                ["health"],
                25,
                S.IN_PROGRESS,
                60,
                [(20, "Đã tổ chức tại 6/10 phường, có 540 lượt người tham dự.", 60)],
            ),
            (
                "Biên soạn tài liệu hỏi đáp về phòng, chống khủng bố",
                "police",
                [],
                -30,
                S.DONE,
                100,
                [(35, "Đã in và phát hành 2.000 cuốn tài liệu hỏi đáp.", 100)],
            ),
        ],
    ),
    (
        "2",
        "Chuẩn bị lực lượng, phương tiện y tế cho ứng phó sự cố",
        "3",
        [
            (
                "Rà soát cơ số thuốc, trang thiết bị cấp cứu hàng loạt",
                "health",
                ["police"],
                -10,
                S.NOT_STARTED,
                0,
                [],
            ),
            (
                "Tập huấn sơ cấp cứu ban đầu cho lực lượng cơ sở",
                "health",
                [],
                5,
                S.AWAITING,
                100,
                [
                    (12, "Đã xây dựng chương trình và mời giảng viên.", 40),
                    (2, "Đã tập huấn xong cho 120 học viên; gửi danh sách kèm theo.", 100),
                ],
            ),
        ],
    ),
    (
        "3",
        "Sơ kết 6 tháng thực hiện kế hoạch",
        None,
        [("Xây dựng báo cáo sơ kết 6 tháng", "police", ["health"], 4, S.NOT_STARTED, 0, [])],
    ),
]


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def ensure(ctx: dict) -> int:
    """Build the plans demo once (an install that has plans keeps them). Returns the plans added."""
    if Plan.objects.exists():
        return 0
    national = Committee.objects.filter(unit=ctx["vn"], level="national").first()
    can_tho = Committee.objects.filter(unit=ctx["can_tho"]).first()
    agencies = {
        "police": Agency.objects.filter(name=f"Công an {CT}").first(),
        "health": Agency.objects.filter(name=f"Sở Y tế {CT}").first(),
    }
    if national is None or can_tho is None or None in agencies.values():
        return 0
    today = timezone.localdate()
    year = today.year
    top = _saved(
        Plan(
            committee=national,
            title=f"Kế hoạch công tác phòng, chống khủng bố năm {year}",
            year=year,
            document_number="05/KH-BCĐ-DEMO",
            document_date=f"10/01/{year}",
            summary="Triển khai đồng bộ các biện pháp phòng ngừa; nâng cao năng lực ứng phó của địa phương.",
        )
    )
    national_items = {
        number: _saved(PlanItem(plan=top, number=number, title=title)) for number, title in NATIONAL_ITEMS
    }
    plan = _saved(
        Plan(
            committee=can_tho,
            title=f"Kế hoạch thực hiện công tác phòng, chống khủng bố năm {year} trên địa bàn {CT}",
            year=year,
            document_number="18/KH-BCĐ-DEMO",
            document_date=f"24/01/{year}",
            summary=f"Cụ thể hóa Kế hoạch 05/KH-BCĐ-DEMO của Ban Chỉ đạo quốc gia trên địa bàn {CT}.",
        )
    )
    for number, title, implements, tasks in CAN_THO_ITEMS:
        item = _saved(
            PlanItem(plan=plan, number=number, title=title, implements=national_items.get(implements or ""))
        )
        for task_title, lead, supporting, days, status, percent, updates in tasks:
            task = _saved(
                Task(
                    item=item,
                    title=task_title,
                    lead_agency=agencies[lead],
                    deadline=today + dt.timedelta(days=days),
                    status=status,
                    percent=percent,
                )
            )
            task.supporting_agencies.set([agencies[a] for a in supporting])
            for ago, text, value in updates:
                _saved(
                    ProgressUpdate(
                        task=task,
                        date=today - dt.timedelta(days=ago),
                        text=text,
                        percent=value,
                        reported_by=f"Đầu mối {agencies[lead].name}",
                    )
                )
            if status == S.DONE:
                task.confirmed_on = timezone.now() - dt.timedelta(days=30)
                task.confirmed_by = "Văn phòng Thường trực BCĐ thành phố Cần Thơ"
                task.save(update_fields=["confirmed_on", "confirmed_by"])
    secret = _saved(
        Plan(
            committee=can_tho,
            title=f"Phương án bảo đảm an ninh các sự kiện lớn năm {year}",
            year=year,
            document_number="03/PA-BCĐ-DEMO",
            document_date=f"02/02/{year}",
            classification=Classification.CONFIDENTIAL,
        )
    )
    secret_item = _saved(PlanItem(plan=secret, number="1", title="Bố trí lực lượng bảo vệ khu vực trung tâm"))
    _saved(
        Task(
            item=secret_item,
            title="Lập sơ đồ bố trí lực lượng tại khu vực bến Ninh Kiều",
            lead_agency=agencies["police"],
            deadline=today + dt.timedelta(days=40),
        )
    )
    return 3
