"""WebSocket routes. Live boards and the notification bell add theirs here."""

websocket_urlpatterns = []
