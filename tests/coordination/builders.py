"""Test objects of the coordination module: each test class builds its own (Cần Thơ, TP.HCM, Mật)."""

import datetime as dt

from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core.choices import Classification
from pckb.directory.models import Agency, Committee


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


def make_regulation(title, code="P92", parties=(), classification=Classification.NORMAL, **extra):
    extra.setdefault("effective_from", dt.date(2026, 1, 1))
    regulation = saved(
        Regulation(committee=committee(code), title=title, classification=classification, **extra)
    )
    regulation.parties.set(parties)
    return regulation


def make_function(regulation, title, order=1, **extra):
    return saved(Function(regulation=regulation, title=title, order=order, **extra))


def make_cell(function, agency, duty):
    return saved(Responsibility(function=function, agency=agency, duty=duty))


def build_regulations():
    """A Cần Thơ regulation (police leads, health supports), a TP.HCM one and a Mật Cần Thơ one, each with
    one content and its cells."""
    regulations = {
        "in": make_regulation("Quy chế thử nghiệm Cần Thơ", parties=[police(), health()]),
        "out": make_regulation("Quy chế thử nghiệm TP.HCM", "P79", parties=[hcm_police()]),
        "secret": make_regulation(
            "Quy chế thử nghiệm Mật", parties=[police()], classification=Classification.CONFIDENTIAL
        ),
    }
    functions = {
        "in": make_function(regulations["in"], "Nội dung thử nghiệm Cần Thơ", scenario_type="bomb_threat"),
        "out": make_function(regulations["out"], "Nội dung thử nghiệm TP.HCM"),
        "secret": make_function(regulations["secret"], "Nội dung thử nghiệm Mật"),
    }
    cells = {
        "in": make_cell(functions["in"], police(), "lead"),
        "in_support": make_cell(functions["in"], health(), "support"),
        "out": make_cell(functions["out"], hcm_police(), "lead"),
        "secret": make_cell(functions["secret"], police(), "lead"),
    }
    return regulations, functions, cells
