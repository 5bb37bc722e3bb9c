"""Bulk edit of one field from a list page (NetBox style): choose a field, a value, see a preview, apply —
each object through the model's own update service, permission check and audit, all or nothing; a "select
all" box and "all N matching the filter" across pages."""

from __future__ import annotations

import datetime as dt

import pytest

from pckb.audit.models import AuditEntry
from pckb.core.bulk import BULK_CAP
from pckb.directory.models import Agency, Person
from pckb.plans.models import Task
from pckb.protection.models import Target

WRITER, READER, FOCAL = "vptt.cantho", "lanhdao.cantho", "daumoi.cantho"
PEOPLE = "/to-chuc/can-bo/"
TARGETS = "/bao-ve/muc-tieu/"
POLICE = "Công an thành phố Cần Thơ"
HEALTH = "Sở Y tế thành phố Cần Thơ"

pytestmark = pytest.mark.django_db


def _people(n: int, agency_name: str = POLICE, stem: str = "Thử Sửa Hàng Loạt") -> list[Person]:
    agency = Agency.objects.get(name=agency_name)
    return [Person.objects.create(full_name=f"{stem} {i}", title="Cán bộ", agency=agency) for i in range(n)]


def _edit(client, url, pks, step="", field="", query="", **values):
    data = {"_action": "bulk_edit", "pk": [str(pk) for pk in pks], "query": query}
    if field:
        data["field"] = field
    if step:
        data["step"] = step
    data.update({f"value-{k}": v for k, v in values.items()})
    return client.post(url, data)


def _entries_since(before: int):
    return list(AuditEntry.objects.order_by("-seq")[: AuditEntry.objects.count() - before])


def test_the_list_offers_bulk_edit_and_a_select_all_box(client, login):
    login(WRITER)
    _people(2)
    html = client.get(PEOPLE, {"q": "thu sua hang loat"}).content.decode()
    assert 'value="bulk_edit"' in html and "Sửa hàng loạt" in html
    assert "data-select-all" in html  # the header box (shown by the page's script)


def test_bulk_edit_walks_field_value_preview_then_applies_each_through_the_audited_service(client, login):
    login(WRITER)
    people = _people(3)
    pks = [p.pk for p in people]
    health = Agency.objects.get(name=HEALTH)

    first = _edit(client, PEOPLE, pks)
    assert first.status_code == 200
    html = first.content.decode()
    assert 'name="field"' in html and "Cơ quan" in html and "Thử Sửa Hàng Loạt 0" in html

    chosen = _edit(client, PEOPLE, pks, field="agency")
    assert chosen.status_code == 200 and 'name="value-agency"' in chosen.content.decode()

    before = AuditEntry.objects.count()
    preview = _edit(client, PEOPLE, pks, step="preview", field="agency", agency=health.pk)
    html = preview.content.decode()
    assert preview.status_code == 200 and "Xem trước thay đổi" in html
    assert html.count(HEALTH) >= 3 and POLICE in html  # every row: the current and the new agency
    assert "Áp dụng cho 3 mục" in html
    assert Person.objects.filter(pk__in=pks, agency=health).count() == 0  # the preview changes nothing
    assert AuditEntry.objects.count() == before  # nor records anything

    applied = _edit(client, PEOPLE, pks, step="apply", field="agency", agency=health.pk, query="q=thu")
    assert applied.status_code == 302 and applied["Location"] == f"{PEOPLE}?q=thu"
    assert Person.objects.filter(pk__in=pks, agency=health).count() == 3
    updated = {
        e.object_id
        for e in _entries_since(before)
        if e.action == "update" and e.object_type == "directory.person"
    }
    assert updated == {str(pk) for pk in pks}  # one audit entry per person, as from the edit page


def test_one_out_of_scope_row_refuses_the_whole_edit_and_names_it_by_number_only(client, login):
    login(WRITER)
    mine = _people(2)
    outside = Person.objects.filter(agency__unit__code="P79").first()  # Hồ Chí Minh: out of scope
    assert outside is not None
    pks = [mine[0].pk, outside.pk, mine[1].pk]
    before = AuditEntry.objects.count()
    response = _edit(client, PEOPLE, pks, step="apply", field="title", title="Trưởng phòng")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Không sửa mục nào" in html
    assert f"Mục số {outside.pk}: không tồn tại hoặc nằm ngoài phạm vi của bạn" in html
    assert outside.full_name not in html
    assert set(Person.objects.filter(pk__in=[p.pk for p in mine]).values_list("title", flat=True)) == {
        "Cán bộ"
    }
    assert Person.objects.get(pk=outside.pk).title == outside.title
    assert AuditEntry.objects.count() == before


def test_a_read_only_row_refuses_the_whole_edit_for_a_focal_point(client, login):
    """The focal point may change its own agency's people only: a row of another agency it can see is named
    with the reason, and its own agency's row is left unchanged too."""
    focal = login(FOCAL)
    own = _people(1, HEALTH, "Đại Biểu Y Tế")[0]
    other = _people(1, POLICE, "Cán Bộ Công An")[0]
    assert focal.person.agency.name == HEALTH
    response = _edit(
        client, PEOPLE, [own.pk, other.pk], step="preview", field="title", title="Chuyên viên chính"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Không sửa mục nào" in html
    assert "Cán Bộ Công An 0: bạn không có quyền sửa mục này" in html
    assert "Áp dụng cho" not in html  # nothing to apply while a row is refused
    applied = _edit(
        client, PEOPLE, [own.pk, other.pk], step="apply", field="title", title="Chuyên viên chính"
    )
    assert applied.status_code == 409
    assert Person.objects.get(pk=own.pk).title == "Cán bộ"
    assert Person.objects.get(pk=other.pk).title == "Cán bộ"


def test_a_value_that_moves_a_row_out_of_the_focal_points_scope_is_refused_in_plain_words(client, login):
    login(FOCAL)
    own = _people(2, HEALTH, "Đại Biểu Y Tế")
    police = Agency.objects.get(name=POLICE)
    response = _edit(client, PEOPLE, [p.pk for p in own], step="apply", field="agency", agency=police.pk)
    html = response.content.decode()
    assert response.status_code in {200, 409}
    assert Person.objects.filter(pk__in=[p.pk for p in own], agency__name=HEALTH).count() == 2
    assert "nằm ngoài phạm vi hoặc mức mật" not in html
    assert f"Đại Biểu Y Tế 0: Bạn chỉ sửa được cán bộ của {HEALTH}." in html


def test_a_bad_value_is_shown_beside_the_field_and_changes_nothing(client, login):
    login(WRITER)
    people = _people(2)
    response = _edit(client, PEOPLE, [p.pk for p in people], step="apply", field="agency", agency="999999")
    assert response.status_code == 200 and "Có lỗi cần sửa" in response.content.decode()
    assert Person.objects.filter(pk__in=[p.pk for p in people], agency__name=POLICE).count() == 2


def test_a_field_that_is_not_a_bulk_field_is_not_offered_nor_taken(client, login):
    login(WRITER)
    people = _people(1)
    response = _edit(client, PEOPLE, [people[0].pk], step="apply", field="classification", classification="2")
    assert response.status_code == 200 and 'name="field"' in response.content.decode()  # back to the choice
    assert 'value="classification"' not in response.content.decode()
    assert Person.objects.get(pk=people[0].pk).classification == people[0].classification


def test_bulk_edit_is_refused_to_a_role_that_may_not_change(client, login):
    person = _people(1)[0]
    login(READER)
    assert 'value="bulk_edit"' not in client.get(PEOPLE).content.decode()
    assert _edit(client, PEOPLE, [person.pk], step="apply", field="title", title="X").status_code == 404
    assert Person.objects.get(pk=person.pk).title == "Cán bộ"


def test_all_matching_the_filter_takes_every_page(client, login):
    login(WRITER)
    people = _people(30, stem="Lọc Toàn Bộ")
    page = client.get(PEOPLE, {"q": "loc toan bo", "per_page": 25})
    html = page.content.decode()
    assert "Chọn tất cả 30 mục khớp bộ lọc" in html
    data = {"_action": "bulk_edit", "all_matching": "1", "query": "q=loc+toan+bo&per_page=25"}
    response = client.post(PEOPLE, data)
    assert response.status_code == 200
    assert response.context["pks"] and sorted(response.context["pks"]) == sorted(p.pk for p in people)
    applied = _edit(client, PEOPLE, response.context["pks"], step="apply", field="title", title="Chuyên viên")
    assert applied.status_code == 302
    assert Person.objects.filter(full_name__startswith="Lọc Toàn Bộ", title="Chuyên viên").count() == 30


def test_all_matching_more_than_the_cap_is_refused_with_the_cap_named(client, login, monkeypatch):
    import pckb.core.bulk

    monkeypatch.setattr(pckb.core.bulk, "BULK_CAP", 5)
    login(WRITER)
    _people(6, stem="Quá Giới Hạn")
    response = client.post(
        PEOPLE, {"_action": "bulk_edit", "all_matching": "1", "query": "q=qua+gioi+han"}, follow=True
    )
    assert "mỗi lần chỉ xử lý tối đa 5 mục" in response.content.decode()
    assert BULK_CAP == 1000


def test_target_protection_level_in_bulk(client, login):
    login(WRITER)
    targets = list(Target.objects.filter(unit__path__startswith=_can_tho_path())[:2])
    assert len(targets) == 2
    pks = [t.pk for t in targets]
    response = _edit(client, TARGETS, pks, step="apply", field="protection_level", protection_level="special")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Target.objects.filter(pk__in=pks).values_list("protection_level", flat=True)) == {"special"}


def test_task_deadline_in_bulk_through_the_task_service(client, login):
    login(WRITER)
    tasks = list(Task.objects.filter(item__plan__committee__unit__code="P92")[:2])
    if len(tasks) < 2:
        pytest.skip("the demo has fewer than two Cần Thơ tasks")
    pks = [t.pk for t in tasks]
    response = _edit(
        client, "/ke-hoach/nhiem-vu/", pks, step="apply", field="deadline", deadline="31/12/2027"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Task.objects.filter(pk__in=pks).values_list("deadline", flat=True)) == {dt.date(2027, 12, 31)}


def _can_tho_path() -> str:
    from pckb.geo.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(code="P92").path


def test_the_preview_does_not_name_a_current_reference_the_user_may_not_see(client, login):
    login(WRITER)
    target = Target.objects.filter(unit__path__startswith=_can_tho_path()).order_by("pk").first()
    hcm = Agency.objects.get(name="Công an Thành phố Hồ Chí Minh")
    # Set outside the forms, as an old record might be.
    Target.objects.filter(pk=target.pk).update(protecting_agency=hcm)
    police = Agency.objects.get(name=POLICE)
    page = _edit(
        client, TARGETS, [target.pk], step="preview", field="protecting_agency", protecting_agency=police.pk
    ).content.decode()
    assert "(không hiển thị)" in page and POLICE in page
    assert hcm.name not in page
