"""A platform's report (事業報告) as a print view and as an .xlsx: purpose and 5W2H,
goals with results, organisations and numbers, the timeline with the 和暦, the
evaluation, a board summary; confidential cards only as counts, for every reader."""

import io

import openpyxl
import pytest
from django.urls import reverse

from common.wareki import wareki
from members.models import OrganisationKind
from platforms import services
from platforms.models import Membership, Role, Status
from tasks import services as board_services
from tests.factories import OrganisationFactory, UserFactory, goal_of, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(coordinator, platform):
    """A platform run to its end: goals, two organisations, a board with done work,
    one done card confidential."""
    platform.budget = 300000
    platform.save()
    goal_of(platform, title="職場体験に参加した人", target=5, current=6)
    goal_of(platform, title="就労につながった人", target=3, current=1)
    council = OrganisationFactory(
        name="藤里町社会福祉協議会", kind=OrganisationKind.SOCIAL_WELFARE_COUNCIL
    )
    chamber = OrganisationFactory(name="藤里町商工会", kind=OrganisationKind.CHAMBER_OF_COMMERCE)
    Membership.objects.filter(platform=platform, user=coordinator).update(organisation=council)
    member_of(platform, UserFactory(display_name="商工会の人"), Role.MEMBER, organisation=chamber)
    member_of(platform, UserFactory(display_name="ボランティア"), Role.MEMBER)
    board = board_services.board_create(
        actor=coordinator, platform=platform, name="就労支援", template="blank"
    )
    columns = list(board.columns.order_by("position"))
    last = columns[-1]
    for title, confidential in (("見学会を開く", False), ("Aさんの面談記録", True)):
        card = board_services.card_create(
            actor=coordinator, board=board, column_id=columns[0].pk, title=title
        )
        if confidential:
            board_services.card_update(
                actor=coordinator,
                board=board,
                card_id=card.pk,
                version=card.version,
                fields={"confidential": True},
            )
        board_services.card_move(actor=coordinator, board=board, card_id=card.pk, column_id=last.pk)
    board_services.card_create(
        actor=coordinator, board=board, column_id=columns[0].pk, title="チラシを作る"
    )
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.GOAL_MET)
    services.platform_evaluation_write(
        actor=coordinator,
        platform=platform,
        data={
            "outcome": "6人が体験し、1人が就労した。",
            "learned": "同行支援が鍵。",
            "continues": "月1回の見学会",
            "carried_by": "社協",
        },
    )
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ARCHIVED)
    return platform, board


def test_the_print_view_holds_every_part(client, coordinator, finished):
    platform, board = finished
    client.force_login(coordinator)

    response = client.get(reverse("platforms:platform-report", args=[platform.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert f"「{platform.name}」事業報告" in html
    assert platform.purpose in html and platform.why in html
    deadline = platform.deadline
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日（{wareki(deadline)}）" in html
    assert "300,000円" in html
    assert html.count('data-testid="report-goal"') == 2
    assert "100％（達成）" in html and "33％" in html
    assert "参加者 3人" in html
    assert (
        "藤里町社会福祉協議会" in html and "藤里町商工会" in html and "団体に属さない個人" in html
    )
    assert "商工会の人" not in html  # numbers, not names
    assert "状態の変更：募集中 → 活動中" in html
    assert "6人が体験し、1人が就労した。" in html
    assert "見学会を開く" in html
    assert 'data-testid="report-confidential">非公開のカード 1枚' in html
    assert "Aさんの面談記録" not in html  # not even for the coordinator


def test_members_may_print_it_and_others_may_not(client, finished, member, stranger):
    platform, _ = finished
    url = reverse("platforms:platform-report", args=[platform.pk])

    client.force_login(member)
    as_member = client.get(url)
    client.force_login(stranger)
    as_stranger = client.get(url)
    client.logout()
    anonymous = client.get(url)

    assert as_member.status_code == 200
    assert as_stranger.status_code == 403
    assert "参加者だけが見られます" in as_stranger.content.decode()
    assert anonymous.status_code == 302


@pytest.mark.parametrize("private", [False, True])
def test_the_spreadsheet_is_refused_like_the_page(client, finished, stranger, private):
    platform, _ = finished
    if private:
        platform.visibility = "private"
        platform.save()
    url = reverse("platforms:platform-report-xlsx", args=[platform.pk])

    anonymous = client.get(url)
    client.force_login(stranger)
    as_stranger = client.get(url)

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    assert as_stranger.status_code == (404 if private else 403)
    assert b"PK" not in as_stranger.content[:2]


def test_the_xlsx_has_one_sheet_per_part_with_japanese_headers(client, coordinator, finished):
    platform, _ = finished
    client.force_login(coordinator)

    response = client.get(reverse("platforms:platform-report-xlsx", args=[platform.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))

    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert workbook.sheetnames == ["概要", "目標", "参加", "経過", "評価", "ボード", "完了した仕事"]
    rows = {
        name: [list(r) for r in workbook[name].iter_rows(values_only=True)]
        for name in workbook.sheetnames
    }
    assert rows["目標"][0] == ["目標", "単位", "目標値", "実績", "達成率（％）", "達成"]
    assert ["職場体験に参加した人", "人", 5, 6, 100, "達成"] in rows["目標"]
    assert ["合計（人）", 3] in rows["参加"]
    assert any(r[2] == "状態の変更：活動中 → 目標達成" for r in rows["経過"])
    assert rows["経過"][1][1].startswith("令和") or rows["経過"][1][1].startswith("平成")
    assert ["名称", platform.name] in rows["概要"]
    done = [r[2] for r in rows["完了した仕事"][1:]]
    assert "見学会を開く" in done and "非公開のカード 1枚" in done
    text = str(rows)
    assert "Aさんの面談記録" not in text


def test_a_title_that_looks_like_a_formula_stays_text(client, coordinator, platform):
    goal_of(platform, title='=HYPERLINK("http://evil.example")', target=1)
    client.force_login(coordinator)

    response = client.get(reverse("platforms:platform-report-xlsx", args=[platform.pk]))
    cell = openpyxl.load_workbook(io.BytesIO(response.content))["目標"]["A2"]

    assert cell.value == '=HYPERLINK("http://evil.example")'
    assert cell.data_type == "s"


def test_a_platform_without_boards_goals_or_evaluation_still_reports(client, coordinator, platform):
    client.force_login(coordinator)

    html = client.get(reverse("platforms:platform-report", args=[platform.pk])).content.decode()

    assert "目標は設定されていません。" in html
    assert "評価はまだ書かれていません。" in html
    assert "ボードはありません。" in html


def test_the_report_is_linked_for_members(client, coordinator, platform):
    client.force_login(coordinator)

    html = client.get(platform.get_absolute_url()).content.decode()

    assert f'href="{reverse("platforms:platform-report", args=[platform.pk])}"' in html
