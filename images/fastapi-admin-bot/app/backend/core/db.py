from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from .settings import get_settings

_engine = None
_health_engine = None
_Session = None


def engine():
    global _engine
    if _engine is None:
        settings = get_settings()
        _engine = create_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout,
            pool_recycle=settings.db_pool_recycle,
            pool_pre_ping=True,
            connect_args={"connect_timeout": settings.db_connect_timeout, "application_name": "recruitsmart"},
            future=True,
        )
    return _engine


def health_engine():
    """A fresh connection per health check, with a short connect timeout: a pooled connection to a server that
    hangs (instead of refusing) would block the check and its thread forever."""
    global _health_engine
    if _health_engine is None:
        settings = get_settings()
        timeout = max(1, int(settings.health_timeout_seconds))
        _health_engine = create_engine(
            settings.database_url,
            poolclass=NullPool,
            connect_args={
                "connect_timeout": timeout,
                "options": f"-c statement_timeout={timeout * 1000}",
                "application_name": "recruitsmart-health",
            },
            future=True,
        )
    return _health_engine


def Session():
    global _Session
    if _Session is None:
        _Session = sessionmaker(bind=engine(), future=True, expire_on_commit=False)
    return _Session()


@contextmanager
def session_scope():
    session = Session()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def get_session():
    """FastAPI dependency."""
    session = Session()
    try:
        yield session
    finally:
        session.close()
