# The Celery app is loaded with Django, so @shared_task uses it in web, daphne and worker processes alike.
from .celery import app as celery_app

__all__ = ("celery_app",)
