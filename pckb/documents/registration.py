"""What the documents module (Văn bản) adds: the official documents register with files and versions, the
incoming and outgoing registers of the records clerk (văn thư), the list of every document, and committee
meetings whose conclusions become tasks."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, ALL_ACTIONS, CHANGE, EXPORT, NONE, READ_ACTIONS, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration
from pckb.documents import todo

DOCUMENT, FILE, ENTRY = "documents.document", "documents.documentfile", "documents.registerentry"
MEETING, ATTENDANCE, CONCLUSION = "documents.meeting", "documents.meetingattendance", "documents.conclusion"
DOCUMENTS = MenuGroup("documents", _("Văn bản"), order=27)
ONLY_VIEW = frozenset({VIEW})

registration = Registration(
    urls=("van-ban/", "pckb.documents.urls"),
    api=("/", "pckb.documents.api.router"),
    # Standing offices manage their scope's documents, registers and meetings (their "*" default); leaders
    # and inspectors read and export; a focal point reads documents and meetings but not the registers'
    # handling notes. The records clerk (văn thư) keeps the documents and the registers and reads the rest
    # of its scope like a focal point — never reports received (tin báo).
    grants={
        Role.AGENCY_FOCAL: {ENTRY: NONE},
        Role.COMMUNE_OFFICER: {ENTRY: NONE},
        Role.RECORDS_CLERK: {
            "*": ONLY_VIEW,
            DOCUMENT: ALL_ACTIONS,
            FILE: frozenset({VIEW, ADD, EXPORT}),
            ENTRY: ALL_ACTIONS,
            MEETING: READ_ACTIONS,
            CONCLUSION: READ_ACTIONS,
            "response.report": NONE,
            "response.reportforwarding": NONE,
        },
    },
    # A file version and a register line stay as they were recorded (a correction is a new version; an
    # entry's number is never given back).
    read_only={
        FILE: frozenset({VIEW, ADD, EXPORT}),
        ENTRY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    menu=(
        MenuItem(DOCUMENTS, _("Văn bản"), "documents:document_list", "documents.Document", order=10),
        MenuItem(DOCUMENTS, _("Sổ văn bản đến"), "documents:incoming", "documents.RegisterEntry", order=20),
        MenuItem(DOCUMENTS, _("Sổ văn bản đi"), "documents:outgoing", "documents.RegisterEntry", order=30),
        MenuItem(DOCUMENTS, _("Tất cả văn bản"), "documents:all", "documents.Document", order=40),
        MenuItem(DOCUMENTS, _("Họp Ban Chỉ đạo"), "documents:meeting_list", "documents.Meeting", order=50),
    ),
    todo=(todo.documents_to_register, todo.conclusions_to_assign),
)
