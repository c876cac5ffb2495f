"""Version this image was built as (build argument APP_VERSION, written to /app/VERSION at build time)."""
import os
from pathlib import Path

_VERSION_FILE = Path(__file__).resolve().parents[2] / "VERSION"
try:
    VERSION = _VERSION_FILE.read_text(encoding="utf-8").strip()
except OSError:
    VERSION = os.environ.get("APP_VERSION", "0.0.0")
RELEASE = tuple(int(part) for part in VERSION.split("+")[0].split("-")[0].split("."))
