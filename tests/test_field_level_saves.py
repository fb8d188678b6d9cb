"""Saves write only what the user changed; a stale save shows the other
person's changes field by field, and saving again keeps them (issue 16)."""

import pytest

from articles.models import Article, ArticleAuthor
from articles.saving import MERGE_PREFIX
from tests.factories import make_article, make_author, make_staff
from tests.workflow_helpers import change_url, posted_data


def opened(client, user, article):
    """What user's browser would post back for the form as opened."""
    client.force_login(user)
    return posted_data(client.get(change_url(article)))


@pytest.fixture
def people(db):
    first, second = make_staff("editor"), make_staff("editor")
    first.author.name = "王芳"
    first.author.save()
    return first, second


@pytest.fixture
def article(db):
    return make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        title="原标题",
        body="<p>原正文。</p>",
        tags=["工会"],
        authors=[make_author("刘静")],
    )


def post(client, user, article, data):
    client.force_login(user)
    return client.post(change_url(article), data)


def test_second_save_keeps_the_other_editors_title(client, people, article):
    """A changes the title; B, who changed only the body, is refused, sees
    A's title, saves again: the story has A's title and B's body."""
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    assert (
        post(client, a, article, {**form_a, "title": "王芳的标题"}).status_code == 302
    )

    refused = post(client, b, article, {**form_b, "body": "<p>B 的正文。</p>"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "保存被拒绝" in page and 'id="edit-conflicts"' in page
    assert "王芳的标题" in page  # their value, and the form now shows it
    assert refused.context["adminform"].form["title"].value() == "王芳的标题"
    assert "B 的正文。" in page  # nothing B typed is lost

    again = post(client, b, article, posted_data(refused))
    assert again.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.body) == ("王芳的标题", "<p>B 的正文。</p>")


def test_second_save_never_writes_back_an_untouched_stale_field(
    client, people, article
):
    """Even if the browser posts its old title again, B never changed it, so
    saving does not touch it."""
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    post(client, a, article, {**form_a, "title": "王芳的标题"})
    refused = post(client, b, article, {**form_b, "body": "<p>B 的正文。</p>"})
    token = refused.context["adminform"].form["opened_version"].value()
    data = {**form_b, "body": "<p>B 的正文。</p>", "opened_version": token}
    assert post(client, b, article, data).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.body) == ("王芳的标题", "<p>B 的正文。</p>")


@pytest.mark.parametrize(
    ("choice", "title"), [("mine", "B 的标题"), ("theirs", "王芳的标题")]
)
def test_both_changed_one_field_the_user_chooses(
    client, people, article, choice, title
):
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    post(client, a, article, {**form_a, "title": "王芳的标题"})
    refused = post(client, b, article, {**form_b, "title": "B 的标题"})
    conflict = next(row for row in refused.context["edit_conflicts"] if row.both)
    assert (conflict.name, conflict.old, conflict.new) == (
        "title",
        "B 的标题",
        "王芳的标题",
    )
    assert refused.context["adminform"].form["title"].value() == "B 的标题"
    data = {**posted_data(refused), MERGE_PREFIX + "title": choice}
    assert post(client, b, article, data).status_code == 302
    assert Article.objects.get(pk=article.pk).title == title


def test_the_refusal_names_people_by_display_name(client, people, article):
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    post(client, a, article, {**form_a, "title": "王芳的标题"})
    page = post(client, b, article, {**form_b, "body": "<p>B</p>"}).content.decode()
    assert "王芳 在" in page and "王芳 改动了下列栏目" in page
    refusal = page.split("保存被拒绝")[1].split("</li>")[0]
    assert "王芳" in refusal and a.username not in refusal


def test_bylines_the_other_changed_are_not_written_back(client, people, article):
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    added = make_author("杨真真")
    form_a.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-article": str(article.pk),
            "bylines-1-position": "2",
            "bylines-1-author": str(added.pk),
        }
    )
    assert post(client, a, article, form_a).status_code == 302
    refused = post(client, b, article, {**form_b, "body": "<p>B 的正文。</p>"})
    rows = {row.name: row for row in refused.context["edit_conflicts"]}
    assert rows["bylines"].new == "刘静\n杨真真" and rows["bylines"].both is False
    assert post(client, b, article, posted_data(refused)).status_code == 302
    names = ArticleAuthor.objects.filter(article=article).order_by("position")
    assert [row.author.name for row in names] == ["刘静", "杨真真"]
    assert Article.objects.get(pk=article.pk).body == "<p>B 的正文。</p>"


def test_tags_the_other_changed_are_kept(client, people, article):
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    post(client, a, article, {**form_a, "tags": "工会, 劳模"})
    refused = post(client, b, article, {**form_b, "summary": "B 的摘要"})
    assert post(client, b, article, posted_data(refused)).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert sorted(saved.tags.names()) == ["劳模", "工会"]
    assert saved.summary == "B 的摘要"


def test_a_plain_save_writes_only_changed_fields(client, people, article):
    """A change that did not move updated_at (a script, an import) is not
    overwritten by a save that left the field alone."""
    _a, b = people
    form_b = opened(client, b, article)
    Article.objects.filter(pk=article.pk).update(title="脚本改的标题")
    assert post(client, b, article, {**form_b, "body": "<p>B</p>"}).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.body) == ("脚本改的标题", "<p>B</p>")


def test_rich_text_reformatted_by_the_editor_is_not_a_change(client, people, article):
    _a, b = people
    form_b = opened(client, b, article)
    Article.objects.filter(pk=article.pk).update(body="<p>别人改的正文。</p>")
    # The browser's editor posts the opened body with its own line breaks.
    data = {**form_b, "body": "\r\n<p>原正文。</p>\r\n", "title": "B 的标题"}
    assert post(client, b, article, data).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.body) == ("B 的标题", "<p>别人改的正文。</p>")


@pytest.mark.parametrize("token", ["", "forged", "eyJ0aXRsZSI6IngifQ:bad:sig"])
def test_missing_or_forged_snapshot_saves_the_whole_form(
    client, people, article, token
):
    _a, b = people
    data = {**opened(client, b, article), "opened_fields": token, "title": "新标题"}
    assert post(client, b, article, data).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "新标题"


@pytest.mark.parametrize(
    ("choice", "names"),
    [("mine", ["刘静", "B 加的"]), ("theirs", ["刘静", "王芳加的"])],
)
def test_bylines_both_changed_follow_the_choice(client, people, article, choice, names):
    a, b = people
    form_a, form_b = opened(client, a, article), opened(client, b, article)
    for form, name in [(form_a, "王芳加的"), (form_b, "B 加的")]:
        form.update(
            {
                "bylines-TOTAL_FORMS": "2",
                "bylines-1-article": str(article.pk),
                "bylines-1-position": "2",
                "bylines-1-author": str(make_author(name).pk),
            }
        )
    assert post(client, a, article, form_a).status_code == 302
    refused = post(client, b, article, form_b)
    row = next(
        row for row in refused.context["edit_conflicts"] if row.name == "bylines"
    )
    assert (row.both, row.old, row.new) == (True, "刘静\nB 加的", "刘静\n王芳加的")
    data = {**posted_data(refused), MERGE_PREFIX + "bylines": choice}
    assert post(client, b, article, data).status_code == 302
    rows = ArticleAuthor.objects.filter(article=article).order_by("position")
    assert [row.author.name for row in rows] == names
