"""Issue 4's "Done means", walked in a real browser: a standing-office officer plans a training conference,
invites agencies, checks delegates in on a phone, runs the pre/post tests, issues certificates, downloads
the report and sees which units still need training — all in Vietnamese, with no request leaving the
machine, no CSP violation, no JavaScript error and no serious accessibility violation on the pages used.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_accessibility import AxeAudit
from tests.support.demo import CAN_THO_COMMITTEE, DEMO_PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Hội nghị tập huấn phòng, chống khủng bố cho cơ quan thành phố (E2E)"
VENUE = "Hội trường Công an thành phố Cần Thơ"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers --------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_rate_limits(demo):
    """Personal-code look-ups are rate-limited per address (the database cache outlives the flush)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def new_page(browser, live_server, page_guard):
    """``new_page(phone=True)``: a page in a fresh context (no cookies), watched like ``page``."""
    contexts = []

    def _new(*, phone: bool = False):
        options = PHONE if phone else {"viewport": {"width": 1280, "height": 900}}
        ctx = browser.new_context(base_url=live_server.url, locale="vi-VN", **options)
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.on("request", page_guard.on_request)
        pg.on("console", page_guard.on_console)
        pg.on("pageerror", page_guard.on_pageerror)
        return pg

    yield _new
    for ctx in contexts:
        ctx.close()


def fmt(moment: dt.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def menu(page, group: str, item: str):
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    section = nav.locator(".nav-group").filter(has=page.locator(".nav-group-label", has_text=group))
    assert group in section.locator(".nav-group-label").text_content()
    section.get_by_role("link", name=item, exact=True).click()
    page.get_by_role("heading", level=1).wait_for()


def panel(page, heading: str) -> str:
    return page.locator("section.panel", has=page.get_by_role("heading", name=heading)).inner_text()


def messages_text(page) -> str:
    return page.locator(".messages").inner_text()


def save(page):
    page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state()


def assert_vietnamese(page):
    assert page.locator("html").get_attribute("lang") == "vi", page.url


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def download(page, link) -> tuple[bytes, str]:
    """Click a download link; return the file's bytes and the Content-Type the server sent."""
    with page.expect_download() as info:
        link.click()
    dl = info.value
    with open(dl.path(), "rb") as fh:
        content = fh.read()
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok, response.status
    return content, response.headers["content-type"]


def login(page, username: str = "vptt.cantho"):
    page.goto("/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/tai-khoan/dang-nhap/" not in page.url


def answer_test(page, questions: list[int], correct: dict, wrong: dict, n_right: int):
    """Answer the first ``n_right`` questions correctly and the rest wrongly, by ticking radios/boxes."""
    for number, qid in enumerate(questions):
        picks = correct[qid] if number < n_right else [wrong[qid]]
        for cid in picks:
            page.locator(f"input[name='q{qid}'][value='{cid}']").check()


# --- the walk -------------------------------------------------------------------------------------------

def invitation_row(page, agency_name: str):
    """The agency's row in the invitations table (the history panel below also names the agency)."""
    panel = page.locator("section", has=page.get_by_role("heading", name="Giấy mời và đại biểu theo cơ quan"))
    return panel.locator("tbody tr", has_text=agency_name)

def test_officer_runs_a_training_conference_end_to_end(
    page, page_guard, browser_login, new_page, axe
):
    from django.utils import timezone

    from pckb.directory.models import Agency, Committee, Person
    from pckb.training.models import Choice, Conference, KnowledgeTest, Participant, Topic

    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    agencies = [
        a
        for a in Agency.objects.filter(unit=committee.unit).exclude(name__startswith="Ủy ban").order_by("-pk")
        if Person.objects.filter(agency=a, classification=0).exists()
    ][:2]
    agency_a, agency_b = agencies
    official = Person.objects.filter(agency=agency_a, classification=0).order_by("pk").first()
    topic_1, topic_2 = Topic.objects.get(code="CD1"), Topic.objects.get(code="CD3")
    audits: list[AxeAudit] = []

    # 1. Plan the conference: menu → Hội nghị tập huấn → Thêm mới.
    browser_login("vptt.cantho")
    menu(page, "Tập huấn & Diễn tập", "Hội nghị tập huấn")
    assert_vietnamese(page)
    page.get_by_role("link", name="Thêm mới").click()
    page.get_by_role("heading", level=1).wait_for()
    now = timezone.now()
    start, end = now + dt.timedelta(hours=2), now + dt.timedelta(hours=6)
    page.get_by_label("Ban Chỉ đạo tổ chức").select_option(label=CAN_THO_COMMITTEE)
    page.get_by_label("Tên hội nghị").fill(TITLE)
    page.get_by_label("Bắt đầu").fill(fmt(start))
    page.get_by_label("Kết thúc").fill(fmt(end))
    page.get_by_label("Địa điểm").fill(VENUE)
    page.get_by_label("Địa bàn").fill("P92")
    page.get_by_label("Cấp chứng nhận khi đạt bài kiểm tra đầu ra").check()
    page.get_by_label("Điểm đạt (%)").fill("60")
    save(page)
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    conference = Conference.objects.get(title=TITLE)
    assert conference.committee == committee and conference.venue_unit.code == "P92"
    assert conference.requires_test and conference.pass_mark == 60
    assert fmt(conference.start) == fmt(start)
    conference_url = page.url

    # 2a. Agenda: a thematic report without a topic is refused in Vietnamese; two reports with topics.
    def add_session(title: str, offset_min: int, topic: Topic | None):
        page.get_by_role("link", name="Thêm phiên").click()
        page.get_by_role("heading", level=1).wait_for()
        page.get_by_label("Bắt đầu").fill(fmt(start + dt.timedelta(minutes=offset_min)))
        page.get_by_label("Kết thúc").fill(fmt(start + dt.timedelta(minutes=offset_min + 45)))
        page.get_by_label("Nội dung").select_option(label="Báo cáo chuyên đề")
        page.get_by_label("Tiêu đề").fill(title)
        page.get_by_label("Báo cáo viên bên ngoài").fill("Báo cáo viên Văn phòng Thường trực BCĐ PCKB")
        if topic is not None:
            page.get_by_label("Chuyên đề").select_option(str(topic.pk))
        save(page)

    add_session("Báo cáo chưa chọn chuyên đề", 0, None)
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Báo cáo chuyên đề cần chọn chuyên đề." in summary.inner_text()
    assert conference.sessions.count() == 0
    page.get_by_label("Chuyên đề").select_option(str(topic_1.pk))
    save(page)
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    add_session("Quy định pháp luật về phòng, chống khủng bố", 50, topic_2)
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    agenda = panel(page, "Chương trình")
    assert "(CD1)" in agenda and "(CD3)" in agenda
    assert conference.sessions.filter(topic__isnull=False).count() == 2

    # 2b. Invite two agencies with quotas; the letter is a DOCX naming the agency; record it as sent.
    for agency, quota in ((agency_a, 2), (agency_b, 1)):
        page.get_by_role("link", name="Mời cơ quan").click()
        page.get_by_role("heading", level=1).wait_for()
        page.get_by_label("Cơ quan, đơn vị được mời").select_option(str(agency.pk))
        page.get_by_label("Số đại biểu").fill(str(quota))
        save(page)
        page.get_by_role("heading", level=1, name=TITLE).wait_for()
    invitations = {i.agency_id: i for i in conference.invitations.all()}
    assert {i.quota for i in invitations.values()} == {1, 2}
    row_a = invitation_row(page, agency_a.name)
    content, content_type = download(page, row_a.get_by_role("link", name="DOCX"))
    assert content_type == DOCX
    assert zipfile.is_zipfile(io.BytesIO(content))
    letter = docx_text(content)
    assert agency_a.name in letter and TITLE in letter, letter[:500]
    invitation_a = invitations[agency_a.pk]
    page.locator(f"#ln-{invitation_a.pk}").fill("77/GM-BCĐ")
    page.locator(f"#so-{invitation_a.pk}").fill(timezone.localdate().strftime("%d/%m/%Y"))
    row_a.get_by_role("button", name="Ghi nhận đã gửi").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert "Đã ghi nhận gửi giấy mời 77/GM-BCĐ." in messages_text(page)
    assert "77/GM-BCĐ" in invitation_row(page, agency_a.name).inner_text()
    conference.refresh_from_db()
    assert conference.status == "invited"
    audits.append(AxeAudit(axe, page))
    audits[-1].check("conference page")

    # 3. Nominate: an existing official; the same one again (duplicate); a new person; one over the quota.
    invitation_row(page, agency_a.name).get_by_role("link", name="Cử đại biểu").click()
    page.get_by_role("heading", level=1, name=f"Cử đại biểu: {agency_a.name}").wait_for()
    page.get_by_label("Cán bộ của cơ quan").select_option(str(official.pk))
    page.get_by_role("button", name="Cử đại biểu").click()
    page.wait_for_load_state()
    assert f"Đã cử {official.full_name}." in messages_text(page)
    page.get_by_label("Cán bộ của cơ quan").select_option(str(official.pk))
    page.get_by_role("button", name="Cử đại biểu").click()
    page.locator(".error-summary").wait_for()
    duplicate = page.locator(".error-summary").inner_text()
    assert f"{official.full_name} đã được đề cử dự hội nghị này." in duplicate
    assert Participant.objects.filter(conference=conference).count() == 1

    page.goto(conference_url)
    invitation_row(page, agency_b.name).get_by_role("link", name="Cử đại biểu").click()
    page.get_by_role("heading", level=1, name=f"Cử đại biểu: {agency_b.name}").wait_for()
    page.get_by_label("Họ và tên (người mới)").fill("Trần Thị Tập Huấn")
    page.get_by_label("Cấp bậc (người mới)").fill("Đại úy")
    page.get_by_label("Chức vụ (người mới)").fill("Cán bộ phụ trách phòng, chống khủng bố")
    page.get_by_role("button", name="Cử đại biểu").click()
    page.wait_for_load_state()
    assert "Đã cử Trần Thị Tập Huấn." in messages_text(page)
    assert "Đã cử 1 / 1 đại biểu." in page.locator("main").inner_text()
    counts = (Participant.objects.count(), Person.objects.count())
    page.get_by_label("Họ và tên (người mới)").fill("Người Vượt Chỉ Tiêu")
    page.get_by_label("Chức vụ (người mới)").fill("Cán bộ")
    page.get_by_role("button", name="Cử đại biểu").click()
    page.locator(".error-summary").wait_for()
    assert "Đã đủ 1 đại biểu theo giấy mời." in page.locator(".error-summary").inner_text()
    assert (Participant.objects.count(), Person.objects.count()) == counts
    assert not Person.objects.filter(full_name="Người Vượt Chỉ Tiêu").exists()

    delegate_1 = Participant.objects.get(conference=conference, person=official)
    delegate_2 = Participant.objects.get(conference=conference, person__full_name="Trần Thị Tập Huấn")

    # 4. Pre-test and post-test from the bank, open now.
    page.goto(conference_url)
    for kind in ("Kiểm tra đầu vào", "Kiểm tra đầu ra"):
        page.get_by_role("link", name="Tạo bài kiểm tra").click()
        page.get_by_role("heading", level=1, name="Tạo bài kiểm tra").wait_for()
        page.get_by_label("Loại bài").select_option(label=kind)
        page.get_by_label("Mở lúc").fill(fmt(now - dt.timedelta(minutes=5)))
        page.get_by_label("Đóng lúc").fill(fmt(now + dt.timedelta(hours=3)))
        page.get_by_label("Số câu mỗi chuyên đề").fill("3")
        save(page)
        page.get_by_role("heading", level=1).wait_for()
        assert "gồm 6 câu" in messages_text(page), messages_text(page)
        page.goto(conference_url)
    tests = {t.kind: t for t in KnowledgeTest.objects.filter(conference=conference)}
    assert set(tests) == {"pre", "post"}

    # The personal code, as the officer reads it from the delegate's page.
    page.get_by_role("link", name=official.full_name).click()
    code_1 = page.locator(".code-card").inner_text().strip()
    assert code_1 == delegate_1.code
    page.goto(conference_url)
    page.get_by_role("link", name="Trần Thị Tập Huấn").click()
    code_2 = page.locator(".code-card").inner_text().strip()
    assert code_2 == delegate_2.code

    # 5. Check-in at the door, on a phone.
    door = new_page(phone=True)
    login(door)
    door.goto(conference_url)
    door.get_by_role("link", name="Điểm danh", exact=True).click()
    door.get_by_role("heading", level=1, name=f"Điểm danh: {TITLE}").wait_for()
    assert_vietnamese(door)
    board = door.locator("#attendance-board")
    result = door.locator("#checkin-result")

    def check_in(code: str, expect: str):
        door.get_by_label("Mã cá nhân").fill(code)
        door.get_by_role("button", name="Điểm danh", exact=True).click()
        result.get_by_text(expect).wait_for()

    check_in(code_1, f"Đã điểm danh: {official.full_name} — {agency_a.name}")
    board_row = board.locator("tr", has_text=agency_a.name)
    assert board_row.locator("td").nth(3).inner_text().strip() == "1"
    assert door.get_by_label("Mã cá nhân").input_value() == ""
    check_in("ZZZZ9999", "Mã “ZZZZ9999” không có trong danh sách đại biểu của hội nghị này.")
    check_in(code_1.lower(), f"{official.full_name} — {agency_a.name} đã điểm danh trước đó.")
    assert board_row.locator("td").nth(3).inner_text().strip() == "1"
    audits.append(AxeAudit(axe, door))
    audits[-1].check("check-in page (phone)")
    door.get_by_label("Danh sách mã (mỗi dòng một mã)").fill(f"{code_2}\n")
    door.get_by_role("button", name="Điểm danh cả danh sách").click()
    door.get_by_text("Đã điểm danh 1 đại biểu.").wait_for()
    assert board.locator("tr", has_text=agency_b.name).locator("td").nth(3).inner_text().strip() == "1"
    delegate_1.refresh_from_db()
    delegate_2.refresh_from_db()
    assert delegate_1.checked_in_at and delegate_2.checked_in_at

    # 6. Each delegate takes both tests on their own phone, by personal code, without an account.
    correct, wrong = {}, {}
    for choice in Choice.objects.filter(question__tests__conference=conference).distinct():
        if choice.is_correct:
            correct.setdefault(choice.question_id, []).append(choice.pk)
        else:
            wrong.setdefault(choice.question_id, choice.pk)
    plan = {code_1: {"pre": 2, "post": 6}, code_2: {"pre": 3, "post": 4}}
    for code, scores in plan.items():
        phone = new_page(phone=True)
        phone.goto(f"/tap-huan/ma/{code}/")
        phone.get_by_role("heading", level=1, name=TITLE).wait_for()
        assert_vietnamese(phone)
        assert "Đã điểm danh lúc" in phone.locator("main").inner_text()
        if code == code_1:
            audits.append(AxeAudit(axe, phone))
            audits[-1].check("public participant page (phone)")
        for kind, label in (("pre", "Kiểm tra đầu vào"), ("post", "Kiểm tra đầu ra")):
            phone.locator("li", has_text=label).get_by_role("link", name="Làm bài").click()
            phone.get_by_role("heading", level=1, name=label).wait_for()
            questions = list(tests[kind].items.order_by("order").values_list("question_id", flat=True))
            assert len(questions) == 6
            if code == code_1 and kind == "pre":
                audits[-1].check("public test page (phone)")
            answer_test(phone, questions, correct, wrong, scores[kind])
            phone.get_by_role("button", name="Nộp bài").click()
            phone.get_by_role("heading", level=1, name=TITLE).wait_for()
            assert f"Đã nộp bài: {scores[kind]}/6 câu đúng." in messages_text(phone)
            assert f"{scores[kind]}/6 câu đúng" in phone.locator("li", has_text=label).inner_text()
        # A second attempt is refused.
        phone.goto(f"/tap-huan/ma/{code}/bai/post/")
        phone.get_by_role("heading", level=1, name=TITLE).wait_for()
        assert "mỗi người chỉ được làm một lần" in messages_text(phone)
    assert tests["post"].attempts.filter(submitted_at__isnull=False).count() == 2

    # 7. Back at the office: item analysis, learning gain, certificates, report.
    page.goto(conference_url)
    page.locator("li", has_text="Kiểm tra đầu ra").get_by_role("link", name="Kiểm tra đầu ra").click()
    page.get_by_role("heading", name="Thống kê bài kiểm tra").wait_for()
    stats = page.locator("main").inner_text()
    assert "Hệ số Cronbach alpha" in stats
    assert "Số bài nộp" in stats
    assert page.get_by_role("columnheader", name="Độ dễ (%)").count() == 1
    items = page.locator("table", has=page.get_by_role("columnheader", name="Độ dễ (%)"))
    assert items.locator("tbody tr").count() == 6

    page.goto(conference_url)
    page.get_by_role("link", name="Kết quả", exact=True).click()
    page.get_by_role("heading", level=1, name=f"Kết quả: {TITLE}").wait_for()
    assert_vietnamese(page)
    by_agency = panel(page, "Theo cơ quan")
    assert agency_a.name in by_agency and agency_b.name in by_agency
    by_topic = panel(page, "Theo chuyên đề")
    assert topic_1.title in by_topic and topic_2.title in by_topic
    overall = panel(page, "Toàn hội nghị")
    assert "Số đại biểu làm cả hai bài" in overall
    audits.append(AxeAudit(axe, page))
    audits[-1].check("results page")

    page.goto(conference_url)
    page.get_by_role("button", name="Cấp giấy chứng nhận cho đại biểu đủ điều kiện").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert "Đã cấp 2 giấy chứng nhận." in messages_text(page)
    certificates_pdf, content_type = download(page, page.get_by_role("link", name="Giấy chứng nhận (PDF)"))
    assert content_type == "application/pdf" and certificates_pdf.startswith(b"%PDF")
    report_docx, content_type = download(
        page, page.get_by_role("link", name="Báo cáo kết quả hội nghị (DOCX)")
    )
    assert content_type == DOCX
    report_text = docx_text(report_docx)
    # The report's subtitle reads "Kết quả hội nghị tập huấn …": the title, its first letter lowered.
    assert "BÁO CÁO" in report_text and TITLE.lower() in report_text.lower()
    report_link = page.locator("li", has_text="Báo cáo kết quả hội nghị").get_by_role("link", name="PDF")
    report_pdf, content_type = download(page, report_link)
    assert content_type == "application/pdf" and report_pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=report_pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "BÁO CÁO" in text
    assert TITLE.lower() in " ".join(text.split()).lower(), text[:1000]

    # The public verification page: name, conference, date and validity — nothing else.
    page.get_by_role("link", name=official.full_name).click()
    verify_href = page.get_by_role("link", name="trang xác minh").get_attribute("href")
    visitor = new_page()
    visitor.goto(verify_href)
    visitor.get_by_role("heading", level=1, name="Xác minh giấy chứng nhận").wait_for()
    assert_vietnamese(visitor)
    shown = visitor.locator("main").inner_text()
    assert official.full_name in shown and TITLE in shown and "Hợp lệ" in shown
    assert timezone.localtime(conference.start).strftime("%d/%m/%Y") in shown
    html = visitor.content()
    assert agency_a.name not in html
    assert code_1 not in html and code_1.lower() not in html

    # 8. Coverage: the trained agencies are counted; others are still listed as untrained.
    menu(page, "Tập huấn & Diễn tập", "Độ bao phủ tập huấn")
    page.get_by_role("heading", level=1, name="Độ bao phủ tập huấn").wait_for()
    assert_vietnamese(page)
    trained = sum(
        int(t) for t in page.locator("td[data-label='Cơ quan có cán bộ được tập huấn']").all_inner_texts()
    )
    people = sum(int(t) for t in page.locator("td[data-label='Cán bộ được tập huấn']").all_inner_texts())
    assert trained >= 2 and people >= 2
    untrained = page.locator("section.panel", has=page.get_by_role(
        "heading", name="Cơ quan chưa có cán bộ nào được tập huấn"))
    names = [n.strip() for n in untrained.locator("li").all_inner_texts()]
    assert names, "some agency should still need training"
    assert agency_a.name not in names and agency_b.name not in names
    audits.append(AxeAudit(axe, page))
    audits[-1].check("coverage page")

    problems = [p for audit in audits for p in audit.problems]
    checked = [c for audit in audits for c in audit.checked]
    assert len(checked) == 6, checked
    assert not problems, "axe found serious/critical violations:\n" + "\n".join(problems)
    page_guard.assert_clean()


# --- smaller checks -------------------------------------------------------------------------------------
UPCOMING = "Hội nghị tập huấn công tác phòng, chống khủng bố năm 2026"  # pckb/demo/training.py


def test_walk_in_delegate_is_registered_at_the_door(page, browser_login):
    """Someone who came without a nomination: the door registers and checks them in at once."""
    from pckb.training.models import Conference, Participant
    from tests.training.test_services import held_today

    # Check-in opens on the conference's days: the door is today.
    conference = held_today(Conference.objects.get(title=UPCOMING))
    browser_login("vptt.cantho")
    page.set_viewport_size(PHONE["viewport"])
    page.goto(conference.get_absolute_url())
    page.get_by_role("link", name="Điểm danh", exact=True).click()
    page.get_by_role("heading", level=1, name=f"Điểm danh: {UPCOMING}").wait_for()
    walk_in = page.get_by_label("Cán bộ đến dự không theo danh sách")
    value = walk_in.locator("option:not([value=''])").first.get_attribute("value")
    walk_in.select_option(value)
    page.get_by_role("button", name="Đăng ký và điểm danh").click()
    page.wait_for_load_state()
    participant = Participant.objects.select_related("person__agency").get(
        conference=conference, person_id=int(value)
    )
    assert participant.walk_in and participant.checked_in_at
    assert f"Đã đăng ký và điểm danh {participant.person.full_name}." in page.locator(
        "#checkin-result"
    ).inner_text()
    row = page.locator("#attendance-board tr", has_text=participant.person.agency.name)
    assert int(row.locator("td").nth(3).inner_text()) >= 1
    # The walk-in now has a personal code: typing it again is idempotent.
    page.get_by_label("Mã cá nhân").fill(participant.code)
    page.get_by_role("button", name="Điểm danh", exact=True).click()
    page.locator("#checkin-result").get_by_text("đã điểm danh trước đó").wait_for()


def test_demo_delegate_uses_the_code_pages_on_a_phone(page, page_guard):
    """The demo's upcoming conference has its pre-test open: a nominated delegate types the code on the
    entry page, takes the test, sees the score; unknown codes and certificates are answered in Vietnamese."""
    from pckb.training.models import Certificate, Choice, KnowledgeTest, Participant

    pre = KnowledgeTest.objects.get(conference__title=UPCOMING, kind="pre")
    delegate = Participant.objects.filter(conference=pre.conference).order_by("pk").first()
    questions = list(pre.items.order_by("order").values_list("question_id", flat=True))
    correct = {}
    for qid, cid in Choice.objects.filter(question_id__in=questions, is_correct=True).values_list(
        "question_id", "pk"
    ):
        correct.setdefault(qid, []).append(cid)
    page.set_viewport_size(PHONE["viewport"])

    page.goto("/tap-huan/ma/")
    assert_vietnamese(page)
    page.get_by_label("Mã đại biểu").fill(f"  {delegate.code.lower()} ")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", level=1, name=UPCOMING).wait_for()
    main = page.locator("main").inner_text()
    assert delegate.person.full_name in main
    assert "Chưa điểm danh" in main
    assert "Kiểm tra đầu ra" not in main  # the demo has no post-test yet
    page.locator("li", has_text="Kiểm tra đầu vào").get_by_role("link", name="Làm bài").click()
    page.get_by_role("heading", level=1, name="Kiểm tra đầu vào").wait_for()
    answer_test(page, questions, correct, {}, len(questions))
    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_role("heading", level=1, name=UPCOMING).wait_for()
    n = len(questions)
    assert f"Đã nộp bài: {n}/{n} câu đúng." in messages_text(page)

    response = page.goto("/tap-huan/ma/?ma=KHONGCO99")
    assert response.status == 404
    assert_vietnamese(page)
    assert "Không tìm thấy trang" in page.get_by_role("heading", level=1).inner_text()

    response = page.goto("/tap-huan/xac-minh/KHONGCO99/")
    assert response.status == 404
    assert "Không tìm thấy giấy chứng nhận với mã này." in page.locator("main").inner_text()
    certificate = Certificate.objects.select_related("participant__person").order_by("pk").first()
    Certificate.objects.filter(pk=certificate.pk).update(revoked=True)
    response = page.goto(f"/tap-huan/xac-minh/{certificate.verify_code.lower()}/")
    assert response.status == 200
    shown = page.locator("main").inner_text()
    assert certificate.participant.person.full_name in shown and "Đã thu hồi" in shown
    assert "Hợp lệ" not in shown
    page_guard.assert_clean()
