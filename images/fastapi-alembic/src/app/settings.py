"""Settings from the environment (pydantic BaseSettings); every variable is listed in the image's README."""
import sys
from functools import lru_cache
from typing import List, Optional

from pydantic import BaseSettings, validator


class Settings(BaseSettings):
    environment: str = "development"
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = ""
    log_level: str = "INFO"
    # Password hashing cost (bcrypt log2 rounds) and access tokens signed with SECRET_KEY.
    bcrypt_rounds: int = 12
    access_token_ttl_seconds: int = 3600
    # Failed logins per e-mail address allowed within login_lockout_seconds before 429 (counted in Redis).
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    # Comma-separated origins allowed to call the API from a browser (CORS); empty: no CORS headers at all.
    cors_origins: str = ""
    db_pool_size: int = 5
    db_max_overflow: int = 5
    db_pool_timeout: int = 30
    db_pool_recycle: int = 1800
    db_connect_timeout: int = 5
    health_timeout_seconds: float = 3.0
    docs_enabled: bool = True

    class Config:
        case_sensitive = False

    @validator("database_url")
    def _sqlalchemy_scheme(cls, value: str) -> str:
        # SQLAlchemy 1.4 knows "postgresql://", not the old "postgres://" alias.
        if value.startswith("postgres://"):
            return "postgresql://" + value[len("postgres://"):]
        return value

    @property
    def cors_origin_list(self) -> List[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def production(self) -> bool:
        return self.environment.strip().lower() in ("production", "prod")

    def problems(self) -> List[str]:
        """What is missing or unsafe; production refuses to start with any of these."""
        found = []
        if not self.database_url:
            found.append("DATABASE_URL is not set")
        elif not self.database_url.startswith("postgresql"):
            found.append("DATABASE_URL is not a PostgreSQL URL")
        if self.production:
            if len(self.secret_key) < 32:
                found.append("SECRET_KEY is shorter than 32 characters")
            if not self.redis_url:
                found.append("REDIS_URL is not set")
            if "*" in self.cors_origin_list:
                found.append("CORS_ORIGINS allows every origin")
        elif not self.secret_key:
            found.append("SECRET_KEY is not set")
        return found


@lru_cache()
def get_settings() -> Settings:
    return Settings()


def settings_or_exit(what: str) -> Settings:
    """Settings, or exit 2 with one line per problem (no traceback) when the configuration is unusable."""
    settings = get_settings()
    problems = settings.problems()
    if problems:
        print(f"{what}: configuration errors:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        sys.exit(2)
    return settings
