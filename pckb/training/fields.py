"""One declaration per model of the fields people edit and the list shows; the forms, the API schemas and
the list columns are derived from it (see ``pckb.core.declarations``)."""

from pckb.core.declarations import ModelFields
from pckb.training.models import Conference, Topic

TOPIC = ModelFields(
    Topic,
    fields=("code", "title", "description", "order", "active"),
    columns=("code", "title", "active"),
    link="title",
)
CONFERENCE = ModelFields(
    Conference,
    fields=(
        "committee",
        "title",
        "co_organisers",
        "start",
        "end",
        "venue",
        "venue_unit",
        "format",
        "status",
        "requires_test",
        "pass_mark",
        "signer",
        "signer_authority",
        "signer_title",
        "report_date",
        "classification",
    ),
    # The status moves through the conference's own action (``conference_advance``), not API input.
    read_only=("status",),
    columns=("title", "start", "venue", "committee", "status"),
)
