"""Ids in links and form values stay plain digits past 999. Vietnamese number formatting groups thousands with
a dot (USE_THOUSAND_SEPARATOR), so an id printed as it is became "3.725" in "?target=3.725": the risk
assessment form then opened without its target and refused to save ("Mục tiêu: Trường này là bắt buộc"),
a bulk edit's ticked rows named no object, and a 30-minute test's countdown read 1,800 seconds as 1.
Found on the PostgreSQL run, where ids are in the thousands."""

import re
from pathlib import Path

import pckb
from tests.protection.test_crud import make_target

BIG = 987_654
#: ``{{ x.pk }}``, ``{{ x.id }}``, ``{{ x.y_id }}`` and seconds printed for a script, without ``|unlocalize``.
PRINTED_ID = re.compile(r"\{\{\s*[A-Za-z_][\w.]*(?:\.pk|\.id|_id|_pk|seconds_left)\s*(\|[^}]*)?\}\}")


def test_a_target_with_a_large_id_gets_its_assessment_form_prefilled(client, login):
    target = make_target("Trạm bơm thử nghiệm số lớn", "X31135", pk=BIG)
    login("vptt.cantho")
    page = client.get(target.get_absolute_url()).content.decode()
    assert f"/bao-ve/danh-gia-rui-ro/them/?target={BIG}" in page
    assert "987.654" not in page
    form = client.get(f"/bao-ve/danh-gia-rui-ro/them/?target={BIG}").content.decode()
    assert re.search(rf'<option value="{BIG}" selected>', form), "the target is not chosen on the form"


def test_list_rows_with_large_ids_can_be_ticked_for_bulk_edit(client, login):
    make_target("Trạm bơm thử nghiệm số lớn", "X31135", pk=BIG)
    login("vptt.cantho")
    page = client.get("/bao-ve/muc-tieu/?q=so+lon").content.decode()
    assert f'value="{BIG}"' in page and f'id="select-{BIG}"' in page


def test_no_template_prints_an_id_with_the_thousands_separator():
    root = Path(pckb.__file__).parent
    printed = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        for match in PRINTED_ID.finditer(path.read_text())
        if "unlocalize" not in (match.group(1) or "")
    ]
    assert not printed, "ids printed with the thousands separator (add |unlocalize):\n" + "\n".join(printed)
