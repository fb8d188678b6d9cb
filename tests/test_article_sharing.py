"""Article pages for sharing: OpenGraph, JSON-LD, canonical, neighbours, related."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    county,
    give_originals,
    jpeg_bytes,
    make_article,
    make_author,
    make_photo,
    make_section,
)

TINGHU = "亭湖区总工会助力工会社工赋能成长"


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(html, prop):
    match = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    return match and match.group(1)


def test_json_ld_lists_authors_in_byline_order(client, seeded):
    article = Article.objects.get(title=TINGHU)
    data = json_ld(page(client, article))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == TINGHU
    assert [author["name"] for author in data["author"]] == ["刘静", "杨真真", "刘保顺"]
    assert data["articleSection"] == "谱写绿色盐城新篇章 书写工会工作新答卷"
    assert data["datePublished"] == article.publish_at.isoformat()
    assert data["dateModified"]


def test_share_card_uses_a_rendition_not_the_original(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import jpeg_bytes

    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(1600, 1200), "image/jpeg")
    photo = make_photo("大图", image=upload)
    assert photo.rendition_widths == [320, 640, 1280, 1600]
    html = page(client, make_article(cover_photo=photo))
    image = meta(html, "og:image")
    assert image == "http://testserver" + photo.rendition_url(1280)
    assert image != "http://testserver" + photo.image.url
    assert json_ld(html)["image"] == [image]


def test_photo_item_shares_its_photo(client, seeded):
    article = Article.objects.filter(section__kind="photo").first()
    give_originals([article.cover_photo])
    html = page(client, article)
    image = meta(html, "og:image")
    assert image.startswith("http://testserver/media/renditions/photos/")
    assert json_ld(html)["image"] == [image]
    assert meta(html, "og:title") == article.title
    assert (
        f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">'
        in html
    )


def test_json_ld_cannot_be_broken_out_of(client, db):
    article = make_article(title="</script><script>alert(1)</script>&")
    html = page(client, article)
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == "</script><script>alert(1)</script>&"


def test_previous_and_next_stay_in_the_section(client, db):
    section, other = make_section(), make_section()
    older = make_article(title="较早的稿件", section=section, days_ago=3)
    make_article(title="别的栏目", section=other, days_ago=2)
    current = make_article(title="当前稿件", section=section, days_ago=2)
    make_article(title="草稿", section=section, days_ago=1, status="draft")
    newer = make_article(title="较新的稿件", section=section, days_ago=0)
    response = client.get(current.get_absolute_url())
    assert response.context["previous_article"] == older
    assert response.context["next_article"] == newer
    html = response.content.decode()
    assert f'href="{older.get_absolute_url()}" rel="prev"' in html
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html


def test_neighbours_at_the_same_publish_time_follow_the_id(client, db):
    """Imports give a whole issue one publish time; the order is the id."""
    section = make_section()
    first, middle, last = (make_article(section=section) for _ in range(3))
    Article.objects.filter(pk__in=[first.pk, middle.pk, last.pk]).update(
        publish_at=middle.publish_at
    )
    response = client.get(middle.get_absolute_url())
    assert response.context["previous_article"] == first
    assert response.context["next_article"] == last
    assert client.get(first.get_absolute_url()).context["previous_article"] is None


def test_related_are_same_county_or_shared_tag_and_published(client, db):
    binhai = county("binhai")
    current = make_article(title="当前", county_union=binhai, tags=["劳模"])
    same_county = make_article(title="同县", county_union=binhai)
    same_tag = make_article(
        title="同标签", county_union=county("xiangshui"), tags=["劳模"]
    )
    make_article(title="无关", county_union=county("dafeng"), tags=["安全"])
    make_article(title="同县草稿", county_union=binhai, status="draft")
    response = client.get(current.get_absolute_url())
    related = response.context["related_articles"]
    assert set(related) == {same_county, same_tag}
    # Read as the ORM reads them: aware datetimes on every database.
    assert [a.publish_at for a in related] == [
        same_tag.publish_at,
        same_county.publish_at,
    ]
    html = response.content.decode()
    assert f'datetime="{timezone.localtime(same_tag.publish_at).isoformat()}"' in html


def test_neighbours_and_related_are_what_published_lets_readers_see(client, db):
    """related() and the neighbours must agree with
    published(): nothing scheduled for later, withdrawn or in review,
    whatever section, county or tag it shares."""
    section, binhai = make_section(), county("binhai")
    shared = {"section": section, "county_union": binhai, "tags": ["劳模"]}
    current = make_article(title="当前", days_ago=2, **shared)
    hidden = [
        make_article(title="定时", days_ago=-1, **shared),
        make_article(title="撤稿", status="withdrawn", days_ago=1, **shared),
        make_article(title="待审", status="review", days_ago=3, **shared),
    ]
    visible = [
        make_article(title="较新", days_ago=1, **shared),
        make_article(title="较早", days_ago=3, **shared),
    ]
    context = client.get(current.get_absolute_url()).context
    assert context["next_article"] == visible[0]
    assert context["previous_article"] == visible[1]
    assert context["related_articles"] == visible
    readers_see = set(Article.objects.published().exclude(pk=current.pk))
    assert readers_see == set(visible) and not readers_see & set(hidden)


@pytest.mark.parametrize("n", [1, 5])
def test_related_articles_add_no_query_per_item(
    client, db, django_assert_num_queries, n
):
    union = county("binhai")
    author = make_author()
    current = make_article(county_union=union, authors=[author], tags=["劳模"])
    for _ in range(n):
        make_article(county_union=union, tags=["劳模"], cover_photo=make_photo())
    # nav, article (which says it has no gallery and names its neighbours),
    # related by county and related by tag (two indexed queries: one OR-ed
    # DISTINCT query sorted every tagged article)
    with django_assert_num_queries(4):
        client.get(current.get_absolute_url())


def test_photo_item_waiting_for_its_original_shares_no_image(client, seeded):
    article = Article.objects.filter(section__kind="photo").first()
    assert article.cover_photo.awaiting_original is True
    html = page(client, article)
    assert meta(html, "og:image") is None
    assert "image" not in json_ld(html)
    assert meta(html, "og:title") == article.title


def test_share_card_skips_a_cover_waiting_for_its_original(client, db):
    placeholder = make_photo("占位", awaiting_original=True)
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(1600, 1200), "image/jpeg")
    real = make_photo("现场", image=upload)
    html = page(client, make_article(cover_photo=placeholder, photos=[real]))
    assert meta(html, "og:image") == "http://testserver" + real.share_url
