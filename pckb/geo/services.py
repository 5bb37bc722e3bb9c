"""Writes to administrative units. Loading is idempotent: running it again changes nothing."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from pckb.core.text import fold, vi_sort_key
from pckb.geo.choices import UnitLevel
from pckb.geo.models import AdministrativeUnit

NATIONAL_CODE = "VN"
MERGERS_FILE = Path(__file__).parent / "data" / "province_mergers_2025.json"
REFORM_DATE = dt.date(2025, 7, 1)


def _row(
    code: str, name: str, division_type: str, level: str, parent_id, path: str, **extra
) -> AdministrativeUnit:
    unit = AdministrativeUnit(
        code=code,
        name=" ".join(name.split()),
        division_type=division_type,
        level=level,
        parent_id=parent_id,
        path=path,
        **extra,
    )
    unit.search_text = fold(f"{name} {code}")
    unit.sort_key = vi_sort_key(name)
    return unit


def _upsert(rows: list[AdministrativeUnit]) -> dict[str, int]:
    AdministrativeUnit.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "division_type",
            "level",
            "parent",
            "path",
            "valid_from",
            "valid_to",
            "successor",
            "search_text",
            "sort_key",
        ],
        batch_size=500,
    )
    codes = [r.code for r in rows]
    return dict(AdministrativeUnit.objects.filter(code__in=codes).values_list("code", "id"))


@transaction.atomic
def units_load() -> dict[str, int]:
    """Load the nation, current provinces and communes (package ``vietnam-provinces``) and retired provinces.

    Returns counts per level. Audit is not written: this is reference data shipped with the release.
    """
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    provinces = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    national_ids = _upsert([_row(NATIONAL_CODE, "Việt Nam", "quốc gia", UnitLevel.NATIONAL, None, "/VN/")])
    national_id = national_ids[NATIONAL_CODE]

    province_rows = [
        _row(
            f"P{p['code']:02d}",
            p["name"],
            p["division_type"],
            UnitLevel.PROVINCE,
            national_id,
            f"/VN/{p['code']:02d}/",
            valid_from=REFORM_DATE,
        )
        for p in provinces
    ]
    province_ids = _upsert(province_rows)
    by_codename = {p["codename"]: p["code"] for p in provinces}

    commune_rows = [
        _row(
            f"X{w['code']:05d}",
            w["name"],
            w["division_type"],
            UnitLevel.COMMUNE,
            province_ids[f"P{p['code']:02d}"],
            f"/VN/{p['code']:02d}/{w['code']:05d}/",
            valid_from=REFORM_DATE,
        )
        for p in provinces
        for w in p["wards"]
    ]
    _upsert(commune_rows)

    mergers = json.loads(MERGERS_FILE.read_text(encoding="utf-8"))
    retired_rows = []
    for item in mergers["retired"]:
        successor_code = by_codename[item["successor"]]
        retired_rows.append(
            _row(
                f"L{item['old_code']:02d}",
                item["name"],
                item["division_type"],
                UnitLevel.PROVINCE,
                national_id,
                f"/VN/{successor_code:02d}/L{item['old_code']:02d}/",
                valid_to=REFORM_DATE - dt.timedelta(days=1),
                successor_id=province_ids[f"P{successor_code:02d}"],
            )
        )
    _upsert(retired_rows)
    return {
        "national": 1,
        "province": len(province_rows),
        "commune": len(commune_rows),
        "retired": len(retired_rows),
    }
