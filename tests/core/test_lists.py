"""Every generic list: sortable columns, a column chooser and saved filters remembered per user, bulk delete
that is all-or-nothing through the same service and audit as a single delete, and the audit log's filter by
object type."""

from __future__ import annotations

import re

import pytest

from pckb.audit.models import AuditEntry
from pckb.core.text import person_sort_key
from pckb.directory.models import Agency, Person

WRITER, READER, OUTSIDER = "vptt.cantho", "lanhdao.cantho", "vptt.hcm"
PEOPLE = "/to-chuc/can-bo/"
AUDIT = "/nhat-ky/"
CAN_THO_AGENCY = "Công an thành phố Cần Thơ"

pytestmark = pytest.mark.django_db


def shown(response) -> list:
    return [obj for obj, _values in response.context["rows"]]


def header_labels(response) -> list[str]:
    return [str(column.label) for _key, column, _url, _aria in response.context["headers"]]


# --- Sorting ----------------------------------------------------------------------------------------------
def test_a_name_column_sorts_by_vietnamese_collation_both_ways(client, login):
    login(WRITER)
    up = client.get(PEOPLE, {"sort": "full_name", "per_page": 100})
    people = shown(up)
    names = [p.full_name for p in people]
    assert len(names) > 3
    # A person sorts by given name, then family name, in Vietnamese letter order (Đ after D).
    assert names == [p.full_name for p in sorted(people, key=lambda p: person_sort_key(p.full_name))]
    assert names != sorted(names)
    html = up.content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-full_name" in html  # the header now sorts downwards
    down = client.get(PEOPLE, {"sort": "-full_name", "per_page": 100})
    assert [p.full_name for p in shown(down)] == names[::-1] or len(set(names)) < len(names)
    assert 'aria-sort="descending"' in down.content.decode()
    assert '<option value="-full_name" selected>' in down.content.decode()  # the phone's sort choice


def test_a_reference_column_sorts_by_the_referenced_name(client, login):
    login(WRITER)
    agencies = [p.agency for p in shown(client.get(PEOPLE, {"sort": "agency", "per_page": 100}))]
    keys = [a.sort_key for a in agencies]
    assert keys == sorted(keys) and len(set(keys)) > 1


@pytest.mark.parametrize("bad", ["password", "-search_text", "agency__unit__code", "'; drop", "--"])
def test_an_unknown_sort_key_is_ignored(client, login, bad):
    login(WRITER)
    default = [p.pk for p in shown(client.get(PEOPLE))]
    response = client.get(PEOPLE, {"sort": bad})
    assert response.status_code == 200
    assert [p.pk for p in shown(response)] == default
    assert "aria-sort" not in response.content.decode()


# --- Column chooser ---------------------------------------------------------------------------------------
def test_chosen_columns_persist_for_that_user_only(client, login):
    login(WRITER)
    default = header_labels(client.get(PEOPLE))
    assert "Chức vụ" in default and "Cơ quan" in default
    response = client.post(PEOPLE, {"_action": "columns", "columns": ["full_name", "title"], "query": "q=a"})
    assert response.status_code == 302 and response["Location"] == f"{PEOPLE}?q=a"
    assert header_labels(client.get(PEOPLE)) == ["Họ và tên", "Chức vụ"]
    login(READER)
    assert header_labels(client.get(PEOPLE)) == default  # another user keeps the default
    login(WRITER)
    client.post(PEOPLE, {"_action": "columns", "reset": "1"})
    assert header_labels(client.get(PEOPLE)) == default


def test_the_column_that_opens_the_object_cannot_be_hidden(client, login):
    login(WRITER)
    client.post(PEOPLE, {"_action": "columns", "columns": ["title", "no_such_column"]})
    response = client.get(PEOPLE)
    assert header_labels(response) == ["Họ và tên", "Chức vụ"]
    first = shown(response)[0]
    assert f'href="{first.get_absolute_url()}"' in response.content.decode()


# --- Bulk delete ------------------------------------------------------------------------------------------
def _new_people(n: int) -> list[Person]:
    agency = Agency.objects.get(name=CAN_THO_AGENCY)
    return [
        Person.objects.create(full_name=f"Thử Xóa Hàng Loạt {i}", title="Cán bộ", agency=agency)
        for i in range(n)
    ]


def _bulk(client, pks, confirm=True):
    data = {"_action": "bulk_delete", "pk": [str(pk) for pk in pks], "query": "sort=full_name"}
    if confirm:
        data["confirm"] = "1"
    return client.post(PEOPLE, data)


def test_bulk_delete_asks_first_then_deletes_each_through_the_audited_service(client, login):
    login(WRITER)
    people = _new_people(2)
    pks = [p.pk for p in people]
    assert 'form="bulk-form"' in client.get(PEOPLE, {"q": "thu xoa hang loat"}).content.decode()
    confirm = _bulk(client, pks, confirm=False)
    assert confirm.status_code == 200 and "Thử Xóa Hàng Loạt 1" in confirm.content.decode()
    assert Person.objects.filter(pk__in=pks).count() == 2  # nothing deleted before the confirmation
    before = AuditEntry.objects.count()
    response = _bulk(client, pks)
    assert response.status_code == 302 and response["Location"] == f"{PEOPLE}?sort=full_name"
    assert not Person.objects.filter(pk__in=pks).exists()
    entries = AuditEntry.objects.order_by("-seq")[: AuditEntry.objects.count() - before]
    deleted = {e.object_id for e in entries if e.action == "delete" and e.object_type == "directory.person"}
    assert deleted == {str(pk) for pk in pks} or deleted == set(pks)


def test_bulk_delete_is_all_or_nothing_and_names_every_refused_item(client, login):
    login(WRITER)
    mine = _new_people(2)
    outside = Person.objects.filter(agency__unit__code="P79").first()  # Hồ Chí Minh: out of scope
    assert outside is not None
    kept = Person.objects.filter(memberships__isnull=False, agency__unit__code="P92").first()
    pks = [mine[0].pk, outside.pk, mine[1].pk] + ([kept.pk] if kept else [])
    before = AuditEntry.objects.count()
    response = _bulk(client, pks)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Không xóa mục nào" in html
    assert f"Mục số {outside.pk}: không tồn tại hoặc nằm ngoài phạm vi của bạn" in html
    assert outside.full_name not in html  # an out-of-scope person is not named
    if kept:
        assert f"{kept}: còn dữ liệu khác liên kết tới" in html
    assert Person.objects.filter(pk__in=[p.pk for p in mine]).count() == 2  # nothing deleted
    assert AuditEntry.objects.count() == before  # and nothing recorded


def test_bulk_delete_is_refused_to_a_role_that_may_not_delete(client, login):
    person = _new_people(1)[0]
    login(READER)
    assert 'form="bulk-form"' not in client.get(PEOPLE).content.decode()
    assert _bulk(client, [person.pk]).status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()


# --- Saved filters ----------------------------------------------------------------------------------------
def test_saved_filter_round_trip_for_its_owner_only(client, login):
    login(WRITER)
    response = client.post(
        PEOPLE,
        {"_action": "save_filter", "filter_name": "Họ Nguyễn", "query": "q=nguyen&page=3&sort=full_name"},
    )
    assert response.status_code == 302
    page = client.get(PEOPLE).content.decode()
    match = re.search(r'<a href="\?([^"]+)">Họ Nguyễn</a>', page)
    assert match and match.group(1).replace("&amp;", "&") == "q=nguyen&sort=full_name"  # no page number
    filtered = client.get(f"{PEOPLE}?{match.group(1).replace('&amp;', '&')}")
    assert all("nguy" in p.search_text for p in shown(filtered))
    login(READER)
    assert "Họ Nguyễn" not in client.get(PEOPLE).content.decode()
    login(WRITER)
    pk = client.get(PEOPLE).context["saved_filters"][0][0]
    client.post(PEOPLE, {"_action": "delete_filter", "filter_pk": pk})
    assert "Họ Nguyễn" not in client.get(PEOPLE).content.decode()


def test_a_saved_filter_needs_a_name_and_a_condition(client, login):
    login(WRITER)
    response = client.post(
        PEOPLE, {"_action": "save_filter", "filter_name": "  ", "query": "q=a"}, follow=True
    )
    assert "Hãy đặt tên cho bộ lọc." in response.content.decode()
    response = client.post(
        PEOPLE, {"_action": "save_filter", "filter_name": "Trống", "query": ""}, follow=True
    )
    assert "Chưa có điều kiện lọc nào để lưu." in response.content.decode()
    assert not client.get(PEOPLE).context["saved_filters"]


# --- Audit log --------------------------------------------------------------------------------------------
def test_audit_log_filters_by_an_object_type_from_a_list(client, login):
    login(WRITER)
    _new_people(1)  # not through a service: no entry; make one through the list's bulk delete
    person = _new_people(1)[0]
    _bulk(client, [person.pk])
    response = client.get(AUDIT)
    choices = dict(response.context["filterset"].form.fields["object_type"].choices)
    assert choices.get("directory.person") == "Cán bộ"
    assert '<select name="object_type"' in response.content.decode()
    filtered = client.get(AUDIT, {"object_type": "directory.person"})
    rows = shown(filtered)
    assert rows and all(e.object_type == "directory.person" for e in rows)
    assert f'href="{rows[0].get_absolute_url()}"' in filtered.content.decode()  # each row opens its entry
    assert client.get(rows[0].get_absolute_url()).status_code == 200
    junk = client.get(AUDIT, {"object_type": "không có"})
    assert junk.status_code == 200 and junk.context["filterset"].errors


# --- Paging: ids first ------------------------------------------------------------------------------------
def test_pages_of_a_sorted_list_follow_one_another_without_gap_or_repeat(client, login):
    """Every page of a list sorted by a reference column shows the next rows of the same order: the pages
    together are exactly the list read in one go (each page's ids are chosen first, then its rows)."""
    login(WRITER)
    query = {"sort": "-agency"}
    whole = shown(client.get(PEOPLE, {**query, "per_page": 100}))
    assert 50 < len(whole) < 100
    paged = []
    for number in range(1, 4):
        paged += shown(client.get(PEOPLE, {**query, "per_page": 25, "page": number}))
    assert [p.pk for p in paged] == [p.pk for p in whole]
    agencies = [p.agency.sort_key for p in paged]
    assert agencies == sorted(agencies, reverse=True)


def test_a_deep_page_reads_its_rows_by_the_ids_of_a_narrow_query(client, login):
    """The list chooses a page's ids with a query of the id column alone (no joined columns dragged through
    the sort and the offset), then reads the page's rows with their references: still one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(WRITER)
    client.get(PEOPLE, {"page": 3, "per_page": 25})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PEOPLE, {"page": 3, "per_page": 25})
    assert shown(response)
    page_sql = [q["sql"] for q in queries.captured_queries if "OFFSET 50" in q["sql"]]
    assert len(page_sql) == 1
    inner = page_sql[0][page_sql[0].index("IN (SELECT") :]
    # The ids' subquery selects the id only; the outer query reads the rows and the agency for those ids.
    assert re.match(r'IN \(SELECT [^,]*"id" AS "pk" FROM', inner, flags=re.IGNORECASE)
    assert '"directory_agency"."name"' in page_sql[0]
    assert '"directory_agency"."name"' not in inner
