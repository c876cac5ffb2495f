"""`sample-app healthcheck web|worker|scheduler`: exit 0 when healthy, 1 when not (for Docker HEALTHCHECK)."""

from __future__ import annotations

import urllib.error
import urllib.request

import redis

from sample_app import jobs, settings


def web() -> tuple[bool, str]:
    url = f"http://127.0.0.1:{settings.port()}/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"{url}: {error.code} {error.read(500).decode('utf-8', 'replace')}"
    except OSError as error:
        return False, f"{url}: {error}"


def heartbeat(role: str) -> tuple[bool, str]:
    key = jobs.heartbeat_key(role)
    try:
        client = jobs.redis_client(settings.broker(), socket_timeout=3)
        if client.exists(key):
            return True, f"{key}: present"
        return False, f"{key}: missing (no heartbeat within {jobs.HEARTBEAT_TTL_SECONDS}s)"
    except redis.RedisError as error:
        return False, f"broker: {error}"


def run(role: str) -> int:
    ok, detail = web() if role == "web" else heartbeat(role)
    print(f"{role}: {'healthy' if ok else 'UNHEALTHY'}: {detail}")
    return 0 if ok else 1
