"""The permission matrix of the documents module, web and API, from the generic mixins. Each class builds its
own objects: one in the writer's scope (Cần Thơ), one outside it (TP.HCM) and one Mật."""

from pckb.documents.models import Conclusion, Document, Meeting, RegisterEntry
from tests.documents.builders import (
    TODAY,
    build_documents,
    build_meetings,
    committee,
    health,
    make_conclusion,
    make_document,
    make_entry,
    make_meeting,
    police,
)
from tests.support.mixins import APITestCases, FullMatrix, ViewTestCases


class TestDocument(FullMatrix):
    model = Document
    namespace = "documents"
    base = "document"
    prefix = "documents/documents"
    marker = "thử nghiệm"
    api_patch = {"subject": "Công văn thử nghiệm đã sửa"}

    def create_objects(self, users) -> dict:
        self.docs = build_documents()
        return {"scoped": self.docs["in"], "outside": self.docs["out"], "classified": self.docs["secret"]}

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "kind": "letter",
            "number": "904/BCĐ-THU",
            "date": TODAY.strftime("%d/%m/%Y"),
            "issuer_name": "Ban Chỉ đạo thử nghiệm",
            "subject": "Công văn thử nghiệm mới",
            "urgency": "urgent",
            "recipient_agencies": [health().pk],
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"subject": "Công văn thử nghiệm đổi trích yếu"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_document("Văn bản tạm để xóa", "905/BCĐ-THU")

    def api_valid(self, users):
        return {**self.valid_data(users), "date": TODAY.isoformat(), "number": "906/BCĐ-THU"}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def test_created_document_has_its_recipients(self, client, login, users):
        login("vptt.cantho")
        assert client.post(self.url("add"), self.valid_data(users)).status_code == 302
        document = Document.objects.get(number="904/BCĐ-THU")
        assert list(document.recipient_agencies.all()) == [health()] and document.year == TODAY.year
        page = client.get(document.get_absolute_url()).content.decode()
        assert "Sở Y tế thành phố Cần Thơ" in page and "Khẩn" in page


class TestMeeting(FullMatrix):
    model = Meeting
    namespace = "documents"
    base = "meeting"
    prefix = "documents/meetings"
    marker = "thử nghiệm"
    api_patch = {"venue": "Phòng họp thử nghiệm"}

    def create_objects(self, users) -> dict:
        self.meetings, self.conclusions = build_meetings()
        return {
            "scoped": self.meetings["in"],
            "outside": self.meetings["out"],
            "classified": self.meetings["secret"],
        }

    def valid_data(self, users):
        return {
            "committee": committee("P92").pk,
            "title": "Cuộc họp thử nghiệm mới",
            "date": TODAY.strftime("%d/%m/%Y"),
            "agenda": "Nội dung 1\nNội dung 2",
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"venue": "Hội trường thử nghiệm"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}

    def deletable(self, users):
        return make_meeting("Cuộc họp tạm để xóa")

    def api_valid(self, users):
        return {**self.valid_data(users), "date": TODAY.isoformat()}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "committee": committee("P79").pk}

    def api_into_other_scope(self, users):
        return {"committee": committee("P79").pk}


class TestConclusion(FullMatrix):
    model = Conclusion
    namespace = "documents"
    base = "conclusion"
    prefix = "documents/conclusions"
    marker = "thử nghiệm"
    api_patch = {"text": "Kết luận thử nghiệm đã sửa"}

    def create_objects(self, users) -> dict:
        self.meetings, self.conclusions = build_meetings()
        c = self.conclusions
        return {"scoped": c["in"], "outside": c["out"], "classified": c["secret"]}

    def valid_data(self, users):
        return {
            "meeting": self.meetings["in"].pk,
            "number": 2,
            "text": "Kết luận thử nghiệm mới",
            "lead_agency": health().pk,
            "supporting_agencies": [police().pk],
            "deadline": TODAY.strftime("%d/%m/%Y"),
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "meeting": self.meetings["out"].pk}

    def edit_changes(self, obj):
        return {"text": "Kết luận thử nghiệm đổi nội dung"}

    def into_other_scope(self, users):
        return {"meeting": self.meetings["out"].pk}

    def deletable(self, users):
        return make_conclusion(self.meetings["in"], 9, "Kết luận tạm để xóa", police())

    def api_valid(self, users):
        return {**self.valid_data(users), "deadline": TODAY.isoformat()}

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "meeting": self.meetings["out"].pk}

    def api_into_other_scope(self, users):
        return {"meeting": self.meetings["out"].pk}


class TestRegisterEntry(
    ViewTestCases,
    ViewTestCases.ListView,
    ViewTestCases.GetView,
    ViewTestCases.ClassifiedView,
    APITestCases,
    APITestCases.Read,
):
    """Register lines are numbered by the service (tested in test_registers.py); their pages and API reads."""

    model = RegisterEntry
    namespace = "documents"
    base = "registerentry"
    prefix = "documents/entries"
    marker = "thử nghiệm"

    def create_objects(self, users) -> dict:
        docs = build_documents()
        entries = {key: make_entry(doc, number=900 + n) for n, (key, doc) in enumerate(docs.items())}
        return {"scoped": entries["in"], "outside": entries["out"], "classified": entries["secret"]}
