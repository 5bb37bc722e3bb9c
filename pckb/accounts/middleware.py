from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Users whose password was set by an administrator must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/", "/api/")):
                return redirect("accounts:password_change")
        return self.get_response(request)


#: Session key holding when the session's idle timeout was last pushed back (a POSIX timestamp, seconds).
REFRESHED_KEY = "_pckb_refreshed"


class SessionRefreshMiddleware:
    """The sliding idle timeout, written at most once a minute.

    A signed-in session ends ``SESSION_COOKIE_AGE`` (``PCKB_IDLE_TIMEOUT``) seconds after it was last saved.
    Saving it on every request (``SESSION_SAVE_EVERY_REQUEST``) cost every page an ``UPDATE`` and a
    ``COMMIT`` that waits for the disk on PostgreSQL; here a request marks the session for saving only when
    its last refresh is older than ``PCKB_SESSION_REFRESH_SECONDS`` (60), so an active session keeps going
    and an idle one still ends — at most that many seconds before the full timeout, never after it. A
    session without data (an anonymous visitor) is left alone, so no session row is created for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import timezone

        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            refreshed = session.get(REFRESHED_KEY)  # loads the session (the user's check reads it anyway)
            now = int(timezone.now().timestamp())
            stale = (
                not isinstance(refreshed, int)
                or not 0 <= now - refreshed < settings.PCKB_SESSION_REFRESH_SECONDS
            )
            if stale and not session.is_empty():
                session[REFRESHED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
