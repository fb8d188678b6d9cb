"""Photo news and a print issue's table of contents, on a phone and a desktop."""

from datetime import date

import pytest
from playwright.sync_api import expect

from articles.bulletin import parse_bulletin
from articles.models import Article, Issue, Section
from articles.services import import_bulletin
from tests.browser import checks
from tests.factories import give_originals


def layout_problems(page):
    return (
        checks.horizontal_overflow(page)
        + checks.images_fit(page)
        + checks.small_text(page)
    )


def test_photo_news_gallery_opens_each_photo_with_caption_and_credit(tab, seeded):
    section = Section.objects.get(kind=Section.Kind.PHOTO)
    # The first item's original has come; the other three still wait for
    # theirs and are text to readers (issue 19).
    first = Article.objects.filter(section=section).order_by("-publish_at").first()
    give_originals([first.cover_photo], fmt="JPEG")
    tab.goto(section.get_absolute_url())
    items = tab.page.locator(".photo-grid li")
    expect(items).to_have_count(4)
    expect(items.locator(".credit").first).to_contain_text("摄")
    expect(tab.page.locator(".photo-grid li.photo-grid-text")).to_have_count(3)
    expect(tab.page.locator(".photo-grid li.photo-grid-text img")).to_have_count(0)
    problems = layout_problems(tab.page) + checks.placeholder_problems(tab.page)
    tab.screenshot("gallery")

    with tab.page.expect_navigation():
        items.first.locator("a").first.click()
    figure = tab.page.locator("figure.photo").first
    expect(figure.locator("img")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("乐业家乡")
    expect(figure.locator(".credit")).to_have_text("秦西江 张楠 摄")
    problems += layout_problems(tab.page)
    tab.screenshot("photo")

    # An item still waiting: its headline, then the caption and credit as text.
    tab.goto(section.get_absolute_url())
    with tab.page.expect_navigation():
        tab.page.locator(".photo-grid-text a").first.click()
    expect(tab.page.locator("main img")).to_have_count(0)
    expect(tab.page.locator(".photo-text .credit")).to_contain_text("摄")
    problems += layout_problems(tab.page) + checks.placeholder_problems(tab.page)
    tab.screenshot("photo-waiting-for-original")
    problems += tab.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def bulletin_issue(db, seed_text):
    """The seed bulletin filed as 2024 年第 2 期, the way import_bulletin does."""
    issue = Issue.objects.create(year=2024, number=2, published_on=date(2024, 2, 20))
    import_bulletin(text=seed_text, publish=True, issue=issue)
    return issue


def test_print_issue_table_of_contents_renders_in_printed_order(
    tab, bulletin_issue, seed_text
):
    printed = parse_bulletin(seed_text)
    tab.goto(bulletin_issue.get_absolute_url())
    expect(tab.page.locator("h1")).to_contain_text("2024 年第 2 期")
    expect(tab.page.locator(".toc-section h3")).to_have_text(
        [section.name for section in printed]
    )
    expect(tab.page.locator(".toc .article-row-title")).to_have_text(
        [item.title for section in printed for item in section.items]
    )
    problems = layout_problems(tab.page) + tab.axe("issue table of contents")
    tab.screenshot("table-of-contents")

    with tab.page.expect_navigation():
        tab.page.locator("a", has_text="打印版").click()
    tab.page.emulate_media(media="print")
    expect(tab.page.locator("article.print-article")).to_have_count(
        sum(len(section.items) for section in printed)
    )
    tab.screenshot("print-view")
    problems += tab.problems()
    assert not problems, "\n".join(problems)
