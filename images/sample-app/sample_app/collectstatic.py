"""`sample-app collectstatic`: copy the package's static assets into STATIC_ROOT for nginx to serve."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sample_app import settings
from sample_app.web import STATIC_DIR

log = logging.getLogger(__name__)


def run() -> int:
    target = Path(settings.static_root())
    copied = 0
    try:
        for source in sorted(STATIC_DIR.rglob("*")):
            if not source.is_file():
                continue
            destination = target / source.relative_to(STATIC_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied += 1
    except OSError as error:
        raise settings.ConfigError(f"STATIC_ROOT={target} is not writable: {error.strerror or error}") from None
    log.info("collectstatic: copied %d files to %s", copied, target)
    return 0
