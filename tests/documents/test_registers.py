"""The records clerk's work: documents with a number unique per issuer and year, the incoming and outgoing
registers numbered per register and year, file versions served through the access layer, and the list of
every document (with the directory's decisions) that copies nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pckb.documents.choices import Direction
from pckb.documents.models import Document, DocumentFile, RegisterEntry
from pckb.documents.services import register_entry_create
from tests.documents.builders import TODAY, committee, make_document
from tests.support.mixins import last_audit

CLERK = "vanthu.cantho"


def _document_form(**changes):
    data = {
        "committee": committee("P92").pk,
        "kind": "notice",
        "number": "31/TB-BCĐ-THU",
        "date": TODAY.strftime("%d/%m/%Y"),
        "issuer_name": "Ban Chỉ đạo thử nghiệm",
        "subject": "Thông báo thử nghiệm",
        "urgency": "normal",
        "classification": 0,
    }
    return {**data, **changes}


def test_number_is_unique_per_issuer_and_year_with_a_clear_message(client, login):
    login(CLERK)
    assert client.post(reverse("documents:document_add"), _document_form()).status_code == 302
    again = client.post(reverse("documents:document_add"), _document_form(subject="Bản trùng số"))
    page = again.content.decode()
    assert again.status_code == 200 and "error-summary" in page
    assert "31/TB-BCĐ-THU" in page and "đã có trong sổ văn bản" in page
    assert Document.objects.filter(number="31/TB-BCĐ-THU").count() == 1
    # The same number from another issuer is another document.
    other = client.post(reverse("documents:document_add"), _document_form(issuer_name="Sở Y tế thử nghiệm"))
    assert other.status_code == 302


def test_an_issuer_is_required(client, login):
    login(CLERK)
    response = client.post(reverse("documents:document_add"), _document_form(issuer_name=""))
    assert response.status_code == 200 and "Chọn Ban Chỉ đạo, cơ quan ban hành" in response.content.decode()


def test_top_secret_is_refused(client, login):
    login("vptt.cantho")
    response = client.post(reverse("documents:document_add"), _document_form(classification=3))
    assert response.status_code == 200 and not Document.objects.filter(number="31/TB-BCĐ-THU").exists()


def test_clerk_numbers_each_register_per_year(client, login, users):
    login(CLERK)
    first = make_document("Công văn đến thử nghiệm một", "801/UBND-THU")
    second = make_document("Công văn đến thử nghiệm hai", "802/UBND-THU")
    last = (
        RegisterEntry.objects.filter(committee=first.committee, direction=Direction.INCOMING, year=TODAY.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    for doc in (first, second):
        response = client.post(
            reverse("documents:registerentry_add") + f"?document={doc.pk}",
            {
                "document": doc.pk,
                "direction": "incoming",
                "entry_date": TODAY.strftime("%d/%m/%Y"),
                "counterpart": "UBND thành phố",
                "handling": "Chuyển VPTT",
            },
        )
        assert response.status_code == 302, response.content.decode()[:1500]
    numbers = list(
        RegisterEntry.objects.filter(document__in=[first, second])
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == [last + 1, last + 2]
    assert RegisterEntry.objects.get(document=first).clerk == "Văn thư BCĐ Cần Thơ"
    assert last_audit().action == "create"
    page = client.get(reverse("documents:incoming"), {"q": "Chuyển VPTT"}).content.decode()
    assert f"{last + 1}/{TODAY.year}" in page
    # Entered once per register: a second incoming entry of the same document is refused.
    with pytest.raises(Exception, match="đã được vào"):
        register_entry_create(
            actor=users[CLERK],
            entry=RegisterEntry(document=first, direction="incoming", entry_date=TODAY, counterpart="x"),
        )


def test_clerk_cannot_see_classified_documents_nor_reports(client, login, users):
    login(CLERK)
    secret = Document.objects.get(number="03/PA-BCĐ-DEMO")
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("response:report_list")).status_code == 404
    assert client.get(reverse("documents:incoming")).status_code == 200
    assert client.get(reverse("plans:task_list")).status_code == 200  # reads its scope's tasks


def test_focal_point_reads_documents_but_not_the_registers(client, login):
    login("daumoi.cantho")
    doc = Document.objects.get(number="41/BCĐ-VPTT-DEMO")
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "rà soát cơ số thuốc" in page and "Vào sổ đến" not in page
    assert client.get(reverse("documents:incoming")).status_code == 404


def test_file_versions_are_kept_and_served_through_the_access_layer(client, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = make_document("Quyết định thử nghiệm có tệp", "77/QĐ-THU")
    login(CLERK)
    for n in (1, 2):
        upload = SimpleUploadedFile(f"qd-{n}.pdf", f"%PDF-1.4 ban {n}".encode(), "application/pdf")
        response = client.post(
            reverse("documents:documentfile_add") + f"?document={doc.pk}",
            {"document": doc.pk, "file": upload, "note": f"Bản {n}"},
        )
        assert response.status_code == 302, response.content.decode()[:1500]
    files = list(DocumentFile.objects.filter(document=doc).order_by("version"))
    assert [f.version for f in files] == [1, 2]
    download = client.get(reverse("documents:documentfile_download", args=[files[1].pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ban 2"
    login("vptt.hcm")
    assert client.get(reverse("documents:documentfile_download", args=[files[1].pk])).status_code == 404


def test_all_documents_lists_decisions_without_copying_them(client, login):
    from pckb.directory.models import Decision

    before = Document.objects.count()
    login("vptt.cantho")
    page = client.get(reverse("documents:all")).content.decode()
    decision = Decision.objects.restrict(login("vptt.cantho")).order_by("-date").first()
    assert decision.number in page and decision.get_absolute_url() in page
    assert "41/BCĐ-VPTT-DEMO" in page
    assert "77/BC-BCĐ-DEMO" not in page  # TP.HCM's document
    assert "03/PA-BCĐ-DEMO" in page  # Mật, and the office is cleared for it
    assert Document.objects.count() == before
    login("vptt.hcm")
    assert "41/BCĐ-VPTT-DEMO" not in client.get(reverse("documents:all")).content.decode()


def test_api_entry_is_numbered_and_a_bad_one_is_422(api_client):
    clerk = api_client(CLERK)
    doc = make_document("Công văn API thử nghiệm", "810/BCĐ-THU")
    ok = clerk.post(
        "/api/v1/documents/entries/",
        {
            "document": doc.pk,
            "direction": "outgoing",
            "entry_date": TODAY.isoformat(),
            "counterpart": "Sở Y tế",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["number"] >= 1
    bad = clerk.post(
        "/api/v1/documents/entries/",
        {"document": doc.pk, "direction": "sideways", "entry_date": TODAY.isoformat(), "counterpart": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_higher_committee_reads_lower_documents_and_meetings(client, login):
    from pckb.documents.models import Meeting

    login("vptt.quocgia")
    doc = Document.objects.get(number="41/BCĐ-VPTT-DEMO")
    meeting = Meeting.objects.get(title__startswith="Họp Ban Chỉ đạo sơ kết")
    assert client.get(doc.get_absolute_url()).status_code == 200
    assert "Kết luận" in client.get(meeting.get_absolute_url()).content.decode()
    login("vptt.hcm")
    assert client.get(doc.get_absolute_url()).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
