"""Preview links in a real browser: an editor makes one on the change form,
a leader with no account opens it, sees an edit once it is saved, and gets
"页面不存在" after the editor revokes it. Phone and desktop."""

import re

from playwright.sync_api import expect

from articles.models import Article
from previews.models import PreviewLink
from tests.factories import county, make_article, make_staff

SAVED_TITLE = "东台市总工会举办职工技能大赛"
NEW_TITLE = "东台市总工会举办第三届职工技能大赛"


def test_a_leader_reads_a_draft_through_a_preview_link(open_tab, viewport, db):
    editor = make_staff("editor")
    editor.author.name = "王芳"
    editor.author.save()
    article = make_article(
        status=Article.Status.REVIEW,
        days_ago=None,
        title=SAVED_TITLE,
        body="<p>来自全市的两百名职工参加了比赛。</p>",
        county_union=county("dongtai"),
    )

    desk = open_tab(viewport, "editor")
    desk.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=desk.origin
    )
    desk.log_in(editor)
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    page = desk.page
    module = page.locator("#preview-links")
    expect(module).to_contain_text("还没有预览链接")
    # Typed but not saved: making a link must not lose it.
    page.fill("#id_title", NEW_TITLE)
    module.scroll_into_view_if_needed()
    desk.screenshot("before-creating")

    page.fill("#id_preview_days", "3")
    page.get_by_role("button", name="创建预览链接").click()
    expect(module.locator(".preview-links-status")).to_contain_text("已创建预览链接")
    field = module.locator(".preview-link-url")
    expect(field).to_have_count(1)
    assert page.input_value("#id_title") == NEW_TITLE
    expect(module).to_contain_text("王芳 创建于")
    expect(module).to_contain_text("有效")
    link = PreviewLink.objects.get(article=article)
    url = field.input_value()
    assert url == desk.origin + link.get_absolute_url()
    page.get_by_role("button", name="复制链接").click()
    expect(module.locator(".preview-links-status")).to_have_text("已复制链接。")
    assert page.evaluate("navigator.clipboard.readText()") == url
    desk.screenshot("link-created")
    problems = desk.axe("admin change form with preview links")
    assert not problems, "\n".join(problems)

    leader = open_tab(viewport, "leader")
    response = leader.goto(link.get_absolute_url())
    assert response.headers["x-robots-tag"] == "noindex"
    assert "no-store" in response.headers["cache-control"]
    reader = leader.page
    expect(reader.locator(".preview-link-banner")).to_contain_text(
        re.compile(r"预览 · 尚未发布 · 链接有效期至 \S")
    )
    expect(reader.locator('meta[name="robots"]')).to_have_attribute(
        "content", "noindex"
    )
    # The saved text, not what the editor has typed since.
    expect(reader.locator("h1")).to_have_text(SAVED_TITLE)
    expect(reader.locator(".article-body")).to_contain_text("两百名职工")
    leader.screenshot("preview")
    problems = leader.axe("preview page")
    assert not problems, "\n".join(problems)

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    for _ in range(2):
        leader.goto(link.get_absolute_url())
        expect(reader.locator("h1")).to_have_text(NEW_TITLE)
    leader.screenshot("preview-after-edit")

    module.scroll_into_view_if_needed()
    module.get_by_role("button", name="撤销").click()
    expect(module.locator(".preview-links-status")).to_contain_text("已撤销预览链接")
    expect(module).to_contain_text("已撤销")
    expect(module.locator(".preview-link-url")).to_have_count(0)
    desk.screenshot("link-revoked")

    leader.assert_clean()
    gone = reader.goto(desk.origin + link.get_absolute_url())
    assert gone.status == 404
    assert "no-store" in gone.headers["cache-control"]
    expect(reader.locator("main")).to_contain_text("页面不存在")
    leader.screenshot("revoked-link")
    desk.assert_clean()
    # The one problem the browser reports is the 404 itself.
    assert [problem for problem in leader.problems() if "404" not in problem] == []
