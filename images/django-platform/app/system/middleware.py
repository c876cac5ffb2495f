from system.health import HEALTH_VIEWS


class HealthCheckMiddleware:
    """
    Answers GET/HEAD on the health paths itself. It runs before SecurityMiddleware and CommonMiddleware, so a
    container probe on http://127.0.0.1:8000 is neither redirected to HTTPS nor refused for its Host header
    (which would log a DisallowedHost error every few seconds). The answers carry no data worth protecting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
