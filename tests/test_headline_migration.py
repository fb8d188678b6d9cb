"""The data migration that gave older photo news real headlines (issue 19)."""

import importlib

from django.apps import apps

from articles.headlines import photo_headline
from articles.models import Article, Section
from tests.factories import make_article, make_photo, make_section

migration = importlib.import_module("articles.migrations.0014_photo_news_headlines")

CAPTION = (
    "节前,射阳县总工会在射阳物流派送中心开展“红心向党 暖‘新’同行”慰问活动,"
    "为300位新业态劳动者发放粮油、被子等慰问礼包。"
)


def test_migration_replaces_only_the_old_cut_off_caption(db):
    section = make_section(name="图说新闻", kind=Section.Kind.PHOTO)
    old = make_article(
        title=migration.old_photo_title(CAPTION),
        section=section,
        cover_photo=make_photo(CAPTION),
    )
    edited = make_article(
        title="编辑改过的标题", section=section, cover_photo=make_photo(CAPTION)
    )
    assert old.title.endswith("…")
    migration.derive_headlines(apps, None)
    old.refresh_from_db()
    edited.refresh_from_db()
    assert old.title == photo_headline(CAPTION) == "射阳县总工会开展慰问活动"
    assert edited.title == "编辑改过的标题"
    assert Article.objects.filter(title__contains="…").count() == 0
