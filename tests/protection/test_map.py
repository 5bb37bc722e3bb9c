"""The map (Bảo vệ → Bản đồ): its GeoJSON holds only what the user may see (TP.HCM sees nothing of Cần Thơ; a
low-clearance account never receives a Mật target's coordinates, not even inside a cluster), a target
without coordinates sits at its commune's centroid marked approximate, a large register is sent as grid
cells, the export is audited, bad input is a 422, and the PMTiles basemap is served with range requests."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pckb.audit.models import AuditEntry
from pckb.core.choices import Classification
from pckb.protection import map as map_data
from pckb.protection.map_views import parse_range
from pckb.protection.models import Target
from tests.protection.test_crud import category, make_target, unit

DATA = reverse("protection:map_data")
EXPORT = reverse("protection:map_export")
BASEMAP = reverse("protection:map_basemap")


def features(response, kind=None):
    assert response.status_code == 200, response.content[:300]
    data = json.loads(response.content)
    return [f for f in data["features"] if kind is None or f["properties"]["kind"] == kind]


def coordinates(items) -> set[tuple[float, float]]:
    return {tuple(f["geometry"]["coordinates"]) for f in items}


def test_hcm_sees_none_of_can_tho(client, login):
    login("vptt.hcm")
    shown = features(client.get(DATA, {"su_kien": "tat-ca"}))
    names = {f["properties"].get("name") for f in shown}
    can_tho = set(Target.objects.filter(unit__path__startswith="/VN/92/").values_list("name", flat=True))
    hcm = set(Target.objects.filter(unit__path__startswith="/VN/79/").values_list("name", flat=True))
    assert can_tho and not (names & can_tho)
    assert hcm & names  # its own targets are there
    for f in shown:  # every point lies in or near TP.HCM, none in Cần Thơ (about 105.7 E, 10.0 N)
        lon, lat = f["geometry"]["coordinates"]
        assert not (105.3 < lon < 105.9 and 9.8 < lat < 10.4), f["properties"]
    export = json.loads(client.get(EXPORT).content)
    assert not {f["properties"].get("name") for f in export["features"]} & can_tho


def test_the_can_tho_office_sees_its_targets_and_the_popup_links_open(client, login):
    login("vptt.cantho")
    shown = features(client.get(DATA), "target")
    names = {f["properties"]["name"] for f in shown}
    assert "Trung tâm dữ liệu tỉnh Tây Đô" in names  # Mật, and the office is cleared for Mật
    for f in shown:
        assert client.get(f["properties"]["url"]).status_code == 200


@pytest.mark.parametrize("username", ["daumoi.cantho", "xa.ninhkieu"])
def test_low_clearance_never_receives_a_secret_targets_coordinates(client, login, username):
    secret = Target.objects.filter(classification=Classification.CONFIDENTIAL, latitude__isnull=False)
    secret_points = {(round(t.longitude, 6), round(t.latitude, 6)) for t in secret}
    secret_names = set(secret.values_list("name", flat=True))
    assert secret_points
    login(username)
    for params in ({}, {"zoom": "16"}, {"zoom": "4"}, {"su_kien": "tat-ca"}):
        response = client.get(DATA, params)
        shown = features(response)
        assert not coordinates(shown) & secret_points
        assert not secret_names & {f["properties"].get("name") for f in shown}
        assert not any(str(lat) in response.content.decode() for _lon, lat in secret_points)
    api = client.get("/api/v1/protection/map", {"zoom": "16"})
    assert api.status_code == 200
    assert not coordinates(api.json()["features"]) & secret_points


def test_a_secret_target_is_not_counted_in_a_low_clearance_cluster(users, monkeypatch):
    """Grid cells only aggregate the user's own queryset: a Mật target adds nothing to a count."""
    monkeypatch.setattr(map_data, "POINTS_LIMIT", 0)
    for n in range(3):
        make_target(f"Chợ lưới {n}", "X31135", latitude=10.03 + n / 1000, longitude=105.78)
    make_target("Kho lưới Mật", "X31135", Classification.CONFIDENTIAL, latitude=10.031, longitude=105.781)
    query = map_data.MapQuery(filters={"unit": str(unit("X31135").pk)}, zoom=8, events="khong")
    cleared = map_data.map_data(users["vptt.cantho"], query)
    low = map_data.map_data(users["xa.ninhkieu"], query)
    assert cleared["clustered"] and low["clustered"]
    assert (
        low["targets"]
        == cleared["targets"]
        - Target.objects.filter(unit__code="X31135", classification=Classification.CONFIDENTIAL).count()
    )


def test_a_target_without_coordinates_is_at_its_commune_centroid_marked_approximate(client, login):
    target = make_target("Chợ không tọa độ thử nghiệm", "X31135")
    ninh_kieu = unit("X31135")
    login("vptt.cantho")
    shown = {f["properties"]["name"]: f for f in features(client.get(DATA, {"zoom": "15"}), "target")}
    feature = shown[target.name]
    assert feature["properties"]["approximate"] is True
    assert feature["geometry"]["coordinates"] == [round(ninh_kieu.longitude, 6), round(ninh_kieu.latitude, 6)]
    exact = shown["Trụ sở Ủy ban nhân dân phường Ninh Kiều"]
    assert exact["properties"]["approximate"] is False
    assert exact["geometry"]["coordinates"] == [105.78795, 10.03412]


def test_filters_and_bbox_narrow_the_set(client, login):
    login("vptt.quocgia")
    everything = features(client.get(DATA, {"su_kien": "khong"}), "target")
    market = features(client.get(DATA, {"category": category("trung-tam-thuong-mai").pk, "su_kien": "khong"}))
    assert 0 < len(market) < len(everything)
    assert {f["properties"]["category"] for f in market} == {"trung-tam-thuong-mai"}
    can_tho_box = features(client.get(DATA, {"bbox": "105.3,9.8,106.0,10.4", "su_kien": "khong"}))
    assert can_tho_box and all(105.3 <= f["geometry"]["coordinates"][0] <= 106.0 for f in can_tho_box)
    searched = features(client.get(DATA, {"q": "Ninh Kiều Plaza", "su_kien": "khong"}))
    assert [f["properties"]["name"] for f in searched] == ["Trung tâm thương mại Ninh Kiều Plaza"]


def test_a_large_register_is_sent_as_grid_cells_in_a_fixed_number_of_queries(client, login):
    def bulk(n):
        cat, ninh_kieu, hcm = category(), unit("X31135"), unit("X26743")
        Target.objects.bulk_create(
            Target(
                name=f"Mục tiêu lưới {i}",
                category=cat,
                unit=ninh_kieu if i % 2 else hcm,
                managing_name="Ban quản lý",
                latitude=None if i % 5 == 0 else (10.0 if i % 2 else 10.77) + (i % 50) / 100,
                longitude=None if i % 5 == 0 else (105.7 if i % 2 else 106.7) + (i // 50) / 100,
            )
            for i in range(n)
        )

    login("vptt.quocgia")
    client.get("/")  # the first request after signing in starts the session's refresh clock (a write)
    bulk(600)
    map_data.bump_version()  # bulk_create sends no signal: a bulk writer forgets the cached views itself
    with CaptureQueriesContext(connection) as small:
        first = json.loads(client.get(DATA).content)
    bulk(1400)
    map_data.bump_version()
    with CaptureQueriesContext(connection) as large:
        second = json.loads(client.get(DATA).content)
    assert first["clustered"] and second["clustered"]
    assert len(second["features"]) < 200 < second["targets"]
    cells = [f for f in second["features"] if f["properties"]["kind"] == "cluster"]
    assert sum(c["properties"]["count"] for c in cells) > 1900
    assert len(large) == len(small)
    zoomed = json.loads(client.get(DATA, {"zoom": "16", "bbox": "105.70,10.00,105.72,10.02"}).content)
    assert not zoomed["clustered"] and all(f["properties"]["kind"] != "cluster" for f in zoomed["features"])


def test_the_first_view_is_cached_until_a_target_changes(client, login, users):
    login("vptt.cantho")
    before = {f["properties"]["name"] for f in features(client.get(DATA), "target")}
    with CaptureQueriesContext(connection) as cached:
        again = {f["properties"]["name"] for f in features(client.get(DATA), "target")}
    assert again == before
    target = make_target("Chợ mới thêm thử nghiệm", "X31135", latitude=10.04, longitude=105.77)
    after = {f["properties"]["name"] for f in features(client.get(DATA), "target")}
    assert after == before | {target.name}
    assert not any("protection_target" in q["sql"] for q in cached.captured_queries)
    # Another user's view is its own: TP.HCM's cached first view holds nothing of Cần Thơ.
    login("vptt.hcm")
    assert target.name not in {f["properties"]["name"] for f in features(client.get(DATA), "target")}


def test_bad_input_is_a_422_with_a_vietnamese_message(client, login):
    login("vptt.cantho")
    for params, field in (
        ({"bbox": "abc"}, "bbox"),
        ({"bbox": "106,10,105,11"}, "bbox"),
        ({"zoom": "99"}, "zoom"),
        ({"su_kien": "x"}, "su_kien"),
        ({"category": "không-có"}, "category"),
    ):
        response = client.get(DATA, params)
        assert response.status_code == 422, params
        assert field in response.json()["detail"]
        api = client.get("/api/v1/protection/map", params)
        assert api.status_code == 422, params
        assert field in api.json()["detail"]
    assert "Khung nhìn" in client.get(DATA, {"bbox": "abc"}).json()["detail"]["bbox"][0]


def test_the_export_is_every_point_and_is_audited(client, login):
    login("lanhdao.cantho")
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    visible = Target.objects.filter(unit__path__startswith="/VN/92/").count()
    assert len([f for f in data["features"] if f["properties"]["kind"] == "target"]) == visible
    assert AuditEntry.objects.filter(action="export", object_type="protection.target").exists()
    api = client.get("/api/v1/protection/map/export")
    assert api.status_code == 200 and api.json()["type"] == "FeatureCollection"


def test_the_map_page_and_its_menu_entry(client, login):
    login("xa.ninhkieu")
    page = client.get(reverse("protection:map"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="map"' in html and "vendor/leaflet/leaflet.js" in html
    assert "Tải GeoJSON" not in html  # a commune officer reads, does not export
    assert client.get(EXPORT).status_code == 404
    assert reverse("protection:map") in client.get("/").content.decode()
    login("quantri")
    assert client.get(reverse("protection:map")).status_code == 404
    assert client.get(DATA).status_code == 404


def test_unit_labels_are_provinces_then_communes(client, login):
    login("vptt.cantho")
    national = client.get(DATA, {"zoom": "6"}).json()["labels"]
    assert len(national) == 34 and {lab["level"] for lab in national} == {"province"}
    close = client.get(DATA, {"zoom": "12", "bbox": "105.70,9.95,105.85,10.10"}).json()["labels"]
    assert "Phường Ninh Kiều" in {lab["name"] for lab in close}


# --- The PMTiles basemap: HTTP range requests ------------------------------------------------------------
@pytest.fixture
def basemap(tmp_path, settings):
    path = tmp_path / "basemap.pmtiles"
    path.write_bytes(bytes(range(256)) * 4)  # 1,024 bytes
    settings.PCKB_MAP_PMTILES = path
    return path


def test_range_requests_are_answered_206_with_content_range(client, login, basemap):
    login("vptt.cantho")
    part = client.get(BASEMAP, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 10-19/1024"
    assert part["Content-Length"] == "10"
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    tail = client.get(BASEMAP, HTTP_RANGE="bytes=-4")
    assert tail["Content-Range"] == "bytes 1020-1023/1024"
    assert b"".join(tail.streaming_content) == bytes(range(252, 256))
    open_end = client.get(BASEMAP, HTTP_RANGE="bytes=1000-")
    assert open_end["Content-Range"] == "bytes 1000-1023/1024"
    past_end = client.get(BASEMAP, HTTP_RANGE="bytes=1000-5000")
    assert past_end["Content-Range"] == "bytes 1000-1023/1024"
    whole = client.get(BASEMAP)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == basemap.read_bytes()
    page = client.get(reverse("protection:map")).content.decode()
    assert BASEMAP in page and "protomaps-leaflet.js" in page


@pytest.mark.parametrize(
    "header", ["bytes=2000-2100", "bytes=20-10", "bytes=-0", "bytes=0-1,5-6", "items=0-1"]
)
def test_a_range_that_cannot_be_satisfied_is_416(client, login, basemap, header):
    login("vptt.cantho")
    response = client.get(BASEMAP, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_without_a_basemap_file_or_the_right_it_is_404(client, login, basemap, settings):
    login("quantri")
    assert client.get(BASEMAP, HTTP_RANGE="bytes=0-9").status_code == 404
    login("vptt.cantho")
    settings.PCKB_MAP_PMTILES = basemap.parent / "missing.pmtiles"
    assert client.get(BASEMAP).status_code == 404
    assert "protomaps-leaflet.js" not in client.get(reverse("protection:map")).content.decode()


def test_parse_range_edge_cases():
    assert parse_range("bytes=0-0", 1) == (0, 0)
    assert parse_range("bytes=-10", 4) == (0, 3)
    assert parse_range("bytes=0-", 0) is None
    assert parse_range("bytes=-", 10) is None


def test_a_lan_tile_server_is_added_to_the_csp_and_a_bad_url_refused(client, login, settings):
    from django.core.exceptions import ImproperlyConfigured

    from pckb.settings import _tile_origin

    assert _tile_origin("http://tiles.pckb.lan:8080/{z}/{x}/{y}.png") == "http://tiles.pckb.lan:8080"
    assert _tile_origin("https://{s}.tiles.lan/{z}/{x}/{y}.png") == "https://a.tiles.lan"
    for bad in ("tiles.lan/{z}/{x}/{y}.png", "javascript:alert(1)", "ftp://tiles.lan/x"):
        with pytest.raises(ImproperlyConfigured):
            _tile_origin(bad)
    settings.PCKB_MAP_TILE_URL = "http://tiles.pckb.lan/{z}/{x}/{y}.png"
    login("vptt.cantho")
    page = client.get(reverse("protection:map")).content.decode()
    assert 'data-tile-url="http://tiles.pckb.lan/{z}/{x}/{y}.png"' in page
    assert "Không có bản đồ nền" not in page
