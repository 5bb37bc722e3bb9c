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


def _point(point: tuple[float, float] | None) -> dict:
    return {"latitude": point[0], "longitude": point[1]} if point else {}


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
            "latitude",
            "longitude",
        ],
        batch_size=500,
    )
    codes = [r.code for r in rows]
    return dict(AdministrativeUnit.objects.filter(code__in=codes).values_list("code", "id"))


def _centroids() -> tuple[dict[int, tuple[float, float]], dict[tuple[int, int], tuple[float, float]]]:
    """Centroids of the 34 provinces and 3,321 communes from the package ``vietnamadminunits`` (its own
    coordinates, not computed here): ``({province code: (lat, lon)}, {(province code, commune code): …})``.

    The two packages number a few communes differently (114 of 3,321, after renumbering); those are matched
    by name inside their province, which is unique there.
    """
    from vietnamadminunits.database import get_data

    rows = get_data(
        fields=["provinceCode", "provinceLat", "provinceLon", "wardCode", "ward", "wardLat", "wardLon"]
    )
    provinces = {int(r["provinceCode"]): (r["provinceLat"], r["provinceLon"]) for r in rows}
    communes = {}
    for r in rows:
        point = (r["wardLat"], r["wardLon"])
        communes[(int(r["provinceCode"]), int(r["wardCode"]))] = point
        communes[(int(r["provinceCode"]), _name_key(r["ward"]))] = point
    return provinces, communes


def _name_key(name: str) -> str:
    return fold(" ".join(name.replace("–", "-").split()))


@transaction.atomic
def units_load() -> dict[str, int]:
    """Load the nation, current provinces and communes (package ``vietnam-provinces``) and retired provinces.

    Provinces and communes get their centroid from ``vietnamadminunits``. Returns counts per level. Audit is
    not written: this is reference data shipped with the release.
    """
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    provinces = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    province_points, commune_points = _centroids()
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
            **_point(province_points.get(p["code"])),
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
            **_point(
                commune_points.get((p["code"], w["code"]))
                or commune_points.get((p["code"], _name_key(w["name"])))
            ),
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
