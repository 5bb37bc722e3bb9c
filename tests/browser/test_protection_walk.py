"""Issue 9's "Done means", walked in one real browser: the Cần Thơ standing office registers a key target
(a commune, no coordinates) with a risk assessment, finds it on the map with no tile server (at the commune's
centre, marked approximate), plans a delegation visit with an itinerary stop at it and a task for an agency,
runs the force-allocation planner over the province's targets and downloads tomorrow's orders. Then TP.HCM's
office sees none of it anywhere (pages 404, map data, exports and API lists without the names), and a
Thường-clearance twin of the Cần Thơ office never receives the demo's Mật target's name or coordinates. No
request leaves the machine, no CSP violation, no JavaScript error (``page_guard``)."""

from __future__ import annotations

import datetime as dt
import io
import json
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import fmt_d, save, signed_in
from tests.support.demo import CAN_THO_COMMITTEE, DEMO_PASSWORD
from tests.support.mixins import thuong_twin

pytestmark = pytest.mark.browser

TARGET = "Trạm bơm tăng áp Hưng Phú (kiểm thử E2E)"
COMMUNE = "X31186"
EVENT = "Đoàn công tác Trung ương kiểm tra công tác bảo vệ (kiểm thử E2E)"
TASK = "Bố trí lực lượng bảo vệ vòng ngoài tại trạm bơm trong thời gian đoàn làm việc (E2E)"
RUN = "Phương án bố trí lực lượng có trạm bơm mới (E2E)"
#: The demo's Mật target of Cần Thơ, with its coordinates (pckb/demo/protection.py).
SECRET_TARGET = "Trung tâm dữ liệu tỉnh Tây Đô"
SECRET_LAT, SECRET_LON = 10.02975, 105.77841


def fmt_dt(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def get_text(pg, url: str) -> str:
    """What the signed-in user's browser receives at ``url`` (must be a 200)."""
    response = pg.context.request.get(url)
    assert response.status == 200, (url, response.status)
    text = response.body().decode("utf-8")
    if "json" in response.headers.get("content-type", ""):
        text = json.dumps(json.loads(text), ensure_ascii=False)  # the API writes names as \u escapes
    return text


def everything_readable(pg) -> dict[str, str]:
    """Every output a user could read the register through: list pages (and searches), CSV exports, map
    data (first view and zoomed-in points, all events), the GeoJSON export and the API lists."""
    urls = [
        "/bao-ve/muc-tieu/",
        "/bao-ve/muc-tieu/?export=csv",
        "/bao-ve/su-kien/",
        "/bao-ve/su-kien/?export=csv",
        "/bao-ve/danh-gia-rui-ro/",
        "/bo-tri-luc-luong/phuong-an/",
        "/bao-ve/ban-do/du-lieu.geojson?su_kien=tat-ca",
        "/bao-ve/ban-do/du-lieu.geojson?su_kien=tat-ca&zoom=14&bbox=102,8,110,23.5",
        "/bao-ve/ban-do/tai-ve.geojson?su_kien=tat-ca",
        "/api/v1/protection/targets/?page_size=1000",
        "/api/v1/protection/assessments/?page_size=1000",
        "/api/v1/protection/events/?page_size=1000",
        "/api/v1/protection/events/stops/?page_size=1000",
        "/api/v1/protection/events/tasks/?page_size=1000",
        "/api/v1/deployment/runs/?page_size=1000",
        "/api/v1/protection/map?su_kien=tat-ca&zoom=14",
    ]
    return {url: get_text(pg, url) for url in urls}


def test_can_tho_protects_a_new_target_and_nobody_else_sees_it(
    page, page_guard, browser_login, browser, live_server, tmp_path
):
    import docx
    from django.utils import timezone

    from pckb.accounts.models import User
    from pckb.deployment.models import PlanningRun, TeamType
    from pckb.directory.models import Agency
    from pckb.geo.models import AdministrativeUnit
    from pckb.protection.models import EventStop, EventTask, ProtectedEvent, RiskAssessment, Target

    commune = AdministrativeUnit.objects.get(code=COMMUNE)
    assert commune.latitude is not None
    agencies = list(Agency.objects.filter(unit__code="P92").order_by("pk"))
    police = next(a for a in agencies if a.name.startswith("Công an"))
    helper = next(a for a in agencies if a.pk != police.pk and not a.name.startswith("Ủy ban"))

    # 1. Register the target through the form: a commune, no coordinates.
    browser_login("vptt.cantho")
    page.goto("/bao-ve/muc-tieu/them/")
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_label("Tên mục tiêu").fill(TARGET)
    page.get_by_label("Loại mục tiêu").select_option(label="Công trình cấp nước")
    page.get_by_label("Xã, phường, đặc khu").fill(f"{commune.name} ({commune.code})")
    page.get_by_label("Địa chỉ", exact=True).fill("Khu vực Phú Thứ (địa chỉ giả định)")
    page.get_by_label("Cơ quan, tổ chức quản lý (ngoài danh bạ)").fill("Công ty Cấp nước Hưng Phú (giả định)")
    page.get_by_label("Mức độ bảo vệ").select_option(label="Quan trọng")
    page.get_by_label("Cơ quan chịu trách nhiệm bảo vệ").select_option(str(police.pk))
    save(page)
    page.get_by_role("heading", level=1, name=TARGET).wait_for()
    target = Target.objects.get(name=TARGET)
    assert target.unit == commune and target.latitude is None and target.longitude is None
    assert "Vị trí gần đúng" in page.locator("main").inner_text()
    target_url = page.url
    assert target_url.endswith(f"/bao-ve/muc-tieu/{target.pk}/")

    # 2. A risk assessment, signed off: the target's page shows its level.
    page.locator("main").get_by_role("link", name="Thêm đánh giá").click()
    page.get_by_role("heading", level=1).wait_for()
    today = timezone.localdate()
    page.get_by_label("Ngày đánh giá").fill(fmt_d(today))
    page.get_by_label("Người đánh giá").fill("Thiếu tá Nguyễn Văn Thử, Phòng PA09 (giả định)")
    page.get_by_label("Chức vụ người phê duyệt").fill("Phó Giám đốc Công an thành phố")
    page.get_by_label("Họ tên người phê duyệt").fill("Trần Văn Duyệt")
    page.get_by_label("Ngày phê duyệt").fill(fmt_d(today))
    for label, value in (
        ("Tầm quan trọng", "4"),
        ("Tính biểu tượng", "2"),
        ("Số người thường có mặt", "2"),
        ("Quy mô công trình", "3"),
        ("Mức đe dọa", "3"),
    ):
        page.get_by_label(label).select_option(value)
    save(page)
    page.get_by_role("heading", level=1).wait_for()
    errors = page.locator(".error-summary")
    assert errors.count() == 0, errors.inner_text()
    assessment = RiskAssessment.objects.get(target=target)
    assert assessment.total == 14
    page.goto(target_url)
    risk = page.locator(
        "section.panel", has=page.get_by_role("heading", name="Rủi ro", exact=True)
    ).inner_text()
    assert assessment.get_level_display() in risk and "14/25" in risk

    # 3. The map, no tile server: the target is drawn at its commune's centre, marked approximate.
    map_payloads = []

    def keep_map_data(response):
        if "/bao-ve/ban-do/du-lieu.geojson" in response.url and response.status == 200:
            map_payloads.append(response.json())

    page.on("response", keep_map_data)
    page.goto("/bao-ve/ban-do/?" + urlencode({"q": TARGET, "su_kien": "khong"}))
    page.wait_for_selector("#map[data-rendered]")
    page.wait_for_function("document.querySelectorAll('.map-point').length > 0")
    page.wait_for_timeout(600)  # the second, bounded load after fitting the view
    assert page.locator(".leaflet-tile").count() == 0
    features = [
        f for payload in map_payloads for f in payload["features"] if f["properties"].get("name") == TARGET
    ]
    assert features, "the map's data did not carry the new target"
    lon, lat = features[-1]["geometry"]["coordinates"]
    assert (round(lat, 5), round(lon, 5)) == (round(commune.latitude, 5), round(commune.longitude, 5))
    assert features[-1]["properties"]["approximate"] is True
    marker = page.locator(f'.leaflet-marker-icon[title^="{TARGET}"]')
    assert "Vị trí gần đúng" in marker.get_attribute("title")
    marker.click()
    popup = page.locator(".map-popup")
    popup.wait_for()
    assert TARGET in popup.inner_text() and "Vị trí gần đúng" in popup.inner_text()
    assert popup.get_by_role("link", name=TARGET).get_attribute("href") == f"/bao-ve/muc-tieu/{target.pk}/"
    page.remove_listener("response", keep_map_data)
    page.screenshot(path=str(tmp_path / "walk-map.png"), full_page=True)

    # 4. A delegation visit (protected event) tomorrow, with a stop at the target and a task for an agency.
    tomorrow = today + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(7, 30))
    page.goto("/bao-ve/su-kien/them/")
    page.get_by_role("heading", level=1).wait_for()
    page.locator("#id_kind").select_option(label="Đoàn công tác Trung ương")
    page.get_by_label("Tên sự kiện, đoàn").fill(EVENT)
    page.get_by_label("Bắt đầu").fill(fmt_dt(start))
    page.get_by_label("Kết thúc").fill(fmt_dt(start + dt.timedelta(days=1, hours=9)))
    page.get_by_label("Địa bàn").fill("P92")
    page.get_by_label("Cơ quan chủ trì bảo vệ").select_option(str(police.pk))
    page.get_by_label("Nội dung, thành phần").fill(
        "Đoàn công tác Trung ương (giả định) làm việc tại thành phố."
    )
    save(page)
    page.get_by_role("heading", level=1, name=EVENT).wait_for()
    event = ProtectedEvent.objects.get(title=EVENT)
    event_url = page.url
    assert event_url.endswith(f"/bao-ve/su-kien/{event.pk}/")

    page.get_by_role("link", name="Thêm điểm dừng").click()
    page.get_by_role("heading", level=1).wait_for()
    page.locator("#id_time").fill(fmt_dt(start + dt.timedelta(hours=2)))
    page.get_by_label("Mục tiêu trong sổ").select_option(str(target.pk))
    page.get_by_label("Hoạt động").fill("Đoàn kiểm tra công tác bảo vệ trạm bơm")
    save(page)
    page.get_by_role("heading", level=1, name=EVENT).wait_for()
    assert EventStop.objects.filter(event=event, target=target).count() == 1

    page.get_by_role("link", name="Giao nhiệm vụ").click()
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_label("Cơ quan thực hiện").select_option(str(helper.pk))
    page.locator("#id_task").fill(TASK)
    page.get_by_label("Hạn hoàn thành").fill(fmt_d(tomorrow))
    save(page)
    page.get_by_role("heading", level=1, name=EVENT).wait_for()
    assert EventTask.objects.filter(event=event, agency=helper).count() == 1
    body = page.locator("main").inner_text()
    assert TARGET in body and TASK in body and helper.name in body
    page.screenshot(path=str(tmp_path / "walk-event.png"), full_page=True)

    # 5. The planner over the province's targets; tomorrow's orders as a Word file.
    teams = list(TeamType.objects.filter(committee__unit__code="P92").order_by("pk"))
    page.goto("/bo-tri-luc-luong/phuong-an/them/")
    page.get_by_role("heading", level=1, name="Lập phương án bố trí lực lượng").wait_for()
    page.select_option("#id_committee", label=CAN_THO_COMMITTEE)
    page.fill("#id_title", RUN)
    for team in teams:
        page.get_by_label(team.name, exact=True).check()
    page.fill("#id_start_date", fmt_d(tomorrow))
    page.fill("#id_days", "2")
    page.fill("#id_seed", "9")
    page.get_by_role("button", name="Tính và lưu phương án").click()
    page.get_by_role("heading", level=1, name=RUN).wait_for()
    run = PlanningRun.objects.get(title=RUN)
    run_url = page.url
    assert run_url.endswith(f"/bo-tri-luc-luong/phuong-an/{run.pk}/")
    coverage = page.locator(
        "section.panel", has=page.get_by_role("heading", name="Xác suất bố trí từng mục tiêu")
    )
    row = coverage.locator("tbody tr", has=page.get_by_role("link", name=TARGET, exact=True))
    assert row.count() == 1, "the new target has no coverage row"
    assert "14/25" in row.inner_text()
    page.screenshot(path=str(tmp_path / "walk-run.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Lệnh ngày mai (DOCX)").click()
    download = info.value
    assert download.suggested_filename.endswith(f"{tomorrow.isoformat()}.docx")
    with open(download.path(), "rb") as fh:
        document = docx.Document(io.BytesIO(fh.read()))
    assert len(document.sections) == sum(t.count for t in teams)
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert f"Ngày {fmt_d(tomorrow)}" in text
    # The Word file gives the same orders as the run's page for tomorrow (every target named is in the run's
    # area; the new target can be among them: it has a coverage row above).
    lines = page.locator(f"h3:text-is('Lệnh ngày {fmt_d(tomorrow)}') ~ ul.orders > li").all_inner_texts()
    assert len(lines) == sum(t.count for t in teams)
    run_targets = set(
        Target.objects.filter(unit__path__startswith=run.committee.unit.path).values_list("name", flat=True)
    )
    assert TARGET in run_targets
    for line in lines:
        posted = line.split(": ", 1)[1]
        if posted.startswith("tuyến"):  # a mobile team's route: each stop, after its arrive–leave times
            stops = [stop.split(" ", 1)[1] for stop in posted.splitlines()[1:]]
            assert stops, line
        else:
            stops = [posted]
        for stop in stops:
            assert stop in text, f"the page's order “{line}” is not in the Word file"
            assert stop in run_targets or stop == "trực dự bị", line

    # The outputs checked below do carry all of it for the office itself (the checks are not vacuous).
    seen = everything_readable(page)
    for url, names in (
        ("/bao-ve/ban-do/du-lieu.geojson?su_kien=tat-ca&zoom=14&bbox=102,8,110,23.5", (TARGET, EVENT)),
        ("/api/v1/protection/targets/?page_size=1000", (TARGET, SECRET_TARGET)),
        ("/api/v1/protection/events/?page_size=1000", (EVENT,)),
        ("/api/v1/protection/events/tasks/?page_size=1000", (TASK,)),
        ("/api/v1/deployment/runs/?page_size=1000", (RUN,)),
        ("/bao-ve/muc-tieu/?export=csv", (TARGET, SECRET_TARGET)),
    ):
        for name in names:
            assert name in seen[url], f"the office does not read “{name}” at {url}"

    # 6. TP.HCM's standing office, a fresh context: none of it, anywhere.
    ctx, hcm = signed_in(browser, live_server, page_guard, "vptt.hcm")
    try:
        for url in (target_url, event_url, run_url, f"/bao-ve/danh-gia-rui-ro/{assessment.pk}/"):
            response = hcm.goto(url)
            assert response.status == 404, (url, response.status)
        hcm.goto("/bao-ve/muc-tieu/?" + urlencode({"q": TARGET}))
        assert TARGET not in hcm.locator("main").inner_text()
        hcm.goto("/bao-ve/ban-do/")
        hcm.wait_for_selector("#map[data-rendered]")
        for url, content in everything_readable(hcm).items():
            for name in (TARGET, EVENT, TASK, RUN):
                assert name not in content, f"TP.HCM reads “{name}” at {url}"
            assert f"/bao-ve/muc-tieu/{target.pk}/" not in content, url
        # The HCM office does read its own province (the check above is not vacuous).
        assert "Chợ Bến Thành" in get_text(hcm, "/api/v1/protection/targets/?page_size=1000")
    finally:
        ctx.close()

    # 7. A Thường-clearance twin of the Cần Thơ office: the Mật target's name and location never arrive.
    office = User.objects.get(username="vptt.cantho")
    twin = thuong_twin({office.username: office}, office.username)
    assert twin.clearance == 0 and twin.scope_unit == office.scope_unit and twin.role == office.role
    twin.set_password(DEMO_PASSWORD)
    twin.save()
    secret = Target.objects.get(name=SECRET_TARGET)
    ctx, low = signed_in(browser, live_server, page_guard, twin.username)
    try:
        assert low.goto(f"/bao-ve/muc-tieu/{secret.pk}/").status == 404
        low.goto("/bao-ve/ban-do/")
        low.wait_for_selector("#map[data-rendered]")
        low.wait_for_timeout(600)
        for url, content in everything_readable(low).items():
            assert SECRET_TARGET not in content, f"the Mật target's name reaches Thường at {url}"
            for coordinate in (SECRET_LAT, SECRET_LON):
                assert str(coordinate) not in content, f"the Mật target's location reaches Thường at {url}"
            if "geojson" in url or "/map" in url:
                for feature in json.loads(content)["features"]:
                    lon, lat = feature["geometry"]["coordinates"]
                    near = abs(lat - SECRET_LAT) < 1e-4 and abs(lon - SECRET_LON) < 1e-4
                    assert not near, (
                        f"a point at the Mật target's location reaches Thường at {url}: {feature}"
                    )
        # Not vacuous: the twin reads the Thường targets of Cần Thơ, the new one included.
        targets = json.loads(get_text(low, "/api/v1/protection/targets/?page_size=1000"))
        names = {item["name"] for item in targets["items"]}
        assert TARGET in names and "Chợ nổi Cái Răng" in names
        assert SECRET_TARGET not in low.locator("body").inner_text()
    finally:
        ctx.close()
