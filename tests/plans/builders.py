"""Test objects of the plans module: each test class builds its own (in Cần Thơ, in TP.HCM, and Mật)."""

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.models import Agency, Committee
from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task

TODAY = timezone.localdate()


def committee(code):
    return Committee.objects.get(unit__code=code, level__in=["province", "national"])


def agency(name):
    return Agency.objects.get(name=name)


def police():
    return agency("Công an thành phố Cần Thơ")


def health():
    return agency("Sở Y tế thành phố Cần Thơ")


def hcm_police():
    return agency("Công an Thành phố Hồ Chí Minh")


def saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def make_plan(title, code="P92", classification=Classification.NORMAL, **extra):
    return saved(
        Plan(committee=committee(code), title=title, year=2026, classification=classification, **extra)
    )


def make_item(plan, number, title, **extra):
    return saved(PlanItem(plan=plan, number=number, title=title, **extra))


def make_task(item, title, lead, days=20, supporting=(), **extra):
    task = saved(
        Task(item=item, title=title, lead_agency=lead, deadline=TODAY + dt.timedelta(days=days), **extra)
    )
    task.supporting_agencies.set(supporting)
    return task


def make_update(task, percent=30, text="Đã triển khai một phần thử nghiệm"):
    return saved(ProgressUpdate(task=task, date=TODAY, text=text, percent=percent))


def build_plans():
    """A Cần Thơ plan, a TP.HCM plan and a Mật Cần Thơ plan, each with one item and one task."""
    plans = {
        "in": make_plan("Kế hoạch thử nghiệm Cần Thơ"),
        "out": make_plan("Kế hoạch thử nghiệm TP.HCM", "P79"),
        "secret": make_plan("Phương án thử nghiệm Mật", classification=Classification.CONFIDENTIAL),
    }
    items = {
        "in": make_item(plans["in"], "T-71", "Nội dung thử nghiệm Cần Thơ"),
        "out": make_item(plans["out"], "H-89", "Nội dung thử nghiệm TP.HCM"),
        "secret": make_item(plans["secret"], "M-53", "Nội dung thử nghiệm Mật"),
    }
    tasks = {
        "in": make_task(items["in"], "Nhiệm vụ thử nghiệm Cần Thơ", police(), supporting=[health()]),
        "out": make_task(items["out"], "Nhiệm vụ thử nghiệm TP.HCM", hcm_police()),
        "secret": make_task(items["secret"], "Nhiệm vụ thử nghiệm Mật", police()),
    }
    return plans, items, tasks
