"""
RecruitSmart admin UI and API (seed 004): `gunicorn backend.apps.admin_api.main:app -k uvicorn.workers.UvicornWorker`.

Candidates write to the Telegram bot; the bot stores their messages and announces them on the notification
broker, where every admin worker hears them (GET /api/notifications). The admin broadcasts (POST /api/broadcast);
the broker carries that to the bot, which sends it with sendMessage and reports back.
"""
import asyncio
import base64
import binascii
import csv
import html
import logging
import os
import secrets
import time
from collections import deque
from datetime import datetime, timezone
from typing import Optional
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, constr
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from backend.core import logging_setup
from backend.core.db import engine, get_session, health_engine
from backend.core.models import Broadcast, Candidate, Message
from backend.core.notifications import ADMIN_CHANNEL, BOT_CHANNEL, RedisBroker, make_broker
from backend.core.release import RELEASE, VERSION
from backend.core.settings import settings_or_exit

# Exit code 3 is gunicorn's "worker failed to boot": the master stops instead of respawning forever.
settings = settings_or_exit("admin", code=3)
logging_setup.configure(settings.log_level, settings.log_json)
logger = logging.getLogger("recruitsmart.admin")

app = FastAPI(title="RecruitSmart admin", version=VERSION, docs_url=None, redoc_url=None, openapi_url=None)
app.add_middleware(
    SessionMiddleware,
    secret_key=settings.session_secret or secrets.token_urlsafe(32),
    session_cookie="recruitsmart_session",
    max_age=settings.session_max_age,
    same_site=settings.session_cookie_samesite,
    https_only=settings.session_cookie_secure,
)

broker = make_broker(settings)
# Events this process heard on the broker, newest last (every worker hears every event).
notifications: deque = deque(maxlen=200)
_listener: Optional[asyncio.Task] = None


async def _listen() -> None:
    async for event in broker.subscribe(ADMIN_CHANNEL):
        event.setdefault("received_at", _now())
        notifications.append(event)
        logger.info("notification %s", event.get("type"))


@app.on_event("startup")
async def startup() -> None:
    global _listener
    os.makedirs(os.path.join(settings.data_dir, "exports"), exist_ok=True)
    _listener = asyncio.create_task(_listen())
    logger.info(
        "admin %s started (environment %s, broker %s, data %s)",
        VERSION, settings.environment, settings.notification_broker, settings.data_dir,
    )


@app.on_event("shutdown")
async def shutdown() -> None:
    if _listener is not None:
        _listener.cancel()
    await broker.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


# --- health --------------------------------------------------------------------------------------------------
async def _timed(check) -> dict:
    started = time.monotonic()
    try:
        await asyncio.wait_for(check(), timeout=settings.health_timeout_seconds)
        return {"status": "up", "latency_ms": round((time.monotonic() - started) * 1000, 2)}
    except Exception as error:
        return {"status": "down", "latency_ms": round((time.monotonic() - started) * 1000, 2), "error": error.__class__.__name__}


async def _database() -> None:
    def query():
        with health_engine().connect() as connection:
            connection.execute(text("SELECT 1"))

    await asyncio.get_running_loop().run_in_executor(None, query)


async def _redis() -> None:
    if settings.notification_broker == "redis":
        await broker.ping()
        return
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set")
    probe = RedisBroker(settings.redis_url)
    try:
        await probe.ping()
    finally:
        await probe.close()


@app.get("/health")
async def health():
    """Seed 004's shape: 200 when database and Redis answer, 503 when one does not; latencies in ms."""
    started = time.monotonic()
    database, cache = await asyncio.gather(_timed(_database), _timed(_redis))
    components = {"application": {"status": "up", "version": VERSION}, "database": database, "redis": cache}
    healthy = all(component["status"] == "up" for component in components.values())
    body = {
        "status": "healthy" if healthy else "unhealthy",
        "timestamp": _now(),
        "components": components,
        "response_time_ms": round((time.monotonic() - started) * 1000, 2),
    }
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})


@app.get("/")
async def root():
    return {"ok": True, "admin": "/admin", "api": "/api", "health": "/health"}


@app.get("/api/version")
async def version():
    return {"version": VERSION}


# --- authentication: session cookie (browser) or HTTP Basic (scripts) -----------------------------------------
def _credentials_ok(user: str, password: str) -> bool:
    expected_user = settings.admin_user.encode()
    expected_password = settings.admin_password.encode()
    return bool(expected_password) and (
        secrets.compare_digest(user.encode(), expected_user) & secrets.compare_digest(password.encode(), expected_password)
    )


def admin(request: Request) -> str:
    if request.session.get("admin") == settings.admin_user:
        return settings.admin_user
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = "", ""
        if _credentials_ok(user, password):
            return user
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, "sign in first", headers={"WWW-Authenticate": 'Basic realm="admin"'})


class LoginBody(BaseModel):
    username: str
    password: str


@app.post("/api/login")
async def api_login(body: LoginBody, request: Request):
    if not _credentials_ok(body.username, body.password):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong user name or password")
    request.session["admin"] = body.username
    return {"ok": True, "user": body.username}


@app.post("/api/logout")
async def api_logout(request: Request):
    request.session.clear()
    return {"ok": True}


# --- candidates, messages, notifications ---------------------------------------------------------------------
def _candidate(candidate: Candidate) -> dict:
    data = {
        "id": candidate.id,
        "telegram_chat_id": candidate.telegram_chat_id,
        "username": candidate.username,
        "first_name": candidate.first_name,
        "created_at": candidate.created_at.isoformat() if candidate.created_at else None,
        "last_message_at": candidate.last_message_at.isoformat() if candidate.last_message_at else None,
    }
    if RELEASE >= (1, 1, 0):
        data["city"] = candidate.city
    return data


def _message(message: Message) -> dict:
    return {
        "id": message.id,
        "candidate_id": message.candidate_id,
        "direction": message.direction,
        "text": message.text,
        "broadcast_id": message.broadcast_id,
        "created_at": message.created_at.isoformat() if message.created_at else None,
    }


@app.get("/api/candidates")
def candidates(user: str = Depends(admin), session: Session = Depends(get_session)):
    rows = session.execute(select(Candidate).order_by(Candidate.id)).scalars().all()
    return {"candidates": [_candidate(row) for row in rows]}


@app.get("/api/messages")
def messages(direction: Optional[str] = None, limit: int = 100, user: str = Depends(admin), session: Session = Depends(get_session)):
    query = select(Message).order_by(Message.id.desc()).limit(max(1, min(limit, 500)))
    if direction in ("in", "out"):
        query = query.where(Message.direction == direction)
    return {"messages": [_message(row) for row in session.execute(query).scalars().all()]}


@app.get("/api/notifications")
async def get_notifications(user: str = Depends(admin)):
    return {"broker": settings.notification_broker, "notifications": list(notifications)}


# --- broadcasts: admin -> broker -> bot -> Telegram ----------------------------------------------------------
class BroadcastBody(BaseModel):
    text: constr(min_length=1, max_length=4096)


def _broadcast(row: Broadcast) -> dict:
    return {
        "id": row.id,
        "text": row.text,
        "status": row.status,
        "recipients": row.recipients,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }


@app.post("/api/broadcast", status_code=status.HTTP_202_ACCEPTED)
async def broadcast(body: BroadcastBody, user: str = Depends(admin)):
    if not settings.bot_integration_enabled:
        raise HTTPException(status.HTTP_409_CONFLICT, "the bot integration is switched off (BOT_INTEGRATION_ENABLED=0)")

    def create() -> dict:
        with engine().begin() as connection:
            row_id = connection.execute(
                Broadcast.__table__.insert().values(text=body.text, created_by=user).returning(Broadcast.__table__.c.id)
            ).scalar_one()
        return {"id": row_id}

    created = await asyncio.get_running_loop().run_in_executor(None, create)
    listeners = await broker.publish(BOT_CHANNEL, {"type": "broadcast.created", "id": created["id"]})
    logger.info("broadcast %s queued (%s listener(s))", created["id"], listeners)
    return {"id": created["id"], "status": "pending", "listeners": listeners}


@app.get("/api/broadcasts/{broadcast_id}")
def get_broadcast(broadcast_id: int, user: str = Depends(admin), session: Session = Depends(get_session)):
    row = session.get(Broadcast, broadcast_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such broadcast")
    return _broadcast(row)


# --- exports into DATA_DIR -----------------------------------------------------------------------------------
@app.post("/api/exports/messages", status_code=status.HTTP_201_CREATED)
def export_messages(user: str = Depends(admin), session: Session = Depends(get_session)):
    rows = session.execute(
        select(Message.id, Candidate.telegram_chat_id, Message.direction, Message.text, Message.created_at)
        .join(Candidate)
        .order_by(Message.id)
    ).all()
    name = f"messages-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}.csv"
    directory = os.path.join(settings.data_dir, "exports")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name + ".part"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "chat_id", "direction", "text", "created_at"])
        for row in rows:
            writer.writerow([row.id, row.telegram_chat_id, row.direction, row.text, row.created_at.isoformat()])
    os.replace(os.path.join(directory, name + ".part"), os.path.join(directory, name))
    return {"file": f"exports/{name}", "rows": len(rows)}


@app.get("/api/exports")
def list_exports(user: str = Depends(admin)):
    directory = os.path.join(settings.data_dir, "exports")
    names = sorted(name for name in os.listdir(directory) if name.endswith(".csv")) if os.path.isdir(directory) else []
    return {"exports": [f"exports/{name}" for name in names]}


# --- the admin page ------------------------------------------------------------------------------------------
LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RecruitSmart admin</title></head>
<body><h1>RecruitSmart admin</h1>{error}<form method="post" action="/admin/login">
<label>User <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>"""


@app.get("/admin/login", response_class=HTMLResponse)
async def login_page():
    return LOGIN_PAGE.format(error="")


@app.post("/admin/login")
async def login_form(request: Request):
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    username, password = form.get("username", [""])[0], form.get("password", [""])[0]
    if not _credentials_ok(username, password):
        return HTMLResponse(LOGIN_PAGE.format(error="<p>Wrong user name or password.</p>"), status_code=401)
    request.session["admin"] = username
    return RedirectResponse("/admin", status_code=303)


@app.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, session: Session = Depends(get_session)):
    if request.session.get("admin") != settings.admin_user:
        return RedirectResponse("/admin/login", status_code=303)
    total = session.execute(select(func.count(Candidate.id))).scalar_one()
    latest = session.execute(select(Message).order_by(Message.id.desc()).limit(20)).scalars().all()
    items = "".join(
        f"<li>{'&larr;' if m.direction == 'in' else '&rarr;'} {html.escape(m.text)}</li>" for m in latest
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>RecruitSmart admin</title></head><body>"
        f"<h1>RecruitSmart admin {html.escape(VERSION)}</h1><p>{total} candidate(s)</p><ul>{items}</ul>"
        "<form id='b'><input name='text' placeholder='Broadcast to every candidate'><button>Send</button></form>"
        "<script>document.getElementById('b').onsubmit=function(e){e.preventDefault();fetch('/api/broadcast',"
        "{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json'},"
        "body:JSON.stringify({text:this.text.value})}).then(function(){location.reload()})}</script></body></html>"
    )
