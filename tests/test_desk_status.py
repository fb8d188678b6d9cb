"""The desk's statuses, filters and Chinese pages (issue 22, part A)."""

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import Article, Author
from articles.roles import display_name
from tests.factories import county, make_article, make_photo, make_staff, make_user

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def staff(db):
    union = county("xiangshui")
    return {
        "editor": make_staff("editor", username="zhoubian"),
        "writer": make_staff("correspondent", union=union, username="wangfang"),
        "other": make_staff("correspondent", union=county("binhai"), username="lisi"),
        "photographer": make_staff("photographer", username="qinxj"),
        "union": union,
    }


def returned_story(staff, **fields):
    article = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=staff["union"],
        created_by=staff["writer"],
        **fields,
    )
    article.submit(by=staff["writer"])
    article.return_to_writer(by=staff["editor"], comment="请补充参会人数。")
    return article


def test_returned_story_shows_as_returned_until_resubmitted(staff):
    article = returned_story(staff)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.DRAFT
    assert article.desk_status == Article.DeskStatus.RETURNED
    assert article.return_step.comment == "请补充参会人数。"
    article.submit(by=staff["writer"])
    article = Article.objects.get(pk=article.pk)
    assert article.desk_status == Article.DeskStatus.REVIEW
    assert article.return_step is None


def test_list_annotation_agrees_with_the_property(staff):
    returned = returned_story(staff)
    make_article(status=Article.Status.DRAFT, days_ago=None)
    make_article(days_ago=-2)  # scheduled
    make_article()
    listed = {a.pk: a for a in Article.objects.with_desk_status()}
    for article in Article.objects.all():
        assert listed[article.pk].desk_status == article.desk_status
    assert listed[returned.pk].desk_status == Article.DeskStatus.RETURNED


@pytest.mark.parametrize(
    "value, expected",
    [
        ("returned", {"退回的稿件"}),
        ("draft", {"普通草稿"}),
        ("scheduled", {"定时的稿件"}),
        ("published", {"已发的稿件"}),
    ],
)
def test_status_filter_tells_returned_and_scheduled_apart(
    client, staff, value, expected
):
    returned_story(staff, title="退回的稿件")
    make_article(title="普通草稿", status=Article.Status.DRAFT, days_ago=None)
    make_article(title="定时的稿件", days_ago=-1)
    make_article(title="已发的稿件")
    client.force_login(staff["editor"])
    response = client.get(CHANGELIST, {"status__exact": value})
    assert response.status_code == 200
    titles = {article.title for article in response.context["cl"].result_list}
    assert titles == expected


def test_list_shows_status_badges(client, staff):
    returned_story(staff, title="退回的稿件")
    client.force_login(staff["editor"])
    html = client.get(CHANGELIST).content.decode()
    assert '<span class="status-badge status-returned">退回修改</span>' in html
    # The filter offers it too.
    assert "?status__exact=returned" in html


def test_correspondent_county_filter_lists_only_her_county(client, staff):
    make_article(county_union=county("binhai"))
    make_article(county_union=staff["union"])
    client.force_login(staff["writer"])
    response = client.get(CHANGELIST)
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "县级工会")
    assert [name for _pk, name in spec.lookup_choices] == [str(staff["union"])]
    # Stories of no county are not hers to look for.
    assert "county_union__isnull=True" not in response.content.decode()


def test_editor_county_filter_names_stories_of_no_county(client, staff):
    federation = make_article(county_union=None, title="市总工会召开全委会")
    make_article(county_union=staff["union"])
    client.force_login(staff["editor"])
    html = client.get(CHANGELIST).content.decode()
    assert '<a href="?county_union__isnull=True">无县级工会</a>' in html
    response = client.get(CHANGELIST + "?county_union__isnull=True")
    assert [row.pk for row in response.context["cl"].result_list] == [federation.pk]


def test_editor_county_filter_lists_all_nine(client, staff):
    client.force_login(staff["editor"])
    response = client.get(CHANGELIST)
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "县级工会")
    assert len(spec.lookup_choices) == 9


def test_recover_deleted_is_offered_to_editors_only(client, staff):
    client.force_login(staff["writer"])
    assert "recoverlink" not in client.get(CHANGELIST).content.decode()
    client.force_login(staff["editor"])
    assert "recoverlink" in client.get(CHANGELIST).content.decode()


def test_refused_admin_page_is_chinese_in_the_admin_frame(client, staff):
    client.force_login(staff["writer"])
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html and "盐城工会 稿件管理" in html
    assert "Forbidden" not in html


def test_missing_admin_page_is_chinese_in_the_admin_frame(client, staff):
    client.force_login(staff["writer"])
    response = client.get("/admin/articles/article/999999/history/")
    assert response.status_code in {302, 404}
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "盐城工会 稿件管理" in html


def test_reader_403_stays_on_the_site_frame(client, staff):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from articles.admin_errors import permission_denied

    request = RequestFactory().get("/some/page/")
    request.user = staff["editor"]
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_photo_list_warns_on_placeholders(client, staff):
    make_photo("占位图", awaiting_original=True)
    make_photo("真图")
    client.force_login(staff["photographer"])
    html = client.get("/admin/articles/photo/").content.decode()
    assert "⚠ 待补原图" in html
    assert "✓ 已有原图" in html


def test_admin_is_branded(client, staff):
    client.force_login(staff["writer"])
    html = client.get("/admin/").content.decode()
    assert "盐城工会 稿件管理" in html
    assert "Django" not in html


def test_display_name_prefers_the_author_name(db):
    user = make_user("wangfang")
    assert display_name(user) == "wangfang"
    user.last_name, user.first_name = "王", "芳"
    assert display_name(user) == "王芳"
    Author.objects.create(name="王小芳", user=user)
    user = type(user).objects.get(pk=user.pk)
    assert display_name(user) == "王小芳"


def test_workflow_mail_names_people_by_display_name(staff):
    Author.objects.filter(user=staff["editor"]).update(name="周编辑")
    staff["writer"].email = "w@example.com"
    staff["writer"].save()
    editor = type(staff["editor"]).objects.get(pk=staff["editor"].pk)
    staff["editor"] = editor
    mail.outbox.clear()
    returned_story(staff)
    returned_mail = mail.outbox[-1]
    assert "周编辑" in returned_mail.body
    assert "zhoubian" not in returned_mail.body


def test_return_comment_is_at_the_top_of_the_form(client, staff):
    article = returned_story(staff)
    client.force_login(staff["writer"])
    html = client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    # First thing in the form, before any field.
    note = html.index('id="return-note"')
    assert html.index('id="article_form"') < note < html.index('id="id_title"')
    assert "请补充参会人数。" in html[note : html.index('id="id_title"')]


@pytest.mark.parametrize("rows", [3, 30])
# A correspondent's county comes with her user (security.auth.StaffBackend).
@pytest.mark.parametrize("role, queries", [("editor", 10), ("writer", 10)])
def test_article_list_queries_do_not_grow_with_rows(
    client, staff, django_assert_num_queries, rows, role, queries
):
    """Badges (退回修改 included) come from the list's own query; counties and
    the status filter add none per row."""
    for n in range(rows):
        if n % 3 == 0:
            returned_story(staff)
        else:
            make_article(county_union=staff["union"], created_by=staff["writer"])
    client.force_login(staff[role])
    with django_assert_num_queries(queries):
        response = client.get(CHANGELIST)
    assert response.content.decode().count("status-badge status-returned") == len(
        range(0, rows, 3)
    )


def test_my_articles_puts_returned_stories_first(staff):
    from articles.desk import my_articles

    writer = staff["writer"]
    make_article(title="已发的", county_union=staff["union"], created_by=writer)
    waiting = make_article(
        title="待审的", status="draft", days_ago=None, created_by=writer
    )
    waiting.submit(by=writer)
    make_article(title="草稿", status="draft", days_ago=None, created_by=writer)
    returned_story(staff, title="退回的")
    make_article(title="别人的", status="draft", days_ago=None)
    titles = [article.title for article in my_articles(writer)]
    assert titles == ["退回的", "草稿", "待审的", "已发的"]


def test_editor_deletes_a_returned_draft_from_the_list(client, staff):
    article = returned_story(staff)
    client.force_login(staff["editor"])
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Article.objects.filter(pk=article.pk).exists() is False


def test_a_story_the_writer_may_only_view_shows_its_body_as_it_reads(client, staff):
    """After 提交审核 the correspondent's form is read-only: the body is shown
    as formatted text (sanitized again), not as its HTML source."""
    article = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=staff["union"],
        created_by=staff["writer"],
        body="<p>第一段<strong>加粗</strong></p><ul><li>电工</li></ul>",
    )
    article.submit(by=staff["writer"])
    client.force_login(staff["writer"])
    response = client.get(f"{CHANGELIST}{article.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;p&gt;" not in page
    assert '<div class="body-view"><p>第一段<strong>加粗</strong></p>' in page
    assert "<li>电工</li>" in page
    # An editor, who may change it, still gets the body editor.
    client.force_login(staff["editor"])
    page = client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert 'name="body"' in page
    assert "body-view" not in page


def test_photo_and_author_county_filters_name_the_empty_choice(client, staff):
    """Photos and authors of no county union, and photos credited to nobody:
    the filters name them instead of the stock bare "-"."""
    make_photo(caption="批量上传，未署名")
    make_photo(caption="职工技能大赛", credits=[Author.objects.get(name="qinxj")])
    client.force_login(staff["photographer"])
    page = client.get("/admin/articles/photo/").content.decode()
    assert '?county_union__isnull=True">无县级工会</a>' in page
    assert '?credits__isnull=True">无摄影署名</a>' in page
    assert 'isnull=True">-</a>' not in page
    page = client.get("/admin/articles/author/").content.decode()
    assert '?county_union__isnull=True">无县级工会</a>' in page
    assert 'isnull=True">-</a>' not in page
