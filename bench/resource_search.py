"""Benchmark (not a test): searching the directory of social resources at scale.

Fills the directory with N generated resources (names and descriptions from a
vocabulary of real kinds of local resources, spread over 20 municipalities with their
daily-life areas, seven kinds, offers, map points, a quarter never or long ago
confirmed), then runs a fixed mix of Q searches (seeded: the same every run):

- words, as people type them: hiragana, katakana, half-width katakana, kanji;
- filters: kind, offer, municipality, area, "confirmed within a year";
- words and filters together;
- map bounding boxes (the map's JSON).

Each search is one results page as the directory shows it: the count, the first 20
rows with what they offer, and the facet counts beside each filter (or, for a box, the
map's points and counts). The baseline, in the same run, is the plain way: the same
searches with `icontains` on the name and description (no normalised key, no trigram
index), counting and reading the first 20 rows, without facets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub_bench \\
        .venv/bin/python bench/resource_search.py --resources 100000 --json

Prints {"resources", "p50_ms", "p95_ms", "baseline_p95_ms", "queries_per_page"} with
--json, else a table. Target (docs/benchmarks.md): p95 < 50 ms at 100,000 resources on
PostgreSQL, and a number of queries per page that does not grow with the directory.
Uses DATABASE_URL when set (the data is kept between runs of the same size), else a
fresh SQLite file under var/.
"""

import argparse
import json
import os
import platform as host
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNICIPALITIES = {
    # name: (latitude, longitude, daily-life areas)
    "藤里町": (40.28, 140.27, ["藤琴地区", "粕毛地区"]),
    "豊中市": (34.78, 135.47, ["第一中学校区", "第三中学校区", "第五中学校区", "第七中学校区"]),
    "半田市": (34.89, 136.94, ["乙川地区", "亀崎地区", "成岩地区"]),
    "能代市": (40.21, 140.03, ["能代地区", "二ツ井地区"]),
    "秋田市": (39.72, 140.10, ["中央地区", "東部地区", "西部地区"]),
    "吹田市": (34.76, 135.52, ["千里山地区", "江坂地区"]),
    "池田市": (34.82, 135.43, ["北部地区", "南部地区"]),
    "箕面市": (34.83, 135.47, ["東部地区", "西部地区"]),
    "知多市": (35.00, 136.86, ["八幡地区", "岡田地区"]),
    "常滑市": (34.88, 136.83, ["鬼崎地区", "西浦地区"]),
    "名古屋市": (35.18, 136.91, ["中区", "東区", "北区"]),
    "大阪市": (34.69, 135.50, ["北区", "中央区", "西成区"]),
    "札幌市": (43.06, 141.35, ["中央区", "北区"]),
    "仙台市": (38.27, 140.87, ["青葉区", "若林区"]),
    "横浜市": (35.44, 139.64, ["中区", "港北区"]),
    "福岡市": (33.59, 130.40, ["博多区", "中央区"]),
    "松本市": (36.24, 137.97, ["中央地区", "南部地区"]),
    "高知市": (33.56, 133.53, ["中央地区", "東部地区"]),
    "那覇市": (26.21, 127.68, ["首里地区", "真和志地区"]),
    "金沢市": (36.56, 136.66, ["中央地区", "東部地区"]),
}
# (kind, words of a name, what it is): the seed's seven kinds.
VOCABULARY = [
    ("place", ["こども食堂", "地域食堂", "つどい場", "サロン", "集会所", "居場所", "作業場"],
     "だれでも立ち寄れる場所です。"),
    ("service", ["学習支援", "送迎サービス", "配食サービス", "フードバンク", "就労体験", "見守り訪問"],
     "地域の人が利用できるサービスです。"),
    ("people", ["ボランティア", "民生委員", "登録ヘルパー", "手話通訳者", "傾聴ボランティア"],
     "手伝ってくれる人たちです。"),
    ("information", ["相談カレンダー", "地域情報誌", "子育てマップ", "福祉のしおり"],
     "暮らしに役立つ情報です。"),
    ("funding", ["助成金", "地域福祉基金", "まちづくりファンド", "補助金"], "活動に使えるお金です。"),
    ("system", ["生活困窮者自立支援制度", "成年後見制度", "生活保護", "介護保険"],
     "国や市町村の制度です。"),
    ("network", ["見守りネットワーク", "居場所ネット", "まちづくり協議会", "連絡会"],
     "団体や人のつながりです。"),
]  # fmt: skip
PREFIXES = [
    "ひまわり",
    "さくら",
    "あおぞら",
    "もみじ",
    "わかば",
    "ふれあい",
    "みんなの",
    "まちの",
    "ほっと",
]
OFFERS = ["space", "goods", "people", "skills", "money", "information"]
# What people search for, as typed: the same words in hiragana, katakana, half-width.
WORDS = ["こども食堂", "コドモ食堂", "ｺﾄﾞﾓ食堂", "ひまわり", "ヒマワリ", "ﾋﾏﾜﾘ", "サロン", "さろん",
         "フードバンク", "ふーどばんく", "ボランティア", "ぼらんてぃあ", "見守り", "学習支援",
         "助成金", "居場所", "送迎", "相談", "基金", "さくら"]  # fmt: skip


def _setup():
    sqlite = ROOT / "var" / "bench_resources.sqlite3"
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite}"
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(count: int, rng: random.Random) -> float:
    """Makes the directory hold exactly `count` generated resources; returns seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from common.text import bigram_key, search_key
    from members.models import User
    from resources.models import Resource, offers_mask

    if (
        Resource.objects.count() == count
        and Resource.objects.filter(name__startswith="[bench]").count() == count
    ):
        _settle(connection)
        return 0.0
    if Resource.objects.exclude(name__startswith="[bench]").exists():
        # It replaces the whole directory: never on a database with real resources.
        sys.exit(
            "resource_search: the database holds resources that are not the bench's; use one of its own (e.g. hub_bench)"
        )
    started = time.perf_counter()
    with transaction.atomic():
        Resource.objects.all().delete()
    steward, _ = User.objects.get_or_create(
        email="bench-steward@example.jp", defaults={"display_name": "ベンチ"}
    )
    today = timezone.localdate()
    towns = list(MUNICIPALITIES.items())
    batch = 5000
    for start in range(0, count, batch):
        rows = []
        for _n in range(start, min(count, start + batch)):
            kind, names, what = rng.choice(VOCABULARY)
            town, (lat, lng, areas) = rng.choice(towns)
            area = rng.choice(areas)
            name = f"[bench]{rng.choice(PREFIXES)}{rng.choice(names)}{rng.randint(1, 999)}"
            description = f"{town}{area}の{rng.choice(names)}。{what}"
            age = rng.random()
            confirmed = None if age < 0.1 else today - timezone.timedelta(days=int(age * 700))
            mapped = rng.random() < 0.7
            rows.append(
                Resource(
                    name=name,
                    description=description,
                    kind=kind,
                    formality=rng.choice(["formal", "informal"]),
                    status="active" if rng.random() < 0.9 else rng.choice(["paused", "ended"]),
                    municipality=town,
                    area=area,
                    latitude=round(lat + rng.uniform(-0.05, 0.05), 6) if mapped else None,
                    longitude=round(lng + rng.uniform(-0.05, 0.05), 6) if mapped else None,
                    steward=steward,
                    confirmed_at=confirmed,
                    search_text=(key := search_key(name, description, town, area)),
                    search_bigrams=bigram_key(key),
                    offers_mask=offers_mask(rng.sample(OFFERS, rng.randint(1, 2))),
                )
            )
        with transaction.atomic():
            Resource.objects.bulk_create(rows)
    _settle(connection)
    return time.perf_counter() - started


def _settle(connection) -> None:
    """What autovacuum does in a running database: statistics for the planner, and
    the visibility map that lets the directory read its covering index alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE resources_resource")


def _searches(total: int, rng: random.Random) -> list[dict]:
    """The mix: a quarter each of words, filters, words with filters, and boxes."""
    towns = list(MUNICIPALITIES.items())
    kinds = [kind for kind, _names, _what in VOCABULARY]
    searches = []
    for index in range(total):
        town, (lat, lng, areas) = rng.choice(towns)
        shape = index % 4
        if shape == 0:
            searches.append({"words": rng.choice(WORDS)})
        elif shape == 1:
            searches.append(
                rng.choice(
                    [
                        {"kind": rng.choice(kinds)},
                        {"offer": rng.choice(OFFERS)},
                        {"municipality": town, "area": rng.choice(areas)},
                        {"municipality": town, "recent": True},
                    ]
                )
            )
        elif shape == 2:
            searches.append(
                {"words": rng.choice(WORDS), "municipality": town, "kind": rng.choice(kinds)}
            )
        else:
            half = rng.choice([0.01, 0.03, 0.1])
            searches.append({"box": (lng - half, lat - half, lng + half, lat + half)})
    return searches


def _page(search: dict) -> None:
    """One results page as the directory (or the map) shows it."""
    from common.pages import CountedPaginator
    from resources import selectors

    box = search.get("box")
    query = selectors.DirectoryQuery(**{k: v for k, v in search.items() if k != "box"})
    if box:
        selectors.map_points(query, selectors.BoundingBox(*box))
        return
    counts, ids = selectors.directory_page(query, offset=0, limit=20)
    results = selectors.directory(query, known=(0, ids))
    page = CountedPaginator(results, 20, counts["total"]["all"]).get_page(1)
    [(resource.name, resource.offer_labels) for resource in page]


def _baseline(search: dict) -> None:
    """The plain way: icontains on the raw text, count and the first 20 rows."""
    from django.db.models import F, Q

    from resources.models import OFFER_BITS, Resource

    resources = Resource.objects.filter(status="active")
    if "words" in search:
        word = search["words"]
        resources = resources.filter(Q(name__icontains=word) | Q(description__icontains=word))
    for field in ("kind", "municipality", "area"):
        if field in search:
            resources = resources.filter(**{field: search[field]})
    if "offer" in search:
        resources = resources.alias(
            bit=F("offers_mask").bitand(OFFER_BITS[search["offer"]])
        ).filter(bit__gt=0)
    if "box" in search:
        west, south, east, north = search["box"]
        resources = resources.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    resources.count()
    list(resources.order_by("name", "pk")[:20])


def _timed(run, searches) -> list[float]:
    times = []
    for search in searches:
        started = time.perf_counter()
        run(search)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _queries_per_page(searches) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = set()
    for search in searches:
        with CaptureQueriesContext(connection) as captured:
            _page(search)
        counts.add(len(captured))
    return sorted(counts)


def measure(count: int, searches_total: int) -> dict:
    from django.db import connection

    rng = random.Random(20261129)  # noqa: S311 - generated data, the same every run
    fill_seconds = _fill(count, rng)
    searches = _searches(searches_total, random.Random(7))  # noqa: S311
    _timed(_page, searches[:20])  # warm the caches and the plans (not measured)
    _timed(_baseline, searches[:20])
    ours = _timed(_page, searches)
    plain = _timed(_baseline, searches)
    per_page = _queries_per_page([s for s in searches if "box" not in s][:40])
    return {
        "resources": count,
        "p50_ms": _p(ours, 0.5),
        "p95_ms": _p(ours, 0.95),
        "baseline_p50_ms": _p(plain, 0.5),
        "baseline_p95_ms": _p(plain, 0.95),
        # The most any results page took (an empty one takes fewer).
        "queries_per_page": max(per_page),
        "p99_ms": _p(ours, 0.99),
        "searches": len(searches),
        "fill_s": round(fill_seconds, 1),
        "database": connection.vendor,
        "mean_ms": round(statistics.mean(ours), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not 1 <= args.resources <= 1_000_000 or not 1 <= args.searches <= 10_000:
        parser.error("--resources 1..1,000,000 and --searches 1..10,000")
    _setup()
    result = measure(args.resources, args.searches)
    if args.json:
        keys = ("resources", "p50_ms", "p95_ms", "baseline_p95_ms", "queries_per_page")
        print(json.dumps({key: result[key] for key in keys}))
        return
    print(f"directory search — {host.node()}, {os.cpu_count()} cores, "
          f"Python {host.python_version()}, {result['database']}")  # fmt: skip
    header = ["resources", "searches", "p50_ms", "p95_ms", "p99_ms", "baseline_p50_ms",
              "baseline_p95_ms", "queries_per_page", "fill_s"]  # fmt: skip
    print(" | ".join(f"{h:>16}" for h in header))
    print(" | ".join(f"{result[h]!s:>16}" for h in header))


if __name__ == "__main__":
    main()
