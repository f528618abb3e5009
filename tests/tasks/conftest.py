import pytest

from platforms.models import Role, Status
from tasks import services
from tests.factories import PlatformFactory, UserFactory, member_of


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
