"""The registry of report sections: each module that holds data worth counting gives a **provider** — a
function ``(user, scope_path, start, end) -> Section | None`` — and the report compiles every registered
provider, in ``order``. A module adds its section without editing this app: it writes
``<app>/report_sections.py`` calling :func:`register` (imported at start-up by :func:`autodiscover`). The
providers of the modules that existed before this app live in :mod:`pckb.reports.providers`.

A provider reads through the access layer (``restrict(…, user)``) and counts only: no names of persons, no
content of a report received. ``scope_path`` is the reporting committee's unit path: only data of that
subtree is counted.

A section is plain JSON (it is frozen as is into a submitted report's snapshot):

``{"key", "title", "figures": [{"key", "label", "value"}], "ratios": [{"label", "num", "den"}],
"table": {"title", "columns": [...], "rows": [[label, n, n, …]]}}`` — ``figures`` are counts (summed in
the national roll-up), ``ratios`` are computed from two figures (a coverage rate), ``table`` is a breakdown
(by agency).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Provider:
    key: str
    title: str
    func: Callable
    order: int = 50


_providers: dict[str, Provider] = {}


def register(key: str, title, func: Callable, order: int = 50) -> None:
    """Add (or replace) the section ``key``; ``title`` is its heading (a lazy translation)."""
    _providers[key] = Provider(key, title, func, order)


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def autodiscover() -> None:
    """Import this app's providers and every installed app's ``report_sections`` module."""
    import_module("pckb.reports.providers")
    for config in apps.get_app_configs():
        if config.name != "pckb.reports" and module_has_submodule(config.module, "report_sections"):
            import_module(f"{config.name}.report_sections")


def figure(key: str, label, value: int) -> dict:
    return {"key": key, "label": str(label), "value": int(value)}


def compile_sections(user, scope_path: str, start: dt.date, end: dt.date) -> list[dict]:
    """Every provider's section for the subtree ``scope_path`` and the period, as the ``user`` may count."""
    sections = []
    for provider in providers():
        section = provider.func(user, scope_path, start, end)
        if section is not None:
            sections.append({"key": provider.key, "title": str(provider.title), **section})
    return sections


def figure_values(sections: list[dict]) -> dict[str, int]:
    """``{"section.figure": value}`` for every figure (the roll-up's columns)."""
    return {f"{s['key']}.{f['key']}": f["value"] for s in sections for f in s.get("figures", ())}


def ratio_value(section: dict, ratio: dict) -> float | None:
    values = {f["key"]: f["value"] for f in section.get("figures", ())}
    den = values.get(ratio["den"]) or 0
    return values.get(ratio["num"], 0) / den if den else None


def sum_sections(many: list[list[dict]]) -> list[dict]:
    """The sections of several reports added up figure by figure: the national report compiled from the
    provinces' snapshots (their by-agency tables stay in each province's report; the national one shows a
    table by province instead)."""
    merged: dict[str, dict] = {}
    for sections in many:
        for section in sections:
            into = merged.setdefault(
                section["key"],
                {
                    "key": section["key"],
                    "title": section["title"],
                    "figures": [],
                    "ratios": list(section.get("ratios", ())),
                },
            )
            known = {f["key"]: f for f in into["figures"]}
            for f in section.get("figures", ()):
                if f["key"] in known:
                    known[f["key"]]["value"] += f["value"]
                else:
                    into["figures"].append(dict(f))
    order = {p.key: i for i, p in enumerate(providers())}
    return sorted(merged.values(), key=lambda s: order.get(s["key"], 999))
