"""Workflow buttons save what is typed; two editors do not undo each other.

Issue 16: a correspondent changed a title and pressed 提交审核 without 保存,
and the change was gone. Now every workflow button saves the form as it
stands first. Two editors on one story: the second save is refused, shows
the first editor's changes field by field, and saving again keeps them.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article, ArticleTransition
from tests.factories import county, make_article, make_staff


def change_path(article):
    return f"/admin/articles/article/{article.pk}/change/"


def type_in_body(page, text):
    """Type at the end of the body in the rich-text editor."""
    page.wait_for_selector("#id_body_ifr")
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def press(tab, move, comment=None):
    page = tab.page
    if comment is not None:
        page.fill("#workflow textarea[name=comment]", comment)
    page.locator(f"#workflow button[name=_workflow][value={move}]").click()


@pytest.fixture
def writer(db):
    return make_staff("correspondent", union=county("xiangshui"))


def test_submit_without_saving_keeps_the_typed_title(tab, writer):
    article = make_article(
        status=Article.Status.DRAFT,
        county_union=county("xiangshui"),
        created_by=writer,
        title="响水县职工运动会",
        days_ago=None,
    )
    tab.log_in(writer)
    tab.goto(change_path(article))
    page = tab.page
    page.fill("#id_title", "响水县第五届职工运动会开幕")
    tab.screenshot("typed-title-not-saved")
    press(tab, "submit")
    expect(page.locator(".messagelist .success")).to_contain_text("已保存，提交审核")
    tab.screenshot("submitted")
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "响水县第五届职工运动会开幕"
    assert saved.status == Article.Status.REVIEW
    tab.assert_clean()


@pytest.mark.parametrize(
    ("move", "comment", "action"),
    [
        ("publish", None, ArticleTransition.Action.PUBLISH),
        ("return", "请补充参赛人数。", ArticleTransition.Action.RETURN),
    ],
)
def test_editor_moves_save_the_typed_body(tab, move, comment, action):
    article = make_article(
        status=Article.Status.REVIEW, days_ago=None, body="<p>比赛在体育馆举行。</p>"
    )
    tab.log_in(make_staff("editor"))
    tab.goto(change_path(article))
    type_in_body(tab.page, "共有三百名职工参赛。")
    press(tab, move, comment)
    expect(tab.page.locator(".messagelist .success")).to_be_visible()
    tab.screenshot(f"{move}-done")
    saved = Article.objects.get(pk=article.pk)
    assert "共有三百名职工参赛。" in saved.body
    assert saved.transitions.get().action == action
    tab.assert_clean()


def test_refused_return_keeps_everything_typed(tab):
    article = make_article(status=Article.Status.REVIEW, days_ago=None, title="旧标题")
    tab.log_in(make_staff("editor"))
    tab.goto(change_path(article))
    page = tab.page
    page.fill("#id_title", "编辑改过的标题")
    press(tab, "return", comment="")  # 退回修改 needs a comment: refused
    expect(page.locator(".workflow-refused")).to_contain_text("没有退回修改")
    expect(page.locator("#article_form .errorlist")).to_contain_text("修改意见")
    assert page.input_value("#id_title") == "编辑改过的标题"
    tab.screenshot("return-refused")
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status) == ("旧标题", Article.Status.REVIEW)

    press(tab, "return", comment="导语太长。")
    expect(page.locator(".messagelist .success")).to_be_visible()
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.desk_status) == (
        "编辑改过的标题",
        Article.DeskStatus.RETURNED,
    )
    tab.assert_clean()


def two_editors_open(open_tab, viewport, article):
    """Tabs a (王芳) and b (another editor), each with the article open."""
    first, second = make_staff("editor"), make_staff("editor")
    for user, name in [(first, "王芳"), (second, "刘静")]:
        user.author.name = name
        user.author.save()
    a, b = open_tab(viewport, "a"), open_tab(viewport, "b")
    for tab, user in [(a, first), (b, second)]:
        tab.log_in(user)
        tab.goto(change_path(article))
        tab.page.wait_for_selector("#id_body_ifr")
    return a, b


def save_title(tab, title):
    tab.page.fill("#id_title", title)
    tab.page.click("input[name=_continue]")
    expect(tab.page.locator(".messagelist .success")).to_be_visible()


def test_two_editors_keep_each_others_changes(open_tab, viewport):
    article = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        title="盐城市总工会召开全委会",
        body="<p>会议在盐城召开。</p>",
    )
    a, b = two_editors_open(open_tab, viewport, article)
    # Each sees the other by display name: b at once, a at its next heartbeat.
    expect(b.page.locator("#editing-presence")).to_contain_text("王芳 正在编辑")
    expect(a.page.locator("#editing-presence")).to_contain_text(
        "刘静 正在编辑", timeout=25_000
    )
    save_title(a, "盐城市总工会召开十三届全委会")

    type_in_body(b.page, "会议审议了工作报告。")
    b.page.click("input[name=_continue]")
    conflicts = b.page.locator("#edit-conflicts")
    expect(b.page.locator("#article_form .errorlist")).to_contain_text("王芳")
    expect(conflicts).to_contain_text("王芳 改动了下列栏目")
    expect(conflicts.locator("tr.conflict-title .theirs")).to_contain_text(
        "十三届全委会"
    )
    assert b.page.input_value("#id_title") == "盐城市总工会召开十三届全委会"
    conflicts.scroll_into_view_if_needed()
    b.screenshot("refused-with-conflicts")

    b.page.click("input[name=_continue]")
    expect(b.page.locator(".messagelist .success")).to_be_visible()
    b.screenshot("saved-again")
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "盐城市总工会召开十三届全委会"
    assert "会议审议了工作报告。" in saved.body
    a.assert_clean()
    b.assert_clean()


def test_a_field_both_changed_is_the_users_choice(open_tab, viewport):
    article = make_article(status=Article.Status.DRAFT, days_ago=None, title="原标题")
    a, b = two_editors_open(open_tab, viewport, article)
    save_title(a, "王芳的标题")

    b.page.fill("#id_title", "我的标题")
    b.page.click("input[name=_continue]")
    row = b.page.locator("#edit-conflicts tr.conflict-title")
    expect(row.locator(".yours")).to_contain_text("我的标题")
    expect(row.locator("input[value=mine]")).to_be_checked()
    assert b.page.input_value("#id_title") == "我的标题"  # nothing typed is lost
    row.get_by_label("采用对方的").check()
    row.scroll_into_view_if_needed()
    b.screenshot("both-changed-choosing")
    b.page.click("input[name=_continue]")
    expect(b.page.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get(pk=article.pk).title == "王芳的标题"
    a.assert_clean()
    b.assert_clean()
