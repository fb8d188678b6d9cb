"""Give photo news imported before issue 19 a real headline.

The importer used to head each photo item with its caption's first sentence,
cut at 40 characters with "…". Items whose title is still exactly that get
articles.headlines.photo_headline() of their caption; a title an editor
changed, or one the bulletin printed ("### …"), is left alone.
"""

import re

from django.db import migrations

from articles.headlines import photo_headline


def old_photo_title(caption, limit=40):
    """The importer's former headline, as it was (frozen here)."""
    first = re.split(r"[。！？!?]", caption, maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit] + "…"


def derive_headlines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    items = Article.objects.filter(
        section__kind="photo", cover_photo__isnull=False
    ).select_related("cover_photo")
    for item in items.iterator():
        caption = item.cover_photo.caption
        if item.title == old_photo_title(caption):
            Article.objects.filter(pk=item.pk).update(title=photo_headline(caption))


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_photo_focal_point")]

    operations = [migrations.RunPython(derive_headlines, migrations.RunPython.noop)]
