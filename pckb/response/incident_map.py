"""The incident map's data (Ứng phó → Sự cố → Bản đồ): the incident's point and the key targets near it that
the user may see, as GeoJSON.

The point is the incident's own ``latitude``/``longitude`` or, without them, its commune's centroid marked
``approximate``. Nearby targets are read through the protection map's ``visible_targets`` (the access layer:
unit scope × role × classification), so a Mật target never reaches an account cleared below Mật; they are
kept within ``radius_km`` by great-circle distance (a bounding box in SQL, then the haversine formula).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pckb.core import access
from pckb.response.models import Incident

EARTH_RADIUS_KM = 6371.0088
RADIUS_CHOICES = (1, 2, 5, 10, 20)
DEFAULT_RADIUS_KM = 5
NEARBY_LIMIT = 200


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    approximate: bool


def incident_point(incident: Incident) -> Point | None:
    """Where the incident is drawn: its point, else its commune's centroid (approximate), else nowhere."""
    if incident.latitude is not None and incident.longitude is not None:
        return Point(incident.latitude, incident.longitude, False)
    unit = incident.place_unit
    if unit is not None and unit.latitude is not None and unit.longitude is not None:
        return Point(float(unit.latitude), float(unit.longitude), True)
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def parse_radius(params) -> int:
    """``ban_kinh`` (km) from the request, one of ``RADIUS_CHOICES``; else ``ValidationError``."""
    raw = (params.get("ban_kinh") or "").strip()
    if not raw:
        return DEFAULT_RADIUS_KM
    try:
        radius = int(raw)
    except ValueError:
        radius = -1
    if radius not in RADIUS_CHOICES:
        choices = ", ".join(str(c) for c in RADIUS_CHOICES)
        raise ValidationError(
            {"ban_kinh": [_("Bán kính phải là một trong: {choices} (km).").format(choices=choices)]}
        )
    return radius


def nearby_targets(user, point: Point, radius_km: float) -> list:
    """The targets the user may see within ``radius_km`` of the point, nearest first, each with
    ``distance_km`` (and the map position ``map_lat``/``map_lon``)."""
    from pckb.protection import map as protection_map
    from pckb.protection.models import Target

    if not access.has_action(user, Target, access.VIEW):
        return []
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(point.latitude)), 0.01)
    bbox = (point.longitude - dlon, point.latitude - dlat, point.longitude + dlon, point.latitude + dlat)
    qs = protection_map.visible_targets(user, protection_map.MapQuery(filters={}, bbox=bbox))
    from pckb.protection.selectors import with_latest_assessment

    rows = (
        with_latest_assessment(qs)
        .select_related("category", "unit")
        .only("id", "name", "protection_level", "latitude", "category__name", "category__code", "unit__name")
        .order_by("id")
    )
    found = []
    for target in rows:
        target.distance_km = distance_km(point.latitude, point.longitude, target.map_lat, target.map_lon)
        if target.distance_km <= radius_km:
            found.append(target)
    found.sort(key=lambda t: (t.distance_km, t.pk))
    return found[:NEARBY_LIMIT]


def incident_feature(incident: Incident, point: Point) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(point.longitude, 6), round(point.latitude, 6)]},
        "properties": {
            "kind": "incident",
            "id": incident.pk,
            "name": incident.title,
            "url": incident.get_absolute_url(),
            "place": ", ".join(p for p in (incident.place_text, str(incident.place_unit or "")) if p),
            "approximate": point.approximate,
        },
    }


def map_data(user, incident: Incident, radius_km: int = DEFAULT_RADIUS_KM) -> dict:
    """The page's GeoJSON: the incident (when it has a point) and the nearby targets the user may see."""
    from pckb.protection.map import target_feature

    point = incident_point(incident)
    if point is None:
        return {"type": "FeatureCollection", "features": [], "radius_km": radius_km, "located": False}
    targets = nearby_targets(user, point, radius_km)
    features = [incident_feature(incident, point)]
    for target in targets:
        feature = target_feature(target)
        feature["properties"]["distance_m"] = round(target.distance_km * 1000)
        features.append(feature)
    return {
        "type": "FeatureCollection",
        "features": features,
        "radius_km": radius_km,
        "located": True,
        "targets": len(targets),
    }
