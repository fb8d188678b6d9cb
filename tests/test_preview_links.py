"""Preview links: a draft shown without an account, then gone (previews app).

The page cache is on in tests (PAGE_CACHE_SECONDS), as for readers.
"""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from previews.models import PreviewLink
from serving import pagecache

from .factories import county, make_article, make_author, make_staff, make_user

ROLES = ["anonymous", "correspondent", "photographer", "editor", "chief", "director"]
# Who may make and revoke links: the roles with articles.publish_article.
MANAGES = {"editor": True, "chief": True, "director": True}


def draft(**fields):
    fields.setdefault("title", "射阳县总工会送清凉")
    fields.setdefault("body", "<p>高温下坚守一线的职工。</p>")
    fields.setdefault("county_union", county("sheyang"))
    return make_article(status=Article.Status.DRAFT, days_ago=None, **fields)


def role_client(role):
    client = Client()
    if role != "anonymous":
        client.force_login(make_staff(role, union=county("sheyang")))
    return client


def create_url(article):
    return reverse("preview_links:create", args=[article.pk])


def revoke_url(link):
    return reverse("preview_links:revoke", args=[link.article_id, link.pk])


def new_link(article, days=7):
    return PreviewLink.create_for(article, by=make_user(superuser=True), days=days)


def fetch(url):
    """An anonymous reader's request, as from a new browser."""
    return Client().get(url)


# Creating and revoking: who may, and on which stories.


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_a_preview_link(role):
    article = draft()
    response = role_client(role).post(create_url(article), {"days": "7"})
    made = PreviewLink.objects.filter(article=article).exists()
    assert made is MANAGES.get(role, False)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    elif made:
        assert response.status_code == 302
        assert response["Location"].endswith("#preview-links")
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_may_revoke_a_preview_link(role):
    link = new_link(draft())
    role_client(role).post(revoke_url(link))
    link.refresh_from_db()
    assert (link.revoked_at is not None) is MANAGES.get(role, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "days_ago", "allowed"),
    [
        (Article.Status.DRAFT, None, True),
        (Article.Status.REVIEW, None, True),
        (Article.Status.PUBLISHED, -2, True),  # scheduled: readers wait
        (Article.Status.PUBLISHED, 1, False),
        (Article.Status.WITHDRAWN, 1, False),
    ],
)
def test_links_are_made_only_for_stories_readers_cannot_see(status, days_ago, allowed):
    article = make_article(status=status, days_ago=days_ago)
    client = role_client("editor")
    response = client.post(create_url(article), {"days": "7"}, follow=True)
    assert PreviewLink.objects.filter(article=article).exists() is allowed
    text = response.content.decode()
    if not allowed:
        assert "已发布或已撤稿的稿件不能创建预览链接" in text


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "31", "-1", "abc", "", "1.5", "9" * 30])
def test_bad_days_are_refused_in_chinese(days):
    article = draft()
    response = role_client("editor").post(
        create_url(article), {"days": days}, follow=True
    )
    assert response.status_code == 200
    assert PreviewLink.objects.exists() is False
    errors = [str(message) for message in response.context["messages"]]
    assert len(errors) == 1
    assert re.fullmatch(
        r"有效天数(至少 1 天|最多 30 天|须是整数)。|请填写有效天数。", errors[0]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 30])
def test_the_editor_picks_how_many_days_a_link_lasts(days):
    article = draft()
    role_client("editor").post(create_url(article), {"days": str(days)})
    link = PreviewLink.objects.get(article=article)
    lasts = link.expires_at - link.created_at
    assert lasts == timedelta(days=days)


@pytest.mark.django_db
def test_the_default_number_of_days_is_a_setting(settings):
    settings.PREVIEW_LINK_DAYS = 5
    response = role_client("editor").get(
        reverse("admin:articles_article_change", args=[draft().pk])
    )
    assert 'name="days" value="5"' in response.content.decode()


@pytest.mark.django_db
def test_create_and_revoke_take_only_post():
    link = new_link(draft())
    client = role_client("editor")
    assert client.get(create_url(link.article)).status_code == 405
    assert client.get(revoke_url(link)).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None
    assert PreviewLink.objects.count() == 1


@pytest.mark.django_db
def test_create_and_revoke_need_the_csrf_token():
    link = new_link(draft())
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("editor"))
    assert client.post(create_url(link.article), {"days": "7"}).status_code == 403
    assert client.post(revoke_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert PreviewLink.objects.count() == 1


@pytest.mark.django_db
def test_a_link_is_revoked_only_through_its_own_story():
    link = new_link(draft())
    other = draft(title="另一篇")
    client = role_client("editor")
    url = reverse("preview_links:revoke", args=[other.pk, link.pk])
    assert client.post(url).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


# The change form lists the links.


@pytest.mark.django_db
def test_the_change_form_lists_links_with_the_creators_display_name():
    article = draft()
    editor = make_staff("editor")
    editor.author.name = "王芳"
    editor.author.save()
    link = PreviewLink.create_for(article, by=editor, days=3)
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    text = page.content.decode()
    assert 'id="preview-links"' in text
    assert "王芳 创建于" in text
    assert f"http://testserver{link.get_absolute_url()}" in text
    assert "复制链接" in text and "撤销" in text


@pytest.mark.django_db
def test_a_published_story_offers_no_new_link_and_no_copy():
    article = draft()
    link = new_link(article)
    article.publish(by=make_user(superuser=True))
    client = role_client("editor")
    text = client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "本稿件已发布或已撤稿，不能再创建预览链接" in text
    assert "创建预览链接</button>" not in text
    assert link.token not in text
    assert revoke_url(link) in text  # it may still be ended for the record


@pytest.mark.django_db
def test_correspondents_see_no_preview_links_on_their_draft():
    writer = make_staff("correspondent", union=county("sheyang"))
    article = draft(created_by=writer)
    link = new_link(article)
    client = Client()
    client.force_login(writer)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert 'id="preview-links"' not in page.content.decode()
    assert link.token not in page.content.decode()


@pytest.mark.django_db
def test_the_page_script_gets_the_redrawn_module():
    article = draft()
    client = role_client("editor")
    response = client.post(
        create_url(article), {"days": "2"}, headers={"X-Preview-Links": "fragment"}
    )
    assert response.status_code == 200
    link = PreviewLink.objects.get(article=article)
    assert link.get_absolute_url() in response.content.decode()
    refused = client.post(
        create_url(article), {"days": "99"}, headers={"X-Preview-Links": "fragment"}
    )
    assert refused.status_code == 400
    assert "有效天数最多 30 天" in refused.content.decode()


# The preview page.


@pytest.mark.django_db
def test_anyone_with_the_link_sees_the_draft_marked_preview_and_noindex():
    article = draft(authors=[make_author("陈晨")])
    link = new_link(article, days=3)
    response = fetch(link.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "射阳县总工会送清凉" in text and "高温下坚守一线的职工" in text
    assert "陈晨" in text
    assert "预览</strong> · 尚未发布 · 链接有效期至" in text
    assert '<meta name="robots" content="noindex">' in text
    assert response["X-Robots-Tag"] == "noindex"
    # The public address of the draft stays a 404.
    assert fetch(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_preview_page_has_its_query_count_pinned(django_assert_num_queries):
    article = draft(authors=[make_author("陈晨")], tags=["技能大赛"])
    link = new_link(article)
    client = Client()
    # The link with the story's slug, the story (as the article page reads
    # it), the sections for the navigation, and the related stories by
    # county and by tag.
    with django_assert_num_queries(5):
        assert client.get(link.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_preview_is_never_kept_by_a_cache():
    link = new_link(draft())
    url = link.get_absolute_url()
    for _ in range(2):
        response = fetch(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert "public" not in directives
        assert cache.get(pagecache.page_key(response.wsgi_request)) is None


@pytest.mark.django_db
def test_two_requests_after_an_edit_show_the_edit():
    article = draft(title="改稿前的标题")
    link = new_link(article)
    url = link.get_absolute_url()
    assert "改稿前的标题" in fetch(url).content.decode()
    # A change that bumps no page-cache generation: only a page that was
    # never stored shows it.
    Article.objects.filter(pk=article.pk).update(title="改稿后的标题")
    for _ in range(2):
        assert "改稿后的标题" in fetch(url).content.decode()


@pytest.mark.django_db
def test_a_revoked_link_is_a_404_at_once():
    link = new_link(draft())
    url = link.get_absolute_url()
    assert fetch(url).status_code == 200
    role_client("editor").post(revoke_url(link))
    assert fetch(url).status_code == 404
    assert fetch(url).status_code == 404


@pytest.mark.django_db
def test_an_expired_link_is_a_404():
    link = new_link(draft(), days=1)
    url = link.get_absolute_url()
    assert fetch(url).status_code == 200
    PreviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert fetch(url).status_code == 404


@pytest.mark.django_db
def test_once_published_the_link_is_a_404_and_the_public_address_serves():
    article = draft(title="今天发布的稿件")
    link = new_link(article)
    assert fetch(link.get_absolute_url()).status_code == 200
    article.publish(by=make_user(superuser=True))
    assert fetch(link.get_absolute_url()).status_code == 404
    public = fetch(article.get_absolute_url())
    assert public.status_code == 200
    assert "今天发布的稿件" in public.content.decode()


@pytest.mark.django_db
def test_a_scheduled_story_previews_until_its_time_comes():
    article = make_article(status=Article.Status.PUBLISHED, days_ago=-1)
    link = new_link(article)
    assert fetch(link.get_absolute_url()).status_code == 200
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - timedelta(minutes=1)
    )
    assert fetch(link.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_deleted_and_withdrawn_stories_are_a_404_not_a_410():
    deleted = new_link(draft())
    url = deleted.get_absolute_url()
    deleted.article.delete()
    assert fetch(url).status_code == 404
    withdrawn = draft()
    link = new_link(withdrawn)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
    assert fetch(link.get_absolute_url()).status_code == 404


def _failure_urls():
    """A preview URL for every way a link can fail to open."""
    urls = {}
    revoked = new_link(draft())
    revoked.revoke(by=None)
    urls["revoked"] = revoked.get_absolute_url()
    expired = new_link(draft())
    PreviewLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    urls["expired"] = expired.get_absolute_url()
    published = new_link(draft())
    Article.objects.filter(pk=published.article_id).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    urls["published"] = published.get_absolute_url()
    good = new_link(draft())
    signer = signing.Signer(salt="previews.PreviewLink", sep=".")
    urls["wrong nonce"] = reverse(
        "previews:article", args=[signer.sign(f"{good.pk}-{'0' * 32}")]
    )
    urls["unknown id"] = reverse(
        "previews:article", args=[signer.sign(f"999999-{good.nonce}")]
    )
    with override_settings(SECRET_KEY="another-key-" * 5):
        forger = signing.Signer(salt="previews.PreviewLink", sep=".")
        urls["forged"] = reverse(
            "previews:article", args=[forger.sign(f"{good.pk}-{good.nonce}")]
        )
    urls["other salt"] = reverse(
        "previews:article",
        args=[signing.Signer(sep=".").sign(f"{good.pk}-{good.nonce}")],
    )
    urls["tampered"] = good.get_absolute_url().replace(
        f"/{good.pk}-", f"/{good.pk + 1}-"
    )
    assert fetch(good.get_absolute_url()).status_code == 200
    return urls


@pytest.mark.django_db
def test_every_failure_is_the_same_uncached_404():
    answers = {name: fetch(url) for name, url in _failure_urls().items()}
    bodies = {response.content for response in answers.values()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(
        answers, 404
    )
    assert len(bodies) == 1
    for response in answers.values():
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"


HOSTILE_TOKENS = [
    "x",
    "1-abc.def",
    "1-" + "0" * 32,
    "%00",
    "a%00b",
    "%FF%FE",
    "%E4%B8",
    "..%2F..%2Fetc%2Fpasswd",
    "%0D%0ASet-Cookie:%20x=1",
    "%3Cscript%3E",
    "1" * 300,
    "9" * 40 + "-" + "0" * 32 + ".sig",
    "-1-" + "0" * 32 + ".x",
    "１２-abc.def",  # full-width digits
    "." * 50,
    "盐城" * 2000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("token", HOSTILE_TOKENS)
def test_hostile_tokens_are_a_plain_404(token):
    response = fetch(f"/preview/{token}/")
    assert response.status_code in {400, 404}
    assert response.get("Set-Cookie") is None


@pytest.mark.django_db
def test_a_token_holds_128_random_bits_and_differs_per_link():
    article = draft()
    first, second = new_link(article), new_link(article)
    assert len(first.nonce) == 32 and int(first.nonce, 16) >= 0
    assert first.token != second.token
    assert first.nonce not in second.token


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["page=abc", "q=%00", "q=" + "a" * 10000, "%FF=%FE", "&&&", "p=1&p=2"]
)
def test_hostile_query_strings_on_a_preview(query):
    link = new_link(draft())
    assert fetch(f"{link.get_absolute_url()}?{query}").status_code == 200
