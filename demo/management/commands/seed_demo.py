"""Loads Japanese demo data modelled on the source's examples, through the services
so every platform has its real history. Safe to run again: an existing demo is kept."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from members import services as member_services
from members.models import Organisation, OrganisationKind, Participation, ResourceType, User
from platforms import services
from platforms.models import Status
from resources import services as resource_services
from resources.models import Audience, Kind, Offer, Resource
from resources.models import Status as ResourceStatus
from tasks import services as board_services

DEMO_PASSWORD = "demo-pass-2026"

PEOPLE = [
    # email, display name, area, participation, skills, staff
    (
        "csw@demo.example.jp",
        "佐藤 恵子",
        "秋田県藤里町",
        Participation.SUPPORT_WORKER,
        "相談支援、地域づくり",
        False,
    ),
    (
        "shokokai@demo.example.jp",
        "高橋 誠",
        "秋田県藤里町",
        Participation.ORGANISATION_STAFF,
        "事業所開拓、経営相談",
        False,
    ),
    (
        "npo@demo.example.jp",
        "田中 由美",
        "大阪府豊中市",
        Participation.ORGANISATION_STAFF,
        "商品企画、販売",
        False,
    ),
    (
        "volunteer@demo.example.jp",
        "鈴木 大輔",
        "大阪府豊中市 第三中学校区",
        Participation.VOLUNTEER,
        "運転、イベント運営",
        False,
    ),
    (
        "member@demo.example.jp",
        "伊藤 翔",
        "愛知県半田市",
        Participation.SUPPORTED_PERSON,
        "パソコン入力",
        False,
    ),
    ("admin@demo.example.jp", "運営スタッフ", "", Participation.ORGANISATION_STAFF, "", True),
]

ORGANISATIONS = [
    (
        "藤里町社会福祉協議会",
        OrganisationKind.SOCIAL_WELFARE_COUNCIL,
        ResourceType.FORMAL,
        "秋田県藤里町",
        "csw@demo.example.jp",
    ),
    (
        "藤里町商工会",
        OrganisationKind.CHAMBER_OF_COMMERCE,
        ResourceType.FORMAL,
        "秋田県藤里町",
        "shokokai@demo.example.jp",
    ),
    (
        "NPO法人とよなか地域ものづくり",
        OrganisationKind.NPO,
        ResourceType.INFORMAL,
        "大阪府豊中市",
        "npo@demo.example.jp",
    ),
    (
        "福祉作業所ひだまり",
        OrganisationKind.BUSINESS,
        ResourceType.FORMAL,
        "大阪府豊中市",
        "npo@demo.example.jp",
    ),
    (
        "半田市役所 地域福祉課",
        OrganisationKind.GOVERNMENT,
        ResourceType.FORMAL,
        "愛知県半田市",
        "member@demo.example.jp",
    ),
    (
        "東町自治会",
        OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        ResourceType.INFORMAL,
        "大阪府豊中市 第三中学校区",
        "volunteer@demo.example.jp",
    ),
    (
        "みまもりボランティアの会",
        OrganisationKind.VOLUNTEER_GROUP,
        ResourceType.INFORMAL,
        "大阪府豊中市",
        "volunteer@demo.example.jp",
    ),
    (
        "はんだ若者サポートステーション",
        OrganisationKind.OTHER,
        ResourceType.FORMAL,
        "愛知県半田市",
        "csw@demo.example.jp",
    ),
]


# (steward, organisation, name, kind, formality, offers, municipality, area, description,
#  days since last confirmed or None for never)
RESOURCES = [
    ("csw@demo.example.jp", "藤里町社会福祉協議会", "こみっと（社協の拠点）", Kind.PLACE, "formal",
     [Offer.SPACE, Offer.INFORMATION], "藤里町", "藤琴地区",
     "ひきこもりや生活の困りごとの相談と、だれでも立ち寄れるお食事処・作業場。", 30),
    ("csw@demo.example.jp", "藤里町社会福祉協議会", "生活福祉資金の貸付", Kind.FUNDING, "formal",
     [Offer.MONEY, Offer.INFORMATION], "藤里町", "",
     "低所得世帯・障害者世帯・高齢者世帯への貸付の相談窓口（社協が受付）。", 90),
    ("shokokai@demo.example.jp", "藤里町商工会", "事業所の職場見学受け入れ", Kind.SERVICE, "informal",
     [Offer.PEOPLE, Offer.SKILLS], "藤里町", "粕毛地区",
     "町内の事業所が、働くことに不安のある人の見学と短時間の体験を受け入れます。", 200),
    ("shokokai@demo.example.jp", "藤里町商工会", "商工会だより（募集記事の掲載）", Kind.INFORMATION, "informal",
     [Offer.INFORMATION], "藤里町", "", "毎月の会報に、地域の募集やお知らせを無料で載せられます。", 420),
    ("npo@demo.example.jp", "NPO法人とよなか地域ものづくり", "福祉作業所の共同作業場", Kind.PLACE, "informal",
     [Offer.SPACE, Offer.GOODS], "豊中市", "第三中学校区",
     "平日の日中、作業台と道具を地域の団体に貸し出しています。", 60),
    ("npo@demo.example.jp", "NPO法人とよなか地域ものづくり", "地域見守りネットワーク", Kind.NETWORK, "informal",
     [Offer.PEOPLE, Offer.INFORMATION], "豊中市", "第三中学校区",
     "自治会・民生委員・商店が、気になる人の様子を知らせ合うつながり。", 10),
    ("volunteer@demo.example.jp", None, "ボランティア運転の送迎", Kind.PEOPLE, "informal",
     [Offer.PEOPLE], "豊中市", "第五中学校区", "通院や買い物の送迎を、登録ボランティアが相談して引き受けます。", None),
    ("csw@demo.example.jp", "藤里町社会福祉協議会", "生活困窮者自立支援制度", Kind.SYSTEM, "formal",
     [Offer.INFORMATION, Offer.MONEY], "藤里町", "",
     "仕事や住まい、家計の相談を一緒に考える国の制度。窓口は町の福祉担当と社協です。", 15),
]  # fmt: skip


class Command(BaseCommand):
    help = "Loads the Japanese demo data (idempotent) and prints the demo logins."

    def handle(self, *args, **options):
        if User.objects.filter(email=PEOPLE[0][0]).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not Resource.objects.exists():
            self._load_resources()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, name, *_rest in PEOPLE:
            self.stdout.write(f"  {email:28} {name}")
        self.stdout.write("  admin@demo.example.jp can also open /admin/\n")

    @transaction.atomic
    def _load_resources(self):
        """A few resources of every kind in the demo areas, one never confirmed and
        one not confirmed for over a year."""
        today = timezone.localdate()
        for (
            steward_email,
            organisation,
            name,
            kind,
            formality,
            offers,
            city,
            area,
            text,
            days,
        ) in RESOURCES:
            steward = User.objects.get(email=steward_email)
            provider = (
                Organisation.objects.filter(name=organisation).first() if organisation else None
            )
            resource = resource_services.resource_create(
                actor=steward,
                data={
                    "name": name,
                    "description": text,
                    "kind": kind,
                    "formality": formality,
                    "municipality": city,
                    "area": area,
                    "provider_organisation": provider,
                    "phone": "0185-00-0000" if city == "藤里町" else "06-0000-0000",
                    "phone_audience": Audience.EVERYONE,
                },
                offers=offers,
            )
            resource_services.resource_update(
                actor=steward, resource=resource, data={"status": ResourceStatus.ACTIVE}
            )
            if days is not None:
                Resource.objects.filter(pk=resource.pk).update(
                    confirmed_at=today - timedelta(days=days), confirmed_by=steward
                )

    def _demo_board(self, platform, coordinator, shokokai, volunteer):
        board = board_services.board_create(
            actor=coordinator,
            platform=platform,
            name="職場体験の進行",
            template="intermediate_employment",
        )
        columns = list(board.columns.order_by("position"))
        cards = [
            (0, "Aさん 初回面談（同行：佐藤）", True, coordinator),
            (1, "受け入れ事業所の候補を3か所あげる", False, shokokai),
            (1, "商工会だよりに募集記事を載せる", False, shokokai),
            (2, "農産物直売所での体験（週2回）", False, coordinator),
            (3, "Bさん 就労中・月1回のふり返り", True, coordinator),
        ]
        for column_index, title, confidential, owner in cards:
            board_services.card_create(
                actor=owner,
                board=board,
                column_id=columns[column_index].pk,
                title=title,
                confidential=confidential,
            )
        market = board_services.card_create(
            actor=coordinator, board=board, column_id=columns[2].pk, title="朝市の出店手伝い"
        )
        board_services.card_update(
            actor=coordinator,
            board=board,
            card_id=market.pk,
            version=1,
            fields={
                "helpers_needed": 3,
                "helper_skills": "運転、接客",
                "labels": ["ボランティア募集"],
            },
        )
        board_services.helper_claim(actor=volunteer, board=board, card_id=market.pk)

    @transaction.atomic
    def _load(self):
        people = {}
        for email, name, area, participation, skills, staff in PEOPLE:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=name,
                area=area,
                participation=participation,
                skills=skills,
                is_staff=staff,
                is_superuser=staff,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            people[email] = user
        organisations = {}
        for name, kind, resource_type, area, admin in ORGANISATIONS:
            organisations[name] = member_services.organisation_create(
                actor=people[admin],
                data={
                    "name": name,
                    "kind": kind,
                    "resource_type": resource_type,
                    "area": area,
                    "description": f"{area}で活動する{kind.label}です。",
                },
            )
        today = timezone.localdate()
        csw, shokokai, npo, volunteer, member = (people[p[0]] for p in PEOPLE[:5])

        work = services.platform_launch(
            actor=csw,
            data={
                "name": "ひきこもり経験者の職場体験プラットフォーム",
                "purpose": "社会とのつながりが途切れた人が、地元の事業所で無理なく働く体験を重ね、"
                "次の一歩を選べるようにする。",
                "why": "町内に長くひきこもっている人が多く、本人も家族も相談先が分からない。",
                "who": "社会福祉協議会が呼びかけ、商工会と町内の事業所、ボランティアが参加する。"
                "対象は働くことに不安のある人。",
                "where": "藤里町内の事業所と社協の拠点「こみっと」",
                "area": "秋田県藤里町",
                "deadline": today + timedelta(days=120),
                "what": "職場見学、短時間の職場体験、ふり返りの面談、受け入れ事業所の勉強会。",
                "how": "毎月の調整会議で体験先を決め、支援員が同行する。",
                "budget": 300000,
                "funding": "町の委託費と商工会の協力金",
                "visibility": "public",
            },
            goals=[
                {"title": "職場体験に参加する人", "unit": "人", "target_value": 5},
                {"title": "受け入れ事業所", "unit": "か所", "target_value": 8},
            ],
        )
        services.platform_transition(actor=csw, platform=work, to_status=Status.RECRUITING)
        for user, organisation in ((shokokai, "藤里町商工会"), (volunteer, None)):
            request = services.join_request_create(
                actor=user,
                platform=work,
                message="ぜひ協力させてください。",
                organisation=organisations[organisation] if organisation else None,
            )
            services.join_request_decide(actor=csw, join_request=request, approve=True)
        services.platform_transition(actor=csw, platform=work, to_status=Status.ACTIVE)
        for goal, value in zip(work.goals.all(), (3, 6), strict=True):
            services.goal_update(actor=csw, goal=goal, data={"current_value": value})
        services.join_request_create(
            actor=member, platform=work, message="パソコン入力の仕事を体験してみたいです。"
        )
        self._demo_board(work, csw, shokokai, volunteer)

        business = services.platform_launch(
            actor=npo,
            data={
                "name": "地域特産品コミュニティビジネス",
                "purpose": "福祉作業所と地域の農家がいっしょに特産品を作って売り、"
                "働く場と地域のにぎわいを生む。",
                "why": "作業所の仕事が減り、農家は加工の人手が足りない。",
                "who": "NPOが呼びかけ、作業所、農家、商店街、ボランティアが参加する。",
                "where": "豊中市内の作業所と駅前マルシェ",
                "area": "大阪府豊中市",
                "deadline": today + timedelta(days=200),
                "what": "試作品づくり、パッケージのデザイン、月1回のマルシェ出店。",
                "how": "企画会議を月2回、販売はボランティアと交代で担当する。",
                "budget": 500000,
                "funding": "共同募金の助成金と売上",
                "visibility": "public",
            },
            goals=[{"title": "マルシェでの販売", "unit": "回", "target_value": 6}],
        )
        services.platform_transition(actor=npo, platform=business, to_status=Status.RECRUITING)

        youth = services.platform_launch(
            actor=csw,
            data={
                "name": "若者サポートステーション連携プロジェクト",
                "purpose": "働くことに悩む若者を、サポステと地元企業と市役所が連携して就労につなげる。",
                "why": "若者の相談は増えているが、受け入れ企業とのつながりが弱い。",
                "who": "サポステが呼びかけ、市役所、企業、社協が参加する。",
                "where": "半田市内",
                "area": "愛知県半田市",
                "deadline": today + timedelta(days=30),
                "what": "企業見学会、就労体験、定着支援の面談。",
                "how": "月1回の連携会議。",
                "budget": 200000,
                "funding": "市の補助金",
                "visibility": "public",
            },
            goals=[{"title": "就職した若者", "unit": "人", "target_value": 3}],
        )
        for step in (Status.RECRUITING, Status.ACTIVE):
            services.platform_transition(actor=csw, platform=youth, to_status=step)
        services.goal_update(actor=csw, goal=youth.goals.get(), data={"current_value": 3})
        services.platform_transition(actor=csw, platform=youth, to_status=Status.GOAL_MET)
        services.platform_evaluation_write(
            actor=csw,
            platform=youth,
            data={
                "outcome": "3人が地元企業に就職し、半年後も働き続けている。",
                "learned": "企業見学の前に本人と企業の担当者が顔を合わせると、体験が続きやすい。",
                "continues": "企業見学会は市役所の事業として続ける。",
                "carried_by": "半田市役所 地域福祉課",
            },
        )
        services.platform_transition(actor=csw, platform=youth, to_status=Status.ARCHIVED)

        services.platform_launch(
            actor=volunteer,
            data={
                "name": "東町 見守りネットワークづくり",
                "purpose": "一人暮らしの高齢者の小さな変化に、近所の人が早く気づけるようにする。",
                "why": "孤立した世帯が増え、困りごとの発見が遅れている。",
                "who": "自治会と見守りボランティア、民生委員。",
                "where": "東町の集会所",
                "area": "大阪府豊中市 第三中学校区",
                "deadline": today + timedelta(days=90),
                "what": "見守りの声かけ訓練と連絡網づくり。",
                "how": "準備会で進め方を決める。",
                "budget": None,
                "funding": "",
                "visibility": "private",
            },
        )
