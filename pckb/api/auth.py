from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from pckb.accounts.services import PasswordChangeRequired, api_token_lookup


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``.

    The token used is kept on ``request.api_token`` (``DELETE /api/v1/auth/token`` revokes it). An account
    that must change its password gets a 403 with the reason, not the API."""

    def authenticate(self, request, token: str):
        try:
            found = api_token_lookup(token)
        except PasswordChangeRequired as exc:
            raise HttpError(403, str(exc)) from exc
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found.user


class ContentSessionAuth(SessionAuth):
    """The browser session (with CSRF on writes), for pages that call the API."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active and user.must_change_password:
            raise HttpError(403, str(PasswordChangeRequired()))
        return user if user is not None and user.is_active else None
