"""Test objects of the reports module: each test builds its own schedules and reports (Cần Thơ, TP.HCM)."""

import datetime as dt
import itertools

from pckb.core.choices import Classification
from pckb.reports.choices import ReportKind
from pckb.reports.models import PeriodicReport, ReportSchedule
from tests.plans.builders import committee, saved

_years = itertools.count(2040)


def make_schedule(code="P92", kind=ReportKind.THEMATIC, year=None, due=None, note="thử nghiệm"):
    year = year or next(_years)
    return saved(
        ReportSchedule(
            committee=committee(code),
            kind=kind,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 6, 30),
            due_date=due or dt.date(year, 7, 10),
            note=note,
        )
    )


def make_report(schedule=None, title="Báo cáo thử nghiệm", classification=Classification.NORMAL, **extra):
    schedule = schedule or make_schedule()
    return saved(PeriodicReport(schedule=schedule, title=title, classification=classification, **extra))
