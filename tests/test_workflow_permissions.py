"""Who may do what, tried through the admin as each role (the issue's matrix)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ArticleTransition, Photo
from tests.factories import county, jpeg_bytes, make_article, make_staff
from tests.workflow_helpers import change_url, form_data, transition

ROLES = [
    "anonymous",
    "own_correspondent",
    "other_correspondent",
    "photographer",
    "editor",
]

# The state each operation starts from, and the roles that may perform it.
OPERATIONS = {
    "view_draft": (Article.Status.DRAFT, {"own_correspondent", "editor"}),
    "edit": (Article.Status.DRAFT, {"own_correspondent", "editor"}),
    "submit": (Article.Status.DRAFT, {"own_correspondent", "editor"}),
    "publish": (Article.Status.REVIEW, {"editor"}),
    "return": (Article.Status.REVIEW, {"editor"}),
    "withdraw": (Article.Status.PUBLISHED, {"editor"}),
    "delete": (Article.Status.DRAFT, {"editor"}),
    "upload_photo": (Article.Status.DRAFT, {"photographer", "editor"}),
}

MOVES = {
    "submit": Article.Status.REVIEW,
    "publish": Article.Status.PUBLISHED,
    "return": Article.Status.DRAFT,
    "withdraw": Article.Status.WITHDRAWN,
}


def login_as(client, role):
    if role == "anonymous":
        return None
    union = {"own_correspondent": "xiangshui", "other_correspondent": "binhai"}
    user = make_staff(
        role.split("_")[-1],
        union=county(union[role]) if role in union else None,
    )
    client.force_login(user)
    return user


def attempt(client, operation, article):
    """Try operation; return True if it took effect."""
    if operation == "view_draft":
        response = client.get(change_url(article))
        return (
            response.status_code == 200 and article.title in response.content.decode()
        )
    if operation == "edit":
        client.post(change_url(article), form_data(article, title="改过的标题"))
        return Article.objects.get(pk=article.pk).title == "改过的标题"
    if operation in MOVES:
        transition(client, article, operation, comment="请补充现场数字。")
        return Article.objects.get(pk=article.pk).status == MOVES[operation]
    if operation == "delete":
        url = reverse("admin:articles_article_delete", args=[article.pk])
        client.post(url, {"post": "yes"})
        return not Article.objects.filter(pk=article.pk).exists()
    if operation == "upload_photo":
        before = Photo.objects.count()
        image = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
        client.post(
            reverse("admin:articles_photo_add"),
            {
                "image": image,
                "caption": "职工运动会开幕",
                "alt_text": "",
                "credit_entries-TOTAL_FORMS": "0",
                "credit_entries-INITIAL_FORMS": "0",
            },
        )
        return Photo.objects.count() == before + 1
    raise AssertionError(operation)


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, db, role, operation):
    status, allowed_roles = OPERATIONS[operation]
    article = make_article(
        status=status,
        county_union=county("xiangshui"),
        days_ago=1 if status == Article.Status.PUBLISHED else None,
    )
    login_as(client, role)
    assert attempt(client, operation, article) is (role in allowed_roles)


@pytest.mark.parametrize("status", [Article.Status.REVIEW, Article.Status.PUBLISHED])
def test_correspondent_cannot_edit_once_submitted(client, db, status):
    article = make_article(status=status, county_union=county("xiangshui"))
    login_as(client, "own_correspondent")
    page = client.get(change_url(article))
    assert page.status_code == 200  # still visible, read-only
    assert 'name="title"' not in page.content.decode()
    client.post(change_url(article), form_data(article, title="偷偷改标题"))
    assert Article.objects.get(pk=article.pk).title == article.title


def test_read_only_story_shows_its_body_as_text_not_html_source(client, db):
    """A correspondent's story in review reads as text, tags not shown."""
    article = make_article(
        status=Article.Status.REVIEW,
        county_union=county("xiangshui"),
        body="<p>第一段<strong>加粗</strong></p><p>第二段<script>alert(1)</script></p>",
    )
    login_as(client, "own_correspondent")
    page = client.get(change_url(article)).content.decode()
    assert "&lt;p&gt;" not in page
    assert "<p>第一段<strong>加粗</strong></p><p>第二段</p>" in page
    assert "alert(1)" not in page


def test_change_form_names_creator_without_a_link_editors_cannot_open(client, db):
    """创建人/最后修改人 read as names; the account pages answer editors 403."""
    writer = make_staff("correspondent", union=county("xiangshui"))
    writer.author.name = "陈晓梅"
    writer.author.save()
    article = make_article(
        status=Article.Status.REVIEW,
        county_union=county("xiangshui"),
        created_by=writer,
    )
    login_as(client, "editor")
    page = client.get(change_url(article)).content.decode()
    assert "/admin/auth/user/" not in page
    assert "陈晓梅" in page
    user_page = reverse("admin:auth_user_change", args=[writer.pk])
    assert client.get(user_page).status_code == 403


@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.WITHDRAWN])
def test_editor_cannot_delete_published_or_withdrawn(client, db, status):
    article = make_article(status=status)
    login_as(client, "editor")
    url = reverse("admin:articles_article_delete", args=[article.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists() is True


def test_bulk_delete_action_keeps_published_articles(client, db):
    draft = make_article(status=Article.Status.DRAFT, days_ago=None)
    published = make_article()
    login_as(client, "editor")
    client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [draft.pk, published.pk],
            "post": "yes",
        },
    )
    assert Article.objects.filter(pk=published.pk).exists() is True


def test_correspondent_sees_only_their_county_in_changelist(client, db):
    own = make_article(status=Article.Status.DRAFT, county_union=county("xiangshui"))
    other = make_article(status=Article.Status.DRAFT, county_union=county("binhai"))
    login_as(client, "own_correspondent")
    response = client.get(reverse("admin:articles_article_changelist"))
    shown = set(response.context["cl"].result_list)
    assert own in shown
    assert other not in shown


def test_correspondent_draft_gets_their_county(client, db):
    user = login_as(client, "own_correspondent")
    article = make_article(status=Article.Status.DRAFT, days_ago=None)
    data = form_data(
        article,
        title="新建稿件",
        county_union=county("binhai").pk,
        slug="",
        opened_version="",
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    created = Article.objects.get(title="新建稿件")
    assert created.county_union == county("xiangshui")
    assert created.created_by == user
    assert created.status == Article.Status.DRAFT


def test_return_without_comment_is_refused_with_message(client, db):
    article = make_article(status=Article.Status.REVIEW)
    login_as(client, "editor")
    response = transition(client, article, "return", comment=" ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    page = client.get(response.url).content.decode()
    assert "请写明修改意见" in page


def test_transitions_show_on_the_article_admin_page(client, db):
    article = make_article(
        status=Article.Status.DRAFT, county_union=county("xiangshui")
    )
    writer = login_as(client, "own_correspondent")
    transition(client, article, "submit")
    client.logout()
    login_as(client, "editor")
    transition(client, article, "return", comment="导语太长，请压缩到两句。")
    page = client.get(change_url(article)).content.decode()
    assert "导语太长，请压缩到两句。" in page
    assert writer.username in page
    steps = list(ArticleTransition.objects.filter(article=article).order_by("at"))
    assert [step.action for step in steps] == ["submit", "return"]
    assert steps[0].by == writer


def test_bylines_are_read_only_once_submitted(client, db):
    article = make_article(
        status=Article.Status.REVIEW, county_union=county("xiangshui")
    )
    login_as(client, "own_correspondent")
    response = client.get(change_url(article))
    for inline in response.context["inline_admin_formsets"]:
        assert inline.has_change_permission is False
        assert inline.has_add_permission is False


@pytest.mark.parametrize("role", ["own_correspondent", "photographer"])
def test_only_editors_list_and_recover_deleted_articles(client, db, role):
    login_as(client, role)
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role, action, allowed",
    [
        ("editor", "publish_selected", True),
        ("own_correspondent", "publish_selected", False),
        ("editor", "withdraw_selected", True),
        ("own_correspondent", "withdraw_selected", False),
    ],
)
def test_changelist_actions_check_permissions(client, db, role, action, allowed):
    status = (
        Article.Status.REVIEW
        if action == "publish_selected"
        else Article.Status.PUBLISHED
    )
    article = make_article(status=status, county_union=county("xiangshui"))
    login_as(client, role)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk]},
    )
    changed = Article.objects.get(pk=article.pk).status != status
    assert changed is allowed


def test_correspondent_add_form_shows_the_county_the_story_will_belong_to(client, db):
    login_as(client, "own_correspondent")
    page = client.get(reverse("admin:articles_article_add"))
    county_row = page.content.decode().split("field-county_union", 1)[1]
    readonly = county_row.split('<div class="readonly">', 1)[1].split("</div>", 1)[0]
    # A link to the county union when the user may view it, else its name.
    assert f">{county('xiangshui')}<" in f">{readonly}<"
