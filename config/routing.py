"""WebSocket routes of every app with live features."""

from notifications.routing import websocket_urlpatterns as notification_routes
from tasks.routing import websocket_urlpatterns as task_routes

websocket_urlpatterns = [*task_routes, *notification_routes]
