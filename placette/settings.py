"""Placette settings: everything that differs between machines comes from the environment.

Development defaults are safe (SQLite, console email, DEBUG off unless asked); production sets
SECRET_KEY, DATABASE_URL, EMAIL_URL and ALLOWED_HOSTS (see README).
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Production is the default whenever DEBUG is off: a forgotten flag must never run a public site
# on the development key. The test settings set PLACETTE_TESTING before importing this module.
PRODUCTION = not DEBUG and not env_bool("PLACETTE_TESTING")
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in emails and PDFs; in development it follows the port of `make run PORT=…`.
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip(
    "/"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "bootstrap",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "django_filters",
    "django_tables2",
    "placette.lib",
    "placette.accounts",
    "placette.backoffice",
    "placette.contacts",
    "placette.membership",
    "placette.places",
    "placette.impact",
    "placette.governance",
    "placette.mailing",
    "placette.studies",
    "placette.community",
    "placette.portal",
    "placette.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "placette.lib.i18n.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "placette.lib.permissions.NoContactMiddleware",
    "placette.accounts.middleware.SessionIdleTimeoutMiddleware",
]

ROOT_URLCONF = "placette.urls"
WSGI_APPLICATION = "placette.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "placette" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "placette.backoffice.context_processors.navigation",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "placette.lib.templatetags.money",
                "placette.lib.templatetags.navigation",
            ],
        },
    }
]

# Widgets get Bootstrap classes from placette/templates/django/forms/widgets/attrs.html.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# French error pages in the site's layout: templates/403.html, 404.html, 500.html, and this one
# for a refused form (expired or cookie-less CSRF token).
CSRF_FAILURE_VIEW = "placette.lib.views.csrf_failure"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email is the identifier; members sign in with a one-time code, staff with a
# password (and TOTP when they enrolled it).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 900
ACCOUNT_ADAPTER = "placette.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Placette] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_SESSION_REMEMBER = None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Placette"

# Always French: the browser's language is not followed until an English translation exists
# (otherwise an English browser gets English dates and number formats in a French UI).
LANGUAGE_CODE = "fr"
# French is the language of the cooperative; English is offered to whoever chooses it (the
# choice is the person's, never the browser's: placette.lib.i18n). Names in their own language.
LANGUAGES = [("fr", "Français"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "placette_langue"
LOCALE_PATHS = [BASE_DIR / "placette" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Off: with it, every integer rendered in a template (ids in form values and links, years,
# page numbers) would get a space above 999. Amounts are formatted explicitly instead.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Leaflet's files come from the django-leaflet package; its app is not installed because it
# imports GeoDjango (GDAL), which Placette does not need.
STATICFILES_DIRS = [
    BASE_DIR / "placette" / "static",
    Path(str(getattr(importlib.util.find_spec("leaflet"), "origin", ""))).parent / "static",
]
# No URL serves MEDIA_ROOT, in development or production (it only holds files written before
# placette.lib.documents and temporary imports).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (every stored document — registers, certificates, meeting and place files — and
# the results of background jobs) live outside MEDIA_ROOT: no URL reaches them, only the guarded
# views that read them (/documents/<id>/, the job's page). The web server must not expose it.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
# Largest accepted upload (an attached document, a photo), in megabytes (10^6 bytes, "Mo").
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1_000_000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("PLACETTE_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
# Django 6.1 mailers: EMAIL_URL (smtp://user:pass@host:587/?tls=True, console://…) sets the default.
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email["EMAIL_HOST"],
            "port": _email["EMAIL_PORT"],
            "username": _email["EMAIL_HOST_USER"],
            "password": _email["EMAIL_HOST_PASSWORD"],
            "use_tls": _email["EMAIL_USE_TLS"],
            "use_ssl": _email["EMAIL_USE_SSL"],
            "timeout": 30,
        }
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
# Development without EMAIL_URL: every email is kept in DEV_MAILBOX_DIR and read at
# /dev/courriels/ (placette.lib.devmail) instead of flooding the terminal.
DEV_MAILBOX_DIR = Path(os.environ.get("DEV_MAILBOX_DIR", BASE_DIR / ".dev-mail"))
if DEBUG and "EMAIL_URL" not in os.environ:
    MAILERS = {
        "default": {
            "BACKEND": "placette.lib.devmail.EmailBackend",
            "OPTIONS": {"file_path": str(DEV_MAILBOX_DIR)},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Placette <ne-pas-repondre@placette.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# placette.lib.mail: seconds after which a message still « sending » is taken over (its worker
# died), and attempts before a message that the relay never accepted is marked failed.
MAIL_CLAIM_TIMEOUT = int(os.environ.get("MAIL_CLAIM_TIMEOUT", "600"))
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
# Non-transactional email (newsletters) is checked against the mailing area's suppression list.
MAIL_SUPPRESSION_CHECK = "placette.mailing.suppression.suppressed_reason"
# placette.mailing: newsletters handed to the mail queue per second (0: no limit), the
# unsubscribe mailbox of the List-Unsubscribe header, and the soft-bounce threshold.
MAILING_RATE_PER_SECOND = float(os.environ.get("MAILING_RATE_PER_SECOND", "20"))
MAILING_UNSUBSCRIBE_MAILTO = os.environ.get("MAILING_UNSUBSCRIBE_MAILTO", "")
MAILING_SOFT_BOUNCE_LIMIT = int(os.environ.get("MAILING_SOFT_BOUNCE_LIMIT", "3"))
MAILING_SENDING_DOMAIN = os.environ.get("MAILING_SENDING_DOMAIN", "")
# Brevo's tracking webhook (/lettres/webhooks/brevo/, bounces and complaints) is checked by
# django-anymail against this "user:password" basic-auth secret; unset, the webhook is off.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
MAILING_DKIM_SELECTORS = os.environ.get("MAILING_DKIM_SELECTORS", "brevo,mail,default").split(",")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running background job that has not reported progress for this long is considered
# abandoned (its worker died) and is queued again by `manage.py jobs_recover`.
JOB_STALE_AFTER_SECONDS = int(os.environ.get("JOB_STALE_AFTER_SECONDS", "600"))
# Result files of background jobs (register PDFs, letters…) are deleted after this many days.
JOB_RESULT_DAYS = int(os.environ.get("JOB_RESULT_DAYS", "30"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "placette_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS in production (cookies, HSTS, redirect); each can be turned off from the
# environment for an operator who knows why (e.g. SECURE_SSL_REDIRECT=0 when the proxy redirects).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# X-Forwarded-For is believed only for the proxies the operator declares (rate limits key on the
# client's address, not the proxy's). BEHIND_PROXY=1 means one proxy unless said otherwise.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_PROXY") else "0")
)
X_FRAME_OPTIONS = "DENY"
# Idle sessions end: the team after 2 hours without a request, members after 8 (set on each
# request by placette.accounts.middleware.SessionIdleTimeoutMiddleware).
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", "7200"))
MEMBER_SESSION_IDLE_SECONDS = int(os.environ.get("MEMBER_SESSION_IDLE_SECONDS", "28800"))
SESSION_COOKIE_AGE = MEMBER_SESSION_IDLE_SECONDS

MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (45.2, 4.8),
    "DEFAULT_ZOOM": 7,
    "TILES": MAP_TILES_URL,
    "ATTRIBUTION_PREFIX": "© contributeurs OpenStreetMap",
}


def _origin(url: str) -> str:
    """The scheme://host[:port] of a URL template such as the map tiles' (`{s}` subdomains
    become a wildcard)."""
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content Security Policy (Django's built-in middleware): scripts only from our own static
# files or carrying the request's nonce (`<script nonce="{{ csp_nonce }}">`), never inline event
# handlers or eval; images from us, data: URIs (Bootstrap's icons) and the map tiles. Inline
# styles stay allowed: style attributes are spread through the templates and charts, and a
# style cannot run code. See docs/decisions.md.
_tiles = _origin(MAP_TILES_URL)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *([_tiles] if _tiles else [])],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

PAGINATE_BY = 50
# A list export of more rows than this is written by a background job (about 2 s of work).
LIST_EXPORT_INLINE_ROWS = int(os.environ.get("LIST_EXPORT_INLINE_ROWS", "10000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# The refusal happens where the site starts serving (placette/wsgi.py) and in
# `check --deploy` (placette.lib.apps), not here: commands such as makemigrations or mypy's
# settings import must work without the production environment.
