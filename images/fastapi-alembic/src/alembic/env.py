"""alembic environment: DATABASE_URL from the environment, the app's models as target metadata, and a
PostgreSQL advisory lock so two migration runs never interleave."""
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, text

from src.app.models import Base
from src.app.settings import settings_or_exit

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
MIGRATION_LOCK_ID = 720_002  # pg_advisory_lock key of this application's migrations


def run_migrations_offline() -> None:
    context.configure(url=settings_or_exit("alembic").database_url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    settings = settings_or_exit("alembic")
    engine = create_engine(settings.database_url, connect_args={"connect_timeout": settings.db_connect_timeout}, future=True)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_ID})
        connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_ID})
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
