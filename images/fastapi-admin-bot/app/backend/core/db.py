from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from .settings import get_settings

_engine = None
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
