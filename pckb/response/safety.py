"""Reference tables of public first-responder safety distances for the incident map (model-less).

Each table is a JSON file in ``pckb/response/data/`` with its title, source, edition and disclaimer in
Vietnamese and English, the rings it draws (e.g. mandatory and preferred evacuation) and its rows (a
category and the ring radii in metres). Only distances published for first responders are kept: the
bomb-threat stand-off card's evacuation distances and the ERG 2024 general initial isolation distances —
nothing on the composition, making or use of explosives or other means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("bomb_threat_standoff.json", "hazmat_isolation.json")
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Text:
    """A text in Vietnamese and English; ``str()`` gives the active language's (Vietnamese by default)."""

    vi: str
    en: str

    def __str__(self) -> str:
        return self.en if (get_language() or "vi").startswith("en") else self.vi


@dataclass(frozen=True)
class Ring:
    kind: str
    label: Text
    radius_m: int


@dataclass(frozen=True)
class Row:
    id: str
    label: Text
    rings: tuple[Ring, ...]


@dataclass(frozen=True)
class Table:
    id: str
    title: Text
    source: Text
    edition: Text
    disclaimer: Text
    rows: tuple[Row, ...]

    def row(self, row_id: str) -> Row | None:
        return next((r for r in self.rows if r.id == row_id), None)


def _text(raw: dict, where: str) -> Text:
    if not isinstance(raw, dict) or any(not str(raw.get(lang) or "").strip() for lang in LANGUAGES):
        raise ValueError(f"{where}: a text needs both 'vi' and 'en'")
    return Text(vi=raw["vi"].strip(), en=raw["en"].strip())


def parse_table(raw: dict, where: str = "table") -> Table:
    """A table from its JSON; a missing text, an unknown ring, a non-positive or decreasing radius or a
    repeated row id raises ``ValueError`` (a data file is checked when it is first read, and by the tests)."""
    ring_labels = {
        kind: _text(label, f"{where}.rings.{kind}") for kind, label in (raw.get("rings") or {}).items()
    }
    if not ring_labels:
        raise ValueError(f"{where}: no rings")
    rows, seen = [], set()
    for index, item in enumerate(raw.get("rows") or ()):
        row_id = str(item.get("id") or "")
        if not row_id or row_id in seen:
            raise ValueError(f"{where}.rows[{index}]: missing or repeated id")
        seen.add(row_id)
        rings = []
        for kind, radius in (item.get("rings") or {}).items():
            if kind not in ring_labels:
                raise ValueError(f"{where}.rows[{index}]: unknown ring {kind!r}")
            if not isinstance(radius, int) or isinstance(radius, bool) or radius <= 0:
                raise ValueError(
                    f"{where}.rows[{index}]: ring {kind!r} needs a positive whole number of metres"
                )
            rings.append(Ring(kind=kind, label=ring_labels[kind], radius_m=radius))
        if not rings:
            raise ValueError(f"{where}.rows[{index}]: no distance")
        order = list(ring_labels)
        rings.sort(key=lambda r: order.index(r.kind))
        if any(a.radius_m > b.radius_m for a, b in zip(rings, rings[1:], strict=False)):
            raise ValueError(f"{where}.rows[{index}]: the rings must not shrink outwards")
        rows.append(
            Row(id=row_id, label=_text(item.get("label"), f"{where}.rows[{index}].label"), rings=tuple(rings))
        )
    if not rows:
        raise ValueError(f"{where}: no rows")
    table_id = str(raw.get("id") or "")
    if not table_id:
        raise ValueError(f"{where}: no id")
    return Table(
        id=table_id,
        title=_text(raw.get("title"), f"{where}.title"),
        source=_text(raw.get("source"), f"{where}.source"),
        edition=_text(raw.get("edition"), f"{where}.edition"),
        disclaimer=_text(raw.get("disclaimer"), f"{where}.disclaimer"),
        rows=tuple(rows),
    )


@cache
def tables() -> tuple[Table, ...]:
    """Every reference table, in the order of ``FILES``."""
    return tuple(
        parse_table(json.loads((DATA_DIR / name).read_text(encoding="utf-8")), name) for name in FILES
    )


def find(choice: str) -> tuple[Table, Row] | None:
    """The table and row of a page choice ``"<table>:<row>"``, or ``None``."""
    table_id, _sep, row_id = (choice or "").partition(":")
    for table in tables():
        if table.id == table_id:
            row = table.row(row_id)
            return (table, row) if row else None
    return None


def as_json(table: Table) -> dict:
    """A table for the page's script (texts in the active language)."""
    return {
        "id": table.id,
        "title": str(table.title),
        "source": str(table.source),
        "edition": str(table.edition),
        "disclaimer": str(table.disclaimer),
        "rows": [
            {
                "id": row.id,
                "label": str(row.label),
                "rings": [{"kind": r.kind, "label": str(r.label), "radius_m": r.radius_m} for r in row.rings],
            }
            for row in table.rows
        ],
    }
