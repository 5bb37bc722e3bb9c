"""Delegates from CSV: all or nothing, faults by line and column."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pckb.training.models import Conference, Participant


def upcoming():
    return Conference.objects.get(status="invited")


def post_csv(client, conference, text):
    upload = SimpleUploadedFile("dai-bieu.csv", text.encode("utf-8"), "text/csv")
    return client.post(f"/tap-huan/hoi-nghi/{conference.pk}/nhap-dai-bieu/", {"file": upload})


def test_valid_file_nominates_existing_and_new_officials(client, login):
    login("vptt.cantho")
    conference = upcoming()
    invitation = conference.invitations.select_related("agency").first()
    invitation.quota = 5
    invitation.save()
    from pckb.directory.models import Person

    existing = Person.objects.create(
        full_name="Lâm Thị Sẵn Có", title="Chuyên viên", agency=invitation.agency
    )
    before = conference.participants.count()
    text = (
        f"Họ và tên,Cơ quan,Chức vụ\n{existing.full_name},{invitation.agency.name},\n"
        f"Trần Thị Mới Nhập,{invitation.agency.name},Chuyên viên\n"
    )
    response = post_csv(client, conference, text)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert conference.participants.count() == before + 2
    assert Participant.objects.filter(conference=conference, person__full_name="Trần Thị Mới Nhập").exists()


def test_faulty_file_changes_nothing_and_names_lines(client, login):
    login("vptt.cantho")
    conference = upcoming()
    invitation = conference.invitations.select_related("agency").first()
    before = conference.participants.count()
    text = (
        "Họ và tên,Cơ quan,Chức vụ\n"
        f"Người Hợp Lệ,{invitation.agency.name},Chuyên viên\n"
        f",{invitation.agency.name},Chuyên viên\n"
        "Người Ngoài,Công an Thành phố Hồ Chí Minh,Chuyên viên\n"
        f"Người Thiếu Chức Vụ,{invitation.agency.name},\n"
    )
    page = post_csv(client, conference, text).content.decode()
    assert conference.participants.count() == before
    assert not Participant.objects.filter(person__full_name="Người Hợp Lệ").exists()
    assert "Dòng 3, cột 1 (Họ và tên): Không được để trống." in page
    assert "Dòng 4, cột 2 (Cơ quan): Không tìm thấy cơ quan" in page
    assert "Dòng 5, cột 3 (Chức vụ): Người mới cần có chức vụ." in page


def test_quota_is_enforced_by_line(client, login):
    login("vptt.cantho")
    conference = upcoming()
    invitation = conference.invitations.select_related("agency").first()
    free = invitation.quota - invitation.participants.count()
    lines = "".join(f"Đại Biểu Thừa {i},{invitation.agency.name},Chuyên viên\n" for i in range(free + 1))
    page = post_csv(client, conference, "Họ và tên,Cơ quan,Chức vụ\n" + lines).content.decode()
    assert f"Dòng {free + 2}: Đã đủ {invitation.quota} đại biểu theo giấy mời." in page
    assert invitation.participants.count() == invitation.quota - free


def test_materials_are_served_only_through_the_access_layer(client, login, users, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from pckb.training.models import Topic, TopicMaterial

    settings.MEDIA_ROOT = tmp_path
    topic = Topic.objects.get(code="CD3")
    login("vptt.quocgia")
    for _ in range(2):
        response = client.post(
            "/tap-huan/tai-lieu/them/",
            {
                "topic": topic.pk,
                "title": "Đề cương Luật PCKB",
                "file": Upload("de-cuong.pdf", b"%PDF-1.4 demo", "application/pdf"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    versions = sorted(TopicMaterial.objects.filter(topic=topic).values_list("version", flat=True))
    assert versions == [1, 2]
    material = TopicMaterial.objects.get(topic=topic, version=2)
    url = f"/tap-huan/tai-lieu/{material.pk}/tep/"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 demo"
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, never a public file


def test_delegate_downloads_only_their_own_certificate(client, db):
    import subprocess

    from pckb.training.models import Certificate

    certificate = Certificate.objects.filter(revoked=False).select_related("participant__person").first()
    response = client.get(f"/tap-huan/ma/{certificate.participant.code}/chung-nhan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout
    assert certificate.participant.person.full_name in text.decode()
    other = (
        Certificate.objects.exclude(pk=certificate.pk)
        .filter(participant__conference=certificate.participant.conference)
        .select_related("participant__person")
        .first()
    )
    assert other.participant.person.full_name not in text.decode()
    without = Participant.objects.filter(certificate__isnull=True).first()
    assert client.get(f"/tap-huan/ma/{without.code}/chung-nhan.pdf").status_code == 404


def test_standing_office_revokes_a_certificate(client, login):
    from pckb.training.models import Certificate

    certificate = Certificate.objects.filter(participant__conference__committee__unit__code="L93").first()
    login("lanhdao.cantho")  # a reader
    assert client.post(f"/tap-huan/chung-nhan/{certificate.pk}/thu-hoi/").status_code == 404
    login("vptt.cantho")
    page = client.get(f"/tap-huan/dai-bieu/{certificate.participant_id}/").content.decode()
    assert "Thu hồi giấy chứng nhận" in page
    client.post(f"/tap-huan/chung-nhan/{certificate.pk}/thu-hoi/")
    certificate.refresh_from_db()
    assert certificate.revoked
    assert "Đã thu hồi" in client.get(f"/tap-huan/xac-minh/{certificate.verify_code}/").content.decode()
