"""Which pages may open the hub's sockets: the site itself, by its full origin.

A browser sends the page's origin with every WebSocket handshake, and the sockets
authenticate with the session cookie, so a foreign page must be turned away here or
it acts as the signed-in person. The rule is Django's CSRF origin rule: the origin
must be this request's own scheme, host and port (the host one of ALLOWED_HOSTS),
or one of CSRF_TRUSTED_ORIGINS (a proxy that terminates TLS).
"""

from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _header(scope, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key == name]
    if len(values) != 1:
        return None
    try:
        return values[0].decode("ascii").strip()
    except UnicodeDecodeError:
        return None


def socket_origin_allowed(scope) -> bool:
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    if not origin or not host:
        return False
    origin, host = origin.lower().rstrip("/"), host.lower()
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    trusted = {o.lower().rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS}
    return origin == f"{scheme}://{host}" or origin in trusted


class SameOriginSockets:
    """ASGI middleware: a socket from another origin is refused before it is accepted
    (the handshake gets a 403)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not socket_origin_allowed(scope):
            message = await receive()  # the handshake: answered with a refusal
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 4403})
            return None
        return await self.inner(scope, receive, send)
