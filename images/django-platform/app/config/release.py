"""The version this image was built as (build argument APP_VERSION, written to /app/VERSION at build time)."""
import os
from pathlib import Path

_VERSION_FILE = Path(__file__).resolve().parent.parent / "VERSION"


def _read_version() -> str:
    try:
        return _VERSION_FILE.read_text(encoding="utf-8").strip()
    except OSError:
        return os.environ.get("APP_VERSION", "0.0.0")


VERSION = _read_version()
# (1, 1, 0) for "1.1.0"; models compare against it so each release's schema matches its migrations.
RELEASE = tuple(int(part) for part in VERSION.split("+")[0].split("-")[0].split("."))
