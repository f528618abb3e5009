from django.urls import path

from . import views

app_name = "tasks"

board = "platforms/<id:platform_id>/boards/<id:board_id>/"
card = board + "cards/<id:card_id>/"

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("my-work/calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("platforms/<id:platform_id>/boards/", views.board_list, name="board-list"),
    path("platforms/<id:platform_id>/activity/", views.platform_activity, name="platform-activity"),
    path(board, views.board_detail, name="board-detail"),
    path(board + "activity/", views.board_activity, name="board-activity"),
    path(board + "cards/", views.card_create, name="card-create"),
    path(card, views.card_detail, name="card-detail"),
    path(card + "move/", views.card_move, name="card-move"),
    path(card + "<slug:action>/", views.card_action, name="card-action"),
    path(board + "columns/", views.column_save, name="column-add"),
    path(board + "columns/<id:column_id>/", views.column_save, name="column-update"),
    path(board + "columns/<id:column_id>/archive/", views.column_archive, name="column-archive"),
    path(board + "columns/<id:column_id>/move/", views.column_move, name="column-move"),
]
