"""Reads of administrative units."""

from django.db.models import QuerySet

from pckb.geo.models import AdministrativeUnit


def units_in_scope(
    user, *, current_only: bool = True, base: QuerySet | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units inside the user's scope subtree (form choices, filters), optionally narrowing ``base``."""
    qs = base if base is not None else AdministrativeUnit.objects.select_related("successor")
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.has_national_scope or user.is_administrator:  # administrators assign scopes anywhere
        return qs
    return qs.filter(path__startswith=user.scope_path) if user.scope_path else qs.none()


def unit_suggestions(user, query: str, limit: int = 20) -> list[AdministrativeUnit]:
    """Units in scope whose name or code matches ``query`` (accent-insensitive), provinces first."""
    qs = units_in_scope(user).search(query).select_related("parent")
    return list(qs.order_by("level", "sort_key")[:limit])
