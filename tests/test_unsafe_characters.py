"""Characters no output can carry never reach one (security/text.py).

Text is cleaned where it enters (every model save, the importer), and the
outputs that serialize it (RSS, JSON-LD, CSV) clean again what older rows or
QuerySet.update() wrote.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Author, Section
from counties.models import CountyUnion
from security.text import clean_text

from .factories import county, make_article, make_author, make_staff, make_user

pytestmark = pytest.mark.django_db

# Each of these broke a format: XML (controls, surrogates, U+FFFE), UTF-8
# (surrogates), PostgreSQL (NUL), e-mail headers (line breaks), bidi.
HOSTILE = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\x9f\ud800\udfff\u202e\u2066\ufffe\uffff"


@pytest.mark.parametrize(
    "value, single_line, expected",
    [
        ("盐城\x0b工会", False, "盐城工会"),
        ("a" + HOSTILE + "b", False, "ab"),
        ("第一段\n第二段\r\n\t缩进", False, "第一段\n第二段\r\n\t缩进"),
        ("第一段\u2028第二段\u2029", False, "第一段\n第二段\n"),
        ("标题\r\n注入\tBcc: x", True, "标题 注入 Bcc: x"),
        ("emoji 👩‍👩‍👧 and 中文", True, "emoji 👩‍👩‍👧 and 中文"),
        (None, True, None),
    ],
)
def test_clean_text(value, single_line, expected):
    assert clean_text(value, single_line=single_line) == expected


def test_every_text_field_is_cleaned_when_a_model_saves():
    union = CountyUnion.objects.get(slug="binhai")
    union.name = "滨海县\x0b总工会\u202e"
    union.save()
    author = make_author("王\x00晓\ud800")
    section = Section.objects.create(name="新闻\x0b速递", slug="xin-wen-\x0bsu-di")
    tag = Tag.objects.create(name="劳模\x0b", slug="lao-mo")
    article = make_article(
        title="职工\x0b之家\n落成",
        summary="摘要\x0c\u2028第二行",
        body="<p>正文\x0b\ud800</p>",
        section=section,
        authors=[author],
    )
    article.refresh_from_db()
    assert article.title == "职工之家 落成"
    assert article.summary == "摘要\n第二行"
    assert article.body == "<p>正文</p>"
    assert Author.objects.get(pk=author.pk).name == "王晓"
    assert CountyUnion.objects.get(pk=union.pk).name == "滨海县总工会"
    assert Section.objects.get(pk=section.pk).slug == "xin-wen-su-di"
    assert Tag.objects.get(pk=tag.pk).name == "劳模"


def test_the_admin_form_stores_a_clean_title(client):
    from .workflow_helpers import form_data

    article = make_article(status=Article.Status.DRAFT, days_ago=None)
    client.force_login(make_user(superuser=True))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, form_data(article, title="盐城\x0b工会\u202e新闻"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "盐城工会新闻"


def test_the_importer_cleans_the_file(seed_text):
    from articles.services import import_bulletin

    title = re.search(r"^### (.+)$", seed_text, re.MULTILINE).group(1)
    hostile = seed_text.replace(title, title[:2] + "\x0b\u202e" + title[2:], 1)
    import_bulletin(text=hostile, publish=True)
    assert Article.objects.filter(title=title).exists() is True
    assert Article.objects.filter(title__contains="\x0b").exists() is False


def test_a_submission_e_mail_of_a_title_with_line_breaks_is_sent():
    editor = make_staff("editor")
    writer = make_staff("correspondent", union=county("binhai"))
    article = make_article(
        title="标题\r\nBcc: stranger@example.com",
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=county("binhai"),
    )
    article.submit(by=writer)
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "\n" not in mail.outbox[0].subject


@pytest.fixture
def legacy_row():
    """A published story whose title and names were written by update(),
    which no save and no form saw: as rows from before the cleaning."""
    tag = Tag.objects.create(name="集体协商", slug="ji-ti-xie-shang")
    author = make_author("王晓")
    article = make_article(
        title="职工之家", authors=[author], county_union=county("binhai")
    )
    article.tags.add(tag)
    # PostgreSQL refuses NUL and lone surrogates outright: those never get
    # in. Vertical tab, C1 controls and bidi overrides do.
    dirty = "\x0b\x85\u202e\ufffe"
    Article.objects.filter(pk=article.pk).update(
        title=f"职工{dirty}之家", summary=f"摘要{dirty}"
    )
    Author.objects.filter(pk=author.pk).update(name=f"王{dirty}晓")
    Tag.objects.filter(pk=tag.pk).update(name=f"集体{dirty}协商")
    CountyUnion.objects.filter(slug="binhai").update(
        name=f"滨海县{dirty}总工会", short_name=f"滨海{dirty}"
    )
    return Article.objects.get(pk=article.pk)


def feeds_listing(article):
    return [
        reverse("articles:feed"),
        reverse("articles:section-feed", args=[article.section.slug]),
        reverse("articles:county-feed", args=["binhai"]),
        reverse("articles:author-feed", args=[article.authors.get().slug]),
        reverse("articles:tag-feed", args=["ji-ti-xie-shang"]),
    ]


def test_every_feed_listing_a_legacy_row_is_valid_xml(client, legacy_row):
    for url in feeds_listing(legacy_row):
        response = client.get(url)
        assert response.status_code == 200, url
        channel = ET.fromstring(response.content).find("channel")
        titles = [item.findtext("title") for item in channel.findall("item")]
        assert "职工之家" in titles, url


def test_the_sitemaps_listing_a_legacy_row_are_valid_xml(client, legacy_row):
    index = ET.fromstring(client.get(reverse("articles:sitemap")).content)
    locations = [loc.text for loc in index.iter() if loc.tag.endswith("loc")]
    assert locations
    found = []
    for location in locations:
        response = client.get(location.replace("http://testserver", ""))
        assert response.status_code == 200
        found += [
            loc.text for loc in ET.fromstring(response.content).iter() if loc.text
        ]
    assert any(url.endswith(legacy_row.get_absolute_url()) for url in found)


def test_the_json_ld_of_a_legacy_row_parses(client, legacy_row):
    html = client.get(legacy_row.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["headline"] == "职工之家"
    assert not re.search("[\x0b\x85\u202e\ufffe]", block.group(1))


def test_the_county_statistics_csv_of_a_legacy_row_is_clean(client, legacy_row):
    client.force_login(make_user(superuser=True))
    response = client.get(reverse("admin:articles_article_statistics_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text))]
    assert "滨海县总工会" in names or "滨海" in names
    assert not re.search("[\x0b\x85\u202e\ufffe]", text)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL refuses NUL itself"
)
def test_nul_and_lone_surrogates_are_saved_on_postgresql():
    article = make_article(title="职工\x00之家\ud800")
    article.refresh_from_db()
    assert article.title == "职工之家"
