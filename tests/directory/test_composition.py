"""The committee as an official list, on any date, and the reconstitution (kiện toàn) that changes it."""

import datetime as dt
import re

from pckb.audit.models import AuditEntry
from pckb.directory.models import Committee, Membership, Person
from pckb.directory.selectors import committee_composition
from tests.support.demo import CAN_THO_COMMITTEE


def holders(user, committee, on):
    return [
        (r.position.get_role_display(), r.membership.person.full_name if r.membership else None)
        for r in committee_composition(user, committee, on)
    ]


def test_official_list_orders_roles_as_documents_do(users, db):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    roles = [role for role, _ in holders(users["vptt.cantho"], committee, dt.date(2025, 11, 1))]
    assert roles[:3] == ["Trưởng ban", "Phó Trưởng ban thường trực", "Phó Trưởng ban"]
    assert roles[-1] == "Thư ký"


def test_membership_on_a_past_date_differs_after_reconstitution(users, db):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    user = users["vptt.cantho"]
    before = holders(user, committee, dt.date(2025, 9, 20))
    after = holders(user, committee, dt.date(2025, 10, 1))
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 2
    assert holders(user, committee, dt.date(2025, 7, 1)) == [(role, None) for role, _ in before]


def test_committee_page_shows_the_list_on_the_chosen_date(client, login):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    login("vptt.cantho")
    old = client.get(committee.get_absolute_url(), {"ngay": "20/09/2025"}).content.decode()
    new = client.get(committee.get_absolute_url()).content.decode()
    assert "Danh sách thành viên tại ngày 20/09/2025" in old
    ended = Membership.objects.filter(position__committee=committee, valid_to=dt.date(2025, 9, 30)).first()
    assert ended.person.full_name in old and ended.person.full_name not in new
    bad = client.get(committee.get_absolute_url(), {"ngay": "31/02/2025"}).content.decode()
    assert "Ngày không hợp lệ" in bad


def test_reconstitution_ends_and_starts_memberships_in_one_step(client, login):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    login("vptt.cantho")
    rows = committee_composition(login("vptt.cantho"), committee)
    seat = rows[4]
    newcomer = Person.objects.create(
        full_name="Đỗ Thị Kiện Toàn", title="Phó Giám đốc", agency=seat.position.agency
    )
    data = {
        "number": "3001/QĐ-UBND-THU",
        "date": "01/11/2025",
        "issuer": "UBND thành phố Cần Thơ",
        "subject": "Về việc kiện toàn",
        "effective": "05/11/2025",
    }
    for row in rows:
        data[f"seat_{row.position.pk}"] = row.membership.person_id if row.membership else ""
    data[f"seat_{seat.position.pk}"] = newcomer.pk
    preview = client.post(f"/to-chuc/ban-chi-dao/{committee.pk}/kien-toan/", data).content.decode()
    token = re.search(r'name="plan_token" value="([0-9a-f]+)"', preview).group(1)
    data.update(action="apply", plan_token=token)
    response = client.post(f"/to-chuc/ban-chi-dao/{committee.pk}/kien-toan/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    old = Membership.objects.get(pk=seat.membership.pk)
    assert old.valid_to == dt.date(2025, 11, 4) and old.end_decision.number == "3001/QĐ-UBND-THU"
    new = Membership.objects.get(position=seat.position, valid_to__isnull=True)
    assert new.person == newcomer and new.valid_from == dt.date(2025, 11, 5)
    assert AuditEntry.objects.order_by("-seq").first().action == "reconstitute"


def test_reconstitution_with_bad_dates_changes_nothing(client, login):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    user = login("vptt.cantho")
    rows = committee_composition(user, committee)
    count = Membership.objects.count()
    data = {
        "number": "3002/QĐ",
        "date": "10/11/2025",
        "issuer": "UBND",
        "subject": "Kiện toàn",
        "effective": "01/11/2025",
        f"seat_{rows[4].position.pk}": "",
    }
    page = client.post(f"/to-chuc/ban-chi-dao/{committee.pk}/kien-toan/", data).content.decode()
    assert "Ngày hiệu lực không được trước ngày ban hành." in page
    data["effective"] = "01/01/2025"
    data["date"] = "01/01/2025"
    page = client.post(f"/to-chuc/ban-chi-dao/{committee.pk}/kien-toan/", data).content.decode()
    assert "ngày hiệu lực phải sau ngày bắt đầu" in page
    assert Membership.objects.count() == count
    assert not committee.decisions.filter(number="3002/QĐ").exists()


def test_people_above_clearance_are_a_vacant_line(users, db):
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    secret = Person.objects.get(classification=1, agency__unit__code="P92")
    position = committee.positions.first()
    Membership.objects.filter(position=position).update(valid_to=dt.date(2025, 10, 31))
    Membership.objects.create(
        position=position,
        person=secret,
        decision=committee.decisions.first(),
        valid_from=dt.date(2025, 11, 1),
    )
    on = dt.date(2025, 11, 15)
    assert secret.full_name in [name for _, name in holders(users["lanhdao.cantho"], committee, on)]
    commune = holders(users["vptt.cantho"], committee, on)
    assert secret.full_name in [name for _, name in commune]  # provincial office holds Mật clearance
    users["vptt.cantho"].clearance = 0
    assert secret.full_name not in [name for _, name in holders(users["vptt.cantho"], committee, on)]
