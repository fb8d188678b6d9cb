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
    }


@pytest.mark.parametrize(
    "name",
    ["home", "section", "photo-news", "article", "county", "counties", "search"],
)
def test_reader_page_passes_browser_checks(tab, pages, name):
    tab.goto(pages[name])
    problems = []
    if checks.page_lang(tab.page) != "zh-CN":
        problems.append(f'<html lang="{checks.page_lang(tab.page)}">, expected zh-CN')
    problems += checks.horizontal_overflow(tab.page)
    problems += checks.images_fit(tab.page)
    problems += checks.small_text(tab.page)
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
