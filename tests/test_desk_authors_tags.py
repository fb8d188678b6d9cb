"""Tags typed the Chinese way, one Author per person,
merging Authors, the character count and one publish-time control."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles.authors import merge_authors
from articles.models import Article, ArticleAuthor, Author, AuthorRedirect, Photo
from articles.tagging import parse_tags
from articles.text import char_counts
from tests.factories import county, make_article, make_author, make_photo, make_staff
from tests.workflow_helpers import change_url, form_data


def test_tags_split_on_chinese_and_ascii_separators():
    typed = "新就业形态，职工权益、滨海；安全生产;劳模, 五一 劳动节,，"
    assert parse_tags(typed) == [
        "新就业形态", "职工权益", "滨海", "安全生产", "劳模", "五一 劳动节"
    ]  # fmt: skip


def test_admin_saves_tags_typed_with_a_chinese_input_method(admin_client, db):
    article = make_article(status=Article.Status.DRAFT)
    data = form_data(article, tags="新就业形态，职工权益、滨海")
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(article.tags.names()) == ["新就业形态", "滨海", "职工权益"]
    # Shown again for editing, the tags split the same way.
    page = admin_client.get(change_url(article)).content.decode()
    assert "新就业形态，滨海，职工权益" in page


def test_tag_suggestions_offer_existing_tags_most_used_first(admin_client, db):
    make_article(tags=["职工权益", "职工之家"])
    make_article(tags=["职工之家"])
    make_article(tags=["安全生产"])
    url = reverse("admin:articles_article_tag_suggestions")
    assert admin_client.get(url, {"q": "职工"}).json() == {
        "tags": ["职工之家", "职工权益"]
    }
    assert admin_client.get(url, {"q": ""}).json() == {"tags": []}


def test_tag_suggestions_are_for_staff_only(client, db):
    make_article(tags=["职工权益"])
    response = client.get(reverse("admin:articles_article_tag_suggestions"), {"q": "职"})
    assert response.status_code == 302


def test_add_staff_links_the_author_the_importer_created(seeded):
    imported = Author.objects.get(name="秦西江")
    authors_before = Author.objects.count()
    call_command(
        "add_staff", "qinxijiang", role="photographer", name="秦西江",
        county="dongtai", password="Xy7-long-pass",
    )  # fmt: skip
    assert Author.objects.count() == authors_before
    imported.refresh_from_db()
    assert imported.user.username == "qinxijiang"
    assert imported.county_union == county("dongtai")


def test_add_staff_without_county_links_the_namesake_too(seeded):
    call_command("add_staff", "liujing", role="correspondent", county="tinghu",
                 name="刘静", password="Xy7-long-pass")  # fmt: skip
    call_command("add_staff", "yuchao", role="photographer", name="郁超")
    assert Author.objects.get(name="郁超").user.username == "yuchao"
    assert Author.objects.filter(name="刘静").count() == 1


def test_add_staff_does_not_take_a_namesake_of_another_county(seeded):
    call_command(
        "add_staff", "qin2", role="correspondent", name="秦西江", county="binhai",
        password="Xy7-long-pass",
    )  # fmt: skip
    assert Author.objects.filter(name="秦西江").count() == 2
    assert Author.objects.get(name="秦西江", county_union__slug="dongtai").user is None


def test_admin_refuses_a_second_author_of_the_same_name(admin_client, db):
    make_author("秦西江", county_union=county("dongtai"))
    url = reverse("admin:articles_author_add")
    response = admin_client.post(url, {"name": "秦西江", "county_union": ""})
    assert response.status_code == 200
    assert "已有同名作者" in response.content.decode()
    assert Author.objects.filter(name="秦西江").count() == 1
    data = {"name": "秦西江", "county_union": "", "different_person": "on"}
    assert admin_client.post(url, data).status_code == 302
    assert Author.objects.filter(name="秦西江").count() == 2


def test_merge_moves_bylines_and_credits_in_order_and_redirects(client, db):
    kept = make_author("秦西江", county_union=county("dongtai"))
    twin = make_author("秦西江")
    other = make_author("张楠")
    article = make_article(authors=[other, twin])
    both = make_article(authors=[twin, other, kept])
    photo = make_photo(credits=[twin, other])
    old_slug = twin.slug
    merge_authors(keep=kept, others=[twin])
    assert Author.objects.filter(name="秦西江").count() == 1
    assert Article.objects.get(pk=article.pk).byline == "张楠 秦西江"
    # Where both were on one story, the first place is kept.
    assert Article.objects.get(pk=both.pk).byline == "秦西江 张楠"
    assert ArticleAuthor.objects.filter(article=both).count() == 2
    assert Photo.objects.get(pk=photo.pk).credit_line == "秦西江 张楠 摄"
    response = client.get(f"/authors/{old_slug}/?page=1")
    assert response.status_code == 301
    assert response["Location"] == f"/authors/{kept.slug}/?page=1"
    assert client.get(f"/authors/{kept.slug}/").status_code == 200


def test_merging_twice_keeps_the_first_address_working(client, db):
    first, second, third = (make_author("王芳") for _ in range(3))
    old = first.slug
    merge_authors(keep=second, others=[first])
    merge_authors(keep=third, others=[second])
    assert AuthorRedirect.objects.get(old_slug=old).author == third
    assert client.get(f"/authors/{old}/")["Location"] == f"/authors/{third.slug}/"


def test_two_accounts_cannot_be_merged(db):
    one = make_staff("photographer").author
    two = make_staff("photographer").author
    with pytest.raises(ValidationError, match="不能合并"):
        merge_authors(keep=one, others=[two])
    assert Author.objects.filter(pk__in=[one.pk, two.pk]).count() == 2


def test_merge_takes_over_the_account_of_the_merged_author(db):
    account = make_staff("photographer").author
    kept = make_author(account.name + "甲")
    merge_authors(keep=kept, others=[account])
    kept.refresh_from_db()
    assert kept.user is not None


def test_editor_merges_authors_from_the_admin_list(client, db):
    editor = make_staff("editor")
    client.force_login(editor)
    kept, twin = make_author("秦西江"), make_author("秦西江")
    article = make_article(authors=[twin])
    url = reverse("admin:articles_author_changelist")
    chosen = {"action": "merge_selected", "_selected_action": [kept.pk, twin.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200
    assert "保留哪一位" in page.content.decode()
    response = client.post(url, {**chosen, "keep": kept.pk})
    assert response.status_code == 302
    assert Author.objects.filter(name="秦西江").get() == kept
    assert list(article.authors.all()) == [kept]


def test_correspondent_cannot_merge_authors(client, db):
    client.force_login(make_staff("correspondent", union=county("binhai")))
    one, two = make_author("甲"), make_author("甲")
    url = reverse("admin:articles_author_changelist")
    client.post(
        url, {"action": "merge_selected", "_selected_action": [one.pk, two.pk],
              "keep": one.pk},
    )  # fmt: skip
    assert Author.objects.filter(name="甲").count() == 2


def test_char_count_counts_han_and_all_but_spaces():
    assert char_counts("<p>职工 之家</p><p>AB 12&nbsp;！</p>") == (4, 9)


def test_article_keeps_its_char_count_on_save(db):
    article = make_article(body="<p>盐城工会</p><p>2024 年</p>")
    assert Article.objects.get(pk=article.pk).char_count == 9
    article.body = "<p>一二三</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).char_count == 3


def test_change_form_has_one_publish_time_control(admin_client, db):
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    page = admin_client.get(change_url(article)).content.decode()
    assert page.count('name="publish_at_0"') == 1
    assert 'type="datetime-local"' not in page
    # The workflow buttons save the form first, so the 发布 fieldset's time
    # needs no copy in the workflow box (issue 16).
    assert 'name="publish_at"' not in page


def test_tag_help_names_the_separators_the_desk_accepts(admin_client, db):
    page = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "多个标签用逗号、顿号或分号隔开" in page
    assert "逗号分隔的标签列表" not in page
