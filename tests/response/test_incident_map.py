"""The incident map (issue 10 §6): the page and its GeoJSON are read with the incident's permission (TP.HCM
gets a 404), nearby key targets come through the access layer (a Thường account never receives a Mật
target), the radius is a great-circle distance, an incident without a point sits at its commune centroid
marked approximate, the point is checked (both or neither, inside Vietnam), and the reference tables of
safety distances carry their source, edition and disclaimer."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pckb.core.choices import Classification
from pckb.response import incident_map, safety
from tests.protection.test_crud import make_target, unit
from tests.response.test_incident import make_incident

LAT, LON = 10.0300, 105.7800
KM_PER_DEGREE = 2 * math.pi * incident_map.EARTH_RADIUS_KM / 360


def north(km):
    return LAT + km / KM_PER_DEGREE


@pytest.fixture
def incident(db):
    return make_incident(
        "Vật khả nghi thử bản đồ", "P92", place_unit=unit("X31135"), latitude=LAT, longitude=LON
    )


def page(incident, **params):
    url = reverse("response:incident_map", args=[incident.pk])
    return url, params


def data(client, incident, **params):
    response = client.get(reverse("response:incident_map_data", args=[incident.pk]), params)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def names(payload, kind="target"):
    return {f["properties"]["name"] for f in payload["features"] if f["properties"]["kind"] == kind}


def test_tp_hcm_gets_404_for_the_page_and_the_data(client, login, incident):
    login("vptt.hcm")
    assert client.get(reverse("response:incident_map", args=[incident.pk])).status_code == 404
    assert client.get(reverse("response:incident_map_data", args=[incident.pk])).status_code == 404
    login("vptt.cantho")
    assert client.get(reverse("response:incident_map", args=[incident.pk])).status_code == 200


def test_the_incident_page_links_to_its_map(client, login, incident):
    login("vptt.cantho")
    response = client.get(incident.get_absolute_url())
    assert reverse("response:incident_map", args=[incident.pk]) in response.content.decode()


def test_a_thuong_account_sees_no_secret_target_nearby(client, login, incident):
    make_target(
        "Kho gần sự cố thử (Mật)", "X31135", Classification.CONFIDENTIAL, latitude=north(0.5), longitude=LON
    )
    make_target("Chợ gần sự cố thử", "X31135", latitude=north(0.6), longitude=LON)
    login("vptt.cantho")  # cleared for Mật
    assert {"Kho gần sự cố thử (Mật)", "Chợ gần sự cố thử"} <= names(data(client, incident))
    login("vanthu.cantho")  # Thường
    response = client.get(reverse("response:incident_map_data", args=[incident.pk]))
    shown = names(json.loads(response.content))
    assert "Chợ gần sự cố thử" in shown
    assert "Kho gần sự cố thử (Mật)" not in response.content.decode()
    assert f"{north(0.5):.6f}"[:8] not in response.content.decode()
    html = client.get(reverse("response:incident_map", args=[incident.pk])).content.decode()
    assert "Chợ gần sự cố thử" in html and "Kho gần sự cố thử (Mật)" not in html


def test_the_radius_is_a_great_circle_distance(client, login, incident):
    make_target("Bến xe cách 3 km thử", "X31135", latitude=north(3), longitude=LON)
    make_target("Cảng cách 30 km thử", "X31135", latitude=north(30), longitude=LON)
    login("vptt.cantho")
    payload = data(client, incident, ban_kinh="5")
    shown = {f["properties"]["name"]: f for f in payload["features"] if f["properties"]["kind"] == "target"}
    assert "Bến xe cách 3 km thử" in shown and "Cảng cách 30 km thử" not in shown
    assert abs(shown["Bến xe cách 3 km thử"]["properties"]["distance_m"] - 3000) <= 5
    assert "Bến xe cách 3 km thử" not in names(data(client, incident, ban_kinh="2"))
    assert "Cảng cách 30 km thử" not in names(data(client, incident, ban_kinh="20"))
    distances = [
        f["properties"]["distance_m"] for f in payload["features"] if f["properties"]["kind"] == "target"
    ]
    assert distances == sorted(distances) and max(distances) <= 5000
    html = client.get(
        reverse("response:incident_map", args=[incident.pk]), {"ban_kinh": "5"}
    ).content.decode()
    assert "Bến xe cách 3 km thử" in html and "3,0 km" in html and "Cảng cách 30 km thử" not in html


def test_a_bad_radius_is_a_422_in_vietnamese(client, login, incident):
    login("vptt.cantho")
    response = client.get(reverse("response:incident_map_data", args=[incident.pk]), {"ban_kinh": "abc"})
    assert response.status_code == 422
    assert "Bán kính" in response.json()["detail"]["ban_kinh"][0]


def test_without_a_point_the_commune_centroid_is_used_marked_approximate(client, login, db):
    incident = make_incident("Sự cố chưa có tọa độ thử", "P92", place_unit=unit("X31135"))
    ninh_kieu = unit("X31135")
    login("vptt.cantho")
    payload = data(client, incident)
    (feature,) = [f for f in payload["features"] if f["properties"]["kind"] == "incident"]
    assert feature["properties"]["approximate"] is True
    assert feature["geometry"]["coordinates"] == [round(ninh_kieu.longitude, 6), round(ninh_kieu.latitude, 6)]
    assert (
        "Vị trí gần đúng" in client.get(reverse("response:incident_map", args=[incident.pk])).content.decode()
    )


def test_an_incident_without_any_place_says_so(client, login, db):
    incident = make_incident("Sự cố chưa có nơi xảy ra thử", "P92")
    login("vptt.cantho")
    assert data(client, incident) == {
        "type": "FeatureCollection",
        "features": [],
        "radius_km": 5,
        "located": False,
    }
    html = client.get(reverse("response:incident_map", args=[incident.pk])).content.decode()
    assert "Sự cố chưa có vị trí" in html and 'id="incident-map"' not in html


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (10.03, None, "longitude"),
        (None, 105.78, "latitude"),
        (48.85, 105.78, "latitude"),
        (10.03, 2.35, "longitude"),
    ],
)
def test_the_point_is_both_or_neither_and_inside_vietnam(db, latitude, longitude, field):
    incident = make_incident("Sự cố tọa độ sai thử", "P92")
    incident.latitude, incident.longitude = latitude, longitude
    with pytest.raises(ValidationError) as caught:
        incident.full_clean()
    assert field in caught.value.message_dict


def test_the_point_is_editable_in_the_incident_form(client, login, incident):
    login("vptt.cantho")
    html = client.get(reverse("response:incident_edit", args=[incident.pk])).content.decode()
    assert 'name="latitude"' in html and 'name="longitude"' in html


def test_the_reference_tables_load_with_edition_source_and_disclaimer():
    tables = {t.id: t for t in safety.tables()}
    assert set(tables) == {"bom", "hoa-chat"}
    for table in tables.values():
        for text in (table.title, table.source, table.edition, table.disclaimer):
            assert text.vi and text.en
        assert table.rows
        for row in table.rows:
            assert row.label.vi and row.label.en and row.rings
            radii = [r.radius_m for r in row.rings]
            assert all(r > 0 for r in radii) and radii == sorted(radii)
    bomb = tables["bom"]
    assert "NCTC" in bomb.source.en
    assert len(bomb.rows) == 8
    assert [r.radius_m for r in bomb.row("ong").rings] == [21, 366]
    assert [r.radius_m for r in bomb.row("dau-keo").rings] == [479, 2835]
    assert {r.kind for row in bomb.rows for r in row.rings} == {"mandatory", "preferred"}
    hazmat = tables["hoa-chat"]
    assert hazmat.edition.en == "ERG 2024" and "111" in hazmat.source.en
    assert [r.radius_m for r in hazmat.row("111-ro-ri").rings] == [100]
    assert safety.find("bom:suv")[1].label.en == "SUV / van"
    assert safety.find("bom:khong-co") is None and safety.find("") is None


def test_the_tables_hold_distances_only_nothing_on_explosives():
    for name in safety.FILES:
        raw = (safety.DATA_DIR / name).read_text(encoding="utf-8").lower()
        for word in ("kg", "lbs", "tnt", "pound", "kilogram"):
            assert word not in raw, (name, word)


def test_a_malformed_table_is_refused():
    good = json.loads((safety.DATA_DIR / safety.FILES[0]).read_text(encoding="utf-8"))
    for broken in (
        {**good, "disclaimer": {"vi": "Chỉ tiếng Việt"}},
        {**good, "rows": [{**good["rows"][0], "rings": {"mandatory": 400, "preferred": 20}}]},
        {**good, "rows": [{**good["rows"][0], "rings": {"unknown": 10}}]},
        {**good, "rows": [good["rows"][0], good["rows"][0]]},
    ):
        with pytest.raises(ValueError):
            safety.parse_table(broken)


def test_the_page_offers_every_row_and_prints_the_sources(client, login, incident):
    login("vptt.cantho")
    html = client.get(
        reverse("response:incident_map", args=[incident.pk]), {"bang": "bom:suv"}
    ).content.decode()
    assert 'value="bom:suv" data-table="bom"' in html and "selected" in html
    for table in safety.tables():
        assert (
            str(table.source.vi) in html
            and str(table.disclaimer.vi) in html
            and str(table.edition.vi) in html
        )
    assert "<script>" not in html


def test_the_data_query_count_does_not_grow_with_nearby_targets(client, login, incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login("vptt.cantho")
    url = reverse("response:incident_map_data", args=[incident.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(15):
        make_target(f"Điểm gần thử {n}", "X31135", latitude=north(0.1 + n / 50), longitude=LON)
    with CaptureQueriesContext(connection) as after:
        payload = data(client, incident)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert {f"Điểm gần thử {n}" for n in range(15)} <= names(payload)


def test_the_api_refuses_a_point_outside_vietnam_with_a_422(api_client, incident):
    client = api_client("vptt.cantho")
    url = f"/api/v1/response/incidents/{incident.pk}"
    response = client.patch(url, {"latitude": 48.85, "longitude": 2.35}, content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    assert "Việt Nam" in json.dumps(response.json(), ensure_ascii=False)
    incident.refresh_from_db()
    assert (incident.latitude, incident.longitude) == (LAT, LON)
    response = client.patch(url, {"latitude": 10.04, "longitude": 105.79}, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    incident.refresh_from_db()
    assert (incident.latitude, incident.longitude) == (10.04, 105.79)


def test_the_cap_alert_circle_is_at_the_incident_point(incident):
    from pckb.response.cap_views import incident_alert

    circle = incident_alert(incident, "Exercise").info[0].circles[0]
    assert (circle.lat, circle.lon) == (LAT, LON)


def test_the_demo_incident_has_its_own_point_and_nearby_targets(client, login, db):
    """The closed demo incident of Cần Thơ sits on a point of its own (not the commune's centre): its map
    shows the demo key targets around it, the Mật ones only to an account cleared for Mật."""
    from pckb.demo.response import INCIDENT_POINT, INCIDENT_TITLE
    from pckb.response.models import Incident

    incident = Incident.objects.get(title=INCIDENT_TITLE)
    assert (incident.latitude, incident.longitude) == INCIDENT_POINT
    assert incident.committee.unit.code == "P92" and incident.place_unit.code == "X31135"
    login("vptt.cantho")  # cleared for Mật
    payload = data(client, incident)
    (point,) = [f for f in payload["features"] if f["properties"]["kind"] == "incident"]
    assert point["properties"]["approximate"] is False
    assert point["geometry"]["coordinates"] == [INCIDENT_POINT[1], INCIDENT_POINT[0]]
    nearby = names(payload)
    assert {
        "Trụ sở Ủy ban nhân dân phường Ninh Kiều",
        "Bệnh viện Đa khoa Cái Khế",
        "Trung tâm dữ liệu tỉnh Tây Đô",
        "Nhà máy nước Cái Khế",
    } <= nearby
    assert "Cảng hàng không quốc tế Cần Thơ" not in nearby  # about 10 km away, outside the 5 km default
    html = client.get(reverse("response:incident_map", args=[incident.pk])).content.decode()
    assert "sự cố chưa có tọa độ" not in html and "Bệnh viện Đa khoa Cái Khế" in html
    login("vanthu.cantho")  # Thường
    shown = names(data(client, incident))
    assert "Trụ sở Ủy ban nhân dân phường Ninh Kiều" in shown
    assert not shown & {"Trung tâm dữ liệu tỉnh Tây Đô", "Nhà máy nước Cái Khế"}
