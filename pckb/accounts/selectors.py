"""Reads about accounts."""

from django.utils import timezone

from pckb.accounts.models import ApiToken


def api_tokens_of(user) -> list[ApiToken]:
    """The user's tokens that are still valid, newest first."""
    return list(ApiToken.objects.filter(user=user, expires__gt=timezone.now()).order_by("-created", "-pk"))
