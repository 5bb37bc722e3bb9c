"""The full permission matrix for every directory model, web and API, from the generic mixins. Each class
builds its own objects (in scope, out of scope, above Thường), NetBox style."""

import datetime as dt

from pckb.directory.models import Agency, Committee, Decision, Person
from pckb.geo.models import AdministrativeUnit
from tests.support.mixins import OUTSIDER, WRITER, FullMatrix, ReadOnlyAPIMatrix, in_scope


def unit(code):
    return AdministrativeUnit.objects.get(code=code)


def agency_in(username, users, name_part="Công an"):
    return in_scope(Agency, username, users).filter(name__contains=name_part).order_by("pk").first()


class TestAgency(FullMatrix):
    model = Agency
    base = "agency"
    prefix = "agencies"
    api_patch = {"phone": "02923000111"}
    marker = "Zeta"

    def create_objects(self, users):
        return {
            "scoped": Agency.objects.create(name="Trung tâm Zeta Cần Thơ", kind="other", unit=unit("P92")),
            "outside": Agency.objects.create(name="Trung tâm Zeta Sài Gòn", kind="other", unit=unit("P79")),
            "classified": None,  # agencies carry no classification
        }

    def into_other_scope(self, users):
        return {"unit": "P79"}

    def api_into_other_scope(self, users):
        return {"unit": unit("P79").pk}

    def valid_data(self, users):
        return {"name": "Sở Nội vụ thành phố Cần Thơ", "kind": "department", "unit": "P92"}

    def out_of_scope_data(self, users):
        return {"name": "Sở Nội vụ Thành phố Hồ Chí Minh", "kind": "department", "unit": "P79"}

    def edit_changes(self, obj):
        return {"address": "Số 1 đường Hòa Bình, phường Ninh Kiều"}

    def deletable(self, users):
        return Agency.objects.create(name="Cơ quan tạm để xóa", kind="other", unit=unit("P92"))

    def api_valid(self, users):
        return {**self.valid_data(users), "unit": unit("P92").pk}

    def api_out_of_scope(self, users):
        return {**self.out_of_scope_data(users), "unit": unit("P79").pk}


class TestPerson(FullMatrix):
    model = Person
    base = "person"
    prefix = "people"
    api_patch = {"rank": "Thượng tá"}
    marker = "Zeta"

    def create_objects(self, users):
        own, other = agency_in(WRITER, users), agency_in(OUTSIDER, users)
        return {
            "scoped": Person.objects.create(full_name="Trần Văn Zeta", title="Chuyên viên", agency=own),
            "outside": Person.objects.create(full_name="Lê Thị Zeta", title="Chuyên viên", agency=other),
            "classified": Person.objects.create(
                full_name="Phạm Văn Zeta", title="Cán bộ liên lạc", agency=own, classification=1
            ),
        }

    def into_other_scope(self, users):
        return {"agency": agency_in(OUTSIDER, users).pk}

    def api_into_other_scope(self, users):
        return self.into_other_scope(users)

    def valid_data(self, users):
        return {
            "full_name": "Lê Thị Hồng Nhung",
            "title": "Chuyên viên",
            "agency": agency_in(WRITER, users).pk,
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "agency": agency_in(OUTSIDER, users).pk}

    def edit_changes(self, obj):
        return {"mobile": "0912345678"}

    def deletable(self, users):
        return Person.objects.create(
            full_name="Người tạm để xóa", title="Chuyên viên", agency=agency_in(WRITER, users)
        )

    def api_valid(self, users):
        return self.valid_data(users)

    def api_out_of_scope(self, users):
        return self.out_of_scope_data(users)


class TestCommittee(FullMatrix):
    model = Committee
    base = "committee"
    prefix = "committees"
    api_patch = {"phone": "02923111222"}
    marker = "Zeta"

    def create_objects(self, users):
        mine, theirs = self.valid_data(users), self.out_of_scope_data(users)
        return {
            "scoped": Committee.objects.create(
                name="Ban Chỉ đạo Zeta Cần Thơ",
                level="province",
                unit=unit("P92"),
                host_authority_id=mine["host_authority"],
                standing_agency_id=mine["standing_agency"],
            ),
            "outside": Committee.objects.create(
                name="Ban Chỉ đạo Zeta Sài Gòn",
                level="province",
                unit=unit("P79"),
                host_authority_id=theirs["host_authority"],
                standing_agency_id=theirs["standing_agency"],
            ),
            "classified": None,  # committees carry no classification
        }

    def into_other_scope(self, users):
        return {"unit": "P79"}

    def api_into_other_scope(self, users):
        return {"unit": unit("P79").pk}

    def valid_data(self, users):
        police = agency_in(WRITER, users, "Công an thành phố")
        host = agency_in(WRITER, users, "Ủy ban nhân dân thành phố")
        return {
            "name": "Ban Chỉ đạo thử nghiệm Cần Thơ",
            "level": "province",
            "unit": "P92",
            "host_authority": host.pk,
            "standing_agency": police.pk,
        }

    def out_of_scope_data(self, users):
        police = agency_in(OUTSIDER, users, "Công an Thành phố")
        host = agency_in(OUTSIDER, users, "Ủy ban nhân dân Thành phố")
        return {
            **self.valid_data(users),
            "unit": "P79",
            "host_authority": host.pk,
            "standing_agency": police.pk,
        }

    def edit_changes(self, obj):
        return {"email": "vptt@cantho.example"}

    def deletable(self, users):
        data = self.valid_data(users)
        return Committee.objects.create(
            name="Ban tạm để xóa",
            level="province",
            unit=unit("P92"),
            host_authority_id=data["host_authority"],
            standing_agency_id=data["standing_agency"],
        )

    def api_valid(self, users):
        return {**self.valid_data(users), "unit": unit("P92").pk}

    def api_out_of_scope(self, users):
        return {**self.out_of_scope_data(users), "unit": unit("P79").pk}


class TestDecision(ReadOnlyAPIMatrix):
    model = Decision
    base = "decision"
    prefix = "decisions"
    marker = "Zeta"

    def create_objects(self, users):
        def decision(username, number, classification=0):
            return Decision.objects.create(
                committee=self.committee(username, users),
                number=number,
                date=dt.date(2025, 12, 1),
                issuer="Ban Chỉ đạo",
                subject="Về việc thử nghiệm Zeta",
                classification=classification,
            )

        return {
            "scoped": decision(WRITER, "11/QĐ-ZETA"),
            "outside": decision(OUTSIDER, "12/QĐ-ZETA"),
            "classified": decision(WRITER, "13/QĐ-ZETA-MAT", classification=1),
        }

    def into_other_scope(self, users):
        return {"committee": self.committee(OUTSIDER, users).pk}

    def committee(self, username, users):
        return in_scope(Committee, username, users).filter(level="province").first()

    def valid_data(self, users):
        return {
            "committee": self.committee(WRITER, users).pk,
            "number": "99/QĐ-BCĐ-THU",
            "date": "05/11/2025",
            "issuer": "Ban Chỉ đạo",
            "subject": "Về việc thử nghiệm",
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": self.committee(OUTSIDER, users).pk}

    def edit_changes(self, obj):
        return {"signer": "Nguyễn Văn Thử"}

    def deletable(self, users):
        return Decision.objects.create(
            committee=self.committee(WRITER, users),
            number="1/XOA",
            issuer="BCĐ",
            date=dt.date(2025, 1, 2),
            subject="Tạm",
        )
