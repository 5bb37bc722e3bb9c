"""Reads of the coordination module; each starts from the access layer and takes the user. Other modules read
the matrix through :func:`functions_in_force` and :func:`agency_duties`."""

from __future__ import annotations

from pckb.coordination.choices import Duty, RegulationStatus
from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core import access
from pckb.directory.models import Agency


def _ancestor_paths(path: str) -> list[str]:
    """``"VN/P92/C1/"`` → ``["VN/", "VN/P92/", "VN/P92/C1/"]`` (a unit and the units above it)."""
    return [path[: i + 1] for i, char in enumerate(path) if char == "/"]


def regulation_parties(user, regulation) -> list[Agency]:
    """The parties the user may see, in directory order."""
    return list(access.restrict(regulation.parties.all(), user).order_by("sort_key", "id"))


def regulation_matrix(user, regulation) -> tuple[list[Function], list[Agency], dict]:
    """The matrix as the user may see it: rows, party columns and ``{(function_id, agency_id): cell}``."""
    functions = list(Function.objects.restrict(user).filter(regulation=regulation))
    parties = regulation_parties(user, regulation)
    party_ids = {a.pk for a in parties}
    cells = {
        (cell.function_id, cell.agency_id): cell
        for cell in Responsibility.objects.restrict(user).filter(function__regulation=regulation)
        if cell.agency_id in party_ids
    }
    return functions, parties, cells


def functions_in_force(user, *, unit=None, scenario_type: str | None = None):
    """Contents of the regulations in force that the user may see — of committees whose area holds ``unit``
    (the unit itself or a unit above it) when given, of one scenario type when given."""
    qs = Function.objects.restrict(user).filter(regulation__status=RegulationStatus.IN_FORCE)
    if unit is not None:
        qs = qs.filter(regulation__committee__unit__path__in=_ancestor_paths(unit.path))
    if scenario_type:
        qs = qs.filter(scenario_type=scenario_type)
    return qs.select_related("regulation__committee").order_by("regulation__sort_key", "order", "id")


def function_cells(user, function) -> list[Responsibility]:
    """A row's cells (lead first), agencies the user may not see withheld."""
    cells = list(
        Responsibility.objects.restrict(user)
        .filter(function=function)
        .select_related("agency")
        .order_by("duty", "agency__sort_key")
    )
    order = {Duty.LEAD: 0, Duty.SUPPORT: 1, Duty.INFORM: 2}
    cells.sort(key=lambda c: order[c.duty])
    access.withhold_related(user, cells)
    return cells


def agency_duties(user, agency) -> list[Responsibility]:
    """What ``agency`` leads, supports and is informed of under the regulations in force the user may see."""
    return list(
        Responsibility.objects.restrict(user)
        .filter(agency=agency, function__regulation__status=RegulationStatus.IN_FORCE)
        .select_related("function__regulation__committee")
        .order_by("function__regulation__sort_key", "function__order", "id")
    )


def duty_agencies(user) -> list[Agency]:
    """Agencies that hold a duty in a regulation in force the user may see (the agency page's choices)."""
    ids = (
        Responsibility.objects.restrict(user)
        .filter(function__regulation__status=RegulationStatus.IN_FORCE)
        .values("agency_id")
    )
    return list(access.restrict(Agency.objects.filter(pk__in=ids), user).order_by("sort_key", "id"))


def newer_version(user, regulation):
    return access.restrict(Regulation.objects.filter(previous=regulation), user).first()
