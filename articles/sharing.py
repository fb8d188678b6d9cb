"""What an article page tells other systems: OpenGraph, JSON-LD, neighbours."""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe
from taggit.models import TaggedItem

from .models import NEIGHBOUR_COLUMNS, Article

RELATED_COUNT = 5

# A JSON string may hold "</script>"; these escapes keep the block closed
# only where it is meant to close, as Django's json_script filter does.
_SCRIPT_ESCAPES = [("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")]


def share_image(article):
    """The photo a share card shows: the cover, else the first gallery photo."""
    if article.cover_photo_id:
        return article.cover_photo
    photos = article.gallery_photos
    return photos[0] if photos else None


def news_article_data(article, request):
    """schema.org NewsArticle for an article page, authors in byline order."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.lead,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "zh-CN",
        "articleSection": article.section.name,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.ordered_authors
        ],
        "publisher": {"@type": "Organization", "name": str(settings.SITE_NAME)},
        "dateModified": article.updated_at.isoformat(),
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    image = share_image(article)
    if image is not None:
        data["image"] = [request.build_absolute_uri(image.share_url)]
    if article.county_union_id:
        data["locationCreated"] = {
            "@type": "Place",
            "name": article.county_union.short_name,
        }
    return data


def json_ld(data):
    """JSON for a <script type="application/ld+json"> block, safely escaped."""
    # Compact: json writes with its C encoder only without indent (59 µs a
    # page with indent, 8 without).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 - <, > and & escaped above


def neighbours(article):
    """(previous, next) published article of an article's section, from the
    columns ArticleQuerySet.for_article_page() reads with it; None at
    either end."""
    found = []
    for name in ("previous", "next"):
        values = [getattr(article, f"{name}_{column}") for column in NEIGHBOUR_COLUMNS]
        found.append(
            Article.from_db(article._state.db, NEIGHBOUR_COLUMNS, values)
            if values[0]
            else None
        )
    return tuple(found)


# The parts of related(), and the columns their rows give.
SAME_COUNTY, SAME_TAG = range(2)
_RELATED_COLUMNS = ("id", "title", "slug", "publish_at")

# The parts as SQL, written out rather than built with the ORM: building and
# compiling two querysets cost more a page than PostgreSQL spends planning
# and running them. Each part is a small indexed query that stops after a
# few rows (an OR-ed query with DISTINCT sorted every tagged article: 170 ms
# at 100,000). They are planned on every call, not prepared: a generic plan
# for the shared-tag part walks the newest articles, which for a rare tag
# means every article. The conditions in front repeat
# ArticleQuerySet.published(); tests/test_article_sharing.py holds the two
# to the same answers.
_PUBLISHED = "status = %s AND publish_at <= %s"
_PARTS = {
    SAME_COUNTY: f"""{_PUBLISHED} AND id <> %s AND county_union_id = %s
        ORDER BY publish_at DESC, id DESC LIMIT %s""",
    # The tag ids come from the row (tags_json), not a subquery of the
    # article's own tags: PostgreSQL planned that nested semi-join in 1.1 ms,
    # this in 0.2.
    SAME_TAG: f"""{_PUBLISHED} AND id <> %s AND id IN (
            SELECT object_id FROM {{tagged}}
            WHERE content_type_id = %s AND tag_id IN ({{tag_ids}}))
        ORDER BY publish_at DESC, id DESC LIMIT %s""",
}


def related(article, count=RELATED_COUNT):
    """Up to `count` published articles of the article's county union or
    sharing a tag with it, newest first, from one query: UNION ALL sends
    the parts together."""
    published = [
        Article.Status.PUBLISHED,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    parts = {}
    if article.county_union_id:
        parts[SAME_COUNTY] = [*published, article.pk, article.county_union_id, count]
    tag_ids = [tag_id for _name, _slug, tag_id in article.tag_entries]
    if tag_ids:
        article_type = ContentType.objects.get_for_model(Article).pk
        parts[SAME_TAG] = [*published, article.pk, article_type, *tag_ids, count]
    if not parts:
        return []
    found = {row.pk: row for row in _union_all(parts, tag_count=len(tag_ids))}
    newest = sorted(
        found.values(), key=lambda row: (row.publish_at, row.pk), reverse=True
    )
    return newest[:count]


def _union_all(parts, tag_count):
    """Articles (id, title, slug, publish_at) of every {part: params}, from
    one query.

    Each part keeps its own ORDER BY and LIMIT inside a derived table, which
    both PostgreSQL and SQLite accept within UNION ALL. The rows become
    articles as the ORM makes them, without a RawQuerySet's per-query
    column matching.
    """
    table = Article._meta.db_table
    tagged = TaggedItem._meta.db_table
    tag_ids = ", ".join(["%s"] * tag_count)
    columns = ", ".join(_RELATED_COLUMNS)
    selects, params = [], []
    for part, part_params in parts.items():
        where = _PARTS[part].format(tagged=tagged, tag_ids=tag_ids)
        selects.append(
            f"SELECT p{part:d}.* FROM ("
            f"SELECT {columns} FROM {table} WHERE {where}"
            f") p{part:d}"
        )
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    publish_at = _publish_at_converters(connection.vendor)
    found = []
    for *values, when in rows:
        for convert, column in publish_at:
            when = convert(when, column, connection)
        found.append(
            Article.from_db(connection.alias, _RELATED_COLUMNS, [*values, when])
        )
    return found


@lru_cache
def _publish_at_converters(vendor):
    """What the ORM applies to a publish_at value read from this kind of
    database (on SQLite, text to an aware datetime), with the column it
    passes."""
    column = Article._meta.get_field("publish_at").get_col(Article._meta.db_table)
    return [
        (convert, column)
        for convert in connection.ops.get_db_converters(column)
        + column.get_db_converters(connection)
    ]
