"""Nothing typed is lost, and editors see each other (editing app), in Chromium.

Type, close the tab, reopen: 恢复未保存的内容 brings the text back, 放弃
removes it; leaving with unsaved changes asks; a failed autosave retries and
says so; two editors on one story see each other until one closes the tab.
"""

import json
import re
import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from articles.models import Article
from editing.models import Autosave, EditingSession
from tests.browser import checks
from tests.factories import county, make_article, make_author, make_staff

TITLE = "射阳县总工会慰问一线职工"
TYPED_TITLE = "射阳县总工会冒雪慰问一线环卫职工"
TYPED_BODY = "慰问组一行走访了六个环卫站点。"
# Idle pause (5 s) and a tick (2 s) after the last keystroke, with room.
AUTOSAVE_WAIT_MS = 20_000


def named_staff(role, username, name, union=None):
    user = make_staff(role, username=username, union=union)
    user.author.name = name
    user.author.save()
    return user


@pytest.fixture
def story(db):
    union = county("sheyang")
    make_author("李晓", county_union=union)
    return {
        "wang": named_staff("editor", "wangfang", "王芳"),
        "liu": named_staff("editor", "liujing", "刘静"),
        "article": make_article(
            title=TITLE,
            status=Article.Status.DRAFT,
            days_ago=None,
            county_union=union,
            body="<p>十二月，射阳县总工会走访慰问。</p>",
        ),
    }


def change_path(article):
    return f"/admin/articles/article/{article.pk}/change/"


def open_form(tab, path):
    tab.goto(path)
    tab.page.wait_for_selector("#id_body_ifr")
    # TinyMCE is up once its iframe has a body with the story in it.
    tab.page.frame_locator("#id_body_ifr").locator("body p").first.wait_for()


def reopen(tab, path):
    """A new tab in the same browser (still logged in) on path."""
    tab.page = tab.popup(tab.context.new_page())
    open_form(tab, path)


def type_changes(tab):
    page = tab.page
    page.click("#id_title")
    page.keyboard.press("End")
    page.fill("#id_title", TYPED_TITLE)
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(TYPED_BODY)


def choose(page, select_id, search, option_text):
    """Pick a value in an admin autocomplete (select2) box by typing."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def screen(tab, name):
    """What the screen shows, the sticky button row and its status line
    included (full-page screenshots move it)."""
    tab.page.locator("#id_body_ifr").scroll_into_view_if_needed()
    tab.page.screenshot(path=tab.folder / f"{tab.viewport}-{name}-screen.png")


def from_db(query):
    """query() once the live server lets go of the table.

    On SQLite the live server and the test share one in-memory database;
    a heartbeat landing during the test's read locks the table for a moment.
    """
    for _attempt in range(30):
        try:
            return query()
        except OperationalError:
            time.sleep(0.1)
    return query()


def close_all(*tabs):
    """Leave every page while the test's data is there: a leave signal sent
    as the fixture closes the browser would reach a flushed database."""
    for tab in tabs:
        page = tab.page
        if page.is_closed():
            continue
        # What the tab's pagehide does (a keepalive request, out of
        # Playwright's sight); the real pagehide at close sends nothing more.
        page.evaluate("() => window.dispatchEvent(new Event('pagehide'))")
        page.close()
    # Up to 15 s: on a loaded machine the leave request can wait its turn.
    for _attempt in range(150):
        if not from_db(lambda: EditingSession.objects.exists()):
            return
        time.sleep(0.1)
    raise AssertionError("a closed tab still counts as editing")


def status_line(page):
    return page.locator("#article_form .submit-row #autosave-status")


def test_type_close_reopen_and_restore(open_tab, viewport, story):
    article = story["article"]
    tab = open_tab(viewport, "editor")
    tab.log_in(story["wang"])
    open_form(tab, change_path(article))
    type_changes(tab)
    choose(tab.page, "id_bylines-0-author", "李晓", "李晓")
    expect(status_line(tab.page)).to_contain_text(
        "已自动保存", timeout=AUTOSAVE_WAIT_MS
    )
    tab.screenshot("autosaved")
    screen(tab, "autosaved")
    tab.assert_clean()
    close_all(tab)

    reopen(tab, change_path(article))
    page = tab.page
    offer = page.locator("#autosave-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    problems = checks.horizontal_overflow(page) + tab.axe(
        f"article form with the autosave offer ({viewport})"
    )
    tab.screenshot("offer")
    page.click("#autosave-restore")
    expect(offer).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value(TYPED_TITLE)
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_contain_text(
        TYPED_BODY
    )
    expect(page.locator("#bylines-group .select2-selection__rendered").first).to_contain_text(
        "李晓"
    )
    expect(status_line(page)).to_contain_text("已恢复未保存的内容")
    tab.screenshot("restored")
    # Restoring only fills the form: the story is as it was until 保存.
    assert from_db(lambda: Article.objects.get(pk=article.pk).title) == TITLE
    page.click("#article_form input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    expect(page.locator("#autosave-offer")).to_have_count(0)
    tab.screenshot("saved")
    tab.assert_clean()
    close_all(tab)
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == TYPED_TITLE
    assert TYPED_BODY in saved.body
    assert [a.name for a in saved.authors.all()] == ["李晓"]
    assert Autosave.objects.exists() is False
    assert not problems, "\n".join(problems)


def test_the_add_form_keeps_a_new_story(open_tab, viewport, story):
    tab = open_tab(viewport, "editor")
    tab.log_in(story["wang"])
    tab.goto("/admin/articles/article/add/")
    page = tab.page
    page.wait_for_selector("#id_body_ifr")
    # A new story's byline starts with its writer.
    expect(page.locator("#id_bylines-0-author + .select2")).to_contain_text("王芳")
    page.click("#id_title")
    page.keyboard.type(TYPED_TITLE)
    page.frame_locator("#id_body_ifr").locator("body").click()
    page.keyboard.type(TYPED_BODY)
    expect(status_line(page)).to_contain_text("已自动保存", timeout=AUTOSAVE_WAIT_MS)
    page.close()
    tab.page = tab.popup(tab.context.new_page())
    tab.goto("/admin/articles/article/add/")
    page = tab.page
    page.click("#autosave-restore")
    expect(page.locator("#id_title")).to_have_value(TYPED_TITLE)
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_contain_text(
        TYPED_BODY
    )
    expect(page.locator("#id_bylines-0-author + .select2")).to_contain_text("王芳")
    tab.screenshot("new-story-restored")
    tab.assert_clean()
    close_all(tab)


def test_discard_removes_the_autosave(open_tab, viewport, story):
    article = story["article"]
    Autosave.objects.create(
        user=story["wang"],
        article=article,
        content=json.dumps({"fields": [["title", "不要了的标题"]]}),
    )
    tab = open_tab(viewport, "editor")
    tab.log_in(story["wang"])
    open_form(tab, change_path(article))
    page = tab.page
    expect(page.locator("#autosave-offer")).to_be_visible()
    page.click("#autosave-discard")
    expect(page.locator("#autosave-offer")).to_have_count(0)
    expect(status_line(page)).to_contain_text("已放弃")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    tab.screenshot("discarded")
    assert from_db(lambda: Autosave.objects.exists()) is False
    open_form(tab, change_path(article))
    expect(page.locator("#autosave-offer")).to_have_count(0)
    tab.assert_clean()
    close_all(tab)


def test_leaving_with_unsaved_changes_asks_first(open_tab, viewport, story):
    article = story["article"]
    tab = open_tab(viewport, "editor")
    tab.log_in(story["wang"])
    open_form(tab, change_path(article))
    page = tab.page
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    type_changes(tab)
    page.locator("#site-name a, .breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change_path(article))
    expect(page.locator("#id_title")).to_have_value(TYPED_TITLE)
    # Saving is no leaving: no question, and the change is saved.
    page.click("#article_form input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert dialogs == ["beforeunload"]
    assert from_db(lambda: Article.objects.get(pk=article.pk).title) == TYPED_TITLE
    # A saved form leaves without asking.
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_url(re.compile(r"/admin/(articles/article/)?(\?.*)?$"))
    assert dialogs == ["beforeunload"]
    tab.assert_clean()
    close_all(tab)


def test_a_failed_autosave_retries_and_says_so(open_tab, viewport, story):
    article = story["article"]
    tab = open_tab(viewport, "editor")
    tab.log_in(story["wang"])
    open_form(tab, change_path(article))
    page = tab.page
    failed = []

    def drop_once(route):
        if not failed:
            failed.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r".*/editing/\d+/autosave/$"), drop_once)
    type_changes(tab)
    expect(status_line(page)).to_contain_text(
        "自动保存失败，正在重试…", timeout=AUTOSAVE_WAIT_MS
    )
    tab.screenshot("retrying")
    screen(tab, "retrying")
    expect(status_line(page)).to_contain_text("已自动保存", timeout=AUTOSAVE_WAIT_MS)
    tab.screenshot("retried")
    screen(tab, "retried")
    assert len(failed) == 1
    kept = from_db(lambda: Autosave.objects.get(user=story["wang"], article=article))
    assert ["title", TYPED_TITLE] in kept.fields
    # The dropped request is the only complaint in the console.
    problems = [p for p in tab.problems() if "autosave" not in p]
    close_all(tab)
    assert not problems, "\n".join(problems)


def test_two_editors_see_each_other(open_tab, viewport, story):
    article = story["article"]
    first = open_tab(viewport, "wang")
    first.log_in(story["wang"])
    open_form(first, change_path(article))
    second = open_tab(viewport, "liu")
    second.log_in(story["liu"])
    open_form(second, change_path(article))
    # The second sees the first as the page opens; the first sees the
    # second at its next heartbeat.
    expect(second.page.locator("#editing-presence")).to_contain_text(
        "王芳 正在编辑（刚刚）"
    )
    expect(first.page.locator("#editing-presence")).to_contain_text(
        "刘静 正在编辑", timeout=25_000
    )
    page_text = first.page.locator("#editing-presence").inner_text()
    assert "liujing" not in page_text
    problems = checks.horizontal_overflow(first.page)
    first.screenshot("sees-liu")
    screen(first, "sees-liu")
    second.screenshot("sees-wang")
    screen(second, "sees-wang")
    # Closing the tab: gone at the first one's next heartbeat (the leave
    # signal), within a minute even without it.
    second.page.close()
    expect(first.page.locator("#editing-presence")).to_be_hidden(timeout=65_000)
    first.screenshot("liu-gone")
    first.assert_clean()
    close_all(first)
    assert not problems, "\n".join(problems)
