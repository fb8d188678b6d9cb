"""The newsroom's day in a real browser: from a correspondent's draft to readers.

A photographer uploads a photo; a correspondent writes a draft with two
authors and that photo and submits it; an editor returns it with a comment;
the correspondent fixes and resubmits it; the editor publishes it. Readers on
a phone and on a desktop then find it on the home, section and county pages,
read it with its byline in order and its photo credited, and find it by
searching a word of its title. Each step is a screenshot.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Author, Section
from tests.browser import checks
from tests.factories import county, jpeg_bytes, make_author, make_staff

PASSWORD = "pw-Strong-123"  # what tests/factories.py gives every user
TITLE = "亭湖区举办职工技能比武"
FIXED_TITLE = "亭湖区举办第三届职工技能比武"
SEARCH_WORD = "技能比武"
CAPTION = "亭湖区职工在技能比武现场"
COMMENT = "请补充参赛人数，并写明是第几届。"


@pytest.fixture
def newsroom(seeded):
    """Staff of the 亭湖区 union and the city federation, with Chinese names."""
    union = county("tinghu")
    # Made before the correspondent's Author and sorting before 王 by name, yet
    # printed second: an order by id or by name would get the byline wrong.
    make_author("李晓", county_union=union)
    staff = {
        "photographer": make_staff("photographer", union=union, username="qinxijiang"),
        "correspondent": make_staff(
            "correspondent", union=union, username="wangyiming"
        ),
        "editor": make_staff("editor", username="zhoubian"),
    }
    for role, name in [
        ("photographer", "秦西江"),
        ("correspondent", "王一鸣"),
        ("editor", "周编"),
    ]:
        Author.objects.filter(user=staff[role]).update(name=name)
    return {"union": union, "section": Section.objects.get(name="新闻速递"), **staff}


def choose(page, select_id, search, option_text):
    """Pick a value in an admin autocomplete (select2) box by typing."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def upload_photo(tab, tmp_path):
    tab.goto("/admin/articles/photo/add/")
    image = tmp_path / "jineng-bisai.jpg"
    image.write_bytes(jpeg_bytes(1600, 1067, color=(40, 110, 160)))
    tab.page.set_input_files("#id_image", str(image))
    tab.page.fill("#id_caption", CAPTION)
    choose(tab.page, "id_credit_entries-0-author", "秦西江", "秦西江")
    tab.screenshot("photo-form")
    tab.page.click("input[name=_save]")
    tab.page.wait_for_selector(".messagelist .success")
    tab.screenshot("photo-saved")


def write_draft(tab):
    page = tab.page
    tab.goto("/admin/articles/article/add/")
    page.wait_for_selector("#id_body_ifr")
    problems = tab.axe("admin article form (correspondent)")
    assert not problems, "\n".join(problems)
    page.fill("#id_title", TITLE)
    page.select_option("#id_section", label="新闻速递")
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.type("十月，亭湖区总工会举办职工技能比武。")
    choose(page, "id_cover_photo", "技能比武", CAPTION)
    # The writer's own byline is there already; the co-author is added.
    expect(page.locator("#id_bylines-0-author + .select2")).to_contain_text("王一鸣")
    page.click("#bylines-group .add-row a")
    choose(page, "id_bylines-1-author", "李晓", "李晓")
    tab.screenshot("draft-form")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    tab.screenshot("draft-saved")


def act(tab, action, comment=None):
    """Press a workflow button on the article's change page."""
    if comment is not None:
        tab.page.fill("#id_comment", comment)
    tab.page.click(f"#workflow button[name=_workflow][value={action}]")
    tab.page.wait_for_selector(".messagelist .success")


def open_from_desk(tab, title):
    tab.goto("/admin/")
    link = tab.page.locator("#desk-review a", has_text=title)
    assert link.count() == 1, "the story is not on the desk's review list"
    tab.screenshot("desk")
    link.click()
    tab.page.wait_for_selector("#workflow")


def test_story_goes_from_draft_to_published_through_the_admin(
    open_tab, newsroom, tmp_path
):
    photographer = open_tab("desktop", "photographer")
    photographer.log_in_with_form("qinxijiang", PASSWORD)
    upload_photo(photographer, tmp_path)
    photographer.assert_clean()

    correspondent = open_tab("desktop", "correspondent")
    correspondent.log_in_with_form("wangyiming", PASSWORD)
    write_draft(correspondent)
    act(correspondent, "submit")
    correspondent.screenshot("submitted")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW
    correspondent.assert_clean()

    editor = open_tab("desktop", "editor")
    editor.log_in_with_form("zhoubian", PASSWORD)
    open_from_desk(editor, TITLE)
    problems = editor.axe("admin article change form (editor)")
    assert not problems, "\n".join(problems)
    act(editor, "return", comment=COMMENT)
    editor.screenshot("returned")
    editor.assert_clean()

    correspondent.goto(f"/admin/articles/article/{article.pk}/change/")
    assert COMMENT in correspondent.page.inner_text("#transition-history")
    correspondent.page.fill("#id_title", FIXED_TITLE)
    correspondent.screenshot("fixing")
    correspondent.page.click("input[name=_continue]")
    correspondent.page.wait_for_selector(".messagelist .success")
    act(correspondent, "submit")
    correspondent.screenshot("resubmitted")
    correspondent.assert_clean()

    open_from_desk(editor, FIXED_TITLE)
    act(editor, "publish")
    editor.screenshot("published")
    editor.assert_clean()

    article.refresh_from_db()
    assert article.is_published is True
    assert article.county_union == newsroom["union"]
    assert [a.name for a in article.ordered_authors] == ["王一鸣", "李晓"]
    assert article.cover_photo.caption == CAPTION
    for viewport in ["phone", "desktop"]:
        read_as_reader(open_tab(viewport, f"reader-{viewport}"), newsroom)


def follow(page, link):
    """Click a link and wait for the page it leads to."""
    with page.expect_navigation():
        link.click()


def read_as_reader(reader, newsroom):
    """Find the story from the home page, its section and county, and search."""
    page = reader.page
    story = page.locator("main a", has_text=FIXED_TITLE)
    reader.goto("/")
    expect(story.first).to_be_visible()
    reader.screenshot("home")

    follow(page, page.locator("nav.site-nav a", has_text=newsroom["section"].name))
    expect(page.locator("h1")).to_have_text(newsroom["section"].name)
    expect(story).to_have_count(1)
    reader.screenshot("section")

    reader.goto("/")
    follow(page, page.locator(".county-links a", has_text=newsroom["union"].short_name))
    expect(page.locator("h1")).to_have_text(newsroom["union"].name)
    expect(story).to_have_count(1)
    reader.screenshot("county")

    follow(page, story)
    expect(page.locator("article h1")).to_have_text(FIXED_TITLE)
    expect(page.locator(".byline a")).to_have_text(["王一鸣", "李晓"])
    figure = page.locator("article figure.photo").first
    expect(figure.locator("img")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text(CAPTION)
    expect(figure.locator(".credit")).to_have_text("秦西江 摄")
    problems = checks.images_fit(page) + checks.horizontal_overflow(page)
    assert not problems, "\n".join(problems)
    reader.screenshot("article")

    reader.goto("/search/")
    page.fill("input[name=q]", SEARCH_WORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("input[name=q]")).to_have_value(SEARCH_WORD)
    expect(story).to_have_count(1)
    reader.screenshot("search")
    reader.assert_clean()
