"""Reader pages as Chromium lays them out, on a phone and on a desktop."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Section
from tests.browser import checks
from tests.factories import (
    county,
    jpeg_bytes,
    make_article,
    make_author,
    make_photo,
    make_user,
)


@pytest.fixture
def pages(seeded):
    """The seed bulletin plus one story with a full-size photo and two authors."""
    union = county("tinghu")
    photo = make_photo(
        caption="亭湖区职工在技能比武现场",
        credits=[make_author("秦西江")],
        county_union=union,
        image=SimpleUploadedFile("skills.jpg", jpeg_bytes(1600, 1067)),
    )
    article = make_article(
        title="亭湖区举办职工技能比武",
        section=Section.objects.get(name="新闻速递"),
        county_union=union,
        authors=[make_author("王一鸣", county_union=union), make_author("李晓")],
        cover_photo=photo,
        # Editors often put the cover first in the gallery too (issue 19).
        photos=[
            photo,
            make_photo(
                caption="获奖职工合影",
                credits=[make_author("张楠")],
                image=SimpleUploadedFile("team.jpg", jpeg_bytes(1200, 800)),
            ),
        ],
        body="<p>十月，亭湖区总工会举办职工技能比武，三百余名职工参赛。</p>",
    )
    return {
        "home": reverse("articles:home"),
        "section": article.section.get_absolute_url(),
        "photo-news": Section.objects.get(kind=Section.Kind.PHOTO).get_absolute_url(),
        "article": article.get_absolute_url(),
        "county": union.get_absolute_url(),
        "counties": reverse("counties:list"),
        "search": reverse("articles:search") + "?q=技能比武",
        "archive": reverse("articles:archive"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "section",
        "photo-news",
        "article",
        "county",
        "counties",
        "search",
        "archive",
    ],
)
def test_reader_page_passes_browser_checks(tab, pages, name):
    tab.goto(pages[name])
    problems = []
    if checks.page_lang(tab.page) != "zh-CN":
        problems.append(f'<html lang="{checks.page_lang(tab.page)}">, expected zh-CN')
    problems += checks.horizontal_overflow(tab.page)
    problems += checks.images_fit(tab.page)
    problems += checks.small_text(tab.page)
    problems += checks.placeholder_problems(tab.page)
    problems += checks.repeated_photo_problems(tab.page)
    tab.screenshot(name)
    problems += tab.axe(name)
    problems += tab.problems()
    assert not problems, "\n".join(problems)


def test_navigation_and_search_box_are_reachable_with_tab_and_show_focus(tab, pages):
    tab.goto(reverse("articles:search"))
    nav_links = tab.page.locator("nav.site-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    stops = checks.tab_through(tab.page, presses=len(nav_links) + 4)
    reached = [stop["href"] for stop in stops if stop["inNav"]]
    assert reached == nav_links, f"Tab order through the navigation: {reached}"
    assert any(stop["isSearch"] for stop in stops), "Tab never reached the search box"
    rings = [checks.focus_ring_problem(stop) for stop in stops]
    assert not [ring for ring in rings if ring], "\n".join(filter(None, rings))
    tab.screenshot("search-box-focus")
    tab.assert_clean()


def test_admin_article_form_has_no_serious_axe_violations(tab, live_server, db):
    tab.log_in(make_user(superuser=True))
    tab.goto(reverse("admin:articles_article_add"))
    tab.page.wait_for_selector(".tox-edit-area iframe")
    assert checks.page_lang(tab.page).startswith("zh")
    tab.screenshot("admin-article-form")
    problems = tab.axe("admin article form")
    tab.assert_clean()
    assert not problems, "\n".join(problems)


# Navigation on a phone and 长者模式 (issue 19).

NAV_ENTRIES_JS = """
() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('nav.site-nav a')).map(a => {
    const box = a.getBoundingClientRect();
    const style = getComputedStyle(a);
    return {
      text: a.textContent.trim(), href: a.getAttribute('href'),
      left: box.left, right: box.right, height: box.height, width,
      shown: box.width > 0 && box.height > 0 && style.visibility === 'visible',
    };
  });
}
"""


def navigation_problems(page):
    """Every navigation entry on screen, at least 44 px tall, none off to the side."""
    problems = []
    for entry in page.evaluate(NAV_ENTRIES_JS):
        if not entry["shown"]:
            problems.append(f"navigation entry {entry['text']} is not shown")
        elif entry["left"] < 0 or entry["right"] > entry["width"] + 1:
            problems.append(
                f"navigation entry {entry['text']} lies at "
                f"{entry['left']:.0f}–{entry['right']:.0f}px, outside the "
                f"{entry['width']}px screen"
            )
        elif entry["height"] < 44:
            problems.append(
                f"navigation entry {entry['text']} is {entry['height']:.0f}px tall"
            )
    return problems


def font_px(page, selector):
    return page.locator(selector).first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )


def test_every_navigation_entry_is_on_screen_with_archive_and_search(tab, pages):
    tab.goto(pages["home"])
    names = tab.page.locator("nav.site-nav a").all_inner_texts()
    for name in ["首页", "新闻速递", "图说新闻", "县级工会", "期刊", "搜索", "归档"]:
        assert name in names, f"{name} missing from the navigation: {names}"
    problems = navigation_problems(tab.page) + checks.horizontal_overflow(tab.page)
    tab.screenshot("navigation")
    with tab.page.expect_navigation():
        tab.page.locator("nav.site-nav a", has_text="归档").click()
    assert tab.page.url.endswith(reverse("articles:archive"))
    footer = tab.page.locator(".site-footer a", has_text="稿件归档")
    assert footer.get_attribute("href") == reverse("articles:archive")
    problems += tab.problems()
    assert not problems, "\n".join(problems)


def test_large_text_switch_enlarges_every_page_and_is_remembered(tab, pages):
    tab.goto(pages["article"])
    switch = tab.page.get_by_role("switch", name="大字")
    assert switch.is_visible() and not switch.is_checked()
    assert font_px(tab.page, "body") == 16

    # By keyboard: Tab reaches the switch and Space turns it on.
    switch.focus()
    tab.page.keyboard.press("Space")
    assert switch.is_checked()
    assert "large-text" in tab.page.locator("html").get_attribute("class")
    assert font_px(tab.page, "body") >= 20
    assert font_px(tab.page, ".article-body p") >= 20
    problems = checks.horizontal_overflow(tab.page) + checks.small_text(tab.page, 16)
    problems += navigation_problems(tab.page)
    tab.screenshot("large-text-article")

    # Remembered on the next page, which the page cache serves unchanged.
    for name in ["home", "photo-news", "search", "county"]:
        tab.goto(pages[name])
        assert tab.page.get_by_role("switch", name="大字").is_checked(), name
        assert font_px(tab.page, "body") >= 20, name
        problems += checks.horizontal_overflow(tab.page)
        problems += navigation_problems(tab.page)
    tab.screenshot("large-text-county")

    # Off again, by a click, and still off after a reload.
    tab.page.get_by_role("switch", name="大字").click()
    tab.page.reload()
    assert not tab.page.get_by_role("switch", name="大字").is_checked()
    assert font_px(tab.page, "body") == 16
    problems += tab.problems()
    assert not problems, "\n".join(problems)


def test_favicon_and_touch_icons_load(tab, pages):
    tab.goto(pages["home"])
    icons = tab.page.locator("link[rel~=icon], link[rel=apple-touch-icon]")
    hrefs = icons.evaluate_all("links => links.map(link => link.href)")
    assert len(hrefs) >= 3
    for href in hrefs:
        response = tab.page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("image/")
    response = tab.page.request.get(tab.origin + "/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/")
    tab.assert_clean()
