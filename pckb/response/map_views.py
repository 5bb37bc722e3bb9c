"""The incident map (Ứng phó → Sự cố → Bản đồ): the page and its GeoJSON data, both read with the
incident's own permission (anyone who cannot see the incident gets a 404). The drawing is done by
``response/incident_map.js`` (no inline script: the page passes its URL and texts in ``data-`` attributes);
the safety circles come from the reference tables of ``pckb.response.safety``."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from pckb.core.views import ObjectViewMixin
from pckb.response import incident_map, safety
from pckb.response.models import Incident

GEOJSON = "application/geo+json"


class IncidentMapView(ObjectViewMixin, View):
    model = Incident
    select_related = ("place_unit", "committee")
    template_name = "response/incident_map.html"

    def get(self, request, pk):
        incident = self.get_object()
        point = incident_map.incident_point(incident)
        try:
            radius = incident_map.parse_radius(request.GET)
        except ValidationError:
            radius = incident_map.DEFAULT_RADIUS_KM
        nearby = incident_map.nearby_targets(request.user, point, radius) if point else []
        tables = [
            {
                "table": table,
                "rows": [
                    {
                        "value": f"{table.id}:{row.id}",
                        "row": row,
                        "rings": json.dumps(
                            [
                                {"r": ring.radius_m, "kind": ring.kind, "label": str(ring.label)}
                                for ring in row.rings
                            ],
                            ensure_ascii=False,
                        ),
                    }
                    for row in table.rows
                ],
            }
            for table in safety.tables()
        ]
        chosen = request.GET.get("bang") or ""
        return render(
            request,
            self.template_name,
            {
                "title": _("Bản đồ sự cố: {title}").format(title=incident.title),
                "object": incident,
                "point": point,
                "nearby": nearby,
                "radius": radius,
                "radius_choices": incident_map.RADIUS_CHOICES,
                "tables": tables,
                "chosen": chosen if safety.find(chosen) else "",
            },
        )


class IncidentMapDataView(ObjectViewMixin, View):
    """``?ban_kinh=<km>``: the incident and the nearby targets the user may see, as GeoJSON; a bad radius is
    a 422 with a Vietnamese message."""

    model = Incident
    select_related = ("place_unit",)

    def get(self, request, pk):
        incident = self.get_object()
        try:
            radius = incident_map.parse_radius(request.GET)
        except ValidationError as exc:
            return JsonResponse(
                {"detail": {f: [str(m) for m in msgs] for f, msgs in exc.message_dict.items()}}, status=422
            )
        data = incident_map.map_data(request.user, incident, radius)
        return JsonResponse(data, content_type=GEOJSON, json_dumps_params={"ensure_ascii": False})
