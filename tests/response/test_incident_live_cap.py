"""An incident's page refreshes live (each change is stored on the incident's stream in its own
transaction), and an incident leaves as a CAP 1.2 alert that the official schema accepts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.core.choices import Classification
from pckb.geo.models import AdministrativeUnit
from pckb.live.models import LiveEvent
from pckb.live.services import stream_for
from pckb.response import cap, services
from pckb.response.models import ChecklistItem
from tests.response.test_incident import activated, closed_incident, make_incident

pytestmark = pytest.mark.django_db


def test_each_change_is_on_the_incidents_stream_and_the_page_listens(client, users):
    incident = activated(users, "Sự cố thử trực tiếp")
    stream = stream_for(incident)
    kinds = list(LiveEvent.objects.filter(stream=stream).values_list("kind", flat=True))
    assert kinds[-1] == "incident.activated"
    item = ChecklistItem.objects.filter(incident=incident, needs_ack=True).first()
    services.checklist_acknowledge(actor=users["vptt.cantho"], item=item)
    last = LiveEvent.objects.filter(stream=stream).latest("pk")
    assert last.kind == "incident.acknowledged" and last.data == {"incident": incident.pk}
    client.force_login(users["vptt.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert f'data-live-stream="{reverse("live:object", args=["response", "incident", incident.pk])}"' in page
    for region in ("bang", "viec", "nhat-ky"):
        assert f'data-live-url="/ung-pho/su-co/{incident.pk}/phan/{region}/"' in page


def test_a_refused_change_publishes_nothing(users):
    incident = activated(users, "Sự cố thử không công bố")
    item = ChecklistItem.objects.filter(incident=incident, needs_ack=True).first()
    services.checklist_acknowledge(actor=users["vptt.cantho"], item=item)
    before = LiveEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 (the second acknowledgement is refused)
        services.checklist_acknowledge(actor=users["vptt.cantho"], item=item)
    assert LiveEvent.objects.count() == before


def test_an_incident_downloads_as_a_valid_cap_alert(client, users):
    incident = closed_incident("Sự cố thử xuất CAP", "P92")
    incident.place_text = "Bến xe trung tâm"
    incident.place_unit = AdministrativeUnit.objects.get(code="X31135")
    incident.save()
    client.force_login(users["vptt.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    url = reverse("response:incident_cap", args=[incident.pk])
    assert f"{url}?status=Exercise" in page
    response = client.get(url, {"status": "Exercise"})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    xml = response.content
    assert cap.schema_errors(xml) == []
    alert = cap.parse(xml)
    assert (alert.status, alert.msg_type, alert.scope) == ("Exercise", "Update", "Restricted")
    assert alert.info[0].headline == "Sự cố thử xuất CAP" and alert.info[0].urgency == "Past"
    assert "Bến xe trung tâm" in alert.info[0].area_desc
    unit = incident.place_unit
    # The area circle: 1 km around the commune's centre (the incident has no point of its own).
    assert alert.info[0].circles == (cap.Circle(round(unit.latitude, 5), round(unit.longitude, 5), 1.0),)
    assert timezone.localtime(alert.sent).utcoffset().total_seconds() == 7 * 3600
    assert AuditEntry.objects.filter(action="export", object_id=str(incident.pk)).exists()
    assert client.get(url, {"status": "Real"}).status_code == 404


def test_a_classified_incident_is_not_exported_and_readers_without_export_see_nothing(client, users):
    secret = make_incident("Sự cố thử mật CAP", "P92", Classification.CONFIDENTIAL)
    client.force_login(users["vptt.cantho"])
    assert client.get(reverse("response:incident_cap", args=[secret.pk])).status_code == 404
    assert "Cảnh báo CAP 1.2" not in client.get(secret.get_absolute_url()).content.decode()
    open_one = make_incident("Sự cố thử đầu mối CAP", "P92")
    client.force_login(users["daumoi.cantho"])
    assert (
        client.get(reverse("response:incident_cap", args=[open_one.pk]), {"status": "Actual"}).status_code
        == 404
    )
