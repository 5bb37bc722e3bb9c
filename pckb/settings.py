"""PCKB Hub settings, read from the environment only (see docs/operations.md).

Development default: SQLite in ``var/``, DEBUG on, Huey on SQLite. Production (``PCKB_DEBUG=0``) requires
``PCKB_SECRET_KEY`` and ``PCKB_ALLOWED_HOSTS`` and refuses to start without them.
"""

import os
import sys
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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
_raw_hosts = os.environ.get("PCKB_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _raw_hosts.split(",") if h.strip()]

if PRODUCTION:
    _missing = [
        name
        for name, value in (("PCKB_SECRET_KEY", SECRET_KEY), ("PCKB_ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
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
    "pckb.protection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pckb.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pckb.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pckb.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

# Idle-session timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = _env_int("PCKB_IDLE_TIMEOUT", 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
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
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("PCKB_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("PCKB_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
PCKB_PAGE_SIZE = 50
