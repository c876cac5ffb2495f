"""
Settings of the `config` project, read from the environment (twelve-factor style). Every variable is listed in
the image's README. With DEBUG off (the default) the secure settings are on unless turned off explicitly, and
ENVIRONMENT=production refuses a configuration that would be unsafe or would silently fall back to development
defaults (SQLite, in-memory cache, channel layer or broker).
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.release import VERSION

BASE_DIR = Path(__file__).resolve().parent.parent
APP_VERSION = VERSION

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default=()) -> list:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.replace(" ", ",").split(",") if item.strip()]


ENVIRONMENT = os.environ.get("ENVIRONMENT", "development").strip().lower()
PRODUCTION = ENVIRONMENT in {"production", "prod"}
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set; it is required unless DEBUG=True.")
    SECRET_KEY = "development-only-key-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])

# --- applications --------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "channels",
    "system",
    "jobs",
]

MIDDLEWARE = [
    # First: answers the health endpoints before host validation and the HTTPS redirect, so container
    # healthchecks (Host: 127.0.0.1, plain HTTP) get their answer and leave no DisallowedHost error in the log.
    "system.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database: DATABASE_URL (dj-database-url) ----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            ssl_require=env_bool("DB_SSL_REQUIRE", False),
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql_psycopg2":
        DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
elif DEBUG and not PRODUCTION:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/thebot-dev.sqlite3"}}
else:
    raise ImproperlyConfigured("DATABASE_URL is not set; give the PostgreSQL URL (postgresql://user:pw@host:5432/db).")

# --- Redis: cache (REDIS_URL), channel layer (CHANNELS_REDIS_URL), Celery broker and results ----------------
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_SECONDS", 3)
# Readiness: each dependency check gives up after this many seconds (connect and query).
HEALTH_TIMEOUT_SECONDS = env_int("HEALTH_TIMEOUT_SECONDS", 3)
if REDIS_URL and env_bool("USE_REDIS_CACHE", True):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "thebot",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CHANNELS_REDIS_URL = os.environ.get("CHANNELS_REDIS_URL", REDIS_URL)
if CHANNELS_REDIS_URL and env_bool("USE_REDIS_CHANNELS", True):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNELS_REDIS_URL], "prefix": "thebot:channels:"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Explicit, so Celery neither warns about the default changing nor guesses:
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Read-only root filesystem: beat keeps its schedule in the /tmp tmpfs; the worker keeps no state file.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", "/tmp/celerybeat-schedule")
CELERY_WORKER_STATE_DB = None
# HeartbeatScheduler touches the schedule file on every tick; beat ticks at least every 60 s.
CELERY_BEAT_SCHEDULER = "config.celery:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "jobs.tasks.tick", "schedule": float(env_int("BEAT_TICK_SECONDS", 60))},
}
CELERY_TIMEZONE = "UTC"

# --- HTTPS behind nginx ------------------------------------------------------------------------------------
# nginx terminates TLS and always sets X-Forwarded-Proto (it overwrites any value a client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The health endpoints are answered before the redirect anyway; this keeps any other probe under them too.
SECURE_REDIRECT_EXEMPT = [r"^api/system/health/", r"^api/system/readiness/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"


def _csrf_trusted(origins):
    # Django 3.2 (Debian bookworm) compares CSRF_TRUSTED_ORIGINS with the Referer's host; Django 4 wants the
    # scheme too. Accept both spellings in the environment: "https://a.example.com" or "a.example.com".
    import django

    if django.VERSION >= (4, 0):
        return [origin if "://" in origin else f"https://{origin}" for origin in origins]
    return [urlsplit(origin).netloc if "://" in origin else origin for origin in origins]


CSRF_TRUSTED_ORIGINS = _csrf_trusted(env_list("CSRF_TRUSTED_ORIGINS"))
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = True

# --- static files and uploads ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", "/app/staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "/var/lib/thebot/media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded files are written straight to MEDIA_ROOT's volume or spooled in /tmp, never next to the code.
FILE_UPLOAD_TEMP_DIR = "/tmp"
# nginx (another user) serves /static/ and /media/ from the same volumes, read-only: files must be readable.
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755

# --- auth, i18n ----------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}

# --- logging: one line per record on stdout, collected by Docker -----------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # A request with a Host outside ALLOWED_HOSTS is answered 400 (and shows in the access log); scanners send
        # them all day, so they are not logged as errors. DISALLOWED_HOST_LOG=1 logs them again.
        "django.security.DisallowedHost": {
            "handlers": ["console"] if env_bool("DISALLOWED_HOST_LOG", False) else ["null"],
            "propagate": False,
        },
    },
}

# --- production guards: fail at start with the reason, instead of running with development defaults ----------
if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if SECRET_KEY.startswith("django-insecure-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY is a django-insecure- key or shorter than 50 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty or '*'")
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        problems.append("DATABASE_URL is not PostgreSQL")
    if not REDIS_URL:
        problems.append("REDIS_URL is not set (cache would be in-process memory)")
    if CHANNEL_LAYERS["default"]["BACKEND"] != "channels_redis.core.RedisChannelLayer":
        problems.append("CHANNELS_REDIS_URL/REDIS_URL is not set or USE_REDIS_CHANNELS is off (in-memory channel layer)")
    if not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        problems.append("CELERY_BROKER_URL is not a Redis URL")
    if problems:
        raise ImproperlyConfigured("ENVIRONMENT=production, but: " + "; ".join(problems) + ".")
