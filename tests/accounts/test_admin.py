"""User administration: only system administrators, who see accounts but no content."""

from pckb.accounts.models import User
from pckb.audit.models import AuditEntry
from tests.support.demo import DEMO_PASSWORD


def test_only_administrators_manage_users(client, login):
    login("vptt.quocgia")
    assert client.get("/tai-khoan/nguoi-dung/").status_code == 404
    login("quantri")
    assert client.get("/tai-khoan/nguoi-dung/").status_code == 200


def test_create_user_with_role_and_scope(client, login):
    login("quantri")
    response = client.post(
        "/tai-khoan/nguoi-dung/them/",
        {
            "username": "vptt.cantho2",
            "first_name": "Cán bộ mới",
            "email": "",
            "role": "provincial_office",
            "scope_unit": "P92",
            "clearance": 0,
            "person": "",
            "is_active": "on",
            "password": "Mat-Khau-Ban-Dau-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="vptt.cantho2")
    assert user.scope_path == "/VN/92/" and user.must_change_password
    assert AuditEntry.objects.order_by("-seq").first().action == "create"


def test_role_needs_scope(client, login):
    login("quantri")
    response = client.post(
        "/tai-khoan/nguoi-dung/them/",
        {
            "username": "x1",
            "role": "provincial_office",
            "scope_unit": "",
            "clearance": 0,
            "password": "Mat-Khau-Ban-Dau-1",
            "is_active": "on",
        },
    )
    assert "Cần chọn phạm vi cho vai trò này." in response.content.decode()
    assert not User.objects.filter(username="x1").exists()


def test_deactivate_blocks_login_and_history_shows_logins(client, login, users):
    target = users["xa.ninhkieu"]
    client.post("/tai-khoan/dang-nhap/", {"username": "xa.ninhkieu", "password": DEMO_PASSWORD})
    client.post("/tai-khoan/dang-xuat/")
    login("quantri")
    page = client.get(f"/tai-khoan/nguoi-dung/{target.pk}/").content.decode()
    assert "Lịch sử đăng nhập" in page and "Đăng nhập" in page
    form = client.get(f"/tai-khoan/nguoi-dung/{target.pk}/sua/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.pop("is_active")
    data["scope_unit"] = "X31135"
    response = client.post(f"/tai-khoan/nguoi-dung/{target.pk}/sua/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert not target.is_active
    client.post("/tai-khoan/dang-xuat/")
    response = client.post("/tai-khoan/dang-nhap/", {"username": "xa.ninhkieu", "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_reset_password_forces_change(client, login, users):
    target = users["thanhtra"]
    login("quantri")
    client.post(f"/tai-khoan/nguoi-dung/{target.pk}/dat-lai-mat-khau/", {"password": "Tam-Thoi-Mat-Khau-7"})
    target.refresh_from_db()
    assert target.must_change_password and target.check_password("Tam-Thoi-Mat-Khau-7")
