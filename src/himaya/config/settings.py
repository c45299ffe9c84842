"""Django settings for Himaya.

Everything that differs between machines comes from the environment:

- ``HIMAYA_SECRET_KEY``: required when ``HIMAYA_DEBUG`` is off in production;
  a development key is used otherwise.
- ``HIMAYA_DEBUG``: ``1``/``true`` to enable debug mode (``make run`` sets it).
- ``HIMAYA_ALLOWED_HOSTS``: comma-separated host names.
- ``HIMAYA_SECURE_COOKIES``: send cookies over HTTPS only (default: on unless DEBUG).
- ``HIMAYA_VAR_DIR``: where the SQLite database and collected static files go
  (default: ``var/`` at the repository root).
- ``HIMAYA_EVIDENCE_DIR``: where visits' evidence files go (default: ``evidence/``
  in the var directory); never under the static or web root.
- ``HIMAYA_IMPORT_DIR``: where uploaded CSV files wait for their import job
  (default: ``imports/`` in the var directory); never under the static or web root.
- ``HIMAYA_SURVEY_DIR``: where survey files sent by analysts and their outputs are
  kept (default: ``surveys/`` in the var directory); never under the web root.
- ``HIMAYA_LINKAGE_EVERY_HOURS``: how often ``himaya scheduler`` starts a linkage run
  over every child (default: 24; 0: never on a schedule).
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/himaya``; SQLite otherwise.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/himaya
BASE_DIR = PACKAGE_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("HIMAYA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HIMAYA_DEBUG", default=False)
SECRET_KEY = os.environ.get(
    "HIMAYA_SECRET_KEY",
    "django-insecure-himaya-development-key-do-not-use-in-production",
)
ALLOWED_HOSTS = env_list("HIMAYA_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "himaya.core",
    "himaya.accounts",
    "himaya.geography",
    "himaya.audit",
    "himaya.cases",
    "himaya.workspace",
    "himaya.classification",
    "himaya.inspection",
    "himaya.linkage",
    "himaya.survey",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' JavaScript from our own static files
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "himaya.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "himaya.config.urls"
WSGI_APPLICATION = "himaya.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "himaya.sqlite3"),
            # Write-ahead logging lets readers and the writer work at once; NORMAL
            # sync is durable across application crashes (fsync at checkpoints).
            # IMMEDIATE transactions take the write lock up front, so that two
            # writers wait for each other instead of failing with "locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["himaya.accounts.backends.ThrottledModelBackend"]
# After this many failed logins for one username (or from one address) within
# the window, further attempts are refused until the window has passed.
HIMAYA_LOGIN_MAX_FAILURES = env_int("HIMAYA_LOGIN_MAX_FAILURES", default=5)
HIMAYA_LOGIN_WINDOW_MINUTES = env_int("HIMAYA_LOGIN_WINDOW_MINUTES", default=15)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# --- Cookies and security headers ---------------------------------------------
SECURE_COOKIES = env_bool("HIMAYA_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
CSRF_COOKIE_HTTPONLY = True  # HTMX sends the token from the page (see base.html)
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
CSRF_TRUSTED_ORIGINS = env_list("HIMAYA_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Casablanca"

# --- Casework -------------------------------------------------------------------
#: The ruleset every identification is classified against (himaya_rules.RULESETS).
HIMAYA_RULESET = os.environ.get("HIMAYA_RULESET", "ma-labour-code")
#: Days between follow-up visits; a case is overdue the day after.
HIMAYA_FOLLOW_UP_EVERY_DAYS = env_int("HIMAYA_FOLLOW_UP_EVERY_DAYS", default=30)
#: "Out of child labour" closure: this many consecutive good follow-ups, each at
#: least this many days after the one before.
HIMAYA_CLOSURE_FOLLOW_UPS = env_int("HIMAYA_CLOSURE_FOLLOW_UPS", default=2)
HIMAYA_CLOSURE_MIN_DAYS_APART = env_int("HIMAYA_CLOSURE_MIN_DAYS_APART", default=30)

# --- Labour inspection ----------------------------------------------------------
#: Evidence files of visits (photos, documents): outside the web root, served
#: only through a scoped view.
EVIDENCE_DIR = Path(os.environ.get("HIMAYA_EVIDENCE_DIR", VAR_DIR / "evidence"))
#: Largest evidence file accepted, in bytes.
HIMAYA_EVIDENCE_MAX_BYTES = env_int("HIMAYA_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
#: CSV files uploaded for import, kept only until their import job has run:
#: outside the web root, shared by the web server and the task worker.
IMPORT_DIR = Path(os.environ.get("HIMAYA_IMPORT_DIR", VAR_DIR / "imports"))
#: Survey files sent by analysts, and the outputs estimated from them (one folder
#: each): outside the web root, shared by the web server and the task worker.
SURVEY_DIR = Path(os.environ.get("HIMAYA_SURVEY_DIR", VAR_DIR / "surveys"))
#: Largest survey file accepted from the web page (bytes).
HIMAYA_SURVEY_MAX_BYTES = env_int("HIMAYA_SURVEY_MAX_BYTES", default=500 * 1024 * 1024)
#: Hours between two linkage runs started by ``himaya scheduler`` (0: none).
HIMAYA_LINKAGE_EVERY_HOURS = env_int("HIMAYA_LINKAGE_EVERY_HOURS", default=24)
#: Days given by a formal notice to comply, unless the inspector sets another date.
HIMAYA_NOTICE_DAYS = env_int("HIMAYA_NOTICE_DAYS", default=30)

# --- Static files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    # The npm package htmx.org, installed by `npm ci` (see package.json).
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]

# --- Background tasks (django-tasks, database backend) --------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Logging ---------------------------------------------------------------------
# Logs must never carry personal data: log identifiers, never names, free text,
# request bodies or SQL parameters. SQL logging stays off (it would print parameters).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's default handlers (no e-mail to admins: it would carry request data).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING", "propagate": True},
        "himaya": {"level": os.environ.get("HIMAYA_LOG_LEVEL", "INFO"), "propagate": True},
    },
}
