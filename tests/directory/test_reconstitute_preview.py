"""Kiện toàn in two steps: a preview of who leaves, who joins and who stays (nothing written), then "Áp dụng",
which applies exactly the previewed plan or shows a new preview when the committee changed in between. A
seat's candidates include people of the seat agency's sub-units; the default subject names the committee."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError

from pckb.audit.models import AuditEntry
from pckb.directory import services
from pckb.directory.models import Agency, Committee, Decision, Membership, Person
from pckb.directory.selectors import committee_composition
from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE


def url(committee) -> str:
    return f"/to-chuc/ban-chi-dao/{committee.pk}/kien-toan/"


def counts() -> tuple[int, int, int]:
    return Membership.objects.count(), Decision.objects.count(), AuditEntry.objects.count()


def decision_data(rows, number="3101/QĐ-UBND-THU") -> dict:
    data = {
        "number": number,
        "date": "01/11/2025",
        "issuer": "Ủy ban nhân dân thành phố Cần Thơ",
        "subject": "Về việc kiện toàn",
        "effective": "05/11/2025",
    }
    for row in rows:
        data[f"seat_{row.position.pk}"] = row.membership.person_id if row.membership else ""
    return data


def token(page: str) -> str:
    match = re.search(r'name="plan_token" value="([0-9a-f]+)"', page)
    assert match, "the preview carries the plan it shows"
    return match.group(1)


def confirm(page: str) -> dict:
    """What the preview's "Áp dụng" button posts: the hidden fields of the preview's form."""
    form = page.split('id="changes-title"')[1]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return {name: html.unescape(value) for name, value in fields.items()} | {"action": "apply"}


@pytest.fixture
def can_tho(login):
    user = login("vptt.cantho")
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    return user, committee, committee_composition(user, committee)


def newcomer_for(seat, name="Đỗ Thị Xem Trước"):
    return Person.objects.create(full_name=name, title="Phó Giám đốc", agency=seat.position.agency)


def test_preview_lists_who_leaves_joins_and_stays_and_writes_nothing(client, can_tho):
    _user, committee, rows = can_tho
    seat = rows[4]
    newcomer = newcomer_for(seat)
    data = decision_data(rows)
    data[f"seat_{seat.position.pk}"] = newcomer.pk
    before = counts()
    response = client.post(url(committee), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert counts() == before
    assert f"Xem trước kiện toàn: {CAN_THO_COMMITTEE}" in page
    assert "Quyết định số 3101/QĐ-UBND-THU ngày 01/11/2025" in page
    for heading in ("Ra khỏi Ban", "Vào Ban", "Giữ nguyên"):
        assert heading in page
    assert f"1 người ra khỏi Ban, 1 người vào Ban, {len(rows) - 1} vị trí giữ nguyên" in page
    changes = page.split('id="changes-title"')[1].split('id="unchanged-title"')[0]
    assert seat.membership.person.full_name in changes and newcomer.full_name in changes
    assert rows[0].membership.person.full_name not in changes
    assert "Đến hết ngày 04/11/2025".lower() in changes.lower()
    assert 'value="apply"' in page


def test_apply_writes_exactly_the_previewed_plan(client, can_tho):
    _user, committee, rows = can_tho
    seat, vacated = rows[4], rows[5]
    newcomer = newcomer_for(seat)
    data = decision_data(rows)
    data[f"seat_{seat.position.pk}"] = newcomer.pk
    data[f"seat_{vacated.position.pk}"] = ""
    preview = client.post(url(committee), data).content.decode()
    memberships, decisions, audits = counts()
    assert confirm(preview)["plan_token"] == token(preview)
    assert confirm(preview)["subject"] == "Về việc kiện toàn"
    response = client.post(url(committee), confirm(preview))
    assert response.status_code == 302
    assert Decision.objects.count() == decisions + 1
    assert Membership.objects.count() == memberships + 1  # one joins; two leave (ended, not deleted)
    decision = Decision.objects.get(number="3101/QĐ-UBND-THU")
    ended = Membership.objects.filter(end_decision=decision)
    assert {m.pk for m in ended} == {seat.membership.pk, vacated.membership.pk}
    assert all(m.valid_to == dt.date(2025, 11, 4) for m in ended)
    started = Membership.objects.get(decision=decision)
    assert (started.person, started.position, started.valid_from) == (
        newcomer,
        seat.position,
        dt.date(2025, 11, 5),
    )
    assert not Membership.objects.filter(position=vacated.position, valid_to__isnull=True).exists()
    assert (
        AuditEntry.objects.filter(action="reconstitute").order_by("-seq").first().after["decision"]
        == decision.pk
    )


def test_a_seat_changed_after_the_preview_shows_a_new_preview_instead_of_applying(client, can_tho, users):
    user, committee, rows = can_tho
    seat, other = rows[4], rows[6]
    newcomer = newcomer_for(seat)
    data = decision_data(rows)
    data[f"seat_{seat.position.pk}"] = newcomer.pk
    preview = client.post(url(committee), data).content.decode()
    # Meanwhile someone else reconstitutes another seat.
    services.committee_reconstitute(
        actor=users["vptt.cantho"],
        committee=committee,
        decision=Decision(
            number="3102/QĐ-KHAC", date=dt.date(2025, 11, 2), issuer="UBND", subject="Kiện toàn"
        ),
        effective=dt.date(2025, 11, 3),
        changes=[
            services.SeatChange(position=other.position, person=newcomer_for(other, "Lê Văn Chen Ngang"))
        ],
    )
    before = counts()
    response = client.post(url(committee), confirm(preview))
    page = response.content.decode()
    assert response.status_code == 200
    assert counts() == before
    assert not Decision.objects.filter(number="3101/QĐ-UBND-THU").exists()
    assert "đã thay đổi sau khi bạn xem trước" in page
    assert "Lê Văn Chen Ngang" in page.split('id="unchanged-title"')[1]
    assert token(page) != token(preview)
    response = client.post(url(committee), confirm(page))
    assert response.status_code == 302
    assert Membership.objects.get(position=other.position, valid_to__isnull=True).person.full_name == (
        "Lê Văn Chen Ngang"
    )
    assert Membership.objects.get(position=seat.position, valid_to__isnull=True).person == newcomer


def test_a_stale_plan_is_refused_by_the_service_and_writes_nothing(can_tho):
    user, committee, rows = can_tho
    seat = rows[4]
    plan = services.reconstitution_plan(
        actor=user, committee=committee, effective=dt.date(2025, 11, 5), holders={seat.position.pk: None}
    )
    assert [s.position for s in plan.leaving] == [seat.position] and plan.joining == []
    Membership.objects.filter(pk=rows[2].membership.pk).update(valid_to=dt.date(2025, 11, 1))
    before = counts()
    with pytest.raises(services.PlanChanged):
        services.committee_reconstitute(
            actor=user,
            committee=committee,
            decision=Decision(
                number="3103/QĐ", date=dt.date(2025, 11, 1), issuer="UBND", subject="Kiện toàn"
            ),
            effective=dt.date(2025, 11, 5),
            changes=plan.changes,
            expected_token=plan.token,
        )
    assert counts() == before


def test_bad_input_returns_the_form_with_errors_and_writes_nothing(client, can_tho):
    _user, committee, rows = can_tho
    data = decision_data(rows)
    before = counts()
    page = client.post(url(committee), data).content.decode()
    assert "Chưa có thay đổi nào để kiện toàn." in page and 'value="apply"' not in page
    # Two seats of the city police: one person cannot take the second while keeping the first.
    first, second = [r for r in rows if r.position.agency.name.startswith("Công an")][:2]
    data[f"seat_{second.position.pk}"] = first.membership.person_id
    page = client.post(url(committee), data).content.decode()
    assert "Một cán bộ được chọn cho nhiều vị trí." in page
    data[f"seat_{second.position.pk}"] = ""
    data["effective"] = "31/10/2025"
    page = client.post(url(committee), {**data, "action": "apply", "plan_token": "0" * 32}).content.decode()
    assert "Ngày hiệu lực không được trước ngày ban hành." in page
    assert counts() == before


def test_people_of_the_seat_agencys_sub_units_are_offered(client, can_tho):
    _user, committee, rows = can_tho
    seat = next(r for r in rows if r.position.agency.name.startswith("Công an"))
    police = seat.position.agency
    department = Agency.objects.create(
        name="Phòng Tham mưu, Công an thành phố Cần Thơ",
        kind=police.kind,
        unit=police.unit,
        parent=police,
    )
    team = Agency.objects.create(
        name="Đội Nghiệp vụ 1", kind=police.kind, unit=police.unit, parent=department
    )
    officer = Person.objects.create(full_name="Trần Văn Đơn Vị", title="Trưởng phòng", agency=department)
    deeper = Person.objects.create(full_name="Phạm Thị Cấp Dưới", title="Đội trưởng", agency=team)
    form = client.get(url(committee)).content.decode()
    select = form.split(f'name="seat_{seat.position.pk}"')[1].split("</select>")[0]
    assert f'value="{officer.pk}"' in select and f'value="{deeper.pk}"' in select
    assert "Trần Văn Đơn Vị — Phòng Tham mưu" in select
    data = decision_data(rows)
    data[f"seat_{seat.position.pk}"] = officer.pk
    preview = client.post(url(committee), data).content.decode()
    assert "Trần Văn Đơn Vị" in preview.split('id="changes-title"')[1].split('id="unchanged-title"')[0]


def test_people_outside_the_seat_agency_or_the_users_scope_are_not_accepted(client, can_tho, users):
    user, committee, rows = can_tho
    seat = next(r for r in rows if r.position.agency.name.startswith("Công an"))
    hcm = Committee.objects.get(name=HCM_COMMITTEE)
    outsider = (
        Person.objects.filter(agency__unit=hcm.unit)
        .exclude(pk__in=Person.objects.restrict(user, "view").values("pk"))
        .first()
    )
    assert outsider is not None
    other_agency = (
        Person.objects.restrict(user, "view")
        .exclude(agency=seat.position.agency)
        .filter(agency__parent__isnull=True)
        .first()
    )
    form = client.get(url(committee)).content.decode()
    select = form.split(f'name="seat_{seat.position.pk}"')[1].split("</select>")[0]
    assert f'value="{outsider.pk}"' not in select and f'value="{other_agency.pk}"' not in select
    before = counts()
    for person in (outsider, other_agency):
        data = decision_data(rows)
        data[f"seat_{seat.position.pk}"] = person.pk
        page = client.post(url(committee), data).content.decode()
        assert "Có lỗi cần sửa" in page and 'value="apply"' not in page
    assert counts() == before
    with pytest.raises(ValidationError, match="không thuộc"):
        services.reconstitution_plan(
            actor=user,
            committee=committee,
            effective=dt.date(2025, 11, 5),
            holders={seat.position.pk: other_agency},
        )


def test_default_subject_names_the_committee_as_stored(client, login):
    login("vptt.cantho")
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    page = client.get(url(committee)).content.decode()
    assert ">\nVề việc kiện toàn Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ</textarea>" in page
    login("vptt.hcm")
    hcm = Committee.objects.get(name=HCM_COMMITTEE)
    page = client.get(url(hcm)).content.decode()
    assert f">\nVề việc kiện toàn {HCM_COMMITTEE}</textarea>" in page
