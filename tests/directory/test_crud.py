"""The full permission matrix for every directory model, web and API, from the generic mixins."""

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
        import datetime as dt

        return Decision.objects.create(
            committee=self.committee(WRITER, users),
            number="1/XOA",
            issuer="BCĐ",
            date=dt.date(2025, 1, 2),
            subject="Tạm",
        )
