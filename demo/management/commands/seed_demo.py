"""Loads Japanese demo data modelled on the source's examples, through the services
so every platform has its real history. Safe to run again: an existing demo is kept."""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from members import services as member_services
from members.models import Organisation, OrganisationKind, Participation, ResourceType, User
from platforms import services
from platforms.models import Platform, Status
from resources import services as resource_services
from resources.models import Audience, Gap, Kind, Offer, PlatformResource, Resource
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
#  days since last confirmed or None for never, (latitude, longitude, postal code,
#  address) or None for no map point)
FUJISATO, TOYONAKA, HANDA = "藤里町", "豊中市", "半田市"
CSW, SHOKOKAI, NPO, VOLUNTEER, MEMBER = (
    "csw@demo.example.jp",
    "shokokai@demo.example.jp",
    "npo@demo.example.jp",
    "volunteer@demo.example.jp",
    "member@demo.example.jp",
)
RESOURCES = [
    (CSW, "藤里町社会福祉協議会", "こみっと（社協の拠点）", Kind.PLACE, "formal", [Offer.SPACE, Offer.INFORMATION], FUJISATO, "藤琴地区",
     "ひきこもりや生活の困りごとの相談と、だれでも立ち寄れるお食事処・作業場。", 30, (40.2832, 140.2661, "018-3201", "藤琴字藤琴")),
    (CSW, "藤里町社会福祉協議会", "生活福祉資金の貸付", Kind.FUNDING, "formal", [Offer.MONEY, Offer.INFORMATION], FUJISATO, "",
     "低所得世帯・障害者世帯・高齢者世帯への貸付の相談窓口（社協が受付）。", 90, (40.2827, 140.2675, "018-3201", "藤琴字藤琴")),
    (SHOKOKAI, "藤里町商工会", "事業所の職場見学受け入れ", Kind.SERVICE, "informal", [Offer.PEOPLE, Offer.SKILLS], FUJISATO, "粕毛地区",
     "町内の事業所が、働くことに不安のある人の見学と短時間の体験を受け入れます。", 200, (40.2711, 140.2432, "", "")),
    (SHOKOKAI, "藤里町商工会", "商工会だより（募集記事の掲載）", Kind.INFORMATION, "informal", [Offer.INFORMATION], FUJISATO, "",
     "毎月の会報に、地域の募集やお知らせを無料で載せられます。", 420, None),
    (NPO, "NPO法人とよなか地域ものづくり", "福祉作業所の共同作業場", Kind.PLACE, "informal", [Offer.SPACE, Offer.GOODS], TOYONAKA, "第三中学校区",
     "平日の日中、作業台と道具を地域の団体に貸し出しています。", 60, (34.7862, 135.4671, "560-0022", "北桜塚2丁目")),
    (NPO, "NPO法人とよなか地域ものづくり", "地域見守りネットワーク", Kind.NETWORK, "informal", [Offer.PEOPLE, Offer.INFORMATION], TOYONAKA, "第三中学校区",
     "自治会・民生委員・商店が、気になる人の様子を知らせ合うつながり。", 10, None),
    (VOLUNTEER, None, "ボランティア運転の送迎", Kind.PEOPLE, "informal", [Offer.PEOPLE], TOYONAKA, "第五中学校区",
     "通院や買い物の送迎を、登録ボランティアが相談して引き受けます。", None, None),
    (CSW, "藤里町社会福祉協議会", "生活困窮者自立支援制度", Kind.SYSTEM, "formal", [Offer.INFORMATION, Offer.MONEY], FUJISATO, "",
     "仕事や住まい、家計の相談を一緒に考える国の制度。窓口は町の福祉担当と社協です。", 15, None),
    # 藤里町
    (CSW, "藤里町社会福祉協議会", "お食事処「こみっと」のそば打ち", Kind.SERVICE, "informal", [Offer.SKILLS, Offer.PEOPLE], FUJISATO, "藤琴地区",
     "そば打ちを通じて働く練習ができます。週3回、昼の営業を手伝います。", 40, (40.2836, 140.2655, "018-3201", "藤琴字藤琴")),
    (CSW, "藤里町社会福祉協議会", "町の登録ヘルパー（有償ボランティア）", Kind.PEOPLE, "informal", [Offer.PEOPLE], FUJISATO, "",
     "ちょっとした家事や見守りを、登録した町民が1時間500円で引き受けます。", 120, None),
    (SHOKOKAI, "藤里町商工会", "空き店舗の貸し出し", Kind.PLACE, "formal", [Offer.SPACE], FUJISATO, "藤琴地区",
     "商店街の空き店舗を、地域の活動や試し販売に月単位で貸し出します。", 75, (40.2821, 140.2690, "018-3201", "藤琴字里見")),
    (SHOKOKAI, "藤里町商工会", "経営相談窓口", Kind.SERVICE, "formal", [Offer.INFORMATION, Offer.SKILLS], FUJISATO, "",
     "起業や小さな商いの相談に、経営指導員が応じます。", 33, (40.2819, 140.2684, "018-3201", "藤琴字藤琴")),
    (CSW, None, "白神山地ガイドの会", Kind.NETWORK, "informal", [Offer.PEOPLE, Offer.SKILLS], FUJISATO, "粕毛地区",
     "山の案内をする町民の集まり。体験の受け入れや、若い人の参加を歓迎しています。", 300, (40.3069, 140.2105, "018-3202", "太良")),
    (CSW, "藤里町社会福祉協議会", "町の移動販売車", Kind.SERVICE, "informal", [Offer.GOODS], FUJISATO, "粕毛地区",
     "週2回、山あいの集落をまわって食料品を売ります。見守りの声かけも兼ねています。", 500, None),
    (CSW, "藤里町社会福祉協議会", "地域福祉活動の助成金", Kind.FUNDING, "formal", [Offer.MONEY], FUJISATO, "",
     "町内の住民グループの福祉活動に、年10万円まで助成します（社協の地域福祉基金）。", 20, None),
    (CSW, "藤里町社会福祉協議会", "くらしの相談カレンダー", Kind.INFORMATION, "formal", [Offer.INFORMATION], FUJISATO, "",
     "どこで、いつ、どんな相談ができるかを1枚にまとめた毎月のお知らせ。", 5, None),
    # 豊中市
    (NPO, "福祉作業所ひだまり", "ひだまりの焼き菓子づくり", Kind.SERVICE, "formal", [Offer.GOODS, Offer.SKILLS], TOYONAKA, "第一中学校区",
     "就労継続支援の作業所。焼き菓子を作り、マルシェや商店で売っています。", 45, (34.7760, 135.4650, "560-0084", "新千里南町")),
    (VOLUNTEER, "東町自治会", "東町集会所", Kind.PLACE, "informal", [Offer.SPACE], TOYONAKA, "第三中学校区",
     "自治会の集会所。平日の昼間は地域の集まりに無料で貸し出します。", 150, (34.7881, 135.4702, "560-0022", "北桜塚3丁目")),
    (VOLUNTEER, "みまもりボランティアの会", "朝の声かけ当番", Kind.PEOPLE, "informal", [Offer.PEOPLE], TOYONAKA, "第三中学校区",
     "登校の時間に、ひとり暮らしの高齢者宅にも声をかけてまわる当番です。", 60, None),
    (NPO, "NPO法人とよなか地域ものづくり", "駅前マルシェの出店枠", Kind.PLACE, "informal", [Offer.SPACE], TOYONAKA, "第一中学校区",
     "毎月第2土曜の駅前マルシェに、福祉作業所や地域の団体が出店できます。", 25, (34.7809, 135.4631, "", "")),
    (NPO, "NPO法人とよなか地域ものづくり", "こども食堂ひまわり", Kind.PLACE, "informal", [Offer.SPACE, Offer.PEOPLE], TOYONAKA, "第三中学校区",
     "毎週土曜のお昼ごはん。子どもは無料、大人は300円。学習支援も少し。", 12, (34.7850, 135.4688, "560-0022", "北桜塚1丁目")),
    (NPO, None, "フードバンクとよなか", Kind.SERVICE, "informal", [Offer.GOODS], TOYONAKA, "",
     "家庭や企業から集めた食品を、支援が必要な世帯や団体に届けます。", 380, (34.7913, 135.4555, "561-0802", "曽根東町")),
    (NPO, None, "地域の学習支援教室", Kind.SERVICE, "informal", [Offer.PEOPLE, Offer.SKILLS], TOYONAKA, "第五中学校区",
     "中学生の勉強を大学生ボランティアが見ます。週2回、公民館で。", 90, (34.7700, 135.4800, "", "")),
    (NPO, None, "共同募金の助成（赤い羽根）", Kind.FUNDING, "formal", [Offer.MONEY], TOYONAKA, "",
     "地域の福祉活動に使える助成。春に募集があります。", 50, None),
    (NPO, None, "市の地域活動補助金", Kind.FUNDING, "formal", [Offer.MONEY], TOYONAKA, "",
     "市民活動団体の立ち上げと継続を支える補助。上限は年30万円です。", 400, None),
    (NPO, None, "生活保護制度", Kind.SYSTEM, "formal", [Offer.MONEY, Offer.INFORMATION], TOYONAKA, "",
     "生活に困ったときの最後のよりどころ。相談は市の福祉事務所へ。", 30, None),
    (NPO, None, "成年後見制度の相談", Kind.SYSTEM, "formal", [Offer.INFORMATION], TOYONAKA, "",
     "判断に不安のある人の財産や契約を守る制度。社協の権利擁護センターが相談を受けます。", 70, (34.7818, 135.4697, "560-0022", "北桜塚")),
    (VOLUNTEER, "東町自治会", "地域のつどい場カレンダー", Kind.INFORMATION, "informal", [Offer.INFORMATION], TOYONAKA, "第三中学校区",
     "サロンや体操、こども食堂の日時を載せた、自治会の回覧カレンダー。", 8, None),
    (NPO, None, "とよなか居場所ネット", Kind.NETWORK, "informal", [Offer.INFORMATION, Offer.PEOPLE], TOYONAKA, "",
     "市内の居場所づくりをしている団体が、年4回集まって情報を交換します。", 110, None),
    (VOLUNTEER, None, "ふくしの「何でも屋」ボランティア", Kind.PEOPLE, "informal", [Offer.PEOPLE, Offer.SKILLS], TOYONAKA, "第五中学校区",
     "電球の交換や家具の移動など、ちょっとした困りごとを手伝う近所の人たち。", None, None),
    # 半田市
    (MEMBER, "半田市役所 地域福祉課", "半田市 福祉の総合相談窓口", Kind.SERVICE, "formal", [Offer.INFORMATION], HANDA, "",
     "高齢・障害・子ども・生活の困りごとを、分野を問わずまず受け止める窓口です。", 14, (34.8917, 136.9381, "475-0862", "住吉町")),
    (CSW, "はんだ若者サポートステーション", "若者の就労体験プログラム", Kind.SERVICE, "formal", [Offer.SKILLS, Offer.PEOPLE], HANDA, "",
     "15〜49歳の働くことに悩む人が、地元企業で数日間の体験をします。", 35, (34.8950, 136.9360, "475-0014", "一本木町")),
    (CSW, "はんだ若者サポートステーション", "サポステの居場所スペース", Kind.PLACE, "formal", [Offer.SPACE], HANDA, "",
     "平日の午後、予約なしで立ち寄れる若者向けのスペース。", 35, (34.8952, 136.9366, "475-0014", "一本木町")),
    (MEMBER, "半田市役所 地域福祉課", "亀崎地区まちづくり協議会", Kind.NETWORK, "informal", [Offer.PEOPLE, Offer.INFORMATION], HANDA, "亀崎地区",
     "自治区・商店・学校がつながる地区の協議会。空き家の活用を話し合っています。", 210, (34.9180, 136.9620, "475-0023", "亀崎町")),
    (MEMBER, "半田市役所 地域福祉課", "山車蔵の地域開放", Kind.PLACE, "informal", [Offer.SPACE], HANDA, "亀崎地区",
     "祭りのない時期、山車蔵の前の広場を地域の集まりに使えます。", 450, (34.9172, 136.9611, "475-0023", "亀崎町")),
    (MEMBER, "半田市役所 地域福祉課", "ひとり親家庭の就業支援", Kind.SYSTEM, "formal", [Offer.MONEY, Offer.INFORMATION], HANDA, "",
     "資格をとるための給付金や、仕事の相談。市の子育て相談課が窓口です。", 60, None),
    (MEMBER, None, "半田の地域食堂マップ", Kind.INFORMATION, "informal", [Offer.INFORMATION], HANDA, "",
     "市内の子ども食堂・地域食堂の場所と日時をまとめたチラシ。", 140, None),
    (MEMBER, None, "企業の社会貢献（場所と人の提供）", Kind.PEOPLE, "informal", [Offer.SPACE, Offer.PEOPLE], HANDA, "乙川地区",
     "地元企業が、会議室と社員ボランティアを地域の活動に出します。", 95, (34.8800, 136.9240, "475-0033", "日東町")),
    (MEMBER, None, "まちづくりファンド", Kind.FUNDING, "formal", [Offer.MONEY], HANDA, "",
     "市民の寄付でつくる基金。地域の課題に取り組む新しい活動を応援します。", 25, None),
]  # fmt: skip

# Missing resources people have recorded (never case records).
GAPS = [
    (VOLUNTEER, [NPO, CSW], {
        "need": "夜も開いている子どもの居場所", "for_whom": "ひとり親家庭の小学生・中学生",
        "description": "塾や仕事の帰りを待つ間、夜8時ごろまで安心して過ごせる場所がない。",
        "kind": Kind.PLACE, "municipality": TOYONAKA, "area": "第三中学校区"}),
    (CSW, [SHOKOKAI], {
        "need": "通院や買い物の足（山あいの集落）", "for_whom": "車を運転できない高齢者",
        "description": "バスが1日2本になり、町の病院やお店に行けない人が増えている。",
        "kind": Kind.SERVICE, "municipality": FUJISATO, "area": "粕毛地区"}),
]  # fmt: skip

# Resources the demo platforms use (name, platform, what for), and fund (how much).
USES = [
    (
        "事業所の職場見学受け入れ",
        "ひきこもり経験者の職場体験プラットフォーム",
        "体験先の候補として",
    ),
    (
        "こみっと（社協の拠点）",
        "ひきこもり経験者の職場体験プラットフォーム",
        "ふり返り面談の場所として",
    ),
    ("福祉作業所の共同作業場", "地域特産品コミュニティビジネス", "試作品づくりの場所として"),
]
FUNDS = [("共同募金の助成（赤い羽根）", "地域特産品コミュニティビジネス", "パッケージのデザイン費")]


class Command(BaseCommand):
    help = "Loads the Japanese demo data (idempotent) and prints the demo logins."

    def handle(self, *args, **options):
        if User.objects.filter(email=PEOPLE[0][0]).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._load_resources()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, name, *_rest in PEOPLE:
            self.stdout.write(f"  {email:28} {name}")
        self.stdout.write("  admin@demo.example.jp can also open /admin/\n")

    @transaction.atomic
    def _load_resources(self):
        """The demo directory: resources of every kind in the three demo areas (some
        never confirmed, some stale, some without a map point), two gaps, and the
        demo platforms' links to them. Adds what is missing, by name, so a demo loaded
        by an older version gets the rest."""
        today = timezone.localdate()
        known = set(Resource.objects.values_list("name", flat=True))
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
            where,
        ) in RESOURCES:
            if name in known:
                continue
            steward = User.objects.get(email=steward_email)
            provider = (
                Organisation.objects.filter(name=organisation).first() if organisation else None
            )
            latitude, longitude, postal_code, address = where or (None, None, "", "")
            resource = resource_services.resource_create(
                actor=steward,
                data={
                    "name": name,
                    "description": text,
                    "kind": kind,
                    "formality": formality,
                    "municipality": city,
                    "area": area,
                    "postal_code": postal_code,
                    "address": address,
                    "latitude": None if latitude is None else Decimal(str(latitude)),
                    "longitude": None if longitude is None else Decimal(str(longitude)),
                    "provider_organisation": provider,
                    "phone": {FUJISATO: "0185-00-0000", HANDA: "0569-00-0000"}.get(
                        city, "06-0000-0000"
                    ),
                    "phone_audience": Audience.EVERYONE,
                    "email": "info@demo.example.jp",
                    "email_audience": Audience.SIGNED_IN,
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
        if Gap.objects.exists():
            return
        for author, others, data in GAPS:
            gap = resource_services.gap_record(actor=User.objects.get(email=author), data=data)
            for email in others:
                resource_services.gap_note(actor=User.objects.get(email=email), gap=gap)
        for links, use in ((USES, PlatformResource.Use.USES), (FUNDS, PlatformResource.Use.FUNDS)):
            for resource_name, platform_name, purpose in links:
                platform = Platform.objects.filter(name=platform_name).first()
                resource = Resource.objects.filter(name=resource_name).first()
                if platform is None or resource is None:
                    continue
                coordinator = platform.memberships.filter(role="coordinator").first().user
                resource_services.platform_resource_link(
                    actor=coordinator,
                    platform=platform,
                    resource=resource,
                    use=use,
                    purpose=purpose,
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
        # What the platform created lives on after it: the company visits continue.
        visits = resource_services.created_resource_draft(
            actor=csw,
            platform=youth,
            data={
                "name": "企業見学会（はんだの若者と地元企業）",
                "description": "働くことに悩む若者が、地元企業を少人数で見学し、担当者と話す会。"
                "プラットフォームで始め、市役所の事業として続いています。",
                "kind": Kind.SERVICE,
                "formality": "formal",
                "municipality": HANDA,
                "eligibility": "15〜39歳で、働くことに悩んでいる人",
                "hours": "年4回（3・6・9・12月）",
                "latitude": Decimal("34.8921"),
                "longitude": Decimal("136.9377"),
                "postal_code": "475-0862",
                "address": "住吉町",
                "phone": "0569-00-0000",
                "phone_audience": Audience.EVERYONE,
            },
            offers=[Offer.PEOPLE, Offer.INFORMATION],
        )
        resource_services.created_resource_plan(
            actor=csw, platform=youth, resource=visits, continues=True, steward_id=csw.pk
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
