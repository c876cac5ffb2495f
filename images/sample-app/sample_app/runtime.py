"""Process plumbing shared by every command: logging to stdout and SIGTERM/SIGINT handling."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

log = logging.getLogger(__name__)


def setup_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    logging.basicConfig(
        stream=sys.stdout,
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def stop_event() -> threading.Event:
    """An event set by SIGTERM (docker stop) or SIGINT, so loops finish their current item and exit."""
    stop = threading.Event()

    def handle(signum, _frame):
        if not stop.is_set():
            log.info("received %s; finishing the current item and stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop
