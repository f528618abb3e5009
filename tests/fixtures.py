"""The fixtures every test folder shares (tests/conftest.py loads this plugin): people,
a platform, a crew with every role, a board and its columns, and the live hub's
recording seam."""

import pytest
from django.test import override_settings

from common import live
from platforms.models import Role, Status, Visibility
from tasks import services
from tests import sockets
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import REDIS_URL, redis_answers


@pytest.fixture
def coordinator(db):
    return UserFactory(display_name="コーディネーター")


@pytest.fixture
def platform(coordinator):
    platform = PlatformFactory(status=Status.RECRUITING, visibility=Visibility.PUBLIC)
    member_of(platform, coordinator, Role.COORDINATOR)
    return platform


@pytest.fixture
def member(platform):
    user = UserFactory(display_name="メンバー")
    member_of(platform, user, Role.MEMBER)
    return user


@pytest.fixture
def stranger(db):
    return UserFactory(display_name="通りすがり")


@pytest.fixture
def crew(db):
    """A platform with a coordinator, two members, an observer and an outsider."""
    platform = PlatformFactory(status=Status.ACTIVE)
    people = {
        "coordinator": UserFactory(display_name="佐藤"),
        "member": UserFactory(display_name="鈴木"),
        "other": UserFactory(display_name="田中"),
        "observer": UserFactory(display_name="伊藤"),
        "outsider": UserFactory(display_name="部外者"),
    }
    member_of(platform, people["coordinator"], Role.COORDINATOR)
    member_of(platform, people["member"], Role.MEMBER)
    member_of(platform, people["other"], Role.MEMBER)
    member_of(platform, people["observer"], Role.OBSERVER)
    people["platform"] = platform
    return people


@pytest.fixture
def board(crew):
    return services.board_create(
        actor=crew["coordinator"],
        platform=crew["platform"],
        name="就労支援",
        template="intermediate_employment",
    )


@pytest.fixture
def columns(board):
    return list(board.columns.order_by("position"))


@pytest.fixture
def published():
    """What the code under test publishes on the live hub (delivered as usual)."""
    with live.recording() as recorder:
        yield recorder


@pytest.fixture(params=["memory", "redis"])
def live_mode(request):
    """Runs each socket test with the in-process fan-out and with Redis pub/sub."""
    if request.param == "redis":
        if not redis_answers():
            pytest.skip("no Redis at REDIS_URL or 127.0.0.1:6379")
        with override_settings(REDIS_URL=REDIS_URL):
            yield "redis"
    else:
        with override_settings(REDIS_URL=""):
            yield "memory"


@pytest.fixture(autouse=True)
def _no_leftover_frames():
    sockets.pending.clear()
    yield
    sockets.pending.clear()
