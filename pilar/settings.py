"""Pilar's one settings module, driven by environment variables.

SQLite in ``var/`` by default so the demo needs no server; PostgreSQL when
``DATABASE_URL`` is set. Security settings harden automatically when DEBUG is off.
"""

import os
from pathlib import Path
from typing import Any, Required, TypedDict

import dj_database_url
from django.utils.translation import gettext_lazy as _

from pilar.core.net import parse_proxies

BASE_DIR = Path(__file__).resolve().parent.parent
if os.environ.get("PILAR_ENV_FILE"):
    # The production env file, read literally (pilar/core/envfile.py): never sourced by a shell.
    from pilar.core.envfile import load as _load_env_file

    _load_env_file(os.environ["PILAR_ENV_FILE"])
DATA_DIR = Path(os.environ.get("PILAR_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Without SECRET_KEY, management commands still run (migrations, checks), but `check --deploy` flags
# the placeholder and the web server refuses to start (pilar/wsgi.py).
SECRET_KEY = os.environ.get("SECRET_KEY", "") or "django-insecure-pilar-set-SECRET_KEY"  # noqa: S105
SECRET_KEY_IS_SET = bool(os.environ.get("SECRET_KEY"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The kota/kabupaten this installation serves (Kemendagri code).
PILAR_REGION = os.environ.get("PILAR_REGION", "36.71")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_zxcvbn_password_validator",  # its Indonesian messages
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "pilar.core",
    "pilar.regions",
    "pilar.accounts",
    "pilar.audit",
    "pilar.identity",
    "pilar.workers",
    "pilar.registry",
    "pilar.stats",
    "pilar.notifications",
    "pilar.cases",
    "pilar.referrals",
    "pilar.complaints",
    "pilar.programs",
    "pilar.trainings",
    "pilar.activities",
    "pilar.incentives",
    "pilar.regional",
    "pilar.ops",
    "pilar.rights",
    "pilar.demo",
    "pilar.reports",
    "pilar.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy and no-store on answers that may carry personal data.
    "csp.middleware.CSPMiddleware",
    "pilar.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pilar.core.middleware.SessionRefreshMiddleware",
    "pilar.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pilar.accounts.middleware.SignInStepsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (CSRF does, in its view hook): control characters, oversized uploads.
    "pilar.core.guard.RequestGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pilar.urls"
WSGI_APPLICATION = "pilar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pilar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pilar.accounts.context_processors.access",
                "pilar.notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'pilar.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# An opt-in PostgreSQL read replica for the big exports (pilar/core/dbrouter.py, docs/scaling.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pilar.core.dbrouter.ReplicaRouter"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the demo server, a worker and a CLI share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # zxcvbn's estimate, with the office's own words (city, office, region names, the username) as a dictionary.
    {"NAME": "pilar.accounts.passwords.PilarZxcvbnValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# zxcvbn score 0-4: 3 = "safely unguessable" (about 10^8 guesses), the level for staff holding personal data.
PASSWORD_MINIMAL_STRENGTH = int(os.environ.get("PILAR_PASSWORD_STRENGTH", "3"))
# The second factor (pilar/accounts/mfa.py): the issuer shown in authenticator apps; wrong codes slow down
# exponentially per device.
OTP_TOTP_ISSUER = os.environ.get("PILAR_OTP_ISSUER", "Pilar")
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (pilar/accounts/lockout.py, docs/security.md): an account is locked from one address after
# PILAR_LOGIN_FAILURE_LIMIT failures; an address is throttled after PILAR_LOGIN_ADDRESS_LIMIT failures over any
# usernames; both for PILAR_LOGIN_COOLOFF_HOURS. A right password with a valid second factor passes both.
AXES_FAILURE_LIMIT = int(os.environ.get("PILAR_LOGIN_FAILURE_LIMIT", "5"))
PILAR_LOGIN_ADDRESS_LIMIT = int(os.environ.get("PILAR_LOGIN_ADDRESS_LIMIT", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("PILAR_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "pilar.accounts.lockout.PilarAxesHandler"
AXES_CLIENT_IP_CALLABLE = "pilar.core.net.client_ip"  # the same address the complaint limit counts
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "pilar.accounts.lockout.second_factor_proven"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp"]
AXES_LOCKOUT_CALLABLE = "pilar.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Sessions end after 8 idle hours and when the browser closes. A session in use is written again at most once
# a minute (pilar.core.middleware.SessionRefreshMiddleware), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("PILAR_SESSION_SECONDS", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
PILAR_SESSION_REFRESH_SECONDS = int(os.environ.get("PILAR_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PILAR_API_TOKEN_HOURS = int(os.environ.get("PILAR_API_TOKEN_HOURS", "12"))
# Password reset links (docs/accounts.md): valid this long, and at most so many requests an hour per client
# address and per e-mail address typed.
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("PILAR_PASSWORD_RESET_HOURS", "2")) * 3600)
PILAR_PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("PILAR_PASSWORD_RESET_ADDRESS_LIMIT", "10"))
PILAR_PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("PILAR_PASSWORD_RESET_EMAIL_LIMIT", "3"))

# The office: links in emails, the signature under certificates and payroll recaps.
PILAR_BASE_URL = os.environ.get("PILAR_BASE_URL", "")  # e.g. https://pilar.dinsos.example.go.id
PILAR_HEAD_OF_OFFICE_NAME = os.environ.get("PILAR_HEAD_OF_OFFICE_NAME", "")
PILAR_HEAD_OF_OFFICE_NIP = os.environ.get("PILAR_HEAD_OF_OFFICE_NIP", "")
# Days an agency has to accept or decline a referral before it is overdue and reminded.
PILAR_REFERRAL_ANSWER_DAYS = int(os.environ.get("PILAR_REFERRAL_ANSWER_DAYS", "3"))
# Addresses/networks of the reverse proxies in front of Pilar (pilar/core/net.py): only a connection from one
# of them has its X-Forwarded-For read, right to left, up to the first address that is not ours. Checked here,
# so that a wrong value stops every process at start instead of counting all clients as the proxy.
PILAR_TRUSTED_PROXIES = os.environ.get("PILAR_TRUSTED_PROXIES", "")
parse_proxies(PILAR_TRUSTED_PROXIES)
# A complainant's name, phone and photo are erased this many days after triage (`pilar erase-complaint-contacts`).
PILAR_COMPLAINT_CONTACT_DAYS = int(os.environ.get("PILAR_COMPLAINT_CONTACT_DAYS", "365"))

# Uploads (docs/security.md): each file is counted while it streams and refused past its limit.
PILAR_IMPORT_MAX_BYTES = int(float(os.environ.get("PILAR_IMPORT_MAX_MB", "100")) * 1024 * 1024)
# Exports of more rows than this are written by the task worker and downloaded when ready (docs/performance.md).
PILAR_EXPORT_STREAM_MAX_ROWS = int(os.environ.get("PILAR_EXPORT_STREAM_MAX_ROWS", "50000"))
PILAR_UPLOAD_MAX_PIXELS = int(float(os.environ.get("PILAR_UPLOAD_MAX_MEGAPIXELS", "50")) * 1_000_000)
FILE_UPLOAD_HANDLERS = [
    "pilar.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A strict Content-Security-Policy (docs/security.md): scripts and styles only from Pilar's own static files
# (htmx included) or carrying the request's nonce; never inline code, eval, plugins, or framing by other sites.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Registrations routed to Dinsos because the NIK/KK exists outside the user's area, per user per 24 hours.
PILAR_REGISTRATION_REQUESTS_PER_DAY = int(os.environ.get("PILAR_REGISTRATION_REQUESTS_PER_DAY", "5"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pilar" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "pilar" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"

# Background work (imports, deduplication, payroll files) goes through the Django Tasks API: the database queue
# by default (no extra server; `pilar db_worker`), RQ on Redis when REDIS_URL is set (`pilar rqworker
# --job-class django_tasks_rq.Job`), for several app servers and workers.
REDIS_URL = os.environ.get("REDIS_URL", "")


class TaskBackend(TypedDict, total=False):
    """One entry of ``TASKS``: the backend's class path (read by ``pilar worker`` and the health checks), and
    for RQ the queues it serves."""

    BACKEND: Required[str]
    QUEUES: list[str]


TASKS: dict[str, TaskBackend]
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3 * 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": os.environ.get("PILAR_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Mail: SMTP as soon as EMAIL_HOST is set (docs/operations.md); the console otherwise (development).
# Uploaded files on S3-compatible object storage when a bucket is configured (several app servers share them).
if os.environ.get("PILAR_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PILAR_S3_BUCKET"],
            "endpoint_url": os.environ.get("PILAR_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PILAR_S3_REGION") or None,
            "access_key": os.environ.get("PILAR_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("PILAR_S3_SECRET_KEY") or None,
            "location": os.environ.get("PILAR_S3_PREFIX", "media"),
            "default_acl": "private",  # personal data: never a public URL
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Cache and sessions in Redis when REDIS_URL is set: every app server behind the proxy shares them. Sessions
# stay written to the database too (cached_db), so that the account page can list and end them.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)  # STARTTLS
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)  # TLS from the first byte
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pilar@localhost")

# Hardened transport when not in DEBUG; a proxy in front terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Monitoring probes ask over plain HTTP on the machine itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Backups (`pilar backup`, docs/operations.md): where archives go and how many the rotation keeps.
PILAR_BACKUP_DIR = Path(os.environ.get("PILAR_BACKUP_DIR", DATA_DIR / "backups"))
PILAR_BACKUP_KEEP = {
    "daily": int(os.environ.get("PILAR_BACKUP_KEEP_DAILY", "7")),
    "weekly": int(os.environ.get("PILAR_BACKUP_KEEP_WEEKLY", "4")),
    "monthly": int(os.environ.get("PILAR_BACKUP_KEEP_MONTHLY", "12")),
}
# /readyz and `pilar doctor` warn when the newest backup is older than this.
PILAR_BACKUP_MAX_AGE_HOURS = int(os.environ.get("PILAR_BACKUP_MAX_AGE_HOURS", "26"))
# A field submission's first answer is kept this long for replays of its Idempotency-Key (pilar/core/idempotency.py).
PILAR_IDEMPOTENCY_DAYS = int(os.environ.get("PILAR_IDEMPOTENCY_DAYS", "7"))
# Finished background-task results are pruned after this many days (the `prune-task-results` job).
PILAR_TASK_RESULT_DAYS = int(os.environ.get("PILAR_TASK_RESULT_DAYS", "30"))
# The dashboard's summary tables are rebuilt from the records this often (minutes); in between they follow
# the registry's events as they happen (docs/dashboard.md).
PILAR_STATS_REBUILD_MINUTES = int(os.environ.get("PILAR_STATS_REBUILD_MINUTES", "5"))
