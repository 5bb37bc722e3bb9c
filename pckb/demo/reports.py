"""Reports demo: the six-monthly (sơ kết 6 tháng) schedule of every provincial committee and of the national
one, for the six months of figures up to yesterday (the cut-off date, "số liệu tính đến ngày …", as committees
report them), the reports Cần Thơ and TP.HCM sent two hours ago (figures compiled from the demo data and
frozen, as on submission), the national report still a draft, and the annual (tổng kết năm) schedules,
Cần Thơ's due within a week. Numbers are fictional (…-DEMO); dates are counted from today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.accounts.models import User
from pckb.directory.choices import CommitteeLevel
from pckb.directory.models import Committee
from pckb.reports import selectors
from pckb.reports.choices import ReportKind, ReportStatus
from pckb.reports.models import PeriodicReport, ReportSchedule

NARRATIVE = {
    "results": (
        "Ban Chỉ đạo đã ban hành kế hoạch thực hiện công tác phòng, chống khủng bố năm {year}; tổ chức tuyên "
        "truyền Luật Phòng, chống khủng bố tại các xã, phường; rà soát danh mục mục tiêu trọng điểm."
    ),
    "shortcomings": "Một số nhiệm vụ phối hợp giữa các sở, ngành còn chậm so với thời hạn.",
    "directions": "Tiếp tục tập huấn nghiệp vụ ứng phó ban đầu cho lực lượng cơ sở trong 6 tháng cuối năm.",
    "recommendations": "Đề nghị Ban Chỉ đạo quốc gia hướng dẫn mẫu báo cáo thống nhất cho các địa phương.",
}


def _schedule(committee, kind, start, end, due):
    schedule, _created = ReportSchedule.objects.get_or_create(
        committee=committee, kind=kind, period_start=start, period_end=end, defaults={"due_date": due}
    )
    return schedule


def ensure(ctx: dict) -> int:
    """Build the reports demo once. Returns the reports added."""
    if ReportSchedule.objects.exists():
        return 0
    today = timezone.localdate()
    year = today.year
    cutoff = today - dt.timedelta(days=1)
    first = cutoff.replace(day=1)
    for _month in range(5):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    h1 = (first, cutoff, today + dt.timedelta(days=8))
    annual_due = max(today + dt.timedelta(days=5), dt.date(year, 12, 1))
    national = Committee.objects.filter(unit=ctx["vn"], level=CommitteeLevel.NATIONAL).first()
    provinces = list(Committee.objects.filter(level=CommitteeLevel.PROVINCE, unit__valid_to__isnull=True))
    if national is None:
        return 0
    for committee in [national, *provinces]:
        _schedule(committee, ReportKind.HALF_YEAR, *h1)
        _schedule(committee, ReportKind.ANNUAL, dt.date(year, 1, 1), dt.date(year, 12, 31), annual_due)
    added = 0
    for unit, username, number in (
        (ctx["can_tho"], "vptt.cantho", "45/BC-BCĐ-DEMO"),
        (ctx["hcm"], "vptt.hcm", "112/BC-BCĐ-DEMO"),
    ):
        committee = next((c for c in provinces if c.unit_id == unit.pk), None)
        user = User.objects.filter(username=username).first()
        if committee is None or user is None:
            continue
        schedule = ReportSchedule.objects.get(
            committee=committee, kind=ReportKind.HALF_YEAR, period_start=h1[0]
        )
        sent = timezone.now() - dt.timedelta(hours=2)
        report = PeriodicReport(
            schedule=schedule,
            title=f"Báo cáo sơ kết 6 tháng công tác phòng, chống khủng bố năm {year}",
            number=number,
            status=ReportStatus.SUBMITTED,
            snapshot={
                "compiled_at": sent.isoformat(),
                "compiled_by": user.get_full_name() or username,
                "sections": selectors.compile_for(user, schedule),
            },
            submitted_at=sent,
            submitted_by=user.get_full_name() or username,
            **{k: v.format(year=year) for k, v in NARRATIVE.items()},
        )
        report.full_clean()
        report.save()
        added += 1
    schedule = ReportSchedule.objects.get(committee=national, kind=ReportKind.HALF_YEAR, period_start=h1[0])
    national_report = PeriodicReport(
        schedule=schedule,
        title=f"Báo cáo sơ kết 6 tháng công tác phòng, chống khủng bố năm {year}",
        results="Tổng hợp từ báo cáo của các Ban Chỉ đạo cấp tỉnh đã gửi.",
    )
    national_report.full_clean()
    national_report.save()
    return added + 1
