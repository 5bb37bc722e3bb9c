"""The map (Bảo vệ → Bản đồ): the page, its data (GeoJSON per view), the GeoJSON export and the optional
PMTiles basemap served with HTTP range requests. The data is read in ``pckb.protection.map``."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.core.views import ModelPageView
from pckb.protection import map as map_data
from pckb.protection.choices import RiskLevel
from pckb.protection.filtersets import TargetFilterSet
from pckb.protection.models import Target, TargetCategory

GEOJSON = "application/geo+json"


def _errors(exc: ValidationError) -> dict:
    """The API's error answer: ``{"detail": {field: [messages]}}``."""
    return {"detail": {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}}


class MapView(ModelPageView):
    """The map page: filters, colour toggle, legend; the points are drawn by ``protection/map.js`` from the
    data view (nothing inline: the page passes its URLs in ``data-`` attributes)."""

    model = Target
    template_name = "protection/map.html"
    title = gettext_lazy("Bản đồ mục tiêu, sự kiện")

    def context(self) -> dict:
        user = self.request.user
        filterset = TargetFilterSet(self.request.GET or None, Target.objects.none(), user=user)
        categories = list(
            access.restrict(TargetCategory.objects.filter(active=True), user, access.VIEW).order_by(
                "order", "sort_key", "id"
            )
        )
        pmtiles = settings.PCKB_MAP_PMTILES
        return {
            "filterset": filterset,
            "categories": categories,
            "risk_levels": RiskLevel.choices,
            "colour": "risk" if self.request.GET.get("mau") == "risk" else "category",
            "events": self.request.GET.get("su_kien") or map_data.EVENTS_UPCOMING,
            "tile_url": settings.PCKB_MAP_TILE_URL,
            "tile_attribution": settings.PCKB_MAP_TILE_ATTRIBUTION,
            "pmtiles_url": reverse("protection:map_basemap") if pmtiles.is_file() else "",
            "can_export": access.has_action(user, Target, access.EXPORT),
            "query": self.request.GET.urlencode(),
        }


class MapDataView(LoginRequiredMixin, View):
    """GeoJSON of one view of the map (``bbox``, ``zoom``, filters): clustered by grid when large."""

    def get(self, request):
        if not access.has_action(request.user, Target, access.VIEW):
            raise Http404
        try:
            query = map_data.parse_query(request.GET)
            data = map_data.map_data(request.user, query, labels=True)
        except ValidationError as exc:
            return JsonResponse(_errors(exc), status=422)
        return JsonResponse(data, content_type=GEOJSON, json_dumps_params={"ensure_ascii": False})


class MapExportView(LoginRequiredMixin, View):
    """The filtered set the user may export, every point (no grid), as a GeoJSON file; audited."""

    def get(self, request):
        if not access.has_action(request.user, Target, access.EXPORT):
            raise Http404
        try:
            query = map_data.parse_query(request.GET)
            with transaction.atomic():
                data = map_data.map_export(
                    request.user, map_data.MapQuery(filters=query.filters, events=query.events)
                )
                audit_record(
                    actor=request.user,
                    action=AuditAction.EXPORT,
                    object_type=Target._meta.label_lower,
                    object_repr=_("Xuất GeoJSON bản đồ: {count} điểm").format(count=len(data["features"])),
                    unit_path=request.user.scope_path,
                )
        except ValidationError as exc:
            return JsonResponse(_errors(exc), status=422)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=GEOJSON)
        response["Content-Disposition"] = f'attachment; filename="ban-do-muc-tieu-{stamp}.geojson"'
        return response


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte positions of a single ``Range: bytes=…`` header, or ``None`` when it cannot be
    satisfied (malformed, several ranges, starting past the end, empty file)."""
    match = RANGE_RE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return None
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


def _read(path, start: int, length: int):
    with path.open("rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


class BasemapView(LoginRequiredMixin, View):
    """The PMTiles basemap file (``PCKB_MAP_PMTILES``), with HTTP range requests: 206 with
    ``Content-Range`` for one range, 416 for a range it cannot satisfy, 200 for the whole file; 404 when
    no file was installed."""

    def get(self, request):
        if not access.has_action(request.user, Target, access.VIEW):
            raise Http404
        path = settings.PCKB_MAP_PMTILES
        if not path.is_file():
            raise Http404
        stat = path.stat()
        size = stat.st_size
        etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
        header = request.headers.get("Range", "")
        if header and request.headers.get("If-Range", etag) != etag:
            header = ""  # the file changed since the client's first read: send it whole
        if not header:
            response = StreamingHttpResponse(_read(path, 0, size), content_type="application/octet-stream")
            response["Content-Length"] = str(size)
        else:
            span = parse_range(header, size)
            if span is None:
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                response["Accept-Ranges"] = "bytes"
                return response
            start, end = span
            length = end - start + 1
            response = StreamingHttpResponse(
                _read(path, start, length), status=206, content_type="application/octet-stream"
            )
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(length)
        response["Accept-Ranges"] = "bytes"
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=3600"
        return response
