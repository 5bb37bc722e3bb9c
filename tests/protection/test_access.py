"""Who sees which target: a Mật target and its location reach no account below Mật (pages, search, export,
API, assessments, audit log and history); commune officers see their commune's targets; opening a classified
target is audited; the score, the overdue list and the refusal of Tuyệt mật behave as documented."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pckb.accounts.choices import Role
from pckb.accounts.models import User
from pckb.audit.models import AuditEntry
from pckb.core import access, services
from pckb.core.choices import Classification
from pckb.protection.choices import RiskLevel, risk_level
from pckb.protection.models import RiskAssessment, Target
from tests.protection.test_crud import TODAY, assess, make_target, unit
from tests.support.mixins import WRITER

SECRET_NOTES = "Cửa kỹ thuật phía đông, trực gác 24/24"


@pytest.fixture
def low_office(db):
    """A Cần Thơ standing-office account cleared only for Thường: it reads the audit log of its scope."""
    return User.objects.create(
        username="vptt.cantho.thuong",
        role=Role.PROVINCIAL_OFFICE,
        scope_unit=unit("P92"),
        clearance=Classification.NORMAL,
    )


@pytest.fixture
def secret(users):
    """A Mật target in Ninh Kiều made through the audited services, first as Thường with its location, then
    raised to Mật, then opened by the cleared writer; with one assessment."""
    writer = users[WRITER]
    target = Target(
        name="Trạm điều khiển thử nghiệm Ninh Kiều",
        category=make_target.__globals__["category"]("nang-luong"),
        unit=unit("X31135"),
        managing_name="Công ty Điện lực thử nghiệm",
        latitude=10.03377,
        longitude=105.78123,
        layout_notes=SECRET_NOTES,
    )
    services.object_create(actor=writer, instance=target)
    services.object_update(
        actor=writer, instance=target, changes={"classification": Classification.CONFIDENTIAL}
    )
    assessment = assess(target)
    services.object_update(
        actor=writer, instance=target, changes={"latitude": 10.03388, "longitude": 105.78111}
    )
    return target, assessment


def leaks(text: str, *, name: bool = True) -> list[str]:
    """What of the Mật target shows in ``text``. Its name was Thường until it was raised to Mật, so the audit
    log's entry of its creation names it (``name=False`` there); its location and layout never show."""
    needles = [
        *(["Trạm điều khiển thử nghiệm"] if name else []),
        SECRET_NOTES,
        "10.03377",
        "10,03377",
        "10.03388",
        "10,03388",
        "105.78123",
        "105,78123",
        "105.78111",
        "105,78111",
    ]
    return [n for n in needles if n in text]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")
    return response.content.decode()


def test_mat_target_and_location_reach_no_lower_clearance(client, api_client, users, secret, low_office):
    target, assessment = secret
    for user in (low_office, users["daumoi.cantho"], users["xa.ninhkieu"]):
        client.force_login(user)
        pages = [
            "/bao-ve/muc-tieu/",
            "/bao-ve/muc-tieu/?q=tram+dieu+khien",
            "/bao-ve/muc-tieu/?export=csv",
            "/bao-ve/muc-tieu/qua-han-danh-gia/",
            "/bao-ve/danh-gia-rui-ro/",
            "/bao-ve/danh-gia-rui-ro/?export=csv",
            "/nhat-ky/",
            "/nhat-ky/?q=tram",
            "/",
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code in {200, 404}, url
            from_log = "nhat-ky" in url or url == "/"  # the log and the start page's recent changes
            assert not leaks(body(response), name=not from_log), (user.username, url)
        for url in (
            target.get_absolute_url(),
            assessment.get_absolute_url(),
            f"/bao-ve/muc-tieu/{target.pk}/sua/",
        ):
            assert client.get(url).status_code == 404
        for entry in AuditEntry.objects.filter(
            object_type__startswith="protection.", object_id__in=[str(target.pk), str(assessment.pk)]
        ):
            response = client.get(f"/nhat-ky/{entry.pk}/")
            if entry.classification:  # written while the target was Mật: not there for this account
                assert response.status_code == 404, entry.action
            else:  # the creation, while it was Thường: readable by the office, without the location
                assert response.status_code in {200, 404} and not leaks(body(response), name=False)
        api = api_client(user.username) if user.username in users else None
        if api is not None:
            for url in (
                "/api/v1/protection/targets/?page_size=500",
                "/api/v1/protection/assessments/?page_size=500",
            ):
                response = api.get(url)
                assert response.status_code == 200 and not leaks(response.content.decode()), url
            assert api.get(f"/api/v1/protection/targets/{target.pk}").status_code == 404
            assert api.get(f"/api/v1/protection/targets/{target.pk}/assessments").status_code == 404
            assert api.get(f"/api/v1/protection/assessments/{assessment.pk}").status_code == 404


def test_location_never_enters_the_audit_log(secret, low_office, client):
    target, _assessment = secret
    entries = AuditEntry.objects.filter(object_type="protection.target", object_id=str(target.pk))
    assert [e.action for e in entries.order_by("seq")] == ["create", "update", "update"]
    for entry in entries:
        assert not leaks(str(entry.before) + str(entry.after) + entry.object_repr, name=False)
    # The entry written while the target was still Thường is readable by the low-clearance office, and holds
    # no coordinates; the move of the point is recorded as a change of ``location_changed``.
    first = entries.order_by("seq").first()
    assert first.classification == 0 and "latitude" not in first.after
    moved = entries.order_by("-seq").first()
    assert moved.classification == Classification.CONFIDENTIAL
    assert moved.before["location_changed"] != moved.after["location_changed"]
    client.force_login(low_office)
    page = client.get(f"/nhat-ky/{first.pk}/").content.decode()
    assert "10.0337" not in page and "10,0337" not in page and SECRET_NOTES not in page


def test_opening_a_classified_target_or_assessment_is_audited(client, login, secret):
    target, assessment = secret
    login(WRITER)
    for obj in (target, assessment):
        before = AuditEntry.objects.count()
        assert client.get(obj.get_absolute_url()).status_code == 200
        entry = AuditEntry.objects.order_by("-seq").first()
        assert AuditEntry.objects.count() == before + 1
        assert entry.action == "view" and entry.object_id == str(obj.pk)
        assert entry.classification == Classification.CONFIDENTIAL


def test_commune_officer_reads_only_own_commune(client, users, login):
    inside = make_target("Nhà văn hóa thử nghiệm Ninh Kiều", "X31135")
    elsewhere = make_target("Nhà văn hóa thử nghiệm Cái Răng", "X31186")
    officer = login("xa.ninhkieu")
    visible = access.restrict(Target.objects.all(), officer)
    assert inside in visible and elsewhere not in visible
    page = client.get("/bao-ve/muc-tieu/", {"per_page": 100}).content.decode()
    assert inside.name in page and elsewhere.name not in page
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get("/bao-ve/muc-tieu/them/").status_code == 404
    assert not access.has_action(officer, Target, access.CHANGE)


def test_outsider_sees_nothing_of_can_tho(client, login):
    target = make_target("Chợ thử nghiệm An Bình", "X31135")
    assess(target, days_ago=800)
    login("vptt.hcm")
    for url in ("/bao-ve/muc-tieu/", "/bao-ve/muc-tieu/qua-han-danh-gia/", "/bao-ve/danh-gia-rui-ro/"):
        assert target.name not in client.get(url, {"per_page": 100}).content.decode()
    assert client.get(target.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("ratings", "total", "level"),
    [
        ((1, 1, 1, 1, 1), 5, RiskLevel.I),
        ((2, 2, 2, 1, 1), 8, RiskLevel.I),
        ((2, 2, 2, 2, 1), 9, RiskLevel.II),
        ((3, 3, 3, 3, 4), 16, RiskLevel.III),
        ((4, 4, 4, 4, 4), 20, RiskLevel.IV),
        ((5, 5, 5, 5, 1), 21, RiskLevel.V),
        ((5, 5, 5, 5, 5), 25, RiskLevel.V),
    ],
)
def test_score_bands(db, ratings, total, level):
    target = make_target("Chợ thử nghiệm điểm", "X31135")
    assessment = assess(target, ratings=ratings)
    assert (assessment.total, assessment.level) == (total, level)
    assert risk_level(total) == level


def test_rating_outside_one_to_five_is_refused(db):
    target = make_target("Chợ thử nghiệm thang điểm", "X31135")
    with pytest.raises(ValidationError) as exc:
        assess(target, ratings=(6, 1, 1, 1, 0))
    assert {"criticality", "threat"} <= set(exc.value.message_dict)
    assert not RiskAssessment.objects.filter(target=target).exists()


def test_new_assessment_keeps_history_and_overdue_list(client, login):
    fresh = make_target("Chợ thử nghiệm mới đánh giá", "X31135")
    stale = make_target("Chợ thử nghiệm quá hạn", "X31135")
    never = make_target("Chợ thử nghiệm chưa đánh giá", "X31135")
    old = assess(fresh, days_ago=400, ratings=(1, 1, 1, 1, 1))
    new = assess(fresh, days_ago=5, ratings=(5, 5, 5, 5, 5))
    assess(stale, days_ago=370)
    old.refresh_from_db()
    assert old.level == RiskLevel.I and new.level == RiskLevel.V
    assert new.next_review == TODAY - dt.timedelta(days=5) + dt.timedelta(days=365)
    login(WRITER)
    page = client.get(fresh.get_absolute_url()).content.decode()
    assert old.get_absolute_url() in page and new.get_absolute_url() in page
    overdue = client.get("/bao-ve/muc-tieu/qua-han-danh-gia/").content.decode()
    assert stale.name in overdue and never.name in overdue and fresh.name not in overdue
    assert "5 ngày" in overdue  # stale: 370 days ago + 365 → five days overdue


def test_form_refuses_top_secret_and_bad_location(client, login):
    from tests.protection.test_crud import category

    login(WRITER)
    data = {
        "name": "Chợ thử nghiệm mật",
        "category": category().pk,
        "unit": "X31135",
        "managing_name": "Ban quản lý",
        "protection_level": "important",
        "classification": 3,
    }
    before = Target.objects.count()
    response = client.post("/bao-ve/muc-tieu/them/", data)
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post("/bao-ve/muc-tieu/them/", {**data, "classification": 0, "latitude": "10.03"})
    assert "Nhập cả vĩ độ và kinh độ" in response.content.decode()
    response = client.post("/bao-ve/muc-tieu/them/", {**data, "classification": 0, "unit": "P92"})
    assert "Chọn đơn vị cấp xã" in response.content.decode()
    response = client.post("/bao-ve/muc-tieu/them/", {**data, "classification": 0, "managing_name": ""})
    assert "Chọn cơ quan quản lý trong danh bạ" in response.content.decode()
    assert Target.objects.count() == before


def test_api_refuses_top_secret(api_client):
    from tests.protection.test_crud import category

    before = Target.objects.count()
    response = api_client(WRITER).post(
        "/api/v1/protection/targets/",
        {
            "name": "Mục tiêu tuyệt mật thử",
            "category": category().pk,
            "unit": unit("X31135").pk,
            "managing_name": "Ban quản lý",
            "classification": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Target.objects.count() == before


def test_target_without_coordinates_shows_approximate_location(client, login):
    target = make_target("Chợ thử nghiệm không tọa độ", "X31135")
    login(WRITER)
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Vị trí gần đúng" in page and "Phường Ninh Kiều" in page


def test_demo_holds_targets_in_both_provinces(db):
    demo = Target.objects.all()
    assert demo.filter(unit__path__startswith="/VN/92/", classification=Classification.CONFIDENTIAL).exists()
    assert demo.filter(unit__path__startswith="/VN/79/", classification=Classification.CONFIDENTIAL).exists()
    assert demo.filter(latitude__isnull=True).exists()
    due = [
        t.name
        for t in __import__("pckb.protection.selectors", fromlist=["x"]).targets_due_for_review(
            User.objects.get(username="vptt.quocgia")
        )
    ]
    assert "Chợ nổi Cái Răng" in due and "Chợ Bến Thành" in due


def test_grants_declared_by_the_registration(users):
    from pckb.protection.models import TargetCategory

    A, R = access.ALL_ACTIONS, access.READ_ACTIONS
    assessment_actions = frozenset({access.VIEW, access.ADD, access.EXPORT})
    expected = {
        "vptt.quocgia": (A, assessment_actions, A),
        "vptt.cantho": (A, assessment_actions, R),
        "lanhdao.cantho": (R, R, R),
        "thanhtra": (R, R, R),
        "daumoi.cantho": ({access.VIEW}, {access.VIEW}, {access.VIEW}),
        "xa.ninhkieu": ({access.VIEW}, {access.VIEW}, {access.VIEW}),
        "quantri": (set(), set(), set()),
    }
    for username, (target, assessment, category) in expected.items():
        user = users[username]
        assert access.actions_for(user, Target) == target, username
        assert access.actions_for(user, RiskAssessment) == assessment, username
        assert access.actions_for(user, TargetCategory) == category, username


def test_start_page_lists_targets_due_for_review(client, login):
    login(WRITER)
    page = client.get("/").content.decode()
    assert "Mục tiêu quá hạn đánh giá lại" in page and "Chợ nổi Cái Răng" in page
    assert "Chợ Bến Thành" not in page  # TP.HCM's
    login("quantri")  # the administrator reads no content
    assert "Mục tiêu quá hạn đánh giá lại" not in client.get("/").content.decode()


def test_overdue_list_says_when_it_is_cut(client, login, monkeypatch):
    from pckb.protection.views import OverdueReviewView

    monkeypatch.setattr(OverdueReviewView, "limit", 2)
    login(WRITER)
    page = client.get("/bao-ve/muc-tieu/qua-han-danh-gia/").content.decode()
    assert "Chỉ hiện 2 mục tiêu đầu tiên" in page


def test_search_and_risk_level_filter_web_and_api(client, login, api_client):
    low = make_target("Chợ thử nghiệm rủi ro thấp", "X31135")
    high = make_target("Chợ thử nghiệm rủi ro cao", "X31135")
    assess(low, ratings=(1, 1, 1, 1, 1))
    assess(high, days_ago=300, ratings=(1, 1, 1, 1, 1))
    assess(high, days_ago=2, ratings=(5, 5, 5, 5, 5))  # the latest assessment gives the level
    login(WRITER)
    page = client.get("/bao-ve/muc-tieu/", {"q": "cho noi cai rang"}).content.decode()
    assert "Chợ nổi Cái Răng" in page and "Cảng hàng không quốc tế" not in page
    page = client.get("/bao-ve/muc-tieu/", {"risk_level": 5, "per_page": 100}).content.decode()
    assert high.name in page and low.name not in page
    items = api_client(WRITER).get("/api/v1/protection/targets/", {"risk_level": 1, "page_size": 100}).json()
    names = {item["name"] for item in items["items"]}
    assert low.name in names and high.name not in names


def test_xlsx_export_holds_no_mat_target_for_lower_clearance(client, secret, low_office, login):
    import io

    from openpyxl import load_workbook

    def cells(response) -> str:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)

    target, _assessment = secret
    client.force_login(low_office)
    text = cells(client.get("/bao-ve/muc-tieu/", {"export": "xlsx"}))
    assert "Chợ nổi Cái Răng" in text and target.name not in text
    login(WRITER)  # cleared for Mật: the row is there
    assert target.name in cells(client.get("/bao-ve/muc-tieu/", {"export": "xlsx"}))
