"""Liveness and readiness: what the container healthchecks, nginx's smoke check and monitoring ask."""
import time
from datetime import datetime, timezone

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def liveness(request):
    """The process is up and serving requests; no dependency is touched."""
    return JsonResponse({"status": "healthy", "timestamp": _now(), "version": settings.APP_VERSION})


def _check_database():
    """SELECT 1 over a fresh connection with a short connect timeout: the request's own persistent connection
    (CONN_MAX_AGE) would wait forever on a server that hangs instead of refusing, and this check must answer."""
    params = connection.get_connection_params()
    params["connect_timeout"] = settings.HEALTH_TIMEOUT_SECONDS
    params["options"] = f"-c statement_timeout={int(settings.HEALTH_TIMEOUT_SECONDS * 1000)}"
    params["application_name"] = "thebot-readiness"
    try:
        probe = connection.Database.connect(**params)
    except Exception as error:  # any failure means "not ready"; the reason is reported, not raised
        return "error", error.__class__.__name__
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok", None
    except Exception as error:
        return "error", error.__class__.__name__
    finally:
        probe.close()


def _check_redis(url: str):
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=settings.HEALTH_TIMEOUT_SECONDS,
        socket_timeout=settings.HEALTH_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
        return "ok", None
    except Exception as error:
        return "error", error.__class__.__name__
    finally:
        client.close()


def readiness(request):
    """200 when the database and Redis (cache, and the Celery broker when it is another URL) answer, else 503."""
    started = time.monotonic()
    dependencies, errors = {}, {}
    dependencies["database"], errors["database"] = _check_database()
    if settings.REDIS_URL:
        dependencies["redis"], errors["redis"] = _check_redis(settings.REDIS_URL)
    else:
        dependencies["redis"], errors["redis"] = "error", "REDIS_URL is not set"
    broker = settings.CELERY_BROKER_URL
    if broker and broker != settings.REDIS_URL:
        dependencies["broker"], errors["broker"] = _check_redis(broker)
    ready = all(state == "ok" for state in dependencies.values())
    body = {
        "status": "ready" if ready else "not ready",
        "dependencies": dependencies,
        "timestamp": _now(),
        "response_time_ms": round((time.monotonic() - started) * 1000, 2),
    }
    failing = {name: reason for name, reason in errors.items() if reason}
    if failing:
        body["errors"] = failing
    return JsonResponse(body, status=200 if ready else 503)


# Paths answered by HealthCheckMiddleware, before ALLOWED_HOSTS and the HTTPS redirect apply.
HEALTH_VIEWS = {
    "/api/system/health/live/": liveness,
    "/api/system/readiness/": readiness,
    "/api/system/health/ready/": readiness,
}
