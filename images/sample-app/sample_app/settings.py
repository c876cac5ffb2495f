"""Settings, read only from the environment.

    DATABASE_URL   postgresql://user:password@host:5432/dbname[?sslmode=...]   (web, migrate, worker, scheduler)
    REDIS_URL      redis://[:password@]host:6379/0                            (web, worker, scheduler, healthcheck)
    BROKER_URL     optional; the job queue and heartbeats live there. Default: REDIS_URL
    SECRET_KEY     web only; with ENVIRONMENT=production it must be >= 50 characters and not django-insecure-*
    ENVIRONMENT    production | staging | development (default development)
    DATA_DIR       optional; the web process writes a small file there at start to prove it is writable
    PORT           web listen port (default 8000); also used by `healthcheck web`
    STATIC_ROOT    where `collectstatic` copies the static assets (default /var/lib/app/static)
    SCHEDULE_SECONDS  scheduler period (default 60)
    LOG_LEVEL      default INFO

Connection URLs are parsed with urllib.parse and every part is handed to the client library separately,
so a percent-encoded password works with every client. A malformed URL is a hard error that names the
variable and the part, never the secret value.
"""

from __future__ import annotations

import dataclasses
import os
import urllib.parse

DEFAULT_PORT = 8000
DEFAULT_STATIC_ROOT = "/var/lib/app/static"
DEFAULT_SCHEDULE_SECONDS = 60.0
MIN_PRODUCTION_SECRET_LENGTH = 50
INSECURE_SECRET_PREFIX = "django-insecure-"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable, never a secret value."""


@dataclasses.dataclass(frozen=True)
class DatabaseConfig:
    host: str
    port: int
    user: str
    password: str = dataclasses.field(repr=False)  # never in a log line or a traceback
    dbname: str
    options: tuple[tuple[str, str], ...] = ()

    def connect_kwargs(self) -> dict:
        kwargs = {"host": self.host, "port": self.port, "dbname": self.dbname}
        if self.user:
            kwargs["user"] = self.user
        if self.password:
            kwargs["password"] = self.password
        kwargs.update(dict(self.options))
        return kwargs

    def describe(self) -> str:
        """Safe to log: host, port and database name only."""
        return f"host={self.host} port={self.port} db={self.dbname}"


@dataclasses.dataclass(frozen=True)
class RedisConfig:
    host: str
    port: int
    db: int
    username: str | None
    password: str | None = dataclasses.field(repr=False)  # never in a log line or a traceback
    ssl: bool

    def describe(self) -> str:
        """Safe to log: host, port and database number only."""
        return f"host={self.host} port={self.port} db={self.db}"


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set")
    return value


def _port_of(parts: urllib.parse.SplitResult, name: str, example: str, default: int) -> int:
    # SplitResult.port raises ValueError for "host:abc", "host:5432x" or an out-of-range number. Its message
    # quotes the text after the colon, which for a malformed URL can be a piece of the password, so it is
    # replaced by one that quotes nothing.
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(
            f"{name}: the port is not an integer between 0 and 65535 (expected {example}); "
            "a password with special characters must be percent-encoded"
        ) from None
    if port is None:
        if parts.netloc.endswith(":"):
            raise ConfigError(f"{name}: the port after ':' is empty (expected {example})")
        return default
    if port == 0:
        raise ConfigError(f"{name}: port 0 is not a usable port (expected {example})")
    return port


def parse_database_url(url: str, name: str = "DATABASE_URL") -> DatabaseConfig:
    example = "postgresql://user:password@host:5432/dbname"
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]  # accepts SQLAlchemy-style postgresql+psycopg2://
    if scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"{name}: scheme must be postgresql:// (expected {example})")
    if not parts.hostname:
        raise ConfigError(f"{name}: no host (expected {example})")
    port = _port_of(parts, name, example, 5432)
    dbname = urllib.parse.unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ConfigError(f"{name}: the path must be the database name (expected {example})")
    options = tuple(urllib.parse.parse_qsl(parts.query, keep_blank_values=False))
    return DatabaseConfig(
        host=parts.hostname,
        port=port,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        dbname=dbname,
        options=options,
    )


def parse_redis_url(url: str, name: str = "REDIS_URL") -> RedisConfig:
    example = "redis://:password@host:6379/0"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ConfigError(f"{name}: scheme must be redis:// or rediss:// (expected {example})")
    if not parts.hostname:
        raise ConfigError(f"{name}: no host (expected {example})")
    port = _port_of(parts, name, example, 6379)
    path = parts.path.lstrip("/")
    db_text = path or dict(urllib.parse.parse_qsl(parts.query)).get("db", "0")
    if not db_text.isdigit():
        raise ConfigError(f"{name}: the path must be the database number, e.g. /0 (expected {example})")
    return RedisConfig(
        host=parts.hostname,
        port=port,
        db=int(db_text),
        username=urllib.parse.unquote(parts.username) if parts.username else None,
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        ssl=parts.scheme == "rediss",
    )


def _int_setting(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {text!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _float_setting(name: str, default: float, low: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {text!r}") from None
    if not value >= low:
        raise ConfigError(f"{name} must be at least {low}, got {value}")
    return value


def environment() -> str:
    return os.environ.get("ENVIRONMENT", "development").strip() or "development"


def is_production() -> bool:
    return environment().lower() in ("production", "prod")


def database() -> DatabaseConfig:
    return parse_database_url(_required("DATABASE_URL"), "DATABASE_URL")


def redis_cache() -> RedisConfig:
    return parse_redis_url(_required("REDIS_URL"), "REDIS_URL")


def broker() -> RedisConfig:
    """The job queue: BROKER_URL, falling back to REDIS_URL (like Celery's broker setting)."""
    if os.environ.get("BROKER_URL", "").strip():
        return parse_redis_url(os.environ["BROKER_URL"].strip(), "BROKER_URL")
    return redis_cache()


def port() -> int:
    return _int_setting("PORT", DEFAULT_PORT, 1, 65535)


def schedule_seconds() -> float:
    return _float_setting("SCHEDULE_SECONDS", DEFAULT_SCHEDULE_SECONDS, 1.0)


def static_root() -> str:
    return os.environ.get("STATIC_ROOT", "").strip() or DEFAULT_STATIC_ROOT


def data_dir() -> str | None:
    return os.environ.get("DATA_DIR", "").strip() or None


def check_secret_key() -> str | None:
    """Returns a warning for a weak key outside production; raises ConfigError for one in production."""
    key = os.environ.get("SECRET_KEY", "")
    problem = None
    if not key:
        problem = "SECRET_KEY is not set"
    elif len(key) < MIN_PRODUCTION_SECRET_LENGTH:
        problem = f"SECRET_KEY is too short ({len(key)} characters, at least {MIN_PRODUCTION_SECRET_LENGTH} needed)"
    elif key.startswith(INSECURE_SECRET_PREFIX):
        problem = f"SECRET_KEY starts with {INSECURE_SECRET_PREFIX!r} (a development key)"
    if problem and is_production():
        raise ConfigError(f"{problem}; refusing to start with ENVIRONMENT={environment()}")
    return problem
