"""A headless Chromium from Debian, driven by Playwright (orchestration/chromium.py: never downloads a browser,
kept off the network). Tests skip when Chromium is missing."""

from pathlib import Path

import pytest

from orchestration import chromium


@pytest.fixture
def browser():
    """A fresh Chromium per test, closed after it: Playwright's event loop must not outlive the test (later
    in-process Dagster runs in this thread would find it)."""
    if not chromium.available():
        pytest.skip(f"Chromium not found at {chromium.CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev extra)")
    with sync_api.sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the browser tests leave their screenshots (printed by each test; kept with pytest's temp dirs)."""
    return tmp_path_factory.mktemp("screenshots", numbered=False)
