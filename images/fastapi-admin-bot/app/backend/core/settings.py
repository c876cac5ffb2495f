"""
Settings of the RecruitSmart admin UI and bot (seed 004), from the environment. With ENVIRONMENT=production the
seed's production checklist is enforced at start: PostgreSQL only, Redis required, NOTIFICATION_BROKER=redis,
DATA_DIR absolute, outside the application tree and writable, SESSION_SECRET set and at least 32 characters,
ADMIN_PASSWORD set and at least 12 characters. Every variable is listed in the image's README.
"""
import os
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Optional

APP_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(Exception):
    def __init__(self, problems: List[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _bool(name: str, default: bool, problems: List[str]) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    problems.append(f"{name} must be 1 or 0, not {value!r}")
    return default


def _int(name: str, default: int, problems: List[str]) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(f"{name} must be a whole number, not {value!r}")
        return default


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    redis_url: str
    notification_broker: str
    data_dir: str
    session_secret: str
    admin_user: str
    admin_password: str
    bot_token: str
    telegram_api_base_url: str
    bot_enabled: bool
    bot_integration_enabled: bool
    bot_poll_timeout: int
    bot_heartbeat_file: str
    session_cookie_secure: bool
    session_cookie_samesite: str
    session_max_age: int
    log_level: str
    log_json: bool
    db_pool_size: int
    db_max_overflow: int
    db_pool_timeout: int
    db_pool_recycle: int
    db_connect_timeout: int
    health_timeout_seconds: float
    problems: List[str] = field(default_factory=list)

    @property
    def production(self) -> bool:
        return self.environment in ("production", "prod")


def _inside(path: str, directory: str) -> bool:
    path, directory = os.path.realpath(path), os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def _writable(directory: str) -> Optional[str]:
    try:
        os.makedirs(directory, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
            pass
    except OSError as error:
        return f"{error.strerror or error.__class__.__name__}"
    return None


def load(check_data_dir: bool = True) -> Settings:
    env = os.environ
    problems: List[str] = []
    environment = env.get("ENVIRONMENT", "development").strip().lower()
    production = environment in ("production", "prod")
    redis_url = env.get("REDIS_URL", "")
    database_url = env.get("DATABASE_URL", "")
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    broker = env.get("NOTIFICATION_BROKER", "redis" if redis_url else "memory").strip().lower()
    data_dir = env.get("DATA_DIR", "/var/lib/recruitsmart_admin" if production else "/tmp/recruitsmart_admin")
    settings = Settings(
        environment=environment,
        database_url=database_url,
        redis_url=redis_url,
        notification_broker=broker,
        data_dir=data_dir,
        session_secret=env.get("SESSION_SECRET", ""),
        admin_user=env.get("ADMIN_USER", "admin"),
        admin_password=env.get("ADMIN_PASSWORD", ""),
        bot_token=env.get("TELEGRAM_BOT_TOKEN") or env.get("BOT_TOKEN", ""),
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org").rstrip("/"),
        bot_enabled=_bool("BOT_ENABLED", True, problems),
        bot_integration_enabled=_bool("BOT_INTEGRATION_ENABLED", True, problems),
        bot_poll_timeout=_int("BOT_POLL_TIMEOUT", 25, problems),
        bot_heartbeat_file=env.get("BOT_HEARTBEAT_FILE", "/tmp/bot.heartbeat"),
        session_cookie_secure=_bool("SESSION_COOKIE_SECURE", production, problems),
        session_cookie_samesite=env.get("SESSION_COOKIE_SAMESITE", "lax").strip().lower(),
        session_max_age=_int("SESSION_MAX_AGE", 8 * 3600, problems),
        log_level=env.get("LOG_LEVEL", "INFO").strip().upper(),
        log_json=_bool("LOG_JSON", False, problems),
        db_pool_size=_int("DB_POOL_SIZE", 5, problems),
        db_max_overflow=_int("DB_MAX_OVERFLOW", 5, problems),
        db_pool_timeout=_int("DB_POOL_TIMEOUT", 30, problems),
        db_pool_recycle=_int("DB_POOL_RECYCLE", 1800, problems),
        db_connect_timeout=_int("DB_CONNECT_TIMEOUT", 5, problems),
        health_timeout_seconds=float(_int("HEALTH_TIMEOUT_SECONDS", 3, problems)),
        problems=problems,
    )
    if settings.session_cookie_samesite not in ("lax", "strict", "none"):
        problems.append("SESSION_COOKIE_SAMESITE must be lax, strict or none")
    if not database_url:
        problems.append("DATABASE_URL is not set")
    elif database_url.startswith("sqlite"):
        problems.append("SQLite database is forbidden (DATABASE_URL must be PostgreSQL)")
    elif not database_url.startswith("postgresql"):
        problems.append("DATABASE_URL is not a PostgreSQL URL")
    if broker not in ("redis", "memory"):
        problems.append(f"NOTIFICATION_BROKER must be redis or memory, not {broker!r}")
    if broker == "redis" and not redis_url:
        problems.append("NOTIFICATION_BROKER=redis needs REDIS_URL")
    if _bool("BOT_USE_WEBHOOK", False, problems):
        problems.append("BOT_USE_WEBHOOK=1 is not supported by this image (the bot long-polls getUpdates)")
    if settings.bot_poll_timeout < 0 or settings.bot_poll_timeout > 50:
        problems.append("BOT_POLL_TIMEOUT must be 0 to 50 seconds")
    if production:
        if not redis_url:
            problems.append("REDIS_URL must be set in production")
        if broker != "redis":
            problems.append("NOTIFICATION_BROKER must be redis in production")
        if not settings.session_secret:
            problems.append("SESSION_SECRET must be set in production (auto-generation is disabled)")
        elif len(settings.session_secret) < 32:
            problems.append("SESSION_SECRET must be at least 32 characters")
        if len(settings.admin_password) < 12:
            problems.append("ADMIN_PASSWORD must be set in production (at least 12 characters)")
        if not os.path.isabs(data_dir):
            problems.append("DATA_DIR must be an absolute path")
        elif _inside(data_dir, APP_ROOT):
            problems.append(f"DATA_DIR is inside the application tree {APP_ROOT}")
    if check_data_dir and os.path.isabs(data_dir) and not _inside(data_dir, APP_ROOT):
        reason = _writable(data_dir)
        if reason:
            problems.append(f"DATA_DIR {data_dir} is not writable ({reason})")
    return settings


@lru_cache()
def get_settings() -> Settings:
    return load()


def settings_or_exit(what: str, code: int = 2, check_data_dir: bool = True) -> Settings:
    """The settings, or exit with one line per problem (no traceback) when the configuration is unusable."""
    settings = load(check_data_dir=check_data_dir)
    if settings.problems:
        title = "PRODUCTION CONFIGURATION ERRORS" if settings.production else "CONFIGURATION ERRORS"
        print(f"{what}: {title}:", file=sys.stderr)
        for problem in settings.problems:
            print(f"  - {problem}", file=sys.stderr)
        sys.exit(code)
    get_settings.cache_clear()
    return settings
