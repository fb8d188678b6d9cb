"""Synthetic content for load tests: many realistic articles, written in bulk.

Everything is built in memory and written with bulk_create in batches, so
100,000 articles take minutes, not hours. Text is assembled from phrases of
the kind the bulletin prints; it is safe HTML by construction, so the
per-object save() (sanitizing, slug look-ups) is skipped on purpose.
"""

import io
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Photo,
    PhotoCredit,
    Section,
)
from articles.reader_fields import entries_json
from articles.text import char_counts, excerpt
from counties.models import CountyUnion

SECTIONS = [
    ("新闻速递", Section.Kind.NEWS),
    ("基层动态", Section.Kind.NEWS),
    ("职工维权", Section.Kind.NEWS),
    ("劳模风采", Section.Kind.NEWS),
    ("谱写绿色盐城新篇章 书写工会工作新答卷", Section.Kind.TOPIC),
    ("图说新闻", Section.Kind.PHOTO),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤郁"
GIVEN = "静真保顺江楠超春阳海波明华建国志强红梅丽娟伟军勇敏杰涛磊洋艳霞平刚辉玲燕芳鹏宇飞雪琳婷浩然晨曦文斌立新永庆桂兰秀英德胜"
ACTIVITIES = [
    "开展",
    "举办",
    "启动",
    "深化",
    "推进",
    "组织",
    "召开",
    "助力",
    "探索",
    "部署",
]
TOPICS = [
    "“安康杯”劳动竞赛",
    "新就业形态劳动者建会入会集中行动",
    "“双维”集体协商要约活动",
    "春风行动招聘会",
    "困难职工帮扶慰问",
    "环卫工人“爱心驿站”建设",
    "职工技能大赛",
    "劳模工匠进企业宣讲",
    "女职工关爱行动",
    "工会社工赋能培训",
    "产业工人队伍建设改革",
    "职工书屋阅读分享会",
    "夏送清凉慰问活动",
    "金秋助学活动",
    "职工法律援助进园区",
    "户外劳动者服务站点提升",
    "企业民主管理示范单位创建",
    "职工文化体育节",
    "劳动关系和谐企业评选",
    "“工会进万家”走访",
]
TAGS = [
    "集体协商",
    "建会入会",
    "劳动竞赛",
    "招聘会",
    "帮扶慰问",
    "环卫工人",
    "技能大赛",
    "劳模工匠",
    "女职工",
    "工会社工",
    "产业工人",
    "职工书屋",
    "夏送清凉",
    "金秋助学",
    "法律援助",
    "户外劳动者",
    "民主管理",
    "职工文体",
    "和谐劳动关系",
    "新就业形态",
    "新质生产力",
    "乡村振兴",
    "安全生产",
    "职工疗休养",
]
SENTENCES = [
    "为深入贯彻落实上级工会工作部署，{place}总工会结合本地实际，精心谋划、周密组织。",
    "活动现场气氛热烈，参与职工纷纷表示收获满满、倍受鼓舞。",
    "{place}总工会主要负责同志出席活动并讲话，对下一阶段工作提出明确要求。",
    "据统计，此次活动共覆盖企业{n}家，惠及职工{m}余人。",
    "下一步，{place}总工会将持续深化服务职工工作，推动各项举措落地见效。",
    "活动中，工作人员耐心细致地向职工宣传讲解相关政策，发放宣传资料{n}余份。",
    "各基层工会积极响应，通过线上线下相结合的方式广泛动员职工参与。",
    "与会人员围绕工作重点展开深入交流，现场互动频繁，气氛活跃。",
    "此次活动进一步增强了职工的获得感、幸福感和安全感。",
    "{place}总工会把服务职工作为工会工作的出发点和落脚点，持续擦亮服务品牌。",
    "企业方与职工方代表就工资调整、劳动保护、休息休假等事项进行了充分协商。",
    "多家用人单位现场提供就业岗位{m}余个，涵盖制造、物流、商贸等多个行业。",
    "慰问组一行深入一线，为坚守岗位的职工送上慰问品和节日祝福。",
    "参赛选手同台竞技、比学赶超，充分展示了新时代产业工人的精湛技艺。",
    "活动得到了社会各界的广泛关注和好评，取得了良好的社会效果。",
    "{place}总工会还将建立长效机制，确保工作常态化、制度化开展。",
]
CAPTIONS = [
    "{place}总工会工作人员在企业一线走访慰问职工。",
    "职工在{place}职工服务中心参加技能培训。",
    "{place}总工会开展“送清凉”活动，为户外劳动者送去防暑用品。",
    "求职者在{place}总工会举办的招聘会上咨询岗位信息。",
    "{place}职工文化体育节现场。",
]
# Bodies are drawn from a pool per county: word segmentation for the search
# index (cached per distinct text) would otherwise dominate the run time.
BODIES_PER_COUNTY = 40
PHOTO_COLORS = [(196, 40, 40), (40, 96, 170), (60, 140, 80), (200, 150, 40)]


@dataclass
class SyntheticSummary:
    articles: int = 0
    authors: int = 0
    photos: int = 0
    bylines: int = 0
    tagged: int = 0


def generate(*, articles, seed=2024, batch_size=2000, years=5, progress=None):
    """Write `articles` synthetic articles and return a SyntheticSummary.

    About 94 % are published over the last `years` years, the rest are drafts,
    stories in review, withdrawn or scheduled for the coming days. progress is
    called with (done, total) after every batch.
    """
    rng = random.Random(seed)
    progress = progress or (lambda done, total: None)
    token = uuid.uuid4().hex[:6]
    summary = SyntheticSummary()
    sections = _sections()
    unions = list(CountyUnion.objects.all())
    with transaction.atomic():
        authors = _authors(rng, unions, token)
        photo_files = _photo_files(token)
        tags = _tags()
    summary.authors = len(authors)
    bodies = {
        union.pk: [_body(rng, union.short_name) for _ in range(BODIES_PER_COUNTY)]
        for union in unions
    }
    photo_news = [s for s in sections if s.kind == Section.Kind.PHOTO]
    other = [s for s in sections if s.kind != Section.Kind.PHOTO]
    now = timezone.now()
    span = timedelta(days=365 * years).total_seconds()
    done = 0
    progress(0, articles)
    while done < articles:
        count = min(batch_size, articles - done)
        with transaction.atomic():
            _write_batch(
                rng,
                start=done,
                count=count,
                token=token,
                now=now,
                span=span,
                sections=(other, photo_news),
                unions=unions,
                authors=authors,
                photo_files=photo_files,
                tags=tags,
                bodies=bodies,
                summary=summary,
            )
        done += count
        progress(done, articles)
    _refresh_statistics()
    return summary


def _refresh_statistics():
    """Let the planner see the new rows at once.

    Autovacuum would get there in a minute or so; until then PostgreSQL
    plans against an empty table and every reader page sorts whole sections
    (100 ms instead of 1 ms at 100,000 articles).
    """
    if connection.vendor != "postgresql":
        return
    # VACUUM also fills the visibility map, so counts become index-only
    # scans; it cannot run inside a transaction (tests), ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    models = (Article, ArticleAuthor, ArticlePhoto, Photo, PhotoCredit, TaggedItem)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {model._meta.db_table}")


def _sections():
    sections = []
    for position, (name, kind) in enumerate(SECTIONS):
        section, _ = Section.objects.get_or_create(
            name=name, defaults={"kind": kind, "position": position}
        )
        sections.append(section)
    return sections


def _person(rng):
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2]))
    )


def _authors(rng, unions, token, count=900):
    """Writers and photographers spread over the nine unions (and the city)."""
    authors = [
        Author(
            name=_person(rng),
            slug=f"syn-{token}-{n}",
            county_union=rng.choice(unions + [None]),
        )
        for n in range(count)
    ]
    return Author.objects.bulk_create(authors)


def _photo_files(token):
    """A few small real images that the synthetic photo rows share."""
    names = []
    for n, color in enumerate(PHOTO_COLORS):
        buffer = io.BytesIO()
        Image.new("RGB", (640, 427), color).save(buffer, format="JPEG", quality=70)
        names.append(
            default_storage.save(
                f"photos/synthetic/{token}-{n}.jpg", ContentFile(buffer.getvalue())
            )
        )
    return names


def _tags():
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
    missing = [Tag(name=name, slug=name) for name in TAGS if name not in existing]
    Tag.objects.bulk_create(missing)
    return list(Tag.objects.filter(name__in=TAGS))


def _body(rng, place):
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        text = "".join(
            s.format(place=place, n=rng.randint(5, 300), m=rng.randint(50, 5000))
            for s in sentences
        )
        paragraphs.append(f"<p>{text}</p>")
    return "".join(paragraphs)


def _write_batch(
    rng,
    *,
    start,
    count,
    token,
    now,
    span,
    sections,
    unions,
    authors,
    photo_files,
    tags,
    bodies,
    summary,
):
    other, photo_news = sections
    rows, photos = [], []
    for n in range(start, start + count):
        union = rng.choice(unions)
        place = union.short_name
        is_photo = bool(photo_news) and rng.random() < 0.08
        section = rng.choice(photo_news if is_photo else other)
        status, publish_at = _state(rng, now, span)
        photo = None
        if is_photo or rng.random() < 0.25:
            photo = Photo(
                image=rng.choice(photo_files),
                caption=rng.choice(CAPTIONS).format(place=place),
                county_union=union,
                width=640,
                height=427,
                taken_on=publish_at.date() if publish_at else None,
            )
            photo.alt_text = photo.caption
            photos.append(photo)
        title = (
            photo.caption.rstrip("。")
            if is_photo
            else f"{place}总工会{rng.choice(ACTIVITIES)}{rng.choice(TOPICS)}"
        )
        body = "" if is_photo else rng.choice(bodies[union.pk])
        writers = rng.sample(authors, rng.randint(1, 4))
        article_tags = sorted(rng.sample(tags, rng.randint(0, 3)), key=_tag_order)
        photographers = rng.sample(authors, rng.randint(1, 2)) if photo else []
        if photo is not None:
            photo.credit_names = " ".join(author.name for author in photographers)
        article = Article(
            title=title,
            slug=f"syn-{token}-{n}",
            section=section,
            county_union=union,
            dateline="本刊讯",
            body=body,
            status=status,
            publish_at=publish_at,
            # bulk_create skips save() and the signals that keep these.
            excerpt=excerpt(body),
            char_count=char_counts(body)[1],
            byline_json=entries_json([[a.name, a.slug] for a in writers]),
            tags_json=entries_json([[t.name, t.slug, t.pk] for t in article_tags]),
        )
        rows.append((article, photo, writers, article_tags, photographers))
    Photo.objects.bulk_create(photos)
    for article, photo, *_ in rows:
        article.cover_photo = photo
    created = Article.objects.bulk_create([row[0] for row in rows])
    bylines, credits, gallery, tagged = [], [], [], []
    article_type = ContentType.objects.get_for_model(Article)
    for article, photo, writers, article_tags, photographers in rows:
        for position, author in enumerate(writers):
            bylines.append(
                ArticleAuthor(article=article, author=author, position=position)
            )
        for tag in article_tags:
            tagged.append(
                TaggedItem(content_type=article_type, object_id=article.pk, tag=tag)
            )
        if photo is not None:
            gallery.append(ArticlePhoto(article=article, photo=photo, position=0))
            for position, author in enumerate(photographers):
                credits.append(
                    PhotoCredit(photo=photo, author=author, position=position)
                )
    ArticleAuthor.objects.bulk_create(bylines)
    PhotoCredit.objects.bulk_create(credits)
    ArticlePhoto.objects.bulk_create(gallery)
    TaggedItem.objects.bulk_create(tagged)
    # bulk_create skips save() and its signals: derive the new rows (search
    # vectors with their gallery captions, hence after the gallery) here.
    Article.objects.filter(pk__in=[a.pk for a in created]).refresh_derived()
    summary.articles += len(created)
    summary.photos += len(photos)
    summary.bylines += len(bylines)
    summary.tagged += len(tagged)


def _tag_order(tag):
    # The order refresh_reader_fields() keeps: by name, then id.
    return (tag.name, tag.pk)


def _state(rng, now, span):
    """A status and publish time: mostly published in the past."""
    roll = rng.random()
    if roll < 0.94:
        return Article.Status.PUBLISHED, now - timedelta(seconds=rng.random() * span)
    if roll < 0.95:
        # Scheduled: published status, publish time in the coming week.
        return Article.Status.PUBLISHED, now + timedelta(hours=rng.randint(1, 168))
    if roll < 0.97:
        return Article.Status.DRAFT, None
    if roll < 0.98:
        return Article.Status.REVIEW, None
    return Article.Status.WITHDRAWN, now - timedelta(seconds=rng.random() * span)
