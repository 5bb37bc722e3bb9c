"""The administrative unit's declared fields (read-only reference data: list columns and API output)."""

from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.geo.models import AdministrativeUnit

UNIT = ModelFields(
    AdministrativeUnit,
    fields=(),
    schema_name="Unit",
    read_only=(
        "code",
        "name",
        "division_type",
        "level",
        "parent",
        "path",
        "valid_from",
        "valid_to",
        "successor",
    ),
    columns=("name", "code", Column("division_type", _("Loại")), "parent", "valid_to", "successor"),
)
