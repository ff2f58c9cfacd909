"""Deal Tracker settings, read from environment variables.

Every variable is listed in `.env.example` and the README. Defaults are safe for a
first run on a laptop; a value that cannot be understood stops start-up with a
message naming the variable rather than being silently replaced.
"""

import datetime
import os
import urllib.parse
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path):
    """Set the variables of a `.env` file (NAME=value lines) that the environment lacks.

    `make run` writes one for the checkout it sets up (DEBUG, SECRET_KEY), so that
    `manage.py <command>` works there as the README shows; the environment always wins.
    DEALTRACKER_ENV_FILE names another file, or none when empty (the tests set it so).
    """
    if not path or not Path(path).is_file():
        return
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip().removeprefix("export ").strip()
        if not equals or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: write NAME=value; got {line!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(name, value)


read_env_file(os.environ.get("DEALTRACKER_ENV_FILE", BASE_DIR / ".env"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off; got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name, default):
    """A request rate as DRF's throttles read it: "120/min", "5000/hour", "10/s"."""
    raw = os.environ.get(name) or default
    count, _, period = raw.strip().partition("/")
    if not count.isdigit() or period not in {"s", "sec", "m", "min", "h", "hour", "d", "day"}:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per s, min, hour or day, e.g. 120/min; "
            f"got {raw!r}"
        )
    return f"{int(count)}/{period}"


def env_cache(name):
    """Redis when a redis:// URL is given (shared by every process), else process memory."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if raw.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    raise ImproperlyConfigured(f"{name} must be a redis://, rediss:// or unix:// URL; got {raw!r}")


def env_email(name):
    """Django's e-mail settings from a URL: smtp://user:password@host:port (plain, port 25
    by default), smtp+tls:// (STARTTLS, 587) or smtps:// (TLS from the start, 465);
    console:// writes messages to the console. User and password are percent-decoded."""
    raw = os.environ.get(name, "").strip()
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    ports = {"smtp": 25, "smtp+tls": 587, "smtps": 465}
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ports or not parts.hostname or port == -1:
        raise ImproperlyConfigured(
            f"{name} must be smtp://, smtp+tls://, smtps:// (user:password@host:port) or "
            f"console://; got {raw!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or ports[parts.scheme],
        "EMAIL_HOST_USER": urllib.parse.unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": urllib.parse.unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


def env_database(name, default):
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(
            raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
    if config["ENGINE"] not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL; got {raw!r}")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: it is meant for long analytic queries, and on the site's
        # aggregates over a million deals it spent 2 s compiling a query that runs in
        # 0.1 s (docs/performance.md). Random reads priced as on SSD storage (the
        # default, 4, prices a spinning disk): a scope's kept figures, 5 % of their
        # table at a million deals, are then read by index (0.24 s) rather than by a
        # scan of the whole table (0.67 s). A URL's own ?options= takes precedence.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")
    return config


DEBUG = env_bool("DEBUG", False)

# A first run with DEBUG on may go without a key: a random one is made per process
# (sessions then end at restart). Anything else must be given a real key.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-" + get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries need a scheme (https://example.org); got {_origin!r}"
        )

INSTALLED_APPS = [
    "deals.apps.DealTrackerAdminConfig",  # django.contrib.admin, on our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # its sitemap.xml template; no sites framework needed
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "deals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dealtracker.middleware.RequestSizeLimitMiddleware",
    # Before sessions: an anonymous reader's cached page costs no session or user lookup.
    "deals.caching.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the language of a page
    # is its address (/zh-hans/…; English unprefixed), never a guess from the browser.
    "django.middleware.locale.LocaleMiddleware",
    # The API has no prefixed addresses: it answers in the client's Accept-Language.
    "dealtracker.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous readers' GETs may read from the replica (with DATABASE_REPLICA_URL).
    "dealtracker.middleware.ReadReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dealtracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "dealtracker.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A read replica of the primary, for anonymous readers' pages and API reads; writes,
# signed-in users and management commands keep to the primary (dealtracker/routers.py).
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", None)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must be a replica of DATABASE_URL, on the same kind of database"
        )
    DATABASE_ROUTERS = ["dealtracker.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies (forms, API JSON; not uploaded files) over this many bytes: refused, 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After AXES_FAILURE_LIMIT failed sign-ins, that account is locked from that address for
# AXES_COOLOFF_MINUTES (answered 429). Every attempt is logged; editors unlock an account
# by deleting its "access attempt" in the admin. API tokens are not affected.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT must be at least 1 and AXES_COOLOFF_MINUTES at least 1"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The public pages in English (at /) and Simplified Chinese (at /zh-hans/); the
# translations are locale/zh_Hans/LC_MESSAGES/django.po, compiled by make run / make test.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone name; got {TIME_ZONE!r}")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Behind a TLS-terminating proxy (the production layout), trust its header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# Sign-in lockouts by the client's address: behind the proxy, the last X-Forwarded-For
# entry (the one the proxy added), as for the API's throttles; else the connection's.
AXES_CLIENT_IP_CALLABLE = "dealtracker.signin.client_ip" if SECURE_PROXY_SSL_HEADER else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Everything is served by the site itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

COUNTRIES_FIRST = ["CN", "US"]

# Addresses per page of a sitemap section (deals/sitemaps.py): at most 50,000, the
# sitemap protocol's limit.
SITEMAP_URLS_PER_PAGE = env_int("SITEMAP_URLS_PER_PAGE", 50_000)
if not 1 <= SITEMAP_URLS_PER_PAGE <= 50_000:
    raise ImproperlyConfigured("SITEMAP_URLS_PER_PAGE must be from 1 to 50000")

# One JSON object per line in production (for the log collector), plain text while
# developing. LOG_FORMAT overrides: "json" or "text".
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "dealtracker.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Throttle counters and anything else cached. Several app servers must share one
# Redis (CACHE_URL), or each would keep its own counters and allow that many times more.
CACHES = {"default": env_cache("CACHE_URL")}
# Sessions (staff sign-ins) in the database, not the cache: any app server can read
# them, and a Redis restart or outage does not sign every editor out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Public pages and API reads kept for anonymous readers, and costly figures, put out of
# use at once by any edit (deals/caching.py). Seconds an entry may live; 0 turns it off.
# On by default only with CACHE_URL: in process memory each process would keep its own
# copy, and an edit made through one process would not reach the others.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600 if os.environ.get("CACHE_URL") else 0)
if PUBLIC_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(
        f"PUBLIC_CACHE_SECONDS must be 0 (off) or more; got {PUBLIC_CACHE_SECONDS}"
    )

# A deal still open (announced, signed, in progress, stalled) with no status evidence for
# this many months reads "no news since …" and is listed on the dashboard for a check.
FOLLOW_UP_MONTHS = env_int("FOLLOW_UP_MONTHS", 12)
if FOLLOW_UP_MONTHS < 1:
    raise ImproperlyConfigured(f"FOLLOW_UP_MONTHS must be 1 or more; got {FOLLOW_UP_MONTHS}")

# E-mail (readers' follows and their daily digests, deals/follows.py): SMTP from
# EMAIL_URL; without it, the console while DEBUG (make run prints the messages), else
# Django's default, an SMTP server on localhost:25.
if os.environ.get("EMAIL_URL", "").strip():
    globals().update(env_email("EMAIL_URL"))
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Deal Tracker <deals@localhost>")
# The site's address as readers reach it, for the links in digests (sent by a command,
# with no request to take it from). Default: localhost while DEBUG, else the first
# ALLOWED_HOSTS entry over HTTPS.
SITE_URL = env_str(
    "SITE_URL",
    f"http://localhost:{env_int('PORT', 8000)}"
    if DEBUG
    else (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else ""),
).rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://; got {SITE_URL!r}")

# The API (/api/v1/): see deals/api/ and the README's "API" section.
REST_FRAMEWORK = {
    # Token first: an unauthenticated write is answered 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["deals.api.permissions.ModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": ["deals.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "deals.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "deals.api.throttling.AnonRateThrottle",
        "deals.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/min"),
        "user": env_rate("API_THROTTLE_USER", "600/min"),
    },
    # Clients are told apart by address: the proxy's last X-Forwarded-For entry behind
    # one, else the connection's, so a client cannot dodge its limit with a made-up header.
    "NUM_PROXIES": 1 if SECURE_PROXY_SSL_HEADER else 0,
    "EXCEPTION_HANDLER": "deals.api.exceptions.handle_exception",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Deal Tracker API",
    "DESCRIPTION": (BASE_DIR / "deals" / "api" / "description.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "QualifierEnum": "deals.models.Qualifier",
        "DealStatusEnum": "deals.models.Deal.Status",
        "CountryEnum": "deals.api.schema.country_choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "deals.api.schema.document_errors",
    ],
    # Served by the site itself (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the online validator: the page loads nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
