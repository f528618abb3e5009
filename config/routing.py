"""WebSocket routes of every app with live features."""

from tasks.routing import websocket_urlpatterns as task_routes

websocket_urlpatterns = [*task_routes]
