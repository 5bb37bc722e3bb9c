"""Refusals in plain words: an agency focal point that tries to nominate or import delegates of another
agency is told which agency it may nominate for, and nothing is saved."""

import pytest

from pckb.core import errors
from pckb.core.imports import ImportFailed
from pckb.directory.models import Person
from pckb.training import services
from pckb.training.imports import participants_import_csv
from pckb.training.models import Participant
from tests.training.test_services import free_person, invitation_of, upcoming

pytestmark = pytest.mark.django_db
HEALTH = "Sở Y tế thành phố Cần Thơ"


def test_focal_point_nominating_for_another_agency_is_told_its_own_agency(users):
    focal = users["daumoi.cantho"]
    police = invitation_of(upcoming(), "Công an")
    before = Participant.objects.count()
    with pytest.raises(errors.PermissionDenied) as exc:
        services.participant_nominate(actor=focal, invitation=police, person=free_person(police))
    assert str(exc.value) == f"Bạn chỉ cử được đại biểu của {HEALTH}."
    assert Participant.objects.count() == before


def test_focal_point_importing_delegates_of_another_agency_is_told_its_own_agency(users):
    focal = users["daumoi.cantho"]
    conference = upcoming()
    police = invitation_of(conference, "Công an")
    before = Participant.objects.count()
    text = f"Họ và tên,Cơ quan,Chức vụ\nNgười Công An Mới,{police.agency.name},Chuyên viên\n"
    with pytest.raises(ImportFailed) as exc:
        participants_import_csv(actor=focal, conference=conference, data=text.encode())
    faults = [str(f) for f in exc.value.faults]
    assert faults == [f"Dòng 2, cột 2 (Cơ quan): Bạn chỉ cử được đại biểu của {HEALTH}."]
    assert Participant.objects.count() == before
    assert not Person.objects.filter(full_name="Người Công An Mới").exists()


def test_focal_point_nominating_for_its_own_agency_still_works(users):
    focal = users["daumoi.cantho"]
    health = invitation_of(upcoming(), "Sở Y tế")
    health.quota = 9
    health.save()
    participant = services.participant_nominate(actor=focal, invitation=health, person=free_person(health))
    assert participant.pk and participant.person.agency.name == HEALTH
