"""ASGI entry point: HTTP through Django, WebSockets through Channels' router.

The WebSocket routes are collected from the apps that have live features; the route
table is checked for the site's own origin (common.origin) and session-authenticated as a whole.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import CookieMiddleware, InstanceSessionWrapper  # noqa: E402

from common.origin import SameOriginSockets  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402


class SocketSessionMiddleware:
    """Channels' SessionMiddleware, minus its wrapper around `send`.

    The wrapper exists to save a changed session and set its cookie on an HTTP
    response; a WebSocket never does either, and the board fan-out sends every frame
    through `send`, so the sockets get the server's `send` as it is.
    """

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send)


# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's generations so collections during requests stay short.
gc.freeze()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginSockets(
            CookieMiddleware(
                SocketSessionMiddleware(AuthMiddleware(URLRouter(websocket_urlpatterns)))
            )
        ),
    }
)
