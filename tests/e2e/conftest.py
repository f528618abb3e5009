"""Playwright against Debian's Chromium, headless, driving the live test server."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Opens a page in a fresh context (a separate person); closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(
            locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1600, "height": 1000}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def link_from_outbox(pattern: str, to: str) -> str:
    """The path of the last link matching pattern in mail sent to `to`."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no mail to {to} with {pattern}: {[m.subject for m in mail.outbox]}")
