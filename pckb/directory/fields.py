"""One declaration per model of the fields people edit and the list shows; the forms, the API schemas and
the list columns are derived from it (see ``pckb.core.declarations``)."""

from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.directory.models import Agency, Committee, Decision, Person

AGENCY = ModelFields(
    Agency,
    fields=(
        "name",
        "short_name",
        "kind",
        "unit",
        "parent",
        "address",
        "phone",
        "email",
        "merged_into",
        "merged_on",
    ),
    columns=("name", Column("short_name", _("Viết tắt")), Column("kind", _("Loại")), "unit"),
)
COMMITTEE = ModelFields(
    Committee,
    fields=(
        "name",
        "level",
        "unit",
        "parent",
        "sector",
        "host_authority",
        "standing_agency",
        "standing_office",
        "address",
        "phone",
        "email",
    ),
    columns=("name", "level", "unit", "standing_agency"),
)
PERSON = ModelFields(
    Person,
    fields=("full_name", "rank", "title", "agency", "office_phone", "mobile", "email", "classification"),
    bulk_fields=("agency", "rank", "title"),
    columns=("full_name", Column("rank", _("Cấp bậc")), "title", Column("agency", _("Cơ quan"))),
)
DECISION = ModelFields(
    Decision,
    fields=("committee", "number", "date", "issuer", "signer", "subject", "classification"),
    columns=("number", "date", "subject", "committee"),
)
