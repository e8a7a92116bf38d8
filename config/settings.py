"""PainMind settings: every value comes from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from painmind.lib.secret_key import DEV_SECRET_KEY, read_key_file

# Lets generic Django classes be subscripted at runtime (ModelAdmin[User]) for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("PAINMIND_DEBUG", False)
DATA_DIR = Path(env_str("PAINMIND_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# Only this account may read the database, the secret key or the collected files (`painmind
# serve` also tightens a folder that already exists: docs/security.md).
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

# The key: PAINMIND_SECRET_KEY, else the one `painmind serve` generated into the data folder on
# its first run, else the published development key (for tests and `runserver` only: `painmind
# serve` and `check --deploy` refuse it, painmind.E010).
SECRET_KEY = env_str("PAINMIND_SECRET_KEY", "") or read_key_file(DATA_DIR) or DEV_SECRET_KEY
SECRET_KEY_FROM = (
    "PAINMIND_SECRET_KEY"
    if env_str("PAINMIND_SECRET_KEY", "")
    else ("the data folder" if SECRET_KEY != DEV_SECRET_KEY else "the development default")
)
if not DEBUG and DEV_SECRET_KEY == SECRET_KEY and env_bool("PAINMIND_REQUIRE_SECRET_KEY", False):
    raise ValueError("PAINMIND_SECRET_KEY must be set when PAINMIND_REQUIRE_SECRET_KEY is on")

ALLOWED_HOSTS = env_list("PAINMIND_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("PAINMIND_CSRF_TRUSTED_ORIGINS", "")

# Behind a TLS-terminating proxy, set PAINMIND_SECURE=1: secure cookies, HSTS, https redirect.
SECURE = env_bool("PAINMIND_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
# Both bind every subdomain of the site's domain (preload: for years, in browsers' lists): the
# domain owner's decision, off unless set. Django's deploy check warns about each while it is off;
# README says to decide, so those two warnings are silenced here instead of repeated.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE and env_bool("PAINMIND_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = SECURE and env_bool("PAINMIND_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PAINMIND_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; docs/security.md): scripts, styles, images, fonts and
# requests only from this site, no inline script or style anywhere (templates load static files;
# HTMX's own indicator style is off in base.html), no plugins, no framing, forms post only here.
# data: images are allowed for the API docs' icons; nothing else comes from a data: URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Client IP for the audit log: only trust X-Forwarded-For behind a known proxy.
TRUST_X_FORWARDED_FOR = env_bool("PAINMIND_TRUST_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "painmind.accounts",
    "painmind.safety",
    "painmind.diary",
    "painmind.meds",
    "painmind.careplan",
    "painmind.insights",
    "painmind.reminders",
    "painmind.selfcare",
    "painmind.care",
    "painmind.exchange",
    "painmind.ops",
    # After our apps: painmind/accounts/templates overrides allauth's templates.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their own caching headers (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "painmind.lib.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "painmind.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After messages and allauth's context: a clinician or admin without a second factor is sent
    # to enrolment (PAINMIND_MFA_REQUIRED_ROLES, docs/accounts.md).
    "painmind.accounts.signin.mfa.RequireMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns lockouts raised during authentication into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "painmind" / "templates"],
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

_sqlite_path = DATA_DIR / "painmind.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=env_int("PAINMIND_DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; the busy timeout makes concurrent writers wait
    # instead of failing with "database is locked"; IMMEDIATE takes the write lock up front.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("PAINMIND_SQLITE_TIMEOUT_S", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file too, not shared-cache memory, so concurrency behaves as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-painmind.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Accounts: django-allauth, its MFA, sign-up modes and django-axes (docs/accounts.md) -------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ACCOUNT_ADAPTER = "painmind.accounts.signin.adapter.AccountAdapter"
MFA_ADAPTER = "painmind.accounts.signin.mfa.MFAAdapter"
# E-mail is the login; our User model has no username.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Accounts the operator makes are trusted as they are; a new address is verified before it
# replaces the old one (ACCOUNT_CHANGE_EMAIL), and open sign-up is sent a verification link.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:welcome"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "PainMind: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
# Failed sign-ins are django-axes' job (below); allauth's own limits stay on for reset and
# verification mails.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
# Who may make an account: closed (operator and CLI only), invitation (a one-time sign-up link
# from a clinician or the operator) or open.
PAINMIND_SIGNUP_MODE = env_str("PAINMIND_SIGNUP_MODE", "closed").strip().lower()
if PAINMIND_SIGNUP_MODE not in {"closed", "invitation", "open"}:
    raise ValueError(f"PAINMIND_SIGNUP_MODE must be closed, invitation or open, got {PAINMIND_SIGNUP_MODE!r}")
# A second factor (TOTP with recovery codes; WebAuthn keys too) is required for these roles and
# optional for the rest; empty or "none" requires it of nobody.
PAINMIND_MFA_REQUIRED_ROLES = [r for r in env_list("PAINMIND_MFA_REQUIRED_ROLES", "clinician,admin") if r != "none"]
for _role in PAINMIND_MFA_REQUIRED_ROLES:
    if _role not in {"patient", "clinician", "researcher", "admin"}:
        raise ValueError(f"PAINMIND_MFA_REQUIRED_ROLES: unknown role {_role!r}")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("PAINMIND_MFA_ISSUER", "PainMind")
MFA_RECOVERY_CODE_COUNT = 10
# Project rule: a code from one 30-second step before or after is accepted too (phone clocks
# drift); each code still works once (allauth keeps used codes in the cache for the window).
MFA_TOTP_TOLERANCE = 1
# The cache is shared by every process of the site: in the database (its table is made by
# migration accounts.0014), so a TOTP code used on one gunicorn worker cannot be used again on
# another within its window, and allauth's rate limits count across workers too. Django's
# default (a cache in each process's memory) would allow both.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "painmind_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# API tokens (docs/security.md, project rules): each lives this many days, and an account holds at
# most TOKEN_MAX_ACTIVE live ones (one more revokes the least recently used).
TOKEN_DAYS = env_int("PAINMIND_TOKEN_DAYS", 90)
TOKEN_MAX_ACTIVE = env_int("PAINMIND_TOKEN_MAX_ACTIVE", 10)
if not 1 <= TOKEN_DAYS <= 3660:
    raise ValueError(f"PAINMIND_TOKEN_DAYS must be between 1 and 3660 (days), got {TOKEN_DAYS}")
if TOKEN_MAX_ACTIVE < 1:
    raise ValueError(f"PAINMIND_TOKEN_MAX_ACTIVE must be at least 1, got {TOKEN_MAX_ACTIVE}")

# django-axes: lock an e-mail + client address pair out after repeated failed sign-ins (web and
# API token); the address comes from the trusted proxy's header when
# PAINMIND_TRUST_X_FORWARDED_FOR is on (painmind.accounts.lockout.client_address).
AXES_FAILURE_LIMIT = env_int("PAINMIND_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("PAINMIND_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "painmind.accounts.lockout.attempted_login"
AXES_CLIENT_IP_CALLABLE = "painmind.accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("PAINMIND_AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "painmind.accounts.lockout.lockout_response"
# --- end of the accounts block ------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# New accounts get this time zone until the person sets their own.
DEFAULT_PATIENT_TIME_ZONE = env_str("PAINMIND_DEFAULT_TIME_ZONE", "Europe/London")
# Research exports' pseudonyms and date shifts (docs/exchange.md): PAINMIND_RESEARCH_SECRET, else
# derived from SECRET_KEY. Set it on its own to keep research ids stable through a key rotation.
PAINMIND_RESEARCH_SECRET = env_str("PAINMIND_RESEARCH_SECRET", "")
# ISO 3166 code for new accounts and for /help/ signed out: which crisis services they see
# until they choose. A site decision with no safe default: production must set it (system check
# painmind.E003); unset, development and tests use DEFAULT_COUNTRY_FALLBACK (docs/safety.md).
DEFAULT_COUNTRY = env_str("PAINMIND_DEFAULT_COUNTRY", "").strip().upper()
DEFAULT_COUNTRY_FALLBACK = "GB"
# The site's own crisis contact (e.g. the service's out-of-hours line), shown after the
# country's services on the help page and the crisis block: a site decision, empty = none.
CRISIS_CONTACT = {
    "name": env_str("PAINMIND_CRISIS_CONTACT_NAME", ""),
    "phone": env_str("PAINMIND_CRISIS_CONTACT_PHONE", ""),
    "url": env_str("PAINMIND_CRISIS_CONTACT_URL", ""),
    "hours": env_str("PAINMIND_CRISIS_CONTACT_HOURS", ""),
}
# A reviewed, dated list of crisis services (painmind/safety/crisis_resources.json by default).
CRISIS_RESOURCES_FILE = env_str(
    "PAINMIND_CRISIS_RESOURCES_FILE", str(BASE_DIR / "painmind" / "safety" / "crisis_resources.json")
)
# Site overrides for reliable-change constants (see docs/instruments.md); empty = built-in defaults.
RELIABLE_CHANGE_FILE = env_str("PAINMIND_RELIABLE_CHANGE_FILE", "")
# Rules the clinical reference leaves open (marked unverified there); see docs/instruments.md.
GAD7_PRORATE_MAX_MISSING = env_int("PAINMIND_GAD7_PRORATE_MAX_MISSING", 1)
PCS_TOTAL_COMPARISON = env_str("PAINMIND_PCS_TOTAL_COMPARISON", ">")
# FHIR export: also send LOINC codes the clinical reference found only in secondary sources (◐,
# e.g. PEG 91147-9, GAD-7 items); off = only ✅ codes plus PainMind's local codes (docs/exchange.md).
FHIR_SECONDARY_CODES = env_bool("PAINMIND_FHIR_SECONDARY_CODES", True)
# Where a site that holds a licence keeps the wording of licensed instruments (PCS, PSEQ).
LICENSED_INSTRUMENTS_DIR = env_str("PAINMIND_LICENSED_INSTRUMENTS_DIR", "")

# The one-page report's paper (docs/exchange.md "The one-page report"): A4 or Letter.
_paper = env_str("PAINMIND_REPORT_PAPER", "A4").strip()
if _paper.lower() not in {"a4", "letter"}:
    raise ValueError(f"PAINMIND_REPORT_PAPER must be A4 or Letter, got {_paper!r}")
REPORT_PAPER = "A4" if _paper.lower() == "a4" else "Letter"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "painmind" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "painmind.lib.staticfiles.GzipManifestStaticFilesStorage"},  # gzip only: see there
}
# The web-app manifest's registered type (W3C Web App Manifest); whitenoise has no entry for it.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# Every e-mail leaves through a task queue (django-tasks, database backend: the same database on
# SQLite and PostgreSQL), never from a request: the request enqueues after its commit, and
# `painmind worker` (which `painmind serve` starts beside gunicorn) sends. See docs/safety.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Site decisions, not clinical rules (docs/safety.md "How the care team is told"): an open
# critical alert nobody acknowledged is sent again to the care team after this many hours, and
# shown as overdue; after PAINMIND_ACUTE_RESEND_HOURS when its follow-up screen was acute.
ALERT_RESEND_HOURS = env_int("PAINMIND_ALERT_RESEND_HOURS", 24)
ACUTE_RESEND_HOURS = env_int("PAINMIND_ACUTE_RESEND_HOURS", 1)
# How often the worker runs the periodic pass (`painmind alerts`, then `painmind reminders`)
# itself, so a deployment without cron still retries and re-sends; 0 turns it off.
PERIODIC_PASS_MINUTES = env_int("PAINMIND_PERIODIC_PASS_MINUTES", 5)
# How often the worker recomputes stale cycle analyses and the site priors (`painmind
# refresh_cycles`, the nightly cohort pass of docs/cycle.md); 0 turns it off (run it from cron).
CYCLE_REFRESH_HOURS = env_int("PAINMIND_CYCLE_REFRESH_HOURS", 24)
for _name, _value in (
    ("PAINMIND_ALERT_RESEND_HOURS", ALERT_RESEND_HOURS),
    ("PAINMIND_ACUTE_RESEND_HOURS", ACUTE_RESEND_HOURS),
):
    if _value < 1:
        raise ValueError(f"{_name} must be at least 1 (hours), got {_value}")
if PERIODIC_PASS_MINUTES < 0:
    raise ValueError(f"PAINMIND_PERIODIC_PASS_MINUTES must be 0 (off) or more, got {PERIODIC_PASS_MINUTES}")
if CYCLE_REFRESH_HOURS < 0:
    raise ValueError(f"PAINMIND_CYCLE_REFRESH_HOURS must be 0 (off) or more, got {CYCLE_REFRESH_HOURS}")

EMAIL_BACKEND = env_str("PAINMIND_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("PAINMIND_FROM_EMAIL", "painmind@localhost")
# Mail is sent by the worker, never in a request; a stuck mail server still must not hold the
# worker (and the notices queued behind it) for long.
EMAIL_TIMEOUT = env_int("PAINMIND_EMAIL_TIMEOUT_S", 10)
# For the SMTP backend: the mail server and its login (STARTTLS on by default).
EMAIL_HOST = env_str("PAINMIND_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PAINMIND_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("PAINMIND_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PAINMIND_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PAINMIND_EMAIL_USE_TLS", True)
# Where people reach this server: emails carry links to it (never clinical content).
BASE_URL = env_str("PAINMIND_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PAINMIND_LOG_LEVEL", "WARNING")},
}
