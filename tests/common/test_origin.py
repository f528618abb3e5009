"""The socket origin rule: the site's own scheme, host and port, or a trusted origin."""

import pytest

from common.origin import socket_origin_allowed


def scope(origin=None, host="hub.example.jp", scheme="ws", extra=()):
    headers = list(extra)
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if host is not None:
        headers.append((b"host", host.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ALLOWED_HOSTS = ["hub.example.jp", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://hub.example.jp"]


@pytest.mark.parametrize(
    ("case", "allowed"),
    [
        (scope("http://hub.example.jp"), True),
        (scope("http://HUB.example.jp/"), True),
        (scope("http://127.0.0.1:8300", host="127.0.0.1:8300"), True),
        (scope("https://hub.example.jp", scheme="ws"), True),  # trusted: TLS at the proxy
        (scope("https://hub.example.jp:8443", scheme="ws"), False),
        (scope("http://127.0.0.1:1", host="127.0.0.1:8300"), False),
        (scope("https://127.0.0.1:8300", host="127.0.0.1:8300"), False),
        (scope("http://evil.example"), False),
        (scope("http://hub.example.jp.evil.example"), False),
        (scope("http://evil.example", host="evil.example"), False),  # not an allowed host
        (scope(None), False),
        (scope("null"), False),
        (scope("http://hub.example.jp", host=None), False),
        (scope("http://hub.example.jp", extra=[(b"origin", b"http://evil.example")]), False),
        (scope("http://hub.example.jp", extra=[(b"host", b"\xff")]), False),
    ],
)
def test_socket_origin(case, allowed):
    assert socket_origin_allowed(case) is allowed
