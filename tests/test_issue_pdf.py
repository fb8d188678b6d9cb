"""The printed issue as an A4 PDF made on the server (issue 19)."""

import io
import os
import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.bulletin import parse_bulletin
from articles.models import Article, Issue, Section
from articles.services import import_bulletin
from tests.factories import give_originals

try:
    import weasyprint  # noqa: F401 - needs pango from `make pdf-deps`
except (ImportError, OSError) as error:  # pragma: no cover
    if os.environ.get("CI"):
        raise
    pytest.skip(
        f"WeasyPrint cannot load ({error}): run make pdf-deps", allow_module_level=True
    )

pypdf = pytest.importorskip("pypdf")

A4 = (595.28, 841.89)  # points


@pytest.fixture
def seed_issue(db, seed_text):
    """The seed bulletin filed as 2024 年第 2 期; the first photo item has
    its original, the other three still wait for theirs."""
    issue = Issue.objects.create(year=2024, number=2, published_on=date(2024, 2, 20))
    import_bulletin(text=seed_text, publish=True, issue=issue)
    first_photo = (
        Article.objects.filter(section__kind=Section.Kind.PHOTO)
        .order_by("issue_position")
        .first()
    )
    give_originals([first_photo.cover_photo], fmt="JPEG")
    return issue


def pdf_url(issue):
    return reverse("articles:issue-pdf", args=[issue.year, issue.number])


def get_pdf(client, issue, **headers):
    response = client.get(pdf_url(issue), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else b""
    return response, body


def squeeze(text):
    """Text without white space: a title may wrap onto two lines."""
    return re.sub(r"\s+", "", text)


def printed_items(seed_text):
    """(title, byline or credit) of every item, in printed order."""
    items = []
    for section in parse_bulletin(seed_text):
        for item in section.items:
            if section.is_photo_news:
                items.append((item.title, " ".join(item.credits) + " 摄"))
            else:
                items.append((item.title, " ".join(item.byline)))
    return items


def font_problems(reader):
    """Fonts used on any page that are not embedded in the file."""
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = page["/Resources"].get_object().get("/Font", {})
        for name, ref in fonts.items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = inner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                problems.append(f"page {number}: font {name} {font.get('/BaseFont')}")
    return problems


def test_issue_pdf_prints_titles_and_bylines_in_order_with_fonts_embedded(
    client, seed_issue, seed_text
):
    response, body = get_pdf(client, seed_issue)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "2024-2" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(body))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == tuple(round(n) for n in A4)

    # Masthead and contents: the issue's name and date, every title with the
    # page it starts on.
    first = squeeze(pages[0])
    assert "盐城工会" in first and "2024年第2期" in first and "2024年2月20日" in first
    items = printed_items(seed_text)
    for title, _byline in items:
        assert re.search(re.escape(squeeze(title)) + r"\.*\d+", first), title

    # The articles: each title and then its byline, in printed order, after
    # the contents; photo news with "… 摄" credits.
    text = squeeze("".join(pages[1:]))
    position = 0
    for title, byline in items:
        position = text.index(squeeze(title), position) + len(squeeze(title))
        position = text.index(squeeze(byline), position) + len(squeeze(byline))
    assert "原图待补" not in text and "PHOTO PENDING" not in text

    # Page numbers at the foot of each page.
    for number, page_text in enumerate(pages, start=1):
        assert page_text.rstrip().endswith(str(number)) or f"\n{number}\n" in page_text

    # Fonts embedded; the photo whose original came is printed.
    assert font_problems(reader) == []
    assert any(page.images for page in reader.pages)


def test_issue_pdf_is_made_once_and_again_after_an_edit(
    client, seed_issue, django_assert_max_num_queries
):
    response, body = get_pdf(client, seed_issue)
    etag = response["ETag"]
    assert "no-cache" in response["Cache-Control"]
    folder = f"issues/{seed_issue.code}"
    (made,) = default_storage.listdir(folder)[1]
    made_at = default_storage.get_modified_time(f"{folder}/{made}")

    # Unchanged: the same file, not made again; a revalidation gets 304.
    with django_assert_max_num_queries(6):
        again, again_body = get_pdf(client, seed_issue)
    assert again["ETag"] == etag and again_body == body
    assert default_storage.listdir(folder)[1] == [made]
    assert default_storage.get_modified_time(f"{folder}/{made}") == made_at
    not_modified, _ = get_pdf(client, seed_issue, if_none_match=etag)
    assert not_modified.status_code == 304

    # An editor changes a headline: a new version replaces the old file.
    article = Article.objects.filter(issue=seed_issue).order_by("issue_position")[0]
    article.title = "响水县总工会推进新就业形态职工入会"
    article.save()
    changed, changed_body = get_pdf(client, seed_issue)
    assert changed["ETag"] != etag
    (remade,) = default_storage.listdir(folder)[1]
    assert remade != made
    text = squeeze(
        "".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(changed_body)).pages
        )
    )
    assert "响水县总工会推进新就业形态职工入会" in text


def test_issue_page_links_its_pdf(client, seed_issue):
    html = client.get(seed_issue.get_absolute_url()).content.decode()
    assert f'href="{pdf_url(seed_issue)}"' in html


def test_pdf_of_an_unknown_issue_is_a_404(client, db):
    response = client.get(reverse("articles:issue-pdf", args=[1999, 9]))
    assert response.status_code == 404
