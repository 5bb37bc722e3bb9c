from ninja.security import HttpBearer, SessionAuth

from pckb.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class ContentSessionAuth(SessionAuth):
    """The browser session (with CSRF on writes), for pages that call the API."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
