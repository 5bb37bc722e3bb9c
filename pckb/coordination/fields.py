"""One declaration per model of the fields people edit and the list shows (forms, API schemas, columns)."""

from django.utils.translation import gettext_lazy as _

from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core.declarations import ModelFields
from pckb.core.exports import Column


def _effective(regulation) -> str:
    start = regulation.effective_from.strftime("%d/%m/%Y")
    end = regulation.effective_to.strftime("%d/%m/%Y") if regulation.effective_to else "…"
    return f"{start} – {end}"


REGULATION = ModelFields(
    Regulation,
    # The parties (many-to-many): ticked in the form, a list of agency ids in the API.
    fields=(
        "committee",
        "title",
        "document_number",
        "issued_on",
        "effective_from",
        "effective_to",
        "parties",
        "summary",
        "classification",
    ),
    read_only=("version", "status", "in_force_at"),
    columns=(
        "title",
        "committee",
        "document_number",
        Column(_effective, _("Hiệu lực"), order_by="effective_from"),
        "version",
        "status",
    ),
)
FUNCTION = ModelFields(
    Function, fields=("regulation", "order", "title", "scenario_type"), columns=("title", "regulation")
)
RESPONSIBILITY = ModelFields(
    Responsibility, fields=("function", "agency", "duty", "note"), columns=("function", "agency", "duty")
)
