"""A member-agency focal point edits the officials of its own agency, and only those."""

from pckb.directory.models import Person


def test_focal_point_edits_only_own_agency(client, login, users):
    focal = login("daumoi.cantho")
    own = Person.objects.filter(agency=focal.person.agency).first()
    other = Person.objects.filter(agency__name="Công an thành phố Cần Thơ", classification=0).first()
    assert client.get(f"/to-chuc/can-bo/{own.pk}/sua/").status_code == 200
    assert client.get(f"/to-chuc/can-bo/{other.pk}/").status_code == 200  # may read the province
    assert client.get(f"/to-chuc/can-bo/{other.pk}/sua/").status_code == 404
    response = client.post(
        "/to-chuc/can-bo/them/",
        {
            "full_name": "Hồ Thị Đầu Mối",
            "title": "Chuyên viên",
            "agency": other.agency_id,
            "classification": 0,
        },
    )
    assert response.status_code == 200 and not Person.objects.filter(full_name="Hồ Thị Đầu Mối").exists()
    response = client.post(
        "/to-chuc/can-bo/them/",
        {"full_name": "Hồ Thị Đầu Mối", "title": "Chuyên viên", "agency": own.agency_id, "classification": 0},
    )
    assert response.status_code == 302
    assert Person.objects.get(full_name="Hồ Thị Đầu Mối").agency == own.agency
