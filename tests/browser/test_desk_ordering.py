"""In a browser: bylines ordered by dragging and by keyboard,
tags typed the Chinese way with suggestions, the live character count."""

from zoneinfo import ZoneInfo

from django.conf import settings
from playwright.sync_api import expect

from articles.models import Article, ArticleAuthor
from tests.factories import county, make_article, make_author, make_staff


def byline_rows(page):
    return page.locator("#bylines-group tbody tr.form-row.has_original")


def drag(page, source, target):
    """Press on source, move in steps over target's upper half, release."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    x = end["x"] + end["width"] / 2
    for y in range(int(start["y"]), int(end["y"] + end["height"] / 4), -6):
        page.mouse.move(x, y)
    page.mouse.move(x, end["y"] + 2)
    page.mouse.up()


def test_editor_orders_bylines_by_drag_and_keyboard(tab):
    tab.log_in(make_staff("editor"))
    names = ["刘静", "杨真真", "刘保顺"]
    article = make_article(
        title="亭湖区总工会助力工会社工赋能成长",
        authors=[make_author(name) for name in names],
        tags=["职工之家"],
        body="<p>亭湖区总工会 2024 年</p>",
    )
    page = tab.page
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#body-char-count")).to_contain_text("汉字 7 个")
    expect(page.locator("#body-char-count")).to_contain_text("共 11 字")
    # The same rule as the figure saved for the list's 字数 column.
    assert Article.objects.get(pk=article.pk).char_count == 11
    rows = byline_rows(page)
    expect(rows).to_have_count(3)
    # The raw 顺序 number is not shown: the rows' order is the order.
    assert page.locator("#bylines-group input.inline-position").first.is_hidden()
    tab.screenshot("form-before")

    # Drag 刘保顺 (third) to the top by its handle.
    rows.nth(2).locator(".order-handle").scroll_into_view_if_needed()
    drag(page, rows.nth(2).locator(".order-handle"), rows.nth(0))
    expect(rows.locator("td.original p")).to_have_text(["刘保顺", "刘静", "杨真真"])

    # Then 刘静 (now second) one down with the keyboard, and it is announced.
    rows.nth(1).locator(".order-handle").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(rows.locator("td.original p")).to_have_text(["刘保顺", "杨真真", "刘静"])
    expect(page.locator("#bylines-group .order-announcement")).to_have_text(
        "已将“刘静”移到第 3 位，共 3 行。"
    )
    # And the 上移 button does the same as a click.
    rows.nth(2).locator(".order-up").click()
    rows.nth(1).locator(".order-down").click()
    expect(rows.locator("td.original p")).to_have_text(["刘保顺", "杨真真", "刘静"])

    # Tags typed with a Chinese input method; an existing one suggested.
    page.fill("#id_tags", "")
    page.locator("#id_tags").press_sequentially("新就业形态，职工")
    page.locator("#tag-suggestions li", has_text="职工之家").click()
    page.locator("#id_tags").press_sequentially("滨海")
    expect(page.locator("#id_tags")).to_have_value("新就业形态，职工之家，滨海")
    tab.screenshot("form-reordered")

    # A live story: 更新发布 saves the form and lets readers see it.
    page.click(".submit-row input[name=_publish_pending]")
    page.wait_for_selector(".messagelist .success")
    expect(byline_rows(page).locator("td.original p")).to_have_text(
        ["刘保顺", "杨真真", "刘静"]
    )
    saved = ArticleAuthor.objects.filter(article=article).order_by("position")
    assert [(b.author.name, b.position) for b in saved] == [
        ("刘保顺", 1), ("杨真真", 2), ("刘静", 3)
    ]  # fmt: skip
    assert sorted(article.tags.names()) == ["新就业形态", "滨海", "职工之家"]
    tab.screenshot("form-saved")

    # Readers see that order on the article page and in its JSON-LD.
    tab.goto(Article.objects.get(pk=article.pk).get_absolute_url())
    expect(page.locator(".byline a")).to_have_text(["刘保顺", "杨真真", "刘静"])
    json_ld = page.locator("script[type='application/ld+json']").first.inner_text()
    assert json_ld.index("刘保顺") < json_ld.index("杨真真") < json_ld.index("刘静")
    tab.assert_clean()


def test_publish_uses_the_one_publish_time_control(tab):
    """The 发布 fieldset's time, changed on the page, schedules the story
    when the workflow box's 发布 is pressed."""
    tab.log_in(make_staff("editor"))
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    page = tab.page
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("input[name^='publish_at']:visible")).to_have_count(2)
    page.fill("#id_publish_at_0", "2099-05-01")
    page.fill("#id_publish_at_1", "08:30:00")
    page.locator("#workflow button[value=publish]").click()
    page.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert article.is_scheduled is True
    local = article.publish_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (
        2099, 5, 1, 8, 30
    )  # fmt: skip


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_byline_rows_keep_their_names_clear_and_read_only_rows_have_no_handles(tab):
    """A correspondent's bylines: no row's name label runs into another
    row's order buttons (on a phone they stack); once submitted, the story
    is read-only and its rows offer no reordering, and the body reads as
    text rather than HTML."""
    union = county("binhai")
    writer = make_staff("correspondent", union=union, username="wangfang")
    tab.log_in(writer)
    article = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=union,
        created_by=writer,
        authors=[make_author(name) for name in ["王芳", "刘义昂", "尹仁军"]],
        body="<p>第一段。</p><p>第二段。</p>",
    )
    page = tab.page
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    rows = byline_rows(page)
    expect(rows).to_have_count(3)
    rows.nth(2).scroll_into_view_if_needed()
    buttons = [
        button.bounding_box()
        for button in page.locator("#bylines-group .order-controls button").all()
    ]
    for label in page.locator("#bylines-group td.original p").all():
        if label.is_visible():
            box = label.bounding_box()
            assert not any(overlaps(box, button) for button in buttons), (
                label.inner_text()
            )
    tab.screenshot("bylines-editable")

    page.locator("#workflow button[name=_workflow][value=submit]").click()
    page.wait_for_selector(".messagelist .success")
    expect(page.locator("#bylines-group")).to_contain_text("尹仁军")
    expect(page.locator("#bylines-group .order-controls")).to_have_count(0)
    expect(page.locator("#bylines-group .order-help")).to_have_count(0)
    expect(page.locator(".body-view p")).to_have_text(["第一段。", "第二段。"])
    expect(page.locator(".field-body_view")).not_to_contain_text("<p>")
    tab.screenshot("read-only")
    tab.assert_clean()


def test_a_long_headline_shows_whole_in_the_title_box(tab):
    """A correspondent types a 22-character headline: on a desktop the box
    shows all of it; on a phone it spans the column, without scrolling
    sideways."""
    union = county("binhai")
    tab.log_in(make_staff("correspondent", union=union, username="wangfang"))
    page = tab.page
    tab.goto("/admin/articles/article/add/")
    page.frame_locator("#id_body_ifr").locator("body").click()
    # No element path ("p", "ul › li") under the body editor.
    expect(page.locator(".tox-statusbar")).to_be_visible()
    expect(page.locator(".tox-statusbar__path-item")).to_have_count(0)
    page.fill("#id_title", "滨海县总工会开展新就业形态劳动者走访慰问活动")
    title = page.locator("#id_title")
    if tab.viewport == "desktop":
        assert title.evaluate("box => box.scrollWidth <= box.clientWidth")
    else:
        column = page.locator("#article_form .field-title").bounding_box()
        assert title.bounding_box()["width"] >= column["width"] - 40
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    tab.screenshot("title")
