"""三审 in a real browser: a 总编 signs 终审 (and reads the 发稿记录).

The story has passed 初审 and 复审 and holds a 提示 term; the 总编 sees the
chain's progress and the highlighted term, writes an opinion, confirms the
term and presses 终审签发; the story is published and appears in the
发稿记录 for the month. Each step is a screenshot, on a phone and a desktop.
"""

from playwright.sync_api import expect

from articles.models import Article, Author
from review import chain
from review.models import PublicationRecord, SignOff, Term
from tests.factories import make_author
from tests.review_helpers import chained_section, desk, story

TITLE = "射阳县总工会开展送清凉活动"


def test_director_signs_final_stage(open_tab, viewport, db):
    people = desk()
    Author.objects.filter(user=people["director"]).update(name="吴总编")
    Term.objects.create(word="惟一", level="caution", suggestion="唯一", note="异形词")
    article = story(
        chained_section(3, name="工会要闻"),
        writer=people["correspondent"],
        title=TITLE,
        body="<p>高温下坚守一线的职工是这次活动惟一的对象。</p>",
        authors=[make_author("陈晨")],
    )
    chain.sign(article, "first", people["editor"], opinion="属实", acknowledged=True)
    chain.sign(article, "second", people["chief"], opinion="同意", acknowledged=True)

    tab = open_tab(viewport, label="director")
    tab.log_in(people["director"])
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    page = tab.page
    expect(page.locator(".review-stages li.waiting")).to_contain_text("终审")
    expect(page.locator("#term-hits mark")).to_have_text("惟一")
    button = page.get_by_role("button", name="终审签发")
    button.scroll_into_view_if_needed()
    tab.screenshot("before-signing")

    page.fill("#workflow textarea[name=comment]", "同意签发。")
    button.click()  # the 提示 term is not confirmed yet: refused
    # The button saves the form first, so the refusal comes back in the form.
    expect(page.locator("#article_form .errorlist")).to_contain_text("已核对提示词")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    page.locator("#workflow").scroll_into_view_if_needed()
    tab.screenshot("refused-unconfirmed-term")

    page.fill("#workflow textarea[name=comment]", "同意签发。")
    page.check("#id_acknowledge_terms")
    page.get_by_role("button", name="终审签发").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    final = SignOff.objects.get(article=article, stage="third")
    assert (final.by, final.opinion, final.final) == (
        people["director"],
        "同意签发。",
        True,
    )
    expect(page.locator("#signoff-history")).to_contain_text("同意签发。")
    page.locator("#review-chain").scroll_into_view_if_needed()
    tab.screenshot("signed-and-published")

    tab.goto("/admin/review/publicationrecord/")
    expect(page.locator("#audit-records")).to_contain_text(TITLE)
    assert PublicationRecord.objects.filter(article=article).count() == 1
    tab.screenshot("publication-record")
    tab.assert_clean()
