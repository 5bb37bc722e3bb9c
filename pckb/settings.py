"""PCKB Hub settings, read from the environment only (see docs/operations.md).

Development default: SQLite in ``var/``, DEBUG on, Huey on SQLite. Production (``PCKB_DEBUG=0``) requires
``PCKB_SECRET_KEY`` and ``PCKB_ALLOWED_HOSTS`` and refuses to start without them.
"""

import ipaddress
import os
import sys
import tempfile
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PCKB_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or os.environ.get("PCKB_TESTING") == "1"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} phải là 1/0, true/false (nhận được: {raw!r}).")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} phải là số nguyên (nhận được: {raw!r}).") from exc


DEBUG = _env_bool("PCKB_DEBUG", True)
PRODUCTION = not DEBUG

SECRET_KEY = os.environ.get("PCKB_SECRET_KEY", "")
_secret_key_file = os.environ.get("PCKB_SECRET_KEY_FILE", "")
if not SECRET_KEY and _secret_key_file:
    try:
        SECRET_KEY = Path(_secret_key_file).read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Không đọc được PCKB_SECRET_KEY_FILE ({_secret_key_file}): {exc}"
        ) from exc
_raw_hosts = os.environ.get("PCKB_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _raw_hosts.split(",") if h.strip()]

if PRODUCTION:
    _missing = [
        name
        for name, value in (("PCKB_SECRET_KEY", SECRET_KEY), ("PCKB_ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    _missing = [
        "PCKB_SECRET_KEY (hoặc PCKB_SECRET_KEY_FILE)" if m == "PCKB_SECRET_KEY" else m for m in _missing
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Thiếu cấu hình bắt buộc cho môi trường production: {}. Xem docs/operations.md.".format(
                ", ".join(_missing)
            )
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("PCKB_SECRET_KEY phải dài ít nhất 50 ký tự ngẫu nhiên.")
else:
    if not SECRET_KEY:
        _key_file = VAR_DIR / "secret-key.txt"
        if not _key_file.exists():
            from django.core.management.utils import get_random_secret_key

            _key_file.write_text(get_random_secret_key() + get_random_secret_key())
            _key_file.chmod(0o600)
        SECRET_KEY = _key_file.read_text().strip()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "csp",
    "huey.contrib.djhuey",
    "ninja",
    "pckb.core",
    "pckb.audit",
    "pckb.geo",
    "pckb.accounts",
    "pckb.directory",
    "pckb.training",
    "pckb.live",
    "pckb.notifications",
    "pckb.protection",
    "pckb.plans",
    "pckb.response",
    "pckb.coordination",
    "pckb.deployment",
    "pckb.reports",
    "pckb.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pckb.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pckb.accounts.middleware.SessionRefreshMiddleware",
    "pckb.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pckb.core.cache_control.NoStoreMiddleware",
    "pckb.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pckb.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pckb.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ASGI_APPLICATION = "pckb.asgi.application"
WSGI_APPLICATION = "pckb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pckb" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pckb.core.navigation.navigation",
                "pckb.notifications.context.notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("PCKB_DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("PCKB_DATABASE_URL chỉ hỗ trợ PostgreSQL (postgresql://…).")
    # Short OLTP queries: PostgreSQL's JIT compiles a plan whose cost estimate is high (a filtered task list
    # over 10,000 tasks took 5 s with it, 80 ms without). Off unless the URL's options say otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PCKB_SQLITE_PATH", str(VAR_DIR / "pckb.sqlite3")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
                    "PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
    if TESTING:
        # A file, not Django's shared-cache in-memory database: shared-cache SQLite answers a lock with an
        # immediate "database table is locked" (busy_timeout does not apply), so two concurrent requests to
        # the browser tests' live server failed where production SQLite waits. /dev/shm keeps it in memory.
        _shm = Path("/dev/shm")  # noqa: S108 (a per-process file name, removed by the test runner)
        _test_dir = _shm if _shm.is_dir() and os.access(_shm, os.W_OK) else Path(tempfile.gettempdir())
        _test_name = os.environ.get("PCKB_TEST_SQLITE_PATH") or f"{_test_dir}/pckb-test-{os.getpid()}.sqlite3"
        DATABASES["default"]["TEST"] = {"NAME": _test_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Redis, background work ----------------------------------------------------------------------
REDIS_URL = os.environ.get("PCKB_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pckb_cache"}}

if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "pckb",
        "url": REDIS_URL,
        "immediate": TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "pckb",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Authentication -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PCKB_LOGIN_MAX_FAILURES = _env_int("PCKB_LOGIN_MAX_FAILURES", 5)
PCKB_LOGIN_LOCKOUT_SECONDS = _env_int("PCKB_LOGIN_LOCKOUT_SECONDS", 900)
PCKB_LOGIN_MAX_FAILURES_PER_IP = _env_int("PCKB_LOGIN_MAX_FAILURES_PER_IP", 20)
PCKB_API_TOKEN_DAYS = _env_int("PCKB_API_TOKEN_DAYS", 30)
# Rate limits (fixed windows of one minute, atomic counters in the cache — Redis in production).
# A hall of ~300 delegates behind one NAT address opens about 4 code pages each in the first minute of a
# test: 1,200 per address. Each personal code on its own: 30 per minute (see docs/operations.md).
PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE = _env_int("PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE", 1200)
PCKB_CODE_LOOKUPS_PER_CODE_PER_MINUTE = _env_int("PCKB_CODE_LOOKUPS_PER_CODE_PER_MINUTE", 30)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated). Default: none,
# so the client address is the TCP peer and a forged header changes nothing.
PCKB_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("PCKB_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in PCKB_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        message = f"PCKB_TRUSTED_PROXIES: {_proxy!r} không phải địa chỉ hay dải IP."
        raise ImproperlyConfigured(message) from exc

# Audit chain key and anchors: kept OUTSIDE the database (see docs/operations.md, "Audit"). The key comes from
# PCKB_AUDIT_KEY or a key file that `pckb setup` creates (0600); production never creates one on the fly.
PCKB_AUDIT_KEY = os.environ.get("PCKB_AUDIT_KEY", "")
PCKB_AUDIT_KEY_FILE = Path(os.environ.get("PCKB_AUDIT_KEY_FILE", "") or VAR_DIR / "audit-key")
# 1: a classified read's audit row waits for the disk like a write (see docs/decisions.md for the trade-off).
PCKB_AUDIT_DURABLE_READS = _env_bool("PCKB_AUDIT_DURABLE_READS", False)
PCKB_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("PCKB_AUDIT_ANCHOR_FILE", "")
    # A test database is new each run: its anchors must never mix with those of the real var/ database.
    or (Path(tempfile.gettempdir()) / f"pckb-test-anchors-{os.getpid()}.jsonl" if TESTING else "")
    or VAR_DIR / "audit-anchors" / "anchors.jsonl"
)

# Idle-session timeout: the session expires after this many seconds without a request. The expiry is pushed
# back by SessionRefreshMiddleware at most once every PCKB_SESSION_REFRESH_SECONDS (not a write on every
# request: see docs/decisions.md), so an idle session ends up to that much before the full timeout.
SESSION_COOKIE_AGE = _env_int("PCKB_IDLE_TIMEOUT", 1800)
SESSION_SAVE_EVERY_REQUEST = False
PCKB_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Each language is named in itself, whatever the page language (a reader looks for their own).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "pckb" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pckb.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
#: Browser libraries installed from npm (package.json, `npm ci --omit=dev` in the Makefile): only their
#: dist folders are served, under static/vendor/<package>/. A missing folder (npm not run) is left out.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES / name / "dist")
    for name in ("leaflet", "leaflet.markercluster", "protomaps-leaflet")
    if (NODE_MODULES / name / "dist").is_dir()
]
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security -------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# --- The map (Bảo vệ → Bản đồ; docs/operations.md) -------------------------------------------------------
#: A tile server on the LAN, e.g. http://tiles.pckb.lan/{z}/{x}/{y}.png. Empty: no tiles (plain background).
PCKB_MAP_TILE_URL = os.environ.get("PCKB_MAP_TILE_URL", "").strip()
#: A PMTiles basemap file, served by the app with HTTP range requests (default var/map/basemap.pmtiles).
PCKB_MAP_PMTILES = Path(os.environ.get("PCKB_MAP_PMTILES", "") or VAR_DIR / "map" / "basemap.pmtiles")
PCKB_MAP_TILE_ATTRIBUTION = os.environ.get("PCKB_MAP_TILE_ATTRIBUTION", "")


def _tile_origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"PCKB_MAP_TILE_URL phải là địa chỉ http(s) đầy đủ, ví dụ http://tiles.lan/{{z}}/{{x}}/{{y}}.png "
            f"(nhận được: {url!r})."
        )
    return f"{parts.scheme}://{parts.netloc}"


if PCKB_MAP_TILE_URL:
    _origin = _tile_origin(PCKB_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_origin)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(_origin)

#: Production serves over HTTPS (behind a TLS proxy). ``PCKB_HTTPS=0`` is for the demo profile only:
#: production settings served over plain HTTP on the loopback address (``pckb demo`` / ``make demo``).
HTTPS = _env_bool("PCKB_HTTPS", True)
if PRODUCTION and HTTPS:
    SECURE_SSL_REDIRECT = _env_bool("PCKB_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("PCKB_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "pckb.core.error_pages.csrf_failure"

# --- Logging: one JSON object per line on stderr --------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "pckb.core.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "pckb.core.logging.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("PCKB_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # Configured here so that run_huey does not add its own plain-text handler (one JSON line per event).
        "huey": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd (the test SMTP peer) logs every connection
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
PCKB_PAGE_SIZE = 50

# --- Notifications: e-mail over SMTP, webhook, outbox delivery (see docs/operations.md) -----------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("PCKB_EMAIL_HOST", "")
EMAIL_PORT = _env_int("PCKB_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("PCKB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PCKB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("PCKB_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = _env_bool("PCKB_EMAIL_SSL", False)
EMAIL_TIMEOUT = _env_int("PCKB_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("PCKB_EMAIL_FROM", "PCKB Hub <no-reply@pckb.invalid>")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Chỉ chọn một trong PCKB_EMAIL_STARTTLS và PCKB_EMAIL_SSL.")
#: E-mails are queued only when a mail server is configured (in-app notifications always are).
PCKB_EMAIL_ENABLED = _env_bool("PCKB_EMAIL_ENABLED", bool(EMAIL_HOST))
#: The address users open the product at, for links in e-mails (e.g. https://pckb.example.gov.vn).
PCKB_SITE_URL = os.environ.get("PCKB_SITE_URL", "http://127.0.0.1:8000")
PCKB_EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("PCKB_EMAIL_MESSAGE_ID_DOMAIN", "pckb.invalid")
#: Optional webhook (e.g. an SMS or radio gateway): every notification is also POSTed there as JSON.
PCKB_WEBHOOK_URL = os.environ.get("PCKB_WEBHOOK_URL", "")
PCKB_WEBHOOK_SECRET = os.environ.get("PCKB_WEBHOOK_SECRET", "")
PCKB_WEBHOOK_TIMEOUT = _env_int("PCKB_WEBHOOK_TIMEOUT", 10)
if PCKB_WEBHOOK_URL and len(PCKB_WEBHOOK_SECRET) < 32:
    raise ImproperlyConfigured("PCKB_WEBHOOK_URL cần PCKB_WEBHOOK_SECRET dài ít nhất 32 ký tự (khóa HMAC).")
PCKB_OUTBOX_MAX_ATTEMPTS = _env_int("PCKB_OUTBOX_MAX_ATTEMPTS", 8)
PCKB_OUTBOX_LEASE_SECONDS = _env_int("PCKB_OUTBOX_LEASE_SECONDS", 120)
PCKB_OUTBOX_BACKOFF_SECONDS = _env_int("PCKB_OUTBOX_BACKOFF_SECONDS", 30)
PCKB_OUTBOX_BACKOFF_MAX_SECONDS = _env_int("PCKB_OUTBOX_BACKOFF_MAX_SECONDS", 3600)
#: Delegates' focal points are reminded this many hours before a test closes.
PCKB_TEST_REMINDER_HOURS = _env_int("PCKB_TEST_REMINDER_HOURS", 24)
#: A one-time acknowledgement link in an e-mail (pckb/response) works for this many hours.
PCKB_ACK_LINK_HOURS = _env_int("PCKB_ACK_LINK_HOURS", 24)

# --- CAP 1.2 alerts (pckb/response/cap.py) -------------------------------------------------------------
PCKB_CAP_SENDER = os.environ.get("PCKB_CAP_SENDER", "pckb-hub@localhost")
#: Radius (km) of the area circle around the commune's centre when an incident has no point of its own.
PCKB_CAP_RADIUS_KM = float(os.environ.get("PCKB_CAP_RADIUS_KM", "1"))

# --- Real-time pages: Server-Sent Events (pckb.live, see docs/architecture.md) --------------------------
#: Seconds between SSE heartbeat comments (keeps proxies from closing an idle stream).
PCKB_LIVE_HEARTBEAT_SECONDS = float(os.environ.get("PCKB_LIVE_HEARTBEAT_SECONDS", "") or 15)
#: Seconds between a stream's look at the stored events (catches what another process published without
#: Redis, or what Redis dropped). Default: 2 on the embedded profile, 15 with Redis pub/sub.
PCKB_LIVE_CATCHUP_SECONDS = float(os.environ.get("PCKB_LIVE_CATCHUP_SECONDS", "") or (15 if REDIS_URL else 2))
#: Seconds between re-checks that the session is still valid and the object still visible.
PCKB_LIVE_RECHECK_SECONDS = float(os.environ.get("PCKB_LIVE_RECHECK_SECONDS", "") or 60)
#: Stored live events older than this many days are pruned (a browser offline longer reloads the page).
PCKB_LIVE_RETENTION_DAYS = _env_int("PCKB_LIVE_RETENTION_DAYS", 7)
#: The Redis pub/sub channel (pub/sub ignores the database number: two installations on one Redis need two).
PCKB_LIVE_CHANNEL = os.environ.get("PCKB_LIVE_CHANNEL", "") or "pckb:live"
