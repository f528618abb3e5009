import os
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

# The fixtures every folder shares (people, platforms, boards, the live seam).
pytest_plugins = ["tests.fixtures"]


@pytest.fixture(autouse=True)
def _japanese_by_default():
    """Each test starts in the default language, whatever an earlier request left."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# HUB_TEST_NOW moves the whole in-process suite to another day (CI runs the
# date-sensitive folders at more than one), so a test that mixes a fixed date with the
# real "now" fails on the day it is written, not months later. Subprocesses and the
# browser keep the real clock, so their folders are left out.
TEST_NOW = os.environ.get("HUB_TEST_NOW", "")
REAL_CLOCK_FOLDERS = ("e2e", "integration")


@pytest.fixture(autouse=True)
def _test_clock(request):
    fixed = request.node.get_closest_marker("time_machine") is not None
    if not TEST_NOW or fixed or request.path.parent.name in REAL_CLOCK_FOLDERS:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(TEST_NOW), tick=True):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth's rate limits live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every test must meet its real service."""
    if os.environ.get("HUB_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_collection_modifyitems(session, config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in
    the main thread for the rest of the session, which asyncio tests cannot share."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
