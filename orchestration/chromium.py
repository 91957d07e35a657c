"""The headless Chromium from Debian (`apt-get install chromium fonts-noto-cjk`) that Playwright drives in the
browser tests (tests/reports) and scripts/screenshots.py.

Playwright launches /usr/bin/chromium (or $CHROMIUM); it never downloads a browser. The flags keep Chromium
off the network (no background, component-update or sync requests).
"""

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",  # runs as root here and in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def available() -> bool:
    """Whether CHROMIUM is an executable file or a command on PATH."""
    return (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) or shutil.which(CHROMIUM) is not None


def launch(playwright):
    """Chromium through Playwright's sync API (`playwright.sync_api.sync_playwright()`), with FLAGS."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, chromium_sandbox=False)
