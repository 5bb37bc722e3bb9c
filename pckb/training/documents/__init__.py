"""Official documents for training conferences in the Nghị định 30/2020/NĐ-CP layout: invitation letters
and conference reports (.docx), the report and participation certificates (PDF). The functions take the plain
dataclasses of :mod:`pckb.training.documents.data` and return bytes."""

from .data import (
    AgencyAttendance,
    AgendaLine,
    Certificate,
    ConferenceReport,
    DocumentHeader,
    GainRow,
    InvitationLetter,
    Signer,
)
from .docx_render import conference_report_docx, invitation_letter_docx
from .pdf_render import certificates_pdf, conference_report_pdf

__all__ = [
    "AgencyAttendance",
    "AgendaLine",
    "Certificate",
    "ConferenceReport",
    "DocumentHeader",
    "GainRow",
    "InvitationLetter",
    "Signer",
    "certificates_pdf",
    "conference_report_docx",
    "conference_report_pdf",
    "invitation_letter_docx",
]
