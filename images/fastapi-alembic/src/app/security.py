"""Password hashing (passlib + bcrypt) and signed access tokens (itsdangerous, keyed by SECRET_KEY)."""
from typing import Optional

import bcrypt
import passlib
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from passlib.context import CryptContext

from .settings import get_settings

_context: Optional[CryptContext] = None


def passwords() -> CryptContext:
    global _context
    if _context is None:
        _context = CryptContext(schemes=["bcrypt"], deprecated="auto", bcrypt__rounds=get_settings().bcrypt_rounds)
    return _context


def hash_password(password: str) -> str:
    return passwords().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return passwords().verify(password, password_hash)


def self_test() -> str:
    """Hashes and verifies a password with the installed passlib and bcrypt: the seed outage was these two not
    working together (bcrypt 4.1+ has no __about__, which passlib 1.7.4 reads). Raises when they do not."""
    context = CryptContext(schemes=["bcrypt"], bcrypt__rounds=4)
    hashed = context.hash("self-test password")
    if not context.verify("self-test password", hashed) or context.verify("wrong", hashed):
        raise RuntimeError("passlib/bcrypt self-test failed")
    return f"passlib {passlib.__version__}, bcrypt {bcrypt.__version__}, {context.identify(hashed)}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="privexbot-access-token")


def issue_token(user_id: int) -> str:
    return _serializer().dumps({"uid": user_id})


def token_user_id(token: str) -> Optional[int]:
    try:
        data = _serializer().loads(token, max_age=get_settings().access_token_ttl_seconds)
    except (BadSignature, SignatureExpired):
        return None
    return int(data["uid"]) if isinstance(data, dict) and "uid" in data else None
