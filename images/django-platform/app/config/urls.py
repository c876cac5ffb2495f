from django.contrib import admin
from django.urls import include, path

from system import health, views as system_views

urlpatterns = [
    # Normally answered by system.middleware.HealthCheckMiddleware; listed so they also resolve without it.
    path("api/system/health/live/", health.liveness, name="liveness"),
    path("api/system/readiness/", health.readiness, name="readiness"),
    path("api/system/health/ready/", health.readiness),
    path("api/system/version/", system_views.version, name="version"),
    path("api/system/status/", system_views.status, name="status"),
    path("api/", include("jobs.urls")),
    path("admin/", admin.site.urls),
]
