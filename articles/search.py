"""Reader search over published articles and photo captions.

Chinese is written without spaces, so jieba splits both the indexed text and
the reader's query into words. On PostgreSQL the words of each article are
kept in Article.search_vector ('simple' configuration, title weighted A above
the body's B) behind a GIN index; elsewhere (SQLite in development) a plain
substring match on the same words stands in.
"""

import functools
import logging
import re

import jieba
from django.apps import apps
from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import plain_text

jieba.setLogLevel(logging.WARNING)


def load_dictionary():
    """Load jieba's dictionary now rather than on the first search (~1 s)."""
    jieba.initialize()

# Longer queries are cut rather than refused: a pasted paragraph still finds
# something, and the database never sees an unbounded statement.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 12
MAX_RESULTS = 500
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30
BATCH_SIZE = 500

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_WORD = re.compile(r"\w")

INDEX_SQL = (
    "UPDATE {table} SET search_vector = "
    "setweight(to_tsvector('simple', %s), 'A') || "
    "setweight(to_tsvector('simple', %s), 'B') "
    "WHERE id = %s"
)


def clean_query(raw):
    """The query as shown back in the box: no control characters, bounded."""
    text = _CONTROL.sub(" ", raw or "")
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH]


def query_terms(raw):
    """The words of a query, e.g. "环卫工人 慰问" -> ["环卫工人", "慰问"]."""
    terms = []
    for token in jieba.lcut(clean_query(raw).lower()):
        token = token.strip()
        if token and _WORD.search(token) and token not in terms:
            terms.append(token)
    return terms[:MAX_TERMS]


@functools.lru_cache(maxsize=4096)
def segment(text):
    """Space-separated words of text, sub-words included (招聘会 -> 招聘 招聘会).

    Indexing uses jieba's search mode so that a query for a short word also
    finds it inside a longer one. Cached: bulk re-indexing of generated data
    meets the same paragraphs again and again.
    """
    words = (word for word in jieba.cut_for_search(text.lower()) if _WORD.search(word))
    return " ".join(words)


def index_texts(*, title, summary, body, captions=()):
    """The (weight A, weight B) texts indexed for one article; captions are
    those of its cover and gallery photos."""
    body_text = plain_text(body)
    parts = [summary or "", body_text]
    parts += [caption for caption in captions if caption and caption not in body_text]
    weight_b = " ".join(segment(part) for part in parts if part)
    return segment(title or ""), weight_b


def uses_search_vector():
    return connection.vendor == "postgresql"


def update_search_vectors(queryset):
    """Recompute the search vector of every row in queryset; return the count.

    Works in batches with one executemany each, so bulk-created rows (an
    import, generated benchmark data) can be indexed after the fact. Does
    nothing on databases without a search vector.
    """
    if not uses_search_vector():
        return 0
    rows = queryset.order_by().values_list(
        "pk", "title", "summary", "body", "cover_photo__caption"
    )
    gallery = _gallery_captions(queryset)
    sql = INDEX_SQL.format(
        table=connection.ops.quote_name(queryset.model._meta.db_table)
    )
    count = 0
    batch = []
    for pk, title, summary, body, caption in rows.iterator(chunk_size=BATCH_SIZE):
        weight_a, weight_b = index_texts(
            title=title,
            summary=summary,
            body=body,
            captions=[caption, *gallery.get(pk, ())],
        )
        batch.append((weight_a, weight_b, pk))
        if len(batch) >= BATCH_SIZE:
            count += _write(sql, batch)
            batch = []
    if batch:
        count += _write(sql, batch)
    return count


def _gallery_captions(articles):
    """{article id: [gallery captions in order]} for a queryset of articles."""
    captions = {}
    rows = (
        apps.get_model("articles", "ArticlePhoto")
        .objects.filter(article__in=articles.order_by().values("pk"))
        .order_by("article_id", "position", "pk")
        .values_list("article_id", "photo__caption")
    )
    for article_id, caption in rows.iterator(chunk_size=BATCH_SIZE):
        captions.setdefault(article_id, []).append(caption)
    return captions


def _write(sql, batch):
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)
    return len(batch)


def index_article(article):
    """Refresh one saved article's search vector (called after every save)."""
    if not uses_search_vector():
        return
    cover = article.cover_photo.caption if article.cover_photo_id else ""
    gallery = article.gallery.order_by("position", "pk").values_list(
        "photo__caption", flat=True
    )
    weight_a, weight_b = index_texts(
        title=article.title,
        summary=article.summary,
        body=article.body,
        captions=[cover, *gallery],
    )
    sql = INDEX_SQL.format(table=connection.ops.quote_name(article._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [weight_a, weight_b, article.pk])


def search_articles(queryset, raw_query):
    """Rows of queryset matching every word of the query, best match first.

    Only the newest MAX_RESULTS matches are ranked. A common word matches
    most of a large archive, and ranking reads every match's vector; capping
    keeps a search fast at any size (the page says when the cap applies).
    """
    terms = query_terms(raw_query)
    if not terms:
        return queryset.none()
    matches, rank = _matches_and_rank(queryset, terms)
    newest = matches.order_by("-publish_at", "-pk").values("pk")[:MAX_RESULTS]
    return (
        queryset.filter(pk__in=newest)
        .annotate(rank=rank)
        .order_by("-rank", "-publish_at", "-pk")
    )


def matching_articles(queryset, raw_query):
    """Rows of queryset containing every word of the query, unordered."""
    terms = query_terms(raw_query)
    if not terms:
        return queryset.none()
    return _matches_and_rank(queryset, terms)[0]


def _matches_and_rank(queryset, terms):
    if uses_search_vector():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" ".join(terms), config="simple", search_type="plain")
        return queryset.filter(search_vector=query), SearchRank(
            F("search_vector"), query
        )
    return _fallback(queryset, terms)


def _fallback(queryset, terms):
    """Matches and rank without a search vector: every word somewhere in the
    text, words in the title ranking first as weight A does on PostgreSQL."""
    condition = Q()
    title_hits = []
    for term in terms:
        condition &= (
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
            | Q(cover_photo__caption__icontains=term)
            | Q(gallery__photo__caption__icontains=term)
        )
        title_hits.append(
            Case(When(title__icontains=term, then=Value(1)), default=Value(0))
        )
    rank = title_hits[0]
    for hit in title_hits[1:]:
        rank = rank + hit
    return queryset.filter(condition), ExpressionWrapper(
        rank, output_field=IntegerField()
    )


def highlight(text, raw_query, *, length=None):
    """HTML of text with the query's words in <mark>, cut around the first hit.

    With length, a window of that many characters is taken, starting a little
    before the first match; without, the whole text is marked.
    """
    text = text or ""
    terms = sorted(query_terms(raw_query), key=len, reverse=True)
    pattern = (
        re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
        if terms
        else None
    )
    if length is not None and len(text) > length:
        first = pattern.search(text) if pattern else None
        start = max(0, first.start() - SNIPPET_LEAD) if first else 0
        window = text[start : start + length]
        text = (
            ("…" if start else "")
            + window
            + ("…" if start + length < len(text) else "")
        )
    if pattern is None:
        return escape(text)
    pieces = []
    at = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[at : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        at = match.end()
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def snippet(article, raw_query):
    """A highlighted extract of an article's text for a result list."""
    text = plain_text(article.body) or article.summary
    if article.cover_photo_id and not text:
        text = article.cover_photo.caption
    return highlight(text, raw_query, length=SNIPPET_LENGTH)
