"""Issue 11's "Done means", walked in one real browser by the people who do it: the national standing office
issues the national 2026 plan; Cần Thơ's office issues a plan implementing two of its items and assigns
tasks to the city police (lead, the health department supporting) and to the health department; the police
focal point reports progress with an evidence file; the office confirms it; a late task gives a follow-up
letter (công văn đôn đốc, DOCX); the six-monthly report is compiled, a narrative section edited, sent and
accepted by the national office, which then sees Cần Thơ's progress against the national items and the
roll-up listing Cần Thơ as sent. TP.HCM's office gets 404 on Cần Thơ's plan, item and task pages.

Every page of the walk is screenshotted at desktop (1366×900) and phone (390×844) size under
``test-artifacts/plans-walk/`` (ignored by git) and must not scroll sideways on the phone. The only data
built outside the browser is the starting point: a focal-point account for the city police (the demo has
one for the health department only) and no six-monthly report of Cần Thơ yet (the demo's is removed, so the
roll-up really changes)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from tests.browser.conftest import TIMEOUT_MS, fmt_d, save, signed_in
from tests.support.demo import CAN_THO_COMMITTEE, DEMO_PASSWORD, NATIONAL_COMMITTEE

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "plans-walk"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

NAT_PLAN = "Kế hoạch phòng, chống khủng bố năm {year} của Ban Chỉ đạo quốc gia (E2E)"
NAT_ITEMS = [
    ("1", "Tuyên truyền Luật Phòng, chống khủng bố trong cơ sở y tế, trường học (E2E)"),
    ("2", "Diễn tập ứng phó sự cố tấn công tại nơi đông người (E2E)"),
    ("3", "Tổng kết, đánh giá thực hiện quy chế phối hợp (E2E)"),
]
CT_PLAN = "Kế hoạch thực hiện công tác phòng, chống khủng bố năm {year} của thành phố Cần Thơ (E2E)"
CT_ITEMS = [
    ("1", "Tuyên truyền tại bệnh viện, trường học trên địa bàn thành phố (E2E)", "1"),
    ("2", "Diễn tập ứng phó sự cố tại bến xe trung tâm (E2E)", "2"),
]
TASK_POLICE = "Tổ chức 12 buổi tuyên truyền tại bệnh viện và trường học (E2E)"
TASK_HEALTH = "Chuẩn bị phương án y tế, xe cứu thương cho diễn tập (E2E)"
NARRATIVE = (
    "Nhiệm vụ chuẩn bị phương án y tế cho diễn tập chậm so với thời hạn; đã có công văn đôn đốc (E2E)."
)
POLICE = "Công an thành phố Cần Thơ"
HEALTH = "Sở Y tế thành phố Cần Thơ"
POLICE_FOCAL = "daumoi.congan.cantho"
#: A long walk on a shared machine: twice the other browser tests' patience for one page.
WALK_TIMEOUT_MS = 2 * TIMEOUT_MS


def press(page, name: str):
    """Click a button that posts a form, and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def h1(page, name: str | None = None):
    heading = (
        page.get_by_role("heading", level=1, name=name) if name else page.get_by_role("heading", level=1)
    )
    heading.wait_for()
    return heading


def shots(pg, role: str, name: str):
    """The current page at desktop and phone size (full page), kept for a person to look at; on the phone
    the page must not scroll sideways. Returns to the desktop size."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        pg.set_viewport_size(size)
        pg.wait_for_timeout(100)
        pg.screenshot(path=str(ARTIFACTS / f"{role}-{name}-{label}.png"), full_page=True)
        if label == "phone":
            width = pg.evaluate("window.innerWidth")
            scroll = pg.evaluate("document.scrollingElement.scrollWidth")
            assert scroll <= width + 1, f"{role}/{name} scrolls sideways on a phone: {scroll}px > {width}px"
    pg.set_viewport_size(DESKTOP)


def docx_text(path) -> str:
    import docx

    with open(path, "rb") as fh:
        document = docx.Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    return text + "\n" + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def add_item(pg, number: str, title: str, implements: str | None = None):
    """From a plan's page: "Thêm nội dung", fill it in, save, and come back to the plan."""
    plan_url = pg.url
    pg.locator("main").get_by_role("link", name="Thêm nội dung").first.click()
    h1(pg)
    pg.locator("#id_number").fill(number)
    pg.locator("#id_title").fill(title)
    if implements:
        pg.locator("#id_implements").select_option(label=implements)
    save(pg)
    h1(pg, f"{number}. {title}")
    item_url = pg.url
    pg.goto(plan_url)
    return item_url


def assign(pg, item_url: str, title: str, lead: str, supporting: list[str], deadline: dt.date):
    """From an item's page: "Giao nhiệm vụ" with the lead agency, supporting agencies and deadline."""
    pg.goto(item_url)
    pg.locator("main").get_by_role("link", name="Giao nhiệm vụ").first.click()
    h1(pg)
    pg.locator("#id_title").fill(title)
    pg.locator("#id_lead_agency").select_option(label=lead)
    for name in supporting:
        pg.get_by_label(name, exact=True).check()
    pg.locator("#id_deadline").fill(fmt_d(deadline))
    save(pg)
    h1(pg, title)
    return pg.url


def test_national_plan_to_can_tho_tasks_report_and_roll_up(browser, live_server, page_guard, demo, tmp_path):
    from django.utils import timezone

    from pckb.accounts.choices import Role
    from pckb.accounts.models import User
    from pckb.core.choices import Classification
    from pckb.directory.models import Person
    from pckb.geo.models import AdministrativeUnit
    from pckb.plans.choices import TaskStatus
    from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task
    from pckb.reports.choices import ReportKind, ReportStatus
    from pckb.reports.models import PeriodicReport

    today = timezone.localdate()
    year = today.year
    nat_plan, ct_plan = NAT_PLAN.format(year=year), CT_PLAN.format(year=year)

    # The starting point: a focal-point account for the city police, and Cần Thơ's six-monthly report not
    # yet written (the demo ships it sent).
    focal = User(
        username=POLICE_FOCAL,
        first_name="Đầu mối Công an Cần Thơ",
        role=Role.AGENCY_FOCAL,
        scope_unit=AdministrativeUnit.objects.get(code="P92"),
        clearance=Classification.NORMAL,
        person=Person.objects.filter(agency__name=POLICE).order_by("pk").first(),
    )
    assert focal.person is not None
    focal.set_password(DEMO_PASSWORD)
    focal.save()
    PeriodicReport.objects.filter(
        schedule__committee__name=CAN_THO_COMMITTEE, schedule__kind=ReportKind.HALF_YEAR
    ).delete()

    contexts = []
    try:
        # 1. The national standing office issues the national plan with three items.
        ctx, nat = signed_in(
            browser, live_server, page_guard, "vptt.quocgia", timeout_ms=WALK_TIMEOUT_MS, viewport=DESKTOP
        )
        contexts.append(ctx)
        nat.goto("/ke-hoach/ke-hoach/")
        nat.locator("main").get_by_role("link", name="Thêm mới", exact=True).first.click()
        h1(nat)
        nat.locator("#id_committee").select_option(label=NATIONAL_COMMITTEE)
        nat.locator("#id_title").fill(nat_plan)
        nat.locator("#id_year").fill(str(year))
        nat.locator("#id_document_number").fill("01/KH-BCĐ-E2E")
        nat.locator("#id_document_date").fill(f"05/01/{year}")
        nat.locator("#id_summary").fill("Triển khai đồng bộ các biện pháp phòng ngừa (kiểm thử E2E).")
        save(nat)
        h1(nat, nat_plan)
        nat_plan_url = nat.url
        nat_item_urls = {number: add_item(nat, number, title) for number, title in NAT_ITEMS}
        assert Plan.objects.get(title=nat_plan).items.count() == 3
        assert "Nội dung kế hoạch (3)" in nat.locator("main").inner_text()
        shots(nat, "quocgia", "ke-hoach-quoc-gia")

        # 2. Cần Thơ's office issues its plan: two items implementing two national items; tasks to the
        #    police (lead, health supporting) and to the health department (lead, police supporting) — the
        #    health one already past its deadline.
        ctx, ct = signed_in(
            browser, live_server, page_guard, "vptt.cantho", timeout_ms=WALK_TIMEOUT_MS, viewport=DESKTOP
        )
        contexts.append(ctx)
        ct.goto("/ke-hoach/ke-hoach/")
        ct.locator("main").get_by_role("link", name="Thêm mới", exact=True).first.click()
        h1(ct)
        ct.locator("#id_committee").select_option(label=CAN_THO_COMMITTEE)
        ct.locator("#id_title").fill(ct_plan)
        ct.locator("#id_year").fill(str(year))
        ct.locator("#id_document_number").fill("09/KH-BCĐ-E2E")
        ct.locator("#id_document_date").fill(f"20/01/{year}")
        save(ct)
        h1(ct, ct_plan)
        ct_plan_url = ct.url
        national = dict(NAT_ITEMS)
        ct_item_urls = {
            number: add_item(ct, number, title, implements=f"{nat_plan} — {ref}. {national[ref]}")
            for number, title, ref in CT_ITEMS
        }
        for number, _title, ref in CT_ITEMS:
            item = PlanItem.objects.get(plan__title=ct_plan, number=number)
            assert item.implements == PlanItem.objects.get(plan__title=nat_plan, number=ref)
        police_task_url = assign(
            ct, ct_item_urls["1"], TASK_POLICE, POLICE, [HEALTH], today + dt.timedelta(30)
        )
        health_task_url = assign(
            ct, ct_item_urls["2"], TASK_HEALTH, HEALTH, [POLICE], today - dt.timedelta(3)
        )
        police_task = Task.objects.get(title=TASK_POLICE)
        assert police_task.lead_agency.name == POLICE
        assert [a.name for a in police_task.supporting_agencies.all()] == [HEALTH]
        facts = ct.locator("main").inner_text()
        assert (
            "Quá hạn (Chưa bắt đầu)" in facts and POLICE in facts and fmt_d(today - dt.timedelta(3)) in facts
        )
        shots(ct, "vptt-cantho", "nhiem-vu-qua-han")
        ct.goto(ct_plan_url)
        plan_text = ct.locator("main").inner_text()
        # The office names the national items its plan implements (it chose them), without a link to the
        # national plan, which stays outside its scope.
        assert "Nội dung kế hoạch (2)" in plan_text and f"{nat_plan} — 1. {NAT_ITEMS[0][1]}" in plan_text
        assert ct.locator(f'main a[href="{nat_item_urls["1"].split(live_server.url, 1)[-1]}"]').count() == 0
        shots(ct, "vptt-cantho", "ke-hoach-can-tho")

        # 3. The police focal point sees its agency's tasks (lead or supporting) and reports with a file.
        ctx, cop = signed_in(
            browser, live_server, page_guard, POLICE_FOCAL, timeout_ms=WALK_TIMEOUT_MS, viewport=DESKTOP
        )
        contexts.append(ctx)
        cop.goto("/ke-hoach/nhiem-vu/?q=E2E")
        listed = cop.locator("main").inner_text()
        assert TASK_POLICE in listed and TASK_HEALTH in listed
        cop.get_by_role("link", name=TASK_POLICE).click()
        h1(cop, TASK_POLICE)
        assert cop.get_by_role("button", name="Xác nhận hoàn thành").count() == 0
        cop.locator("main").get_by_role("link", name="Báo cáo tiến độ").first.click()
        h1(cop)
        evidence = tmp_path / "bien-ban-tuyen-truyen.pdf"
        evidence.write_bytes(b"%PDF-1.4\n% Bien ban 12 buoi tuyen truyen (E2E)\n%%EOF\n")
        cop.locator("#id_text").fill("Đã tổ chức đủ 12 buổi tuyên truyền, 1.450 lượt người tham dự (E2E).")
        cop.locator("#id_percent").fill("100")
        cop.locator("#id_evidence").set_input_files(str(evidence))
        save(cop)
        h1(cop, TASK_POLICE)
        task_text = cop.locator("main").inner_text()
        assert "Hoàn thành, chờ xác nhận" in task_text and "1.450 lượt" in task_text
        update = ProgressUpdate.objects.get(task=police_task)
        assert update.evidence and update.reported_by == "Đầu mối Công an Cần Thơ"
        with cop.expect_download() as info:
            cop.locator("main").get_by_role("link", name="Tải tệp").click()
        assert Path(info.value.path()).read_bytes() == evidence.read_bytes()
        shots(cop, "daumoi-congan", "nhiem-vu")
        cop.goto(ct_plan_url)
        h1(cop, ct_plan)
        shots(cop, "daumoi-congan", "ke-hoach-can-tho")

        # The office confirms the task is done.
        ct.goto(police_task_url)
        press(ct, "Xác nhận hoàn thành")
        assert "Đã xác nhận hoàn thành" in ct.locator("main").inner_text()
        police_task.refresh_from_db()
        assert police_task.status == TaskStatus.DONE
        shots(ct, "vptt-cantho", "nhiem-vu-hoan-thanh")

        # 4. The late task: the overdue list gives a follow-up letter to the health department.
        ct.goto("/ke-hoach/nhiem-vu/qua-han/")
        h1(ct, "Nhiệm vụ quá hạn")
        assert TASK_HEALTH in ct.locator("main").inner_text()
        with ct.expect_download() as info:
            ct.get_by_role("link", name=f"Công văn đôn đốc {HEALTH}").click()
        assert info.value.suggested_filename.endswith(".docx")
        letter = docx_text(info.value.path())
        assert TASK_HEALTH in letter, letter
        assert HEALTH in letter and "đôn đốc" in letter
        assert TASK_POLICE not in letter  # done tasks are not chased
        shots(ct, "vptt-cantho", "nhiem-vu-qua-han-danh-sach")

        # Before the report: the national roll-up lists Cần Thơ as not sent.
        nat.goto("/bao-cao/tong-hop/")
        h1(nat)
        nat.locator("#id_period").select_option(label=_half_year_label(nat))
        with nat.expect_navigation():
            nat.get_by_role("button", name="Xem").click()
        assert "Chưa gửi" in _rollup_row(nat, "Cần Thơ").inner_text()

        # 5. The six-monthly report: compiled from the data, a narrative section edited, sent.
        ct.goto("/bao-cao/lich/")
        ct.locator("main").get_by_role("link", name="Báo cáo sơ kết 6 tháng").first.click()
        h1(ct)
        ct.locator("main").get_by_role("link", name="Lập báo cáo").click()
        h1(ct)
        assert "sơ kết 6 tháng" in ct.input_value("#id_title")
        ct.locator("#id_number").fill("61/BC-BCĐ-E2E")
        ct.locator("#id_results").fill("Ban hành kế hoạch thực hiện kế hoạch quốc gia (E2E).")
        save(ct)
        h1(ct)
        report_url = ct.url
        draft = ct.locator("main").inner_text()
        assert "Số liệu tổng hợp từ dữ liệu" in draft and "Dự thảo" in draft
        assert HEALTH in draft  # the plans section's table by lead agency
        ct.locator("main").get_by_role("link", name="Sửa").first.click()
        h1(ct)
        ct.locator("#id_shortcomings").fill(NARRATIVE)
        save(ct)
        assert NARRATIVE in ct.locator("main").inner_text()
        shots(ct, "vptt-cantho", "bao-cao-du-thao")
        press(ct, "Gửi báo cáo lên cấp trên")
        assert "Số liệu đã chốt khi gửi" in ct.locator("main").inner_text()
        report = PeriodicReport.objects.get(number="61/BC-BCĐ-E2E")
        assert report.status == ReportStatus.SUBMITTED and report.shortcomings == NARRATIVE

        # 6. The national office: the roll-up lists Cần Thơ as sent; it opens the report and accepts it.
        nat.goto("/bao-cao/tong-hop/")
        nat.locator("#id_period").select_option(label=_half_year_label(nat))
        with nat.expect_navigation():
            nat.get_by_role("button", name="Xem").click()
        row = _rollup_row(nat, "Cần Thơ")
        assert "Đã gửi, chờ xem xét" in row.inner_text()
        with nat.expect_navigation():
            row.get_by_role("link", name="Cần Thơ").click()
        h1(nat)
        assert nat.url.endswith(report_url.split(live_server.url, 1)[-1])
        assert NARRATIVE in nat.locator("main").inner_text()
        press(nat, "Tiếp nhận")
        assert "Đã tiếp nhận báo cáo" in nat.locator("main").inner_text()
        report.refresh_from_db()
        assert report.status == ReportStatus.ACCEPTED
        nat.goto("/bao-cao/tong-hop/")
        nat.locator("#id_period").select_option(label=_half_year_label(nat))
        with nat.expect_navigation():
            nat.get_by_role("button", name="Xem").click()
        assert "Đã tiếp nhận" in _rollup_row(nat, "Cần Thơ").inner_text()
        summary = nat.get_by_role("status").first.inner_text()
        assert "địa phương đã gửi báo cáo" in summary
        shots(nat, "quocgia", "tong-hop")

        # A province has no roll-up of its own: not in its menu, and the address is a 404.
        assert ct.goto("/bao-cao/tong-hop/").status == 404
        ct.goto("/")
        assert ct.locator('a[href="/bao-cao/tong-hop/"]').count() == 0
        assert nat.locator('a[href="/bao-cao/tong-hop/"]').count() >= 1

        #    …and Cần Thơ's progress against the national items.
        nat.goto(nat_item_urls["1"])
        section = nat.locator("section.panel", has=nat.get_by_role("heading", name="Kế hoạch cấp dưới"))
        progress = section.locator("tbody tr", has_text=CAN_THO_COMMITTEE)
        assert progress.count() == 1 and "1/1" in progress.inner_text()
        shots(nat, "quocgia", "noi-dung-quoc-gia-1")
        nat.goto(nat_item_urls["2"])
        progress = nat.locator("tbody tr", has_text=CAN_THO_COMMITTEE)
        assert progress.count() == 1 and "0/1" in progress.inner_text()
        #    The national plan's page gives the same at a glance, item by item.
        nat.goto(nat_plan_url)
        rows = nat.locator("main table tbody tr")
        assert "Thành phố Cần Thơ: 1/1" in rows.nth(0).inner_text()
        assert "Thành phố Cần Thơ: 0/1" in rows.nth(1).inner_text()
        assert "Cần Thơ" not in rows.nth(2).inner_text()
        shots(nat, "quocgia", "ke-hoach-quoc-gia-sau")
        nat.goto(ct_plan_url)
        h1(nat, ct_plan)
        shots(nat, "quocgia", "ke-hoach-can-tho")
        nat.goto(health_task_url)
        h1(nat, TASK_HEALTH)
        shots(nat, "quocgia", "nhiem-vu")

        # TP.HCM's office: Cần Thơ's plan, items and tasks do not exist for it.
        ctx, hcm = signed_in(
            browser, live_server, page_guard, "vptt.hcm", timeout_ms=WALK_TIMEOUT_MS, viewport=DESKTOP
        )
        contexts.append(ctx)
        for url in (ct_plan_url, *ct_item_urls.values(), police_task_url, health_task_url):
            response = hcm.goto(url)
            assert response.status == 404, (url, response.status)
        shots(hcm, "vptt-hcm", "nhiem-vu-can-tho-404")
        hcm.goto("/ke-hoach/nhiem-vu/?q=E2E")
        listed = hcm.locator("main").inner_text()
        assert TASK_POLICE not in listed and TASK_HEALTH not in listed
    finally:
        for ctx in contexts:
            ctx.close()
    page_guard.assert_clean()


def _half_year_label(pg) -> str:
    options = pg.locator("#id_period option").all_inner_texts()
    return next(o for o in options if o.startswith("Báo cáo sơ kết 6 tháng"))


def _rollup_row(pg, province: str):
    row = pg.locator("main table tbody tr", has_text=province)
    assert row.count() == 1, f"{province}: {row.count()} rows in the roll-up"
    return row
