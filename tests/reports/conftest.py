"""A headless Chromium from Debian (`apt-get install chromium fonts-noto-cjk`), driven by Playwright.

Playwright launches /usr/bin/chromium (or $CHROMIUM); it never downloads a browser. The flags keep Chromium
off the network (no background, component-update or sync requests). Tests skip when Chromium is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def browser():
    """A fresh Chromium per test, closed after it: Playwright's event loop must not outlive the test (later
    in-process Dagster runs in this thread would find it)."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev extra)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, chromium_sandbox=False)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the browser tests leave their screenshots (printed by each test; kept with pytest's temp dirs)."""
    return tmp_path_factory.mktemp("screenshots", numbered=False)
