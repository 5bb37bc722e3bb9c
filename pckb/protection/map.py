"""The map's data (Bảo vệ → Bản đồ): the key targets and event stops the user may see, as GeoJSON, always read
through the access layer.

A target without coordinates is placed at its commune's centroid (``AdministrativeUnit.latitude``, from the
package ``vietnamadminunits``) and marked ``approximate``. A Mật target is not in the user's queryset below
Mật clearance, so neither its point nor its share of a cluster's count or position ever leaves the server.

For a large register the first view must not carry every point: above ``POINTS_LIMIT`` targets in view and
below ``POINTS_ZOOM`` the targets are aggregated on a grid whose cell follows the zoom level (one SQL
``GROUP BY`` on the rounded coordinates); a cell holding one or two targets is sent as its points. The
number of queries does not depend on the number of targets (grid, points of small cells, stops, the stops'
targets).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.core import access
from pckb.protection.filtersets import TargetFilterSet
from pckb.protection.models import EventStop, Target
from pckb.protection.selectors import with_latest_assessment

logger = logging.getLogger(__name__)

#: Above this many targets in view (and below ``POINTS_ZOOM``) the targets are sent as grid cells.
POINTS_LIMIT = 400
#: From this zoom level on, targets are always sent as points.
POINTS_ZOOM = 14
#: Grid cells per 256-pixel tile side: a cell is about 64 pixels wide on the screen.
CELLS_PER_TILE = 4
#: A cell with at most this many targets is sent as its points.
SMALL_CELL = 2
#: At most this many event stops in view.
STOPS_LIMIT = 500
DEFAULT_ZOOM = 6
EVENTS_UPCOMING = "sap-toi"
EVENTS_ALL = "tat-ca"
EVENTS_NONE = "khong"
EVENT_CHOICES = (EVENTS_UPCOMING, EVENTS_ALL, EVENTS_NONE)


@dataclass(frozen=True)
class MapQuery:
    """What the map asks for: a view (``bbox`` west, south, east, north; ``zoom``), the register's filters
    (``TargetFilterSet``: ``category``, ``protection_level``, ``risk_level``, ``unit``, ``q``) and which
    events' stops (``su_kien``: upcoming and current — default —, all, none)."""

    filters: dict
    bbox: tuple[float, float, float, float] | None = None
    zoom: int = DEFAULT_ZOOM
    events: str = EVENTS_UPCOMING


def parse_query(params) -> MapQuery:
    """Read a ``MapQuery`` from request parameters; a bad value raises ``ValidationError`` with Vietnamese
    messages per parameter (nothing is read)."""
    errors: dict[str, list[str]] = {}
    bbox = None
    raw_bbox = (params.get("bbox") or "").strip()
    if raw_bbox:
        try:
            west, south, east, north = (float(x) for x in raw_bbox.split(","))
        except ValueError:
            errors["bbox"] = [_("Khung nhìn phải là bốn số: tây, nam, đông, bắc (độ thập phân).")]
        else:
            if not (-90 <= south <= north <= 90 and -540 <= west <= east <= 540):
                errors["bbox"] = [
                    _("Khung nhìn không hợp lệ: cần tây ≤ đông, nam ≤ bắc, vĩ độ trong −90…90.")
                ]
            else:
                bbox = (west, south, east, north)
    zoom = DEFAULT_ZOOM
    raw_zoom = (params.get("zoom") or "").strip()
    if raw_zoom:
        try:
            zoom = int(raw_zoom)
        except ValueError:
            zoom = -1
        if not 0 <= zoom <= 22:
            errors["zoom"] = [_("Mức thu phóng phải là số nguyên từ 0 đến 22.")]
    events = (params.get("su_kien") or EVENTS_UPCOMING).strip()
    if events not in EVENT_CHOICES:
        errors["su_kien"] = [_("Chọn một trong: sap-toi, tat-ca, khong.")]
    if errors:
        raise ValidationError(errors)
    filters = {k: params.get(k) for k in ("category", "protection_level", "risk_level", "unit", "q")}
    return MapQuery(filters={k: v for k, v in filters.items() if v}, bbox=bbox, zoom=zoom, events=events)


def _point_fields(qs: QuerySet[Target]) -> QuerySet[Target]:
    return qs.annotate(
        map_lat=Coalesce("latitude", "unit__latitude", output_field=FloatField()),
        map_lon=Coalesce("longitude", "unit__longitude", output_field=FloatField()),
    )


def visible_targets(user, query: MapQuery, *, action: str = access.VIEW) -> QuerySet[Target]:
    """The targets the user may see (``action``), filtered, with their map position (``map_lat``,
    ``map_lon``; a target or commune without any is left out) inside the view."""
    base = access.restrict(Target.objects.all(), user, action)
    filterset = TargetFilterSet(query.filters, base, user=user)
    if not filterset.is_valid():
        raise ValidationError({k: list(v) for k, v in filterset.errors.items()})
    qs = _point_fields(filterset.qs).filter(map_lat__isnull=False, map_lon__isnull=False)
    if query.bbox:
        west, south, east, north = query.bbox
        qs = qs.filter(map_lat__gte=south, map_lat__lte=north, map_lon__gte=west, map_lon__lte=east)
    return qs


def cell_size(zoom: int) -> float:
    """The grid cell's side in degrees at ``zoom`` (a tile spans 360 / 2^zoom degrees of longitude)."""
    return 360.0 / (2**zoom) / CELLS_PER_TILE


def _target_features(qs: QuerySet[Target]) -> list[dict]:
    rows = (
        with_latest_assessment(qs)
        .select_related("category", "unit")
        .only("id", "name", "protection_level", "latitude", "category__name", "category__code", "unit__name")
        .order_by("id")
    )
    return [target_feature(t) for t in rows]


def target_feature(target: Target) -> dict:
    """A visible target as a GeoJSON point (``map_lat``/``map_lon`` annotated; ``latest_level`` too)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(target.map_lon, 6), round(target.map_lat, 6)]},
        "properties": {
            "kind": "target",
            "id": target.pk,
            "name": target.name,
            "url": target.get_absolute_url(),
            "category": target.category.code,
            "category_name": target.category.name,
            "protection_level": target.protection_level,
            "protection_level_name": str(target.get_protection_level_display()),
            "risk_level": getattr(target, "latest_level", None),
            "unit": target.unit.name,
            "approximate": target.latitude is None,
        },
    }


def target_layer(user, query: MapQuery) -> dict:
    """The targets of the view: points, or grid cells with their counts when there are too many."""
    qs = visible_targets(user, query)
    if query.zoom >= POINTS_ZOOM:
        features = _target_features(qs)
        return {"features": features, "total": len(features), "clustered": False}
    size = cell_size(query.zoom)
    cells = list(
        qs.annotate(cx=Round(F("map_lon") / size), cy=Round(F("map_lat") / size))
        .values("cx", "cy")
        .annotate(
            n=Count("id"),
            lat=Avg("map_lat"),
            lon=Avg("map_lon"),
            first=Min("id"),
            last=Max("id"),
            exact=Count("id", filter=Q(latitude__isnull=False)),
        )
        .order_by()
    )
    total = sum(c["n"] for c in cells)
    if total <= POINTS_LIMIT:
        features = _target_features(qs)
        return {"features": features, "total": len(features), "clustered": False}
    small = [c for c in cells if c["n"] <= SMALL_CELL]
    ids = {c["first"] for c in small} | {c["last"] for c in small}
    features = _target_features(qs.filter(pk__in=ids)) if ids else []
    for c in cells:
        if c["n"] > SMALL_CELL:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(c["lon"], 5), round(c["lat"], 5)]},
                    "properties": {"kind": "cluster", "count": c["n"], "approximate": c["exact"] < c["n"]},
                }
            )
    return {"features": features, "total": total, "clustered": True}


def stop_features(user, query: MapQuery, *, now: dt.datetime | None = None) -> list[dict]:
    """The event stops the user may see, each at its target (only a target the user may see; else the stop
    is left off the map) or at its place's commune centroid (approximate)."""
    if query.events == EVENTS_NONE or not access.has_action(user, EventStop, access.VIEW):
        return []
    qs = access.restrict(EventStop.objects.all(), user, access.VIEW)
    if query.events == EVENTS_UPCOMING:
        qs = qs.filter(event__end__gte=now or timezone.now())
    stops = list(
        qs.select_related("event", "place_unit")
        .only(
            "id",
            "time",
            "place",
            "activity",
            "target_id",
            "event__id",
            "event__title",
            "place_unit__name",
            "place_unit__latitude",
            "place_unit__longitude",
        )
        .order_by("time", "id")
    )
    target_ids = {s.target_id for s in stops if s.target_id}
    targets = (
        {
            t.pk: t
            for t in visible_targets(user, MapQuery(filters={}))
            .filter(pk__in=target_ids)
            .only("id", "name", "latitude")
        }
        if target_ids
        else {}
    )
    features = []
    for stop in stops:
        if stop.target_id:
            target = targets.get(stop.target_id)
            if target is None:
                continue
            lat, lon, venue, approximate = (
                target.map_lat,
                target.map_lon,
                target.name,
                target.latitude is None,
            )
        elif stop.place_unit_id and stop.place_unit.latitude is not None:
            unit = stop.place_unit
            lat, lon, venue, approximate = unit.latitude, unit.longitude, stop.place, True
        else:
            continue
        if query.bbox and not _inside(query.bbox, lat, lon):
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "kind": "stop",
                    "id": stop.pk,
                    "name": stop.event.title,
                    "url": stop.event.get_absolute_url(),
                    "venue": venue,
                    "activity": stop.activity,
                    "time": timezone.localtime(stop.time).strftime("%H:%M %d/%m/%Y"),
                    "approximate": approximate,
                },
            }
        )
        if len(features) >= STOPS_LIMIT:
            break
    return features


def _inside(bbox, lat: float, lon: float) -> bool:
    west, south, east, north = bbox
    return south <= lat <= north and west <= lon <= east


#: From this zoom level on, communes are labelled (below it, provinces).
COMMUNE_LABEL_ZOOM = 10
LABELS_LIMIT = 600


def unit_labels(query: MapQuery) -> list[dict]:
    """Names to write on the plain background: the provinces, or from ``COMMUNE_LABEL_ZOOM`` on the
    communes in view, each at its centroid. Administrative units are public reference data (no scope)."""
    from pckb.geo.models import AdministrativeUnit

    level = "commune" if query.zoom >= COMMUNE_LABEL_ZOOM else "province"
    qs = AdministrativeUnit.objects.filter(level=level, valid_to__isnull=True, latitude__isnull=False)
    if query.bbox:
        west, south, east, north = query.bbox
        qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
    rows = qs.order_by("sort_key").values_list("name", "latitude", "longitude")[:LABELS_LIMIT]
    return [{"name": name, "lat": lat, "lon": lon, "level": level} for name, lat, lon in rows]


#: The first view (no bounding box) of each user is kept this long, or until a target, an assessment, an
#: event or a stop changes (``bump_version``); a bulk write that sends no signal is seen after this delay.
CACHE_SECONDS = 60
VERSION_KEY = "pckb:protection:map:version"


def bump_version(**_kwargs) -> None:
    """Forget every cached map view now and again once the current transaction commits (a view read
    meanwhile from the old data is not kept). Connected to the models' signals in ``apps.py``; a bulk
    writer that sends no signal (``bulk_create``, ``update``) calls it itself."""
    _set_version()
    transaction.on_commit(_set_version)


def _set_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - a cache outage must not refuse the write; the cache expires anyway
        logger.warning("map cache version not bumped", exc_info=True)


def _cache_key(user, query: MapQuery, labels: bool) -> str:
    agency = user.person.agency_id if getattr(user, "person_id", None) else None
    raw = repr((user.pk, user.role, user.scope_path, user.clearance, agency, query, labels))
    return "pckb:protection:map:" + hashlib.sha256(raw.encode()).hexdigest()


def map_data(user, query: MapQuery, *, labels: bool = False) -> dict:
    """The map's GeoJSON for one view: targets (points or grid cells) and event stops (and, for the page,
    the unit labels as a foreign member ``labels``). A first view (no ``bbox``) is cached per user and
    query (the key holds the user's role, scope and clearance) until the data changes."""
    if query.bbox is not None:
        return _map_data(user, query, labels=labels)
    key = _cache_key(user, query, labels)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or ""
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    data = _map_data(user, query, labels=labels)
    cache.set(key, (version, data), CACHE_SECONDS)
    return data


def _map_data(user, query: MapQuery, *, labels: bool = False) -> dict:
    targets = target_layer(user, query) if access.has_action(user, Target, access.VIEW) else None
    stops = stop_features(user, query)
    features = (targets["features"] if targets else []) + stops
    return {
        "type": "FeatureCollection",
        "features": features,
        "clustered": bool(targets and targets["clustered"]),
        "targets": targets["total"] if targets else 0,
        "stops": len(stops),
        "zoom": query.zoom,
        **({"labels": unit_labels(query)} if labels else {}),
    }


def map_export(user, query: MapQuery) -> dict:
    """Every target and stop of the filtered set the user may export, as points (no grid), GeoJSON."""
    qs = visible_targets(user, query, action=access.EXPORT)
    features = _target_features(qs) + stop_features(user, query)
    return {"type": "FeatureCollection", "features": features}
