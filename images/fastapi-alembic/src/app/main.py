"""
The API of seed 002 (privexbot): users with bcrypt password hashes, a login that issues signed tokens, and the
chatbots a user owns. `gunicorn src.app.main:app -k uvicorn.workers.UvicornWorker`.
"""
import logging
import time
from datetime import datetime, timezone
from typing import List, Optional

import redis
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, EmailStr, constr
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import migrations
from .db import engine, get_session, health_engine
from .models import Chatbot, User
from .release import RELEASE, VERSION
from .security import hash_password, issue_token, self_test, token_user_id, verify_password
from .settings import settings_or_exit

settings = settings_or_exit("privexbot-api")
logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
logger = logging.getLogger("privexbot.api")
# /api/version reads the migration state; alembic's per-call INFO lines ("Context impl ...") are noise there.
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)

app = FastAPI(
    title="privexbot API",
    version=VERSION,
    docs_url="/docs" if settings.docs_enabled else None,
    redoc_url=None,
    openapi_url="/openapi.json" if settings.docs_enabled else None,
)
if settings.cors_origin_list:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )

_redis: Optional[redis.Redis] = None


def redis_client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=settings.health_timeout_seconds,
            socket_timeout=settings.health_timeout_seconds,
            health_check_interval=30,
        )
    return _redis


@app.on_event("startup")
def startup() -> None:
    logger.info("privexbot API %s starting; password hashing self-test: %s", VERSION, self_test())


# --- schemas --------------------------------------------------------------------------------------------------
class UserCreate(BaseModel):
    email: EmailStr
    password: constr(min_length=8, max_length=72)  # bcrypt uses at most 72 bytes
    if RELEASE >= (1, 1, 0):
        display_name: Optional[constr(max_length=100)] = None


class UserOut(BaseModel):
    id: int
    email: str
    created_at: datetime
    if RELEASE >= (1, 1, 0):
        display_name: Optional[str] = None

    class Config:
        orm_mode = True


class Login(BaseModel):
    email: EmailStr
    password: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class ChatbotCreate(BaseModel):
    name: constr(min_length=1, max_length=200)
    system_prompt: str = ""


class ChatbotOut(BaseModel):
    id: int
    name: str
    system_prompt: str
    created_at: datetime

    class Config:
        orm_mode = True


# --- health ---------------------------------------------------------------------------------------------------
def _timed(check):
    started = time.monotonic()
    try:
        check()
        return {"status": "up", "latency_ms": round((time.monotonic() - started) * 1000, 2)}
    except Exception as error:
        return {"status": "down", "error": error.__class__.__name__}


def _database_check():
    with health_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


@app.get("/health")
def health():
    """200 when the database and Redis answer, 503 otherwise; each with its latency."""
    started = time.monotonic()
    components = {
        "application": {"status": "up", "version": VERSION},
        "database": _timed(_database_check),
        "redis": _timed(lambda: redis_client().ping()) if settings.redis_url else {"status": "down", "error": "REDIS_URL is not set"},
    }
    healthy = all(component["status"] == "up" for component in components.values())
    body = {
        "status": "healthy" if healthy else "unhealthy",
        "timestamp": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "components": components,
        "response_time_ms": round((time.monotonic() - started) * 1000, 2),
    }
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})


@app.get("/api/version")
def version():
    with engine().connect() as connection:
        state = migrations.state(connection)
    return {"version": VERSION, "database_revision": state["current"], "head": state["heads"], "pending": state["pending"]}


# --- users and login ------------------------------------------------------------------------------------------
bearer = HTTPBearer(auto_error=False)


def current_user(
    credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer), session: Session = Depends(get_session)
) -> User:
    user_id = token_user_id(credentials.credentials) if credentials else None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not signed in", headers={"WWW-Authenticate": "Bearer"})
    return user


@app.post("/api/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def register(body: UserCreate, session: Session = Depends(get_session)):
    user = User(email=body.email.lower(), password_hash=hash_password(body.password))
    if RELEASE >= (1, 1, 0):
        user.display_name = body.display_name
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "a user with this e-mail address exists")
    return user


def _failures_key(email: str) -> str:
    return f"privexbot:login-failures:{email}"


@app.post("/api/login", response_model=Token)
def login(body: Login, session: Session = Depends(get_session)):
    email = body.email.lower()
    key = _failures_key(email)
    store = redis_client()
    failures = int(store.get(key) or 0)
    if failures >= settings.login_max_failures:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many failed logins; try again later")
    user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not verify_password(body.password, user.password_hash):
        with store.pipeline() as pipe:
            pipe.incr(key).expire(key, settings.login_lockout_seconds).execute()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong e-mail address or password")
    store.delete(key)
    user.last_login_at = func.now()
    session.commit()
    return Token(access_token=issue_token(user.id), expires_in=settings.access_token_ttl_seconds)


@app.get("/api/me", response_model=UserOut)
def me(user: User = Depends(current_user)):
    return user


@app.get("/api/chatbots", response_model=List[ChatbotOut])
def list_chatbots(user: User = Depends(current_user), session: Session = Depends(get_session)):
    return session.execute(select(Chatbot).where(Chatbot.owner_id == user.id).order_by(Chatbot.id)).scalars().all()


@app.post("/api/chatbots", response_model=ChatbotOut, status_code=status.HTTP_201_CREATED)
def create_chatbot(body: ChatbotCreate, user: User = Depends(current_user), session: Session = Depends(get_session)):
    chatbot = Chatbot(owner_id=user.id, name=body.name, system_prompt=body.system_prompt)
    session.add(chatbot)
    session.commit()
    return chatbot
