"""Text helpers shared by models and the importer: slugs and HTML."""

import re

import nh3
from django.conf import settings
from django.utils.text import slugify
from pypinyin import lazy_pinyin

# What an article body may contain; everything else is stripped on save and
# again on render, so a bad row in the database still cannot reach a reader.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with everything inside them, not just the tags.
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
    "textarea",
    "select",
}


def _own_images_only(element, attribute, value):
    """Keep an image only from our media or static files, never another host.

    Readers' browsers must not load anything from elsewhere (a tracking pixel,
    a hot-linked picture that changes), and the CSP would block it anyway.
    """
    if element == "img" and attribute == "src":
        own = (settings.MEDIA_URL, settings.STATIC_URL)
        if not value.startswith(own) or value.startswith("//"):
            return None
    return value


def clean_html(html):
    """Sanitize editor HTML with an allowlist."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(html):
    """The text of an HTML fragment, tags removed and spaces folded."""
    text = nh3.clean(html or "", tags=set())
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return re.sub(r"\s+", " ", text).strip()


# CJK ideographs (basic, extension A, compatibility): what 汉字 counts.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def char_counts(html):
    """(汉字, all characters but spaces) in a body, as the editor counts
    them live (static/js/char-count.js follows the same rule)."""
    text = plain_text(html)
    return len(HAN.findall(text)), len(re.sub(r"\s", "", text))


EXCERPT_LENGTH = 120


def excerpt(html):
    """The opening words of a body as plain text, for list rows and shares."""
    text = plain_text(html)
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…"


def pinyin_slug(text, max_length=60):
    """An ASCII slug for Chinese text: 响水县 -> xiang-shui-xian."""
    slug = slugify(" ".join(lazy_pinyin(text or "")))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "item"


def unique_slug(model, text, *, max_length=60, exclude_pk=None):
    """A pinyin slug for text that no other row of model has yet."""
    base = pinyin_slug(text, max_length=max_length - 4)
    slug, n = base, 2
    taken = model.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug
