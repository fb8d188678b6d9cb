"""RSS 2.0 feeds: the latest articles; each section, county union, author, tag."""

import copy
import mimetypes

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from counties.models import CountyUnion
from security.text import clean_text

from . import reader
from .models import Article, Author, Section

FEED_LENGTH = 30


def _clean(value):
    if isinstance(value, (str, Promise)):
        return clean_text(str(value))
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(part) for part in value)
    return value


class CleanRss201rev2Feed(Rss201rev2Feed):
    """RSS whose every string passes clean_text() first.

    Text is cleaned where it enters (security.text), but a row written
    before that, or by QuerySet.update(), must not turn the whole feed into
    a 500: XML cannot carry a vertical tab at all.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(
            *map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()}
        )


class ArticleFeed(Feed):
    """The latest published articles of the whole site."""

    feed_type = CleanRss201rev2Feed
    title = _("盐城工会 · 最新稿件")
    description = _("盐城市总工会及所属县级工会的最新新闻、专题与图说新闻。")
    language = "zh-cn"

    def __call__(self, request, *args, **kwargs):
        # Enclosure URLs must be absolute, and only the request knows the
        # host; a copy per request keeps the shared instance untouched.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        articles = self.articles(obj).without_body()
        return articles.select_related("section", "cover_photo")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_author_name(self, item):
        return item.byline or None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        categories = [item.section.name]
        if item.county_union:
            categories.append(item.county_union.short_name)
        return categories + [tag.name for tag in item.tag_links]

    def item_enclosures(self, item):
        photo = item.cover_for()
        if photo is None:
            return []
        try:
            size = photo.image.size
        except OSError:
            size = 0
        mime_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
        url = self.request.build_absolute_uri(photo.image.url)
        return [Enclosure(url, str(size), mime_type)]


class ObjectFeed(ArticleFeed):
    """The latest articles of one object (section, county union, author, tag)."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return _("盐城工会 · %(name)s") % {"name": obj.name}

    def description(self, obj):
        return obj.description or self.title(obj)

    def link(self, obj):
        return obj.get_absolute_url()


class SectionFeed(ObjectFeed):
    model = Section

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class CountyUnionFeed(ObjectFeed):
    model = CountyUnion

    def articles(self, obj):
        return Article.objects.published().for_county(obj)


class AuthorFeed(ObjectFeed):
    """A reader following one correspondent or photographer."""

    model = Author

    def description(self, obj):
        return obj.bio or self.title(obj)

    def articles(self, obj):
        return Article.objects.published().by_author(obj)


class TagFeed(ObjectFeed):
    model = Tag

    def get_object(self, request, slug):
        return reader.public_tag(slug)

    def description(self, obj):
        return self.title(obj)

    def link(self, obj):
        return reverse("articles:tag", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().tagged(obj)
