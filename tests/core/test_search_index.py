"""The search index changes speed, never results: indexed search equals the plain substring scan."""

import pytest
from django.db import connection

from pckb.core.text import fold
from pckb.directory.models import Agency, Person


@pytest.mark.parametrize("query", ["nguyen", "van an", "cong an thanh pho", "sở y tế", "đức", "an", "zzz"])
def test_indexed_search_matches_the_plain_scan(db, query):
    for model in (Person, Agency):
        plain = model.objects.all()
        for token in fold(query).split():
            plain = plain.filter(search_text__contains=token)
        assert set(model.objects.search(query).values_list("pk", flat=True)) == set(
            plain.values_list("pk", flat=True)
        )


def test_index_follows_inserts_updates_and_deletes(db):
    agency = Agency.objects.filter(unit__code="P92").first()
    person = Person.objects.create(full_name="Khổng Thị Chỉ Mục", title="Chuyên viên", agency=agency)
    assert list(Person.objects.search("khong thi chi muc")) == [person]
    person.full_name = "Khổng Thị Đổi Tên"
    person.save()
    assert not Person.objects.search("chi muc").exists()
    assert list(Person.objects.search("doi ten")) == [person]
    person.delete()
    assert not Person.objects.search("doi ten").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is the SQLite index")
def test_sqlite_uses_the_fts_table(db):
    sql = str(Person.objects.search("nguyen").query)
    assert "directory_person_fts" in sql
