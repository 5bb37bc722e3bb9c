from hypothesis import given
from hypothesis import strategies as st

from pckb.core.text import fold, person_sort_key, search_tokens, vi_sort_key


def test_fold_removes_diacritics_and_maps_dd():
    assert fold("Đồng Văn Thanh") == "dong van thanh"
    assert fold("  PHƯỜNG   Rạch Dừa ") == "phuong rach dua"
    assert search_tokens("Đắk  Lắk") == ["dak", "lak"]


def test_vietnamese_alphabet_order():
    words = ["đa", "da", "ân", "ăn", "an", "ba", "ơn", "ôn", "on", "ưu", "uu"]
    assert sorted(words, key=vi_sort_key) == [
        "an",
        "ăn",
        "ân",
        "ba",
        "da",
        "đa",
        "on",
        "ôn",
        "ơn",
        "uu",
        "ưu",
    ]


def test_tones_order_after_letters():
    # Same letters: ngang < huyền < hỏi < ngã < sắc < nặng.
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=vi_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    assert vi_sort_key("mạ") < vi_sort_key("mai")


def test_people_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Đức Anh", "Phạm Văn Ân"]
    assert sorted(names, key=person_sort_key) == [
        "Nguyễn Thị An",
        "Lê Đức Anh",
        "Phạm Văn Ân",
        "Trần Văn Bình",
    ]


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ ", min_size=0, max_size=12))
def test_sort_key_is_digits_only(text):
    key = vi_sort_key(text)
    assert key == "" or key.isdigit()


def test_search_ignores_accents_on_every_list(client, login):
    login("vptt.cantho")
    from pckb.directory.models import Person

    person = (
        Person.objects.filter(agency__unit__code="P92", full_name__contains="Đ").first()
        or Person.objects.filter(agency__unit__code="P92").first()
    )
    folded = fold(person.full_name)
    page = client.get("/to-chuc/can-bo/", {"q": folded}).content.decode()
    assert person.get_absolute_url() in page
    page = client.get("/to-chuc/co-quan/", {"q": "cong an thanh pho can tho"}).content.decode()
    assert "Công an thành phố Cần Thơ" in page
    page = client.get("/to-chuc/co-quan/", {"q": "xyz khong co"}).content.decode()
    assert "Không có kết quả nào phù hợp." in page


def test_person_list_is_in_vietnamese_order(client, login):
    login("vptt.cantho")
    response = client.get("/to-chuc/can-bo/", {"per_page": 100})
    names = [obj.full_name for obj, _cells in response.context["rows"]]
    assert names == sorted(names, key=person_sort_key)
