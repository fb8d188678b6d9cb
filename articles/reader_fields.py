"""Copies of bylines, tags, excerpts and photo credits kept on the rows.

Reader pages print these on every list row and article page; reading them
from the row itself saves a join or a prefetch query per page. The functions
take the model classes so that migrations can run them on historical models.
"""

import json
from collections import defaultdict

from .text import char_counts, excerpt

# Rows recomputed per round trip.
BATCH = 1000


def refresh_articles(ids, *, article_model, byline_model, tagged_model, article_type):
    """Recompute byline_json, tags_json, excerpt and char_count of the
    articles ids."""
    ids = list(ids)
    fields = ["byline_json", "tags_json", "excerpt"]
    # Migrations before 0011 run this on models without char_count.
    if any(field.name == "char_count" for field in article_model._meta.fields):
        fields.append("char_count")
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        bylines, tags = defaultdict(list), defaultdict(list)
        for article_id, name, slug in (
            byline_model.objects.filter(article_id__in=batch)
            .order_by("article_id", "position", "pk")
            .values_list("article_id", "author__name", "author__slug")
        ):
            bylines[article_id].append([name, slug])
        # Sorted here, not by the database, whose collation may order
        # Chinese names differently from one server to another.
        for article_id, name, tag_id, slug in sorted(
            tagged_model.objects.filter(
                content_type=article_type, object_id__in=batch
            ).values_list("object_id", "tag__name", "tag_id", "tag__slug")
        ):
            tags[article_id].append([name, slug, tag_id])
        articles = list(article_model.objects.filter(pk__in=batch).only("body"))
        for article in articles:
            article.byline_json = entries_json(bylines[article.pk])
            article.tags_json = entries_json(tags[article.pk])
            article.excerpt = excerpt(article.body)
            article.char_count = char_counts(article.body)[1]
        article_model.objects.bulk_update(articles, fields)


def entries_json(entries):
    """[[name, slug], …] (tags: [name, slug, id]) as the JSON text kept."""
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


def refresh_photo_credits(ids, *, photo_model, credit_model):
    """Recompute credit_names of the photos ids from their ordered credits."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        names = defaultdict(list)
        for photo_id, name in (
            credit_model.objects.filter(photo_id__in=batch)
            .order_by("photo_id", "position", "pk")
            .values_list("photo_id", "author__name")
        ):
            names[photo_id].append(name)
        photo_model.objects.bulk_update(
            [photo_model(pk=pk, credit_names=" ".join(names[pk])) for pk in batch],
            ["credit_names"],
        )
