from django.urls import path

from .consumers import JobsConsumer

websocket_urlpatterns = [
    path("ws/jobs/", JobsConsumer.as_asgi()),
    # The route nginx upgrades is /ws/; the platform's smoke check expects 101 there.
    path("ws/", JobsConsumer.as_asgi()),
]
