from django.urls import path

from .consumers import BoardConsumer

websocket_urlpatterns = [
    path(
        "ws/platforms/<int:platform_id>/boards/<int:board_id>/",
        BoardConsumer.as_asgi(),
    ),
]
