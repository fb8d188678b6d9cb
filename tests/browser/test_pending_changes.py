"""In a browser: an editor's edit of a live story waits for 更新发布.

A reader in another browser context keeps seeing the published text (through
the page cache, as readers do) until the editor presses 更新发布.
"""

from playwright.sync_api import expect

from articles.models import Article, PendingChange
from tests.factories import county, make_article, make_author, make_staff

TITLE = "射阳县总工会开展职工技能竞赛"
TEST_LINE = "编辑的测试句子，不该马上给读者看到。"


def test_a_live_story_changes_for_readers_only_on_update_publish(open_tab, viewport):
    story = make_article(
        title=TITLE,
        body="<p>竞赛吸引了全县三百多名职工参加。</p>",
        county_union=county("sheyang"),
        authors=[make_author("刘静")],
    )
    reader = open_tab(viewport, "reader")
    reader.goto(story.get_absolute_url())
    expect(reader.page.locator("article h1")).to_have_text(TITLE)

    editor = open_tab(viewport, "editor")
    editor.log_in(make_staff("editor"))
    page = editor.page
    editor.goto(f"/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector("#id_body_ifr")
    expect(page.locator("#pending-note")).to_contain_text("此稿件已发布")
    editor.screenshot("live-story-form")

    page.fill("#id_title", "射阳县职工技能竞赛圆满结束")
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(TEST_LINE)
    page.click(".submit-row input[name=_continue]")
    page.wait_for_selector(".messagelist .warning")
    note = page.locator("#pending-note")
    expect(note).to_contain_text("此稿件有未发布的修改")
    expect(note.locator("#pending-publish")).to_be_visible()
    expect(note.get_by_role("link", name="放弃修改")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("射阳县职工技能竞赛圆满结束")
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_contain_text(TEST_LINE)
    editor.screenshot("pending-saved")
    problems = editor.axe("admin change form with a pending change")
    assert not problems, "\n".join(problems)

    # Readers: the published page, the county page, unchanged.
    reader.page.reload()
    expect(reader.page.locator("article h1")).to_have_text(TITLE)
    expect(reader.page.locator("article")).not_to_contain_text(TEST_LINE)
    reader.screenshot("still-published")
    reader.goto(county("sheyang").get_absolute_url())
    expect(reader.page.locator("main")).not_to_contain_text("圆满结束")

    # The desk lists it; compare shows live beside pending.
    editor.goto("/admin/")
    expect(page.locator("#desk-pending")).to_contain_text(TITLE)
    editor.screenshot("desk")
    page.locator("#desk-pending a", has_text=TITLE).click()
    page.locator("#pending-note").get_by_role("link", name="比较线上版本与修改").click()
    expect(page.locator("#revision-compare tr.changed")).to_have_count(2)
    expect(page.locator("#revision-compare ins").first).to_be_visible()
    editor.screenshot("compare")
    page.get_by_role("link", name="返回稿件").click()

    # Staff preview: the article page as it will be, marked as a preview.
    with page.expect_popup() as opened:
        page.locator("#pending-note").get_by_role("link", name="预览修改").click()
    preview = editor.popup(opened.value)
    expect(preview.locator(".preview-banner")).to_contain_text("未发布的修改")
    expect(preview.locator("article h1")).to_have_text("射阳县职工技能竞赛圆满结束")
    editor.screenshot("preview", preview)
    preview.close()

    page.wait_for_selector("#id_body_ifr")
    page.click("#pending-publish")
    page.wait_for_selector(".messagelist .success")
    expect(page.locator(".messagelist")).to_contain_text("已更新发布")
    expect(page.locator("#pending-note")).to_contain_text("此稿件已发布")
    editor.screenshot("published")
    assert PendingChange.objects.filter(article=story).exists() is False
    assert TEST_LINE in Article.objects.get(pk=story.pk).body

    reader.goto(story.get_absolute_url())
    expect(reader.page.locator("article h1")).to_have_text("射阳县职工技能竞赛圆满结束")
    expect(reader.page.locator("article")).to_contain_text(TEST_LINE)
    reader.screenshot("updated")
    reader.assert_clean()
    editor.assert_clean()


def test_discarding_a_pending_change_asks_first(tab):
    story = make_article(title=TITLE, body="<p>原来的正文。</p>")
    tab.log_in(make_staff("editor"))
    page = tab.page
    tab.goto(f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_title", "不要的修改")
    page.click(".submit-row input[name=_continue]")
    page.wait_for_selector(".messagelist .warning")

    page.locator("#pending-note").get_by_role("link", name="放弃修改").click()
    expect(page.locator(".pending-confirm")).to_contain_text("确定放弃")
    tab.screenshot("discard-confirm")
    page.get_by_role("button", name="确定放弃修改").click()
    page.wait_for_selector(".messagelist .success")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#pending-note")).to_contain_text("此稿件已发布")
    tab.screenshot("discarded")
    assert PendingChange.objects.filter(article=story).exists() is False
    tab.assert_clean()
