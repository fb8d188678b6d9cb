"""The editors' desk on a phone and a desktop (issue 22, part A).

An editor reads the article list (title on at most two lines, status badges;
cards without sideways scrolling on a phone) and opens a story whose buttons
stay on screen; a correspondent finds her returned story first on her admin
index and the editor's note at the top of its form.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import checks
from tests.factories import county, make_article, make_author, make_staff

COMMENT = "请补充参会人数，并写明活动地点。"
LONG_TITLE = "盐都区总工会举办“建功十四五·奋进新征程”职工职业技能竞赛暨劳模工匠进车间系列活动启动仪式"


@pytest.fixture
def desk(seeded):
    union = county("yandu")
    editor = make_staff("editor", username="zhoubian")
    writer = make_staff("correspondent", union=union, username="wangfang")
    Article.objects.filter(pk__gt=0).update(county_union=union)
    returned = make_article(
        title=LONG_TITLE,
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=union,
        created_by=writer,
        authors=[make_author("王芳", county_union=union), make_author("李晓")],
    )
    returned.submit(by=writer)
    returned.return_to_writer(by=editor, comment=COMMENT)
    waiting = make_article(
        title="盐都区职工书屋新添图书三千册",
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=union,
        created_by=writer,
    )
    waiting.submit(by=writer)
    make_article(title="定时发布的通知", days_ago=-1, county_union=union)
    return {"editor": editor, "writer": writer, "returned": returned}


def line_count(page, selector):
    """How many lines the tallest of these elements' text takes."""
    return page.evaluate(
        """sel => Math.max(...Array.from(document.querySelectorAll(sel)).map(el => {
             const lh = parseFloat(getComputedStyle(el).lineHeight);
             return Math.round(el.getBoundingClientRect().height / lh);
           }))""",
        selector,
    )


def test_article_list_reads_well(open_tab, viewport, desk):
    tab = open_tab(viewport, "editor")
    tab.log_in(desk["editor"])
    tab.goto("/admin/articles/article/")
    page = tab.page
    badge = page.locator("#result_list .status-badge.status-returned")
    expect(badge).to_have_text("退回修改")
    expect(page.locator("#result_list .status-scheduled")).to_have_text("定时")
    assert line_count(page, "#result_list .field-title a") <= 2
    problems = checks.horizontal_overflow(page) + tab.axe(
        f"admin article list ({viewport})"
    )
    tab.screenshot("article-list")
    if viewport == "phone":
        # A card: the title spans the card, the badge sits under it.
        title = page.locator("#result_list tr", has_text=LONG_TITLE).locator(
            ".field-title"
        )
        assert title.bounding_box()["width"] > 250
    page.click("#changelist-filter a[href*='status__exact=returned']")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    tab.screenshot("filtered-returned")
    tab.assert_clean()
    assert not problems, "\n".join(problems)


def test_change_form_keeps_its_buttons_in_reach(open_tab, viewport, desk):
    tab = open_tab(viewport, "correspondent")
    tab.log_in(desk["writer"])
    tab.goto("/admin/")
    page = tab.page
    first = page.locator("#my-articles tbody tr").first
    expect(first).to_contain_text("退回修改")
    problems = checks.horizontal_overflow(page)
    assert not problems, "\n".join(problems)
    tab.screenshot("index")
    first.locator("a").click()
    page.wait_for_selector("#id_body_ifr")
    note = page.locator("#return-note")
    expect(note).to_contain_text(COMMENT)
    assert note.bounding_box()["y"] < page.viewport_size["height"]
    # 保存 is on screen before any scrolling, and stays there half-way down.
    save = page.locator("#article_form .submit-row input[name=_save]")
    for scroll in (0, 1200):
        page.evaluate("y => window.scrollTo(0, y)", scroll)
        box = save.bounding_box()
        assert (
            0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]
        )
    page.evaluate("() => window.scrollTo(0, 0)")
    # The editor's toolbar shows its main buttons, in Chinese.
    expect(page.locator(".tox-editor-header button[aria-label='引用']")).to_be_visible()
    expect(page.locator(".tox-editor-header button[aria-label='粗体']")).to_be_visible()
    problems = checks.horizontal_overflow(page) + tab.axe(
        f"admin article change form ({viewport})"
    )
    tab.screenshot("change-form")
    # What the screen shows, sticky bar included (full-page shots move it).
    page.screenshot(path=tab.folder / f"{viewport}-form-viewport.png")
    page.click(".submit-row a.workflow-jump")
    expect(page.locator("#workflow")).to_be_in_viewport()
    tab.screenshot("workflow-jump")
    tab.assert_clean()
    assert not problems, "\n".join(problems)


def test_notifications_in_the_header(open_tab, viewport, desk):
    tab = open_tab(viewport, "correspondent")
    tab.log_in(desk["writer"])
    tab.goto("/admin/")
    page = tab.page
    count = page.locator("#notice-link .notice-count")
    expect(count).to_be_visible()
    expect(count.locator(".count")).to_have_text("1")
    page.click("#notice-link")
    row = page.locator("#result_list a.notice.unread")
    expect(row).to_contain_text("退回了您的稿件")
    problems = checks.horizontal_overflow(page) + tab.axe(
        f"admin notifications ({viewport})"
    )
    tab.screenshot("notifications")
    row.click()
    expect(page.locator("#return-note")).to_contain_text(COMMENT)
    expect(count).to_be_hidden()
    tab.assert_clean()
    assert not problems, "\n".join(problems)
