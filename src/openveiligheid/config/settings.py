"""Settings, all from environment variables (documented in README.md, "Configuration").

Without any variables set the product runs as the embedded demo: SQLite under var/, DEBUG on,
mail to the console. Production sets OPENVEILIGHEID_ENV=production, SECRET_KEY, DATABASE_URL and
ALLOWED_HOSTS; `openveiligheid check --deploy` then passes.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENVEILIGHEID_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("OPENVEILIGHEID_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 32:
        # Read by the console script, which prints this one line instead of a traceback.
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt of is korter dan 32 tekens; zet een lange willekeurige waarde "
            "in de omgeving (bijvoorbeeld: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
else:
    # A development key only: production refuses to start without SECRET_KEY.
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret-" + "x" * 40)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, for superusers only (organisations manage their users in the product).
    "openveiligheid.core.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "openveiligheid.core",
    "openveiligheid.organisations",
    "openveiligheid.areas",
    "openveiligheid.privacy",
    "openveiligheid.plans",
    "openveiligheid.indicators",
    "openveiligheid.actions",
    "openveiligheid.programme",
    "openveiligheid.signals",
    "openveiligheid.meetings",
    "openveiligheid.reports",
    "openveiligheid.dashboards",
    "openveiligheid.imports",
    "openveiligheid.public",
    "openveiligheid.api",
    "openveiligheid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "openveiligheid.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files are not application events.
    "openveiligheid.core.log.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login: which device verified the session, then the verification step before
    # any other page (privacy.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "openveiligheid.privacy.two_factor.TwoFactorMiddleware",
    "openveiligheid.core.security.RequestBodyGuard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openveiligheid.config.urls"
WSGI_APPLICATION = "openveiligheid.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "openveiligheid.core.context_processors.layout_urls",
                "openveiligheid.core.context_processors.main_menu",
                "openveiligheid.organisations.context_processors.current_organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openveiligheid.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart (or
        # a connection cut by a proxy) each worker would otherwise answer its next request with
        # a server error before noticing. One cheap round trip per request, only when reused.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers (and threads) share the embedded database; a write waits for the
    # one before it instead of failing with "database is locked":
    # - WAL: readers never block the writer nor the writer the readers;
    # - IMMEDIATE: a transaction takes the write lock when it begins, so two transactions that
    #   read and then write cannot deadlock on upgrading their locks (SQLite answers such a
    #   deadlock at once with "database is locked", whatever the timeout);
    # - timeout: how long a write waits for the lock (seconds).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
else:
    # Choice fields iterate their querysets with .iterator(), which on PostgreSQL opens a
    # server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a list of a few rows
    # (three such lists on every action list page). Plain queries fetch them in one.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from CACHE_URL: locmem://[name] (one cache per process), dummy://,
    file:///absolute/path, db://table (after `openveiligheid createcachetable`),
    redis://host:6379/0 (needs the redis package) or memcached://host:11211 (needs pymemcache)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    backends = "django.core.cache.backends."
    if parts.scheme == "locmem":
        return {
            "BACKEND": backends + "locmem.LocMemCache",
            "LOCATION": parts.netloc or "openveiligheid",
            # A rendered dashboard is ~150 KB; keep the dashboards of a few hundred plans.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if parts.scheme == "dummy":
        return {"BACKEND": backends + "dummy.DummyCache"}
    if parts.scheme == "file":
        return {
            "BACKEND": backends + "filebased.FileBasedCache",
            "LOCATION": parts.path,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if parts.scheme == "db":
        return {"BACKEND": backends + "db.DatabaseCache", "LOCATION": parts.netloc or parts.path}
    if parts.scheme in ("redis", "rediss"):
        return {"BACKEND": backends + "redis.RedisCache", "LOCATION": url}
    if parts.scheme == "memcached":
        return {"BACKEND": backends + "memcached.PyMemcacheCache", "LOCATION": parts.netloc}
    raise ValueError(f"CACHE_URL: unknown scheme {parts.scheme!r} in {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# Every request reads its session: from the cache when all workers share one (not with a memory
# cache per process, where a logged-out session would stay valid in the other workers' memory).
_PER_PROCESS_OR_DB_CACHE = ("LocMemCache", "DummyCache", "DatabaseCache")
SESSION_ENGINE = "django.contrib.sessions.backends." + (
    "db" if CACHES["default"]["BACKEND"].endswith(_PER_PROCESS_OR_DB_CACHE) else "cached_db"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "openveiligheid.organisations.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of 20.000 breached passwords, also against a padded or repeated one
    # (README, "Passwords"); offline.
    {"NAME": "openveiligheid.organisations.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a login for an account or address that is locked out.
    "axes.backends.AxesStandaloneBackend",
    "openveiligheid.organisations.backends.MembershipModelBackend",
]
# OpenID Connect single sign-on (mozilla-django-oidc, organisations.oidc; README "Single sign-on"):
# off unless OIDC_RP_CLIENT_ID is set. The provider says who someone is; only an existing active
# user with that e-mail address signs in, roles stay those granted in the product, and two-factor
# login still applies.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "uw organisatie")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False
    OIDC_TIMEOUT = 10
    _oidc_required = {
        "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    }
    if not OIDC_RP_SIGN_ALGO.startswith("HS"):
        _oidc_required["OIDC_OP_JWKS_ENDPOINT"] = OIDC_OP_JWKS_ENDPOINT
    _oidc_missing = [name for name, value in _oidc_required.items() if not value]
    if _oidc_missing:
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is gezet, maar " + ", ".join(_oidc_missing) + " ontbreekt; "
            "zet ze in de omgeving of laat OIDC_RP_CLIENT_ID leeg."
        )
    AUTHENTICATION_BACKENDS.append("openveiligheid.organisations.oidc.ExistingUserOIDCBackend")
# Lock-out after repeated failed logins (django-axes), per account and, separately, per address:
# guessing one password or trying many accounts from one place both stop.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "openveiligheid.core.security.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies in front add
# X-Forwarded-For (a client could write that header itself when no proxy is in front).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
# The name an authenticator app shows next to the account.
OTP_TOTP_ISSUER = "Open Veiligheid"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "openveiligheid.core.storage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # Uploaded files between preview and confirmation: private, never served.
    "uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("OPENVEILIGHEID_UPLOAD_DIR", str(VAR_DIR / "uploads")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
# One limit for every upload (figures, plans, action sheets), and how long uploads are kept.
OPENVEILIGHEID_UPLOAD_MAX_BYTES = int(
    os.environ.get("OPENVEILIGHEID_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
# An organisation's logo (organisations.logos): PNG or JPEG up to this size.
OPENVEILIGHEID_LOGO_MAX_BYTES = int(
    os.environ.get("OPENVEILIGHEID_LOGO_MAX_BYTES", str(1024 * 1024))
)
# What an uploaded office file (DOCX, XLSX) may unpack to, and how much a spreadsheet may hold
# (core.archives): a small file must not take a worker's memory or time.
OPENVEILIGHEID_MAX_UNPACKED_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MAX_UNPACKED_BYTES", str(150 * 1024 * 1024))
)
OPENVEILIGHEID_MAX_COMPRESSION_RATIO = int(
    os.environ.get("OPENVEILIGHEID_MAX_COMPRESSION_RATIO", "100")
)
OPENVEILIGHEID_MAX_ARCHIVE_PARTS = int(os.environ.get("OPENVEILIGHEID_MAX_ARCHIVE_PARTS", "2000"))
OPENVEILIGHEID_MAX_SPREADSHEET_CELLS = int(
    os.environ.get("OPENVEILIGHEID_MAX_SPREADSHEET_CELLS", str(2_000_000))
)
# What reading one upload may cost, for every format (core.limits); each refusal names its limit.
# The largest XML part an office file may hold for its text (word/document.xml, the shared strings
# of a workbook): such a part is read whole, and takes several times its size in memory.
OPENVEILIGHEID_MAX_DOCUMENT_PART_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MAX_DOCUMENT_PART_BYTES", str(30 * 1024 * 1024))
)
OPENVEILIGHEID_MAX_SHARED_STRINGS_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MAX_SHARED_STRINGS_BYTES", str(20 * 1024 * 1024))
)
# Rows of a CSV, text file or spreadsheet; characters of one line or CSV field; text of a document;
# paragraphs and table rows of a DOCX; pages of a PDF; size, values and nesting of a JSON file.
OPENVEILIGHEID_MAX_ROWS = int(os.environ.get("OPENVEILIGHEID_MAX_ROWS", "250000"))
OPENVEILIGHEID_MAX_LINE_CHARS = int(os.environ.get("OPENVEILIGHEID_MAX_LINE_CHARS", "100000"))
OPENVEILIGHEID_MAX_TEXT_CHARS = int(
    os.environ.get("OPENVEILIGHEID_MAX_TEXT_CHARS", str(10_000_000))
)
OPENVEILIGHEID_MAX_PARAGRAPHS = int(os.environ.get("OPENVEILIGHEID_MAX_PARAGRAPHS", "100000"))
OPENVEILIGHEID_MAX_PDF_PAGES = int(os.environ.get("OPENVEILIGHEID_MAX_PDF_PAGES", "500"))
# What one stream of a PDF (a page's content) may unpack to.
OPENVEILIGHEID_MAX_PDF_STREAM_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MAX_PDF_STREAM_BYTES", str(5 * 1024 * 1024))
)
OPENVEILIGHEID_MAX_JSON_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MAX_JSON_BYTES", str(20 * 1024 * 1024))
)
OPENVEILIGHEID_MAX_JSON_ITEMS = int(os.environ.get("OPENVEILIGHEID_MAX_JSON_ITEMS", str(2_000_000)))
OPENVEILIGHEID_MAX_JSON_DEPTH = int(os.environ.get("OPENVEILIGHEID_MAX_JSON_DEPTH", "64"))
# All reading (and extracting) of one upload, in seconds: a refusal within 10 s, far below the
# worker timeout (30 s), as the plan and action sheet uploads read in the request (a plan of 5.000
# actions reads in 2 s).
# Figures are read outside the web request (imports.jobs), in a process of their own with at most
# OPENVEILIGHEID_IMPORT_MEMORY_BYTES of memory; OPENVEILIGHEID_IMPORT_JOBS=inline reads them in the
# request instead (tests).
OPENVEILIGHEID_MAX_PARSE_SECONDS = float(os.environ.get("OPENVEILIGHEID_MAX_PARSE_SECONDS", "8"))
OPENVEILIGHEID_IMPORT_MEMORY_BYTES = int(
    os.environ.get("OPENVEILIGHEID_IMPORT_MEMORY_BYTES", str(768 * 1024 * 1024))
)
OPENVEILIGHEID_IMPORT_JOBS = os.environ.get("OPENVEILIGHEID_IMPORT_JOBS", "process")
OPENVEILIGHEID_UPLOAD_RETENTION_DAYS = int(
    os.environ.get("OPENVEILIGHEID_UPLOAD_RETENTION_DAYS", "30")
)

if not PRODUCTION:
    # Development and tests serve static files straight from the apps, without collectstatic.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = DEBUG
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "openveiligheid@localhost")
# How long the link in an invitation e-mail (organisations.tokens) lets the invitee set a password.
OPENVEILIGHEID_INVITATION_HOURS = int(os.environ.get("OPENVEILIGHEID_INVITATION_HOURS", "72"))

# Keys of the privacy app (README, "Configuration"): each a long random value from the
# environment, never in the database or the repository. As with SECRET_KEY, only development and
# the demo (not OPENVEILIGHEID_ENV=production, whatever DEBUG says: `make demo` runs with DEBUG
# off) have stand-ins; in production a missing key stops every write of person-level data, and
# `openveiligheid check --deploy` reports it.
_DEVELOPMENT_ONLY = "development-only-not-secret-"
# HMAC key of the audit trail's hash chain.
OPENVEILIGHEID_AUDIT_KEY = os.environ.get(
    "OPENVEILIGHEID_AUDIT_KEY", _DEVELOPMENT_ONLY + "audit" if not PRODUCTION else ""
)
# Fernet keys of the identity store, comma-separated, newest first: the first encrypts, every one
# decrypts, so a new key goes in front and `openveiligheid identities rotate-keys` re-encrypts.
# (The stand-in is a valid Fernet key: base64 of 32 bytes.)
OPENVEILIGHEID_IDENTITY_KEYS = env_list(
    "OPENVEILIGHEID_IDENTITY_KEYS",
    "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWlkZW4=" if not PRODUCTION else "",
)
# HMAC key of the pseudonyms that reports and cases store instead of a person.
OPENVEILIGHEID_PSEUDONYM_KEY = os.environ.get(
    "OPENVEILIGHEID_PSEUDONYM_KEY", _DEVELOPMENT_ONLY + "pseudonym" if not PRODUCTION else ""
)

# Retention periods in months, the defaults of every municipality (its privacy officer may set its
# own, privacy.RetentionPeriod); `openveiligheid purge` deletes what is older.
OPENVEILIGHEID_RETENTION_MONTHS = {
    "report_dismissed": int(
        os.environ.get("OPENVEILIGHEID_RETENTION_REPORT_DISMISSED_MONTHS", "12")
    ),
    "report_handled": int(os.environ.get("OPENVEILIGHEID_RETENTION_REPORT_HANDLED_MONTHS", "24")),
    "report_forwarded": int(
        os.environ.get("OPENVEILIGHEID_RETENTION_REPORT_FORWARDED_MONTHS", "24")
    ),
    "report_case": int(os.environ.get("OPENVEILIGHEID_RETENTION_REPORT_CASE_MONTHS", "60")),
    "attachment": int(os.environ.get("OPENVEILIGHEID_RETENTION_ATTACHMENT_MONTHS", "12")),
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): only the product's own scripts, styles, images and fonts;
# no inline script at all, inline <style> only with the per-response nonce. Pages may not be
# framed and forms post only to the product.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF, CSP_NONCE],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from any client.
    # gunicorn sets the request's scheme from that header only for the proxies named in
    # FORWARDED_ALLOW_IPS (`openveiligheid serve`), and Django reads the scheme from there.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    # Machine clients use an API key (Bearer), browsers their session; no Basic authentication.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "openveiligheid.organisations.api.authentication.ApiTokenAuthentication",
        "openveiligheid.organisations.api.authentication.SessionAuthentication",
    ],
    # Error messages in the pages' Dutch (with "u") or English (openveiligheid.core.api.messages).
    "EXCEPTION_HANDLER": "openveiligheid.core.api.messages.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # The client address the throttles count by: X-Forwarded-For only behind trusted proxies,
    # as for the login lock-out.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "30/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "240/minute"),
        # /api/public/ (no login), per client address: reads, and reports sent to the meldpunt
        # (which also count towards OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR, as on the page).
        "public": os.environ.get("API_THROTTLE_PUBLIC", "60/minute"),
        "public_report": os.environ.get("API_THROTTLE_PUBLIC_REPORT", "3/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "openveiligheid.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Veiligheid API",
    "DESCRIPTION": "Plans, indicators, measurements, actions and programmes of safety policy.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation describe /api/v1/, which needs a login or an API key:
    # so do they. Everything without login is under /api/public/ (with a schema of its own).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # /api/public/ has a schema of its own (public.api.schema).
    "PREPROCESSING_HOOKS": ["openveiligheid.core.api.schema.leave_out_public_api"],
    # The error answers of every operation (openveiligheid.core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "openveiligheid.core.api.schema.document_errors",
    ],
    # The API docs load Swagger UI / ReDoc from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# One line per event as key=value pairs, each with its request id and user or its command name
# (openveiligheid.core.log).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "openveiligheid.core.log.ContextFilter"}},
    "formatters": {"key_value": {"()": "openveiligheid.core.log.KeyValueFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "key_value",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own line per 4xx repeats what the request line (with its status) and the
        # permission_denied line say; server errors (with traceback) are still logged.
        "django.request": {"level": "ERROR"},
    },
}

# Request bodies other than files (form fields, API JSON). Uploaded files stop being kept once they
# pass OPENVEILIGHEID_UPLOAD_MAX_BYTES (the form then refuses them with the usual message); below
# that they are held in memory (FILE_UPLOAD_HANDLERS below).
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# The largest request body at all, checked by its Content-Length before anything reads it
# (core.security.RequestBodyGuard): an upload at the limit plus the form around it.
OPENVEILIGHEID_MAX_REQUEST_BYTES = int(
    os.environ.get(
        "OPENVEILIGHEID_MAX_REQUEST_BYTES", str(OPENVEILIGHEID_UPLOAD_MAX_BYTES + 1024 * 1024)
    )
)
# Uploads are kept in memory (at most the request limit) and never in a temporary file: a worker
# stopped in the middle of a request then leaves nothing behind in the temporary directory.
FILE_UPLOAD_HANDLERS = [
    "openveiligheid.imports.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = OPENVEILIGHEID_MAX_REQUEST_BYTES

# The public meldpunt (signals): attachments per report and their size, reports per client and
# hour (counted in the cache). Its anonymous uploads pass core.security.RequestBodyGuard up to
# the attachments' total plus the form around them.
OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS = int(
    os.environ.get("OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS", "3")
)
OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES", str(5 * 1024 * 1024))
)
OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = int(
    os.environ.get("OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR", "5")
)
_MELDPUNT_UPLOAD_BOUND = (
    OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS * OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES
    + 64 * 1024
)
# The public information pages (public): counts below this number are shown as "< n" on the pages
# and in the open data (0 shows every count); subscriptions to new reports: how long the
# confirmation link works (an unconfirmed address is deleted after that), how many subscription
# requests one client may send per hour, and the address the mails link to.
OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW = int(
    os.environ.get("OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW", "5")
)
OPENVEILIGHEID_PUBLIC_CONFIRMATION_HOURS = int(
    os.environ.get("OPENVEILIGHEID_PUBLIC_CONFIRMATION_HOURS", "72")
)
OPENVEILIGHEID_PUBLIC_SUBSCRIBE_PER_HOUR = int(
    os.environ.get("OPENVEILIGHEID_PUBLIC_SUBSCRIBE_PER_HOUR", "5")
)
OPENVEILIGHEID_PUBLIC_BASE_URL = os.environ.get(
    "OPENVEILIGHEID_PUBLIC_BASE_URL", "" if PRODUCTION else "http://localhost:8000"
)
OPENVEILIGHEID_PUBLIC_UPLOAD_PATHS = {
    "/meldpunt/": _MELDPUNT_UPLOAD_BOUND,
    "/api/public/v1/meldpunt/": _MELDPUNT_UPLOAD_BOUND,
}
