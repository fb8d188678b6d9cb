"""保存并提交审核 on the add form, in Chromium on a phone and a desktop.

A correspondent writes a new story and hands it over with one button: it is
created and submitted, the page does not ask about leaving, and the
new-story autosave is gone.
"""

from playwright.sync_api import expect

from articles.models import Article
from editing.models import Autosave
from review.models import Term
from tests.browser import checks
from tests.browser.test_autosave import (
    AUTOSAVE_WAIT_MS,
    close_all,
    from_db,
    status_line,
)
from tests.factories import county, make_section, make_staff

TITLE = "滨海县总工会举办职工书法比赛"
BODY = "比赛吸引了全县两百余名职工参加。"


def row_screen(tab, name):
    """The screen as the writer sees it, the sticky button row at its foot."""
    path = tab.folder / f"{tab.viewport}-{name}-screen.png"
    tab.page.screenshot(path=path)
    return path


def test_correspondent_saves_and_submits_a_new_story(open_tab, viewport, db):
    section = make_section(name="基层动态")
    writer = make_staff("correspondent", union=county("binhai"))
    writer.author.name = "陈静"
    writer.author.save()
    tab = open_tab(viewport, "correspondent")
    tab.log_in(writer)
    tab.goto("/admin/articles/article/add/")
    page = tab.page
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.wait_for_selector("#id_body_ifr")
    expect(page.locator("#id_bylines-0-author + .select2")).to_contain_text("陈静")
    # The county union the story will belong to, shown before the first save.
    expect(page.locator(".field-county_union .readonly")).to_have_text(
        str(county("binhai"))
    )
    page.fill("#id_title", TITLE)
    page.select_option("#id_section", label=section.name)
    page.frame_locator("#id_body_ifr").locator("body").click()
    page.keyboard.type(BODY)
    expect(status_line(page)).to_contain_text("已自动保存", timeout=AUTOSAVE_WAIT_MS)
    assert from_db(lambda: Autosave.objects.filter(user=writer).count()) == 1

    # The button sits in the sticky row beside 保存, whole and on screen.
    row = page.locator("#article_form .submit-row")
    save = row.locator("input[name=_save]")
    button = row.get_by_role("button", name="保存并提交审核")
    expect(button).to_be_visible()
    row_screen(tab, "typed")
    tab.screenshot("typed")
    height = page.viewport_size["height"]
    save_box, button_box = save.bounding_box(), button.bounding_box()
    for box in (save_box, button_box):
        assert 0 <= box["y"] and box["y"] + box["height"] <= height, box
        assert box["height"] >= 32, box  # a finger's worth on a phone
    apart = (
        button_box["x"] >= save_box["x"] + save_box["width"]
        or button_box["y"] >= save_box["y"] + save_box["height"]
    )
    assert apart is True, (save_box, button_box)
    if viewport == "desktop":
        # One row at 1366 px; on a phone the row wraps, the button whole.
        assert button_box["y"] == save_box["y"], (save_box, button_box)
    overflow = checks.horizontal_overflow(page)
    assert not overflow, overflow

    button.click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        f"“{TITLE}”：已保存，提交审核。"
    )
    tab.screenshot("submitted")
    row_screen(tab, "submitted")
    assert dialogs == []
    story = from_db(lambda: Article.objects.get(title=TITLE))
    assert story.status == Article.Status.REVIEW
    assert story.county_union == county("binhai")
    assert [author.name for author in story.authors.all()] == ["陈静"]
    assert BODY in story.body
    assert from_db(lambda: Autosave.objects.filter(user=writer).exists()) is False
    assert page.url.endswith(f"/admin/articles/article/{story.pk}/change/")
    tab.assert_clean()
    close_all(tab)


def test_a_refused_submit_brings_the_add_form_back_as_typed(open_tab, viewport, db):
    Term.objects.create(word="北朝鲜", level="banned", suggestion="朝鲜")
    section = make_section(name="基层动态")
    writer = make_staff("correspondent", union=county("binhai"))
    tab = open_tab(viewport, "correspondent")
    tab.log_in(writer)
    tab.goto("/admin/articles/article/add/")
    page = tab.page
    page.wait_for_selector("#id_body_ifr")
    page.fill("#id_title", "职工赴北朝鲜边境考察")
    page.select_option("#id_section", label=section.name)
    page.frame_locator("#id_body_ifr").locator("body").click()
    page.keyboard.type(BODY)
    page.get_by_role("button", name="保存并提交审核").click()
    expect(page.locator(".workflow-refused")).to_contain_text("稿件还没有保存")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_text("未能提交审核")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("职工赴北朝鲜边境考察")
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_contain_text(BODY)
    tab.screenshot("refused")
    assert from_db(lambda: Article.objects.exists()) is False
    tab.assert_clean()
    close_all(tab)
