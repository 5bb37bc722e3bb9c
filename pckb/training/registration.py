"""What the training module adds to the product: conferences, topics, tests and coverage."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, DELETE, NONE, READ_ACTIONS, VIEW, own_agency
from pckb.core.registry import MenuGroup, MenuItem, Registration
from pckb.training import agenda, todo

#: The question bank holds the answers: only the standing offices and inspectors read it.
QUESTION_BANK = "training.question"
CATALOGUE = ("training.topic", "training.topicmaterial")
PARTICIPANT = "training.participant"
TRAINING = MenuGroup("training", _("Tập huấn & Diễn tập"), order=20)

registration = Registration(
    urls=("tap-huan/", "pckb.training.urls"),
    api=("/", "pckb.training.api.router"),
    grants={
        Role.PROVINCIAL_OFFICE: {
            **dict.fromkeys(CATALOGUE, READ_ACTIONS),  # the national catalogue is maintained nationally
            QUESTION_BANK: READ_ACTIONS,
        },
        Role.COMMITTEE_LEADER: {QUESTION_BANK: NONE},
        Role.AGENCY_FOCAL: {
            PARTICIPANT: frozenset({VIEW, ADD, DELETE}),
            "training.knowledgetest": NONE,  # results of other agencies' delegates are not theirs to read
            QUESTION_BANK: NONE,
        },
        Role.COMMUNE_OFFICER: {QUESTION_BANK: NONE},
    },
    # An agency focal point sees, nominates and withdraws only its own agency's delegates.
    row_rules={
        **{(Role.AGENCY_FOCAL, PARTICIPANT, a): own_agency("person__agency_id") for a in (VIEW, ADD, DELETE)},
        # …and sees, and nominates for, only its own agency's invitation (no "Cử đại biểu" for the others).
        (Role.AGENCY_FOCAL, "training.invitation", VIEW): own_agency("agency_id"),
    },
    menu=(
        MenuItem(
            TRAINING, _("Hội nghị tập huấn"), "training:conference_list", "training.Conference", order=10
        ),
        MenuItem(TRAINING, _("Chuyên đề"), "training:topic_list", "training.Topic", order=20),
        MenuItem(TRAINING, _("Độ bao phủ tập huấn"), "training:coverage", "training.Participant", order=30),
    ),
    todo=(todo.invitations_not_sent, todo.nominations_short, todo.tests_open_now, todo.conferences_today),
    agenda=(agenda.conferences,),
)
