#!/usr/bin/env python3
"""The Telegram bot worker of RecruitSmart: `python3 bot.py` (see backend/apps/bot/worker.py)."""
import sys

from backend.apps.bot.worker import main

if __name__ == "__main__":
    sys.exit(main())
