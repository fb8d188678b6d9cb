"""What an article page tells other systems: its share image and JSON-LD."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from security.text import clean_text

# A JSON string may hold "</script>"; these escapes keep the block closed
# only where it is meant to close, as Django's json_script filter does.
_SCRIPT_ESCAPES = [("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")]


def share_image(article):
    """The photo a share card shows: the cover, else the first gallery photo;
    never a placeholder still waiting for its original."""
    cover = article.cover_for()
    if cover is not None:
        return cover
    _cover, gallery = article.shown_photos()
    return gallery[0] if gallery else None


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


def _clean(value):
    """The data with clean_text() applied to every string: rows saved before
    security.text existed, or by update(), may hold what JSON escapes but
    its readers choke on (a vertical tab in a headline)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def json_ld(data):
    """JSON for a <script type="application/ld+json"> block, safely escaped."""
    # Compact: json writes with its C encoder only without indent.
    text = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 - <, > and & escaped above
