"""What the directory adds to the product: committees, agencies, people and decisions."""

from django.utils.translation import pgettext_lazy

from pckb.accounts.choices import Role
from pckb.core.access import ADD, CHANGE, VIEW, own_agency
from pckb.core.navigation import ORGANISATION
from pckb.core.registry import MenuItem, Registration, StartPanel
from pckb.directory import todo
from pckb.directory.selectors import start_page_summary

PERSON = "directory.person"

registration = Registration(
    urls=("to-chuc/", "pckb.directory.urls"),
    api=("/", "pckb.directory.api.router"),
    grants={Role.AGENCY_FOCAL: {PERSON: frozenset({VIEW, ADD, CHANGE})}},
    # An agency focal point adds and edits only its own agency's people.
    row_rules={(Role.AGENCY_FOCAL, PERSON, a): own_agency("agency_id") for a in (ADD, CHANGE)},
    menu=(
        MenuItem(
            ORGANISATION,
            pgettext_lazy("số nhiều", "Ban Chỉ đạo"),
            "directory:committee_list",
            "directory.Committee",
            order=10,
        ),
        MenuItem(
            ORGANISATION,
            pgettext_lazy("số nhiều", "Cơ quan"),
            "directory:agency_list",
            "directory.Agency",
            order=20,
        ),
        MenuItem(
            ORGANISATION,
            pgettext_lazy("số nhiều", "Cán bộ"),
            "directory:person_list",
            "directory.Person",
            order=30,
        ),
        MenuItem(
            ORGANISATION,
            pgettext_lazy("số nhiều", "Quyết định"),
            "directory:decision_list",
            "directory.Decision",
            order=40,
        ),
    ),
    start_panels=(StartPanel("directory/_start_panel.html", start_page_summary, order=10),),
    todo=(todo.committee_vacancies,),
)
