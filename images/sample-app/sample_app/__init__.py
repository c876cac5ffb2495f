"""A small sample platform application: web (aiohttp), migrations, a job worker and a scheduler.

Shaped like the systems the platform deploys (Django/Celery/Channels, FastAPI + alembic): one package,
one image, several processes chosen by the first argument of `sample-app`. Settings come only from
the environment; see settings.py.
"""

import os

# Reported by GET /api/version; the image sets it from the APP_VERSION build argument.
__version__ = os.environ.get("APP_VERSION", "0.0.0-dev")
