import pytest


@pytest.fixture(autouse=True)
def _no_loopback_push(settings):
    settings.WEBPUSH_INSECURE_HOSTS = ["127.0.0.1"]
