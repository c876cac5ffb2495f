"""Origin check for websockets, in front of every consumer."""
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


class BrowserOriginValidator:
    """
    Refuses a websocket whose Origin header names a site other than ours (ALLOWED_HOSTS, CORS_ALLOWED_ORIGINS,
    CSRF_TRUSTED_ORIGINS): that is cross-site websocket hijacking from a browser. Browsers always send Origin
    on websockets; a connection without one comes from a non-browser client (a monitoring probe, the platform's
    smoke check), which no other site can drive with a user's cookies, so it is let through.
    Channels' AllowedHostsOriginValidator would refuse those too.
    """

    def __init__(self, application):
        self.application = application

    @staticmethod
    def allowed(origin: str) -> bool:
        parts = urlsplit(origin)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            return False
        if settings.DEBUG is False and parts.scheme != "https":
            return False
        trusted = {urlsplit(o).netloc.lower() for o in settings.CORS_ALLOWED_ORIGINS}
        trusted |= {(urlsplit(o).netloc if "://" in o else o).lower() for o in settings.CSRF_TRUSTED_ORIGINS}
        if parts.netloc.lower() in trusted:
            return True
        host, _port = split_domain_port(parts.netloc)
        return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            origin = None
            for name, value in scope.get("headers", []):
                if name == b"origin":
                    origin = value.decode("latin1")
            if origin is not None and not self.allowed(origin):
                return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
