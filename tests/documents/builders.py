"""Test objects of the documents module: each test class builds its own (in Cần Thơ, in TP.HCM, and Mật)."""

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.documents.choices import Direction, DocumentKind
from pckb.documents.models import Conclusion, Document, Meeting, RegisterEntry
from tests.plans.builders import committee, hcm_police, health, police

TODAY = timezone.localdate()
__all__ = ["TODAY", "committee", "health", "hcm_police", "police"]


def saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def make_document(subject, number, code="P92", classification=Classification.NORMAL, **extra):
    extra.setdefault("issuer_name", "Ban Chỉ đạo thử nghiệm")
    return saved(
        Document(
            committee=committee(code),
            kind=extra.pop("kind", DocumentKind.LETTER),
            number=number,
            date=extra.pop("date", TODAY),
            subject=subject,
            classification=classification,
            **extra,
        )
    )


def make_entry(document, number=1, direction=Direction.INCOMING, handling="Xử lý thử nghiệm"):
    return saved(
        RegisterEntry(
            document=document,
            committee=document.committee,
            direction=direction,
            year=TODAY.year,
            number=number,
            entry_date=TODAY,
            counterpart="Nơi gửi thử nghiệm",
            handling=handling,
        )
    )


def make_meeting(title, code="P92", classification=Classification.NORMAL, days=-3):
    return saved(
        Meeting(
            committee=committee(code),
            title=title,
            date=TODAY + dt.timedelta(days=days),
            classification=classification,
        )
    )


def make_conclusion(meeting, number, text, lead, days=10):
    return saved(
        Conclusion(
            meeting=meeting,
            number=number,
            text=text,
            lead_agency=lead,
            deadline=TODAY + dt.timedelta(days=days),
        )
    )


def build_documents():
    return {
        "in": make_document("Công văn thử nghiệm Cần Thơ", "901/BCĐ-THU"),
        "out": make_document("Công văn thử nghiệm TP.HCM", "902/BCĐ-THU", "P79"),
        "secret": make_document(
            "Phương án thử nghiệm Mật", "903/PA-THU", classification=Classification.CONFIDENTIAL
        ),
    }


def build_meetings():
    meetings = {
        "in": make_meeting("Cuộc họp thử nghiệm Cần Thơ"),
        "out": make_meeting("Cuộc họp thử nghiệm TP.HCM", "P79"),
        "secret": make_meeting("Cuộc họp thử nghiệm Mật", classification=Classification.CONFIDENTIAL),
    }
    conclusions = {
        "in": make_conclusion(meetings["in"], 1, "Kết luận thử nghiệm Cần Thơ", police()),
        "out": make_conclusion(meetings["out"], 1, "Kết luận thử nghiệm TP.HCM", hcm_police()),
        "secret": make_conclusion(meetings["secret"], 1, "Kết luận thử nghiệm Mật", police()),
    }
    return meetings, conclusions
