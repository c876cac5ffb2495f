from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


@api_view(["GET"])
@permission_classes([AllowAny])
def version(request):
    """Version of the running image and the migrations the database has (and still lacks)."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    pending = [f"{migration.app_label}.{migration.name}" for migration, _ in executor.migration_plan(targets)]
    return Response({"version": settings.APP_VERSION, "pending_migrations": pending})


@api_view(["GET"])
@permission_classes([AllowAny])
def status(request):
    """What the background processes last did: the beat's periodic tick, run by a worker."""
    return Response(
        {
            "version": settings.APP_VERSION,
            "beat": {"last_tick": cache.get("beat:last-tick"), "ticks": cache.get("beat:ticks", 0)},
        }
    )
