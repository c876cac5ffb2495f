"""The web process: an aiohttp server with health, migrations status, jobs, a WebSocket echo and a page.

Blocking database and Redis calls run in the default thread pool, each bounded by a timeout so a hung
dependency turns into a 503 instead of a hung request.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import json
import logging
import os
import socket
import sys
from pathlib import Path

import redis
from aiohttp import WSMsgType, web

from sample_app import __version__, jobs, migrations, settings
from sample_app.db import Database, short_error

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATE = PACKAGE_DIR / "templates" / "index.html"
DEPENDENCY_TIMEOUT_SECONDS = 3.0
MAX_PAYLOAD_CHARS = 10_000

# application state keys (aiohttp 3.8 in Debian bookworm has no web.AppKey yet)
DB, CACHE, BROKER, BROKER_IS_CACHE = "db", "cache", "broker", "broker_is_cache"


async def blocking(func, *args):
    """Runs a blocking call in the thread pool, bounded by DEPENDENCY_TIMEOUT_SECONDS."""
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(None, functools.partial(func, *args)), DEPENDENCY_TIMEOUT_SECONDS)


def dumps(data) -> str:
    return json.dumps(data, separators=(", ", ": "))


async def _component(check) -> dict:
    try:
        await blocking(check)
        return {"status": "up"}
    except asyncio.TimeoutError:
        return {"status": "down", "error": f"no answer within {DEPENDENCY_TIMEOUT_SECONDS:g}s"}
    except Exception as error:  # any failure of a dependency is reported, not raised
        return {"status": "down", "error": short_error(error)}


async def health(request: web.Request) -> web.Response:
    app = request.app

    def redis_ping():
        app[CACHE].ping()
        if not app[BROKER_IS_CACHE]:
            app[BROKER].ping()

    database, cache = await asyncio.gather(_component(app[DB].ping), _component(redis_ping))
    components = {"database": database, "redis": cache}
    healthy = all(c["status"] == "up" for c in components.values())
    if not healthy:
        log.warning("health: %s", ", ".join(f"{k} {v['status']} ({v.get('error', '')})" for k, v in components.items()
                                            if v["status"] != "up"))
    body = {"status": "healthy" if healthy else "unhealthy", "components": components}
    return web.json_response(body, status=200 if healthy else 503, dumps=dumps)


async def migrations_status(request: web.Request) -> web.Response:
    try:
        todo = await blocking(migrations.pending, request.app[DB])
    except Exception as error:
        message = f"no answer within {DEPENDENCY_TIMEOUT_SECONDS:g}s" if isinstance(error, asyncio.TimeoutError) \
            else short_error(error)
        return web.json_response({"pending": None, "error": message}, status=503, dumps=dumps)
    body = {"pending": len(todo)}
    if todo:
        body["migrations"] = [m.label for m in todo]
    return web.json_response(body, status=503 if todo else 200, dumps=dumps)


async def version(request: web.Request) -> web.Response:
    return web.json_response({"version": __version__}, dumps=dumps)


async def create_job(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return web.json_response({"error": "the body must be JSON"}, status=400, dumps=dumps)
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, str):
        return web.json_response({"error": 'expected {"payload": "<string>"}'}, status=400, dumps=dumps)
    if len(payload) > MAX_PAYLOAD_CHARS:
        return web.json_response({"error": f"payload longer than {MAX_PAYLOAD_CHARS} characters"}, status=413,
                                 dumps=dumps)
    try:
        job_id = await blocking(jobs.enqueue, request.app[DB], request.app[BROKER], "job", payload)
    except Exception as error:
        log.error("POST /api/jobs failed: %s", short_error(error))
        return web.json_response({"error": "the job could not be queued; try again later"}, status=503, dumps=dumps)
    log.info("job %s queued", job_id)
    return web.json_response({"id": job_id}, status=202, dumps=dumps)


async def get_job(request: web.Request) -> web.Response:
    job_id = int(request.match_info["job_id"])
    try:
        job = await blocking(jobs.fetch, request.app[DB], job_id)
    except Exception as error:
        log.error("GET /api/jobs/%s failed: %s", job_id, short_error(error))
        return web.json_response({"error": "the database is not available"}, status=503, dumps=dumps)
    if job is None:
        return web.json_response({"error": f"job {job_id} not found"}, status=404, dumps=dumps)
    return web.json_response(job, dumps=dumps)


async def websocket_echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=30)
    await ws.prepare(request)
    peer = request.headers.get("X-Forwarded-For", request.remote)
    log.info("websocket: %s connected", peer)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await ws.send_bytes(message.data)
        elif message.type == WSMsgType.ERROR:
            log.warning("websocket: %s", ws.exception())
    log.info("websocket: %s disconnected", peer)
    return ws


async def index(request: web.Request) -> web.Response:
    html = TEMPLATE.read_text(encoding="utf-8")
    html = html.replace("{{ version }}", __version__).replace("{{ environment }}", settings.environment())
    return web.Response(text=html, content_type="text/html")


def prove_data_dir_writable(directory: str) -> None:
    path = Path(directory) / ".sample-app-web"
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    record = {
        "hostname": socket.gethostname(),
        "version": __version__,
        "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
    try:
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        raise settings.ConfigError(f"DATA_DIR={directory} is not writable: {error.strerror or error}") from None
    log.info("DATA_DIR %s is writable (wrote %s)", directory, path.name)


def build_app(db: Database, cache: redis.Redis, broker: redis.Redis, broker_is_cache: bool) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[DB] = db
    app[CACHE] = cache
    app[BROKER] = broker
    app[BROKER_IS_CACHE] = broker_is_cache
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/api/health", health)
    app.router.add_get("/api/version", version)
    app.router.add_get("/api/migrations", migrations_status)
    app.router.add_post("/api/jobs", create_job)
    app.router.add_get(r"/api/jobs/{job_id:\d+}", get_job)
    app.router.add_get("/ws/", websocket_echo)
    app.router.add_get("/ws", websocket_echo)
    # nginx serves the collected copy at /static/; this route is for running without it
    app.router.add_static("/static/", STATIC_DIR)

    async def close(_app):
        await asyncio.get_running_loop().run_in_executor(None, db.close)

    app.on_cleanup.append(close)
    return app


def run() -> int:
    warning = settings.check_secret_key()  # raises in production
    if warning:
        log.warning("%s (acceptable only outside production; ENVIRONMENT=%s)", warning, settings.environment())
    port = settings.port()
    db_config = settings.database()
    cache_config = settings.redis_cache()
    broker_config = settings.broker()
    directory = settings.data_dir()
    if directory:
        prove_data_dir_writable(directory)

    log.info(
        "web %s starting: environment=%s port=%s database %s, redis %s, broker %s",
        __version__, settings.environment(), port, db_config.describe(), cache_config.describe(),
        "= redis" if broker_config == cache_config else broker_config.describe(),
    )
    cache = jobs.redis_client(cache_config)
    broker = cache if broker_config == cache_config else jobs.redis_client(broker_config)
    app = build_app(Database(db_config, "sample-app-web"), cache, broker, broker is cache)
    # run_app handles SIGTERM and SIGINT: stops accepting, finishes in-flight requests, runs cleanup.
    web.run_app(
        app,
        host="0.0.0.0",
        port=port,
        print=None,
        access_log=logging.getLogger("sample_app.access"),
        access_log_format='%{X-Forwarded-For}i %a "%r" %s %b %Tfs',
        shutdown_timeout=10,
    )
    log.info("web stopped")
    return 0


if __name__ == "__main__":
    sys.exit(run())
