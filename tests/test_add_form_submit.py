"""保存并提交审核 on the add form: a new story created and submitted at once.

The button posts the add form with _workflow=submit: the story is created
with the same checks as 保存 (bylines, gallery, tags, revision), then
submitted, in one transaction. A refused submit creates nothing and shows
the form again as typed, with the reason.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, ArticleTransition
from editing.models import Autosave
from review.models import Term
from tests.factories import county, make_section, make_staff, make_user
from tests.workflow_helpers import add_form_data, change_url, posted_data

ADD = reverse("admin:articles_article_add")
TITLE = "滨海县总工会开展职工书法比赛"
BODY = "<p>比赛吸引了全县两百余名职工参加。</p>"
BUTTON = 'name="_workflow" value="submit"'


def typed_story(client, **overrides):
    """The add form as the browser posts it, prefilled byline row included,
    with a title, body, section and tags typed in."""
    data = posted_data(client.get(ADD))
    typed = {
        "title": TITLE,
        "body": BODY,
        "section": make_section().pk,
        "tags": "书法, 职工文化",
    }
    return {**data, **typed, **overrides}


def nothing_created():
    return {
        "articles": Article.objects.count(),
        "bylines": ArticleAuthor.objects.count(),
        "transitions": ArticleTransition.objects.count(),
        "versions": Version.objects.get_for_model(Article).count(),
        "tags": Tag.objects.count(),
        "log entries": LogEntry.objects.count(),
    } == dict.fromkeys(
        ["articles", "bylines", "transitions", "versions", "tags", "log entries"], 0
    )


@pytest.fixture
def writer(db):
    return make_staff("correspondent", union=county("binhai"))


def writer_without_submit():
    """May write and save drafts, but not submit them (no role has this
    today; a permission edited away in the admin would make one)."""
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=[
                "add_article",
                "change_article",
                "view_article",
                "add_articleauthor",
                "change_articleauthor",
                "add_articlephoto",
                "change_articlephoto",
                "view_section",
            ],
        )
    )
    return user


def test_submit_from_add_creates_the_story_in_review(client, writer):
    client.force_login(writer)
    response = client.post(ADD, {**typed_story(client), "_workflow": "submit"})
    assert response.status_code == 302
    story = Article.objects.get()
    assert response["Location"] == change_url(story)
    assert story.status == Article.Status.REVIEW
    assert story.county_union == county("binhai")
    assert story.created_by == writer
    assert [a.pk for a in story.authors.all()] == [writer.author.pk]
    assert sorted(story.tags.names()) == ["书法", "职工文化"]
    step = story.transitions.get()
    assert (step.action, step.by) == (ArticleTransition.Action.SUBMIT, writer)
    assert Version.objects.get_for_object(story).count() == 1
    page = client.get(response["Location"])
    shown = [str(m) for m in get_messages(page.wsgi_request)]
    assert shown == [f"“{TITLE}”：已保存，提交审核。"]


def test_submit_from_add_deletes_the_new_story_autosave(client, writer):
    Autosave.objects.create(user=writer, article=None, content="{}")
    client.force_login(writer)
    client.post(ADD, {**typed_story(client), "_workflow": "submit"})
    assert Article.objects.get().status == Article.Status.REVIEW
    assert Autosave.objects.filter(user=writer).exists() is False


def test_refused_submit_creates_nothing_and_keeps_the_typed_form(client, writer):
    Term.objects.create(word="北朝鲜", level="banned", suggestion="朝鲜")
    Autosave.objects.create(user=writer, article=None, content="{}")
    client.force_login(writer)
    typed = typed_story(client, title="职工赴北朝鲜边境考察")
    response = client.post(ADD, {**typed, "_workflow": "submit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "未能提交审核" in page and "北朝鲜" in page
    assert "没有提交审核：稿件还没有保存。" in page
    assert "职工赴北朝鲜边境考察" in page and "两百余名职工" in page
    assert nothing_created() is True
    # The saved-on-success autosave is still there to come back to.
    assert Autosave.objects.filter(user=writer, article=None).exists() is True


def test_refused_submit_keeps_the_writers_byline_row(client, writer):
    client.force_login(writer)
    response = client.post(
        ADD, {**typed_story(client, title=""), "_workflow": "submit"}
    )
    assert response.status_code == 200
    assert "没有提交审核：稿件还没有保存。" in response.content.decode()
    bylines = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "bylines"
    )
    assert bylines.forms[0]["author"].value() == str(writer.author.pk)
    assert nothing_created() is True


@pytest.mark.parametrize("role", ["correspondent", "editor"])
def test_writers_and_editors_get_the_button(client, db, role):
    client.force_login(make_staff(role, union=county("binhai")))
    page = client.get(ADD).content.decode()
    start = page.index('id="article_form"')
    form = page[start : page.index("</form>", start)]
    assert f"{BUTTON} class=" in form and "保存并提交审核" in form


def test_without_submit_permission_there_is_no_button(client, db):
    client.force_login(writer_without_submit())
    response = client.get(ADD)
    assert response.status_code == 200
    assert BUTTON not in response.content.decode()


def test_without_submit_permission_a_crafted_submit_creates_nothing(client, db):
    client.force_login(writer_without_submit())
    data = add_form_data(make_section(), _workflow="submit")
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "没有这项操作的权限" in response.content.decode()
    assert nothing_created() is True


@pytest.mark.parametrize(
    ("role", "move"),
    [
        ("correspondent", "publish"),
        ("correspondent", "return"),
        ("correspondent", "sign_first"),
        # Editors too: a new story is only handed over from the add form.
        ("editor", "publish"),
        ("editor", "withdraw"),
    ],
)
def test_other_moves_from_the_add_form_are_refused(client, db, role, move):
    user = make_staff(role, union=county("binhai"))
    client.force_login(user)
    data = add_form_data(make_section(), **{"bylines-0-author": user.author.pk})
    response = client.post(ADD, {**data, "_workflow": move})
    assert response.status_code == 200
    assert "没有这项操作的权限" in response.content.decode()
    assert nothing_created() is True


def test_plain_save_on_the_add_form_still_makes_a_draft(client, writer):
    client.force_login(writer)
    response = client.post(ADD, {**typed_story(client), "_save": "保存"})
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT
    assert story.transitions.exists() is False
