"""import_bulletin FILE.docx: the same bulletin as the Markdown import."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from articles.models import Article, Author, Issue, Photo, Section
from tests.conftest import SEED
from tests.docx_builders import add_picture, docx_bytes
from tests.factories import exif_jpeg_bytes, stored_files


def seed_as_docx(path, *, chinese_styles=False):
    """The seed bulletin typed into Word: headings by style, a picture above
    every photo caption, one paragraph per Markdown paragraph (the seed's
    mid-sentence breaks included)."""
    document = Document()
    styles = {"##": document.styles["Heading 1"], "###": document.styles["Heading 2"]}
    if chinese_styles:
        # WPS and Chinese Word name their heading styles 标题 1 / 标题 2.
        styles["##"].name, styles["###"].name = "标题 1", "标题 2"
    in_photos, paragraph, pictures = False, [], 0

    def flush():
        nonlocal pictures
        text = "".join(paragraph)
        paragraph.clear()
        if not text:
            return
        if in_photos and not text.endswith("摄"):
            pictures += 1
            add_picture(document, exif_jpeg_bytes(80 + pictures, 40))
        document.add_paragraph(text)

    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        mark = line.split(" ", 1)[0]
        if mark in styles:
            flush()
            in_photos = in_photos or line == "## 图说新闻"
            document.add_paragraph(line[len(mark) :].strip(), style=styles[mark])
        elif line:
            paragraph.append(line)
        else:
            flush()
    flush()
    document.save(path)
    return path


def snapshot():
    """What both imports must agree on, article by article."""
    rows = {}
    for article in Article.objects.for_detail().select_related("section", "issue"):
        photo = article.cover_photo
        rows[article.title] = {
            "section": (article.section.name, article.section.kind),
            "county": article.county_union and article.county_union.slug,
            "byline": article.byline,
            "dateline": article.dateline,
            "body": article.body,
            "status": article.status,
            "publish_at": article.publish_at,
            "issue": (str(article.issue), article.issue_position),
            "credit": photo and photo.credit_line,
            "caption": photo and photo.caption,
        }
    authors = sorted(
        (author.name, author.county_union and author.county_union.slug)
        for author in Author.objects.all()
    )
    return rows, authors


def wipe():
    Article.objects.all().delete()
    Photo.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Issue.objects.all().delete()


OPTIONS = ["--publish", "--date", "2024-02-20", "--issue", "2024-2"]


@pytest.mark.parametrize("chinese_styles", [False, True], ids=["heading", "biaoti"])
def test_docx_bulletin_gives_the_same_articles_as_the_markdown(
    db, tmp_path, chinese_styles
):
    call_command("import_bulletin", str(SEED), *OPTIONS, stdout=io.StringIO())
    markdown = snapshot()
    wipe()
    path = seed_as_docx(tmp_path / "2024-02.docx", chinese_styles=chinese_styles)
    out = io.StringIO()
    call_command("import_bulletin", str(path), *OPTIONS, stdout=out)
    docx = snapshot()

    assert "稿件 10 篇，图片 4 张，作者 18 位" in out.getvalue()
    assert docx[1] == markdown[1]
    assert docx[0].keys() == markdown[0].keys() and len(docx[0]) == 10
    for title, row in markdown[0].items():
        assert docx[0][title] == row, title
    # The real pictures instead of placeholders, upright and with renditions.
    for photo in Photo.objects.all():
        assert photo.awaiting_original is False
        assert photo.height > photo.width
        assert photo.rendition_widths == [40]


def test_importing_the_docx_twice_changes_nothing(db, tmp_path, media_root):
    path = seed_as_docx(tmp_path / "2024-02.docx")
    call_command("import_bulletin", str(path), *OPTIONS, stdout=io.StringIO())
    before = snapshot(), stored_files(media_root)
    out = io.StringIO()
    call_command("import_bulletin", str(path), *OPTIONS, stdout=out)
    assert "稿件 0 篇" in out.getvalue() and "跳过已导入的 10 项" in out.getvalue()
    assert (snapshot(), stored_files(media_root)) == before


def test_a_malformed_docx_bulletin_names_the_paragraph_and_writes_nothing(
    db, tmp_path, media_root
):
    document = Document()
    document.add_heading("图说新闻", level=1)
    add_picture(document, exif_jpeg_bytes())
    document.add_paragraph("职工在车间里。")
    path = tmp_path / "缺摄影.docx"
    document.save(path)
    with pytest.raises(CommandError, match=r"缺摄影.docx.*第 3 段：.*摄影署名"):
        call_command("import_bulletin", str(path), stdout=io.StringIO())
    assert Article.objects.exists() is False
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


def test_a_bad_picture_in_a_docx_bulletin_leaves_nothing(db, tmp_path, media_root):
    from tests.factories import image_bytes

    document = Document()
    document.add_heading("图说新闻", level=1)
    add_picture(document, exif_jpeg_bytes())
    document.add_paragraph("职工在车间里。")
    document.add_paragraph("张楠 摄")
    add_picture(document, image_bytes(9000, 5000, "PNG"))
    document.add_paragraph("劳模进校园。")
    document.add_paragraph("郁超 摄")
    path = tmp_path / "大图.docx"
    path.write_bytes(docx_bytes(document))
    with pytest.raises(CommandError, match="大图.docx.*图片尺寸过大"):
        call_command("import_bulletin", str(path), stdout=io.StringIO())
    assert Article.objects.exists() is False
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


def test_editor_imports_a_bulletin_in_the_admin_as_drafts(client, db, tmp_path):
    from django.urls import reverse

    from tests.factories import make_staff

    editor = make_staff("editor")
    issue = Issue.objects.create(year=2024, number=2, published_on="2024-02-20")
    path = seed_as_docx(tmp_path / "2024年第2期.docx")
    client.force_login(editor)
    assert reverse("wordimport:bulletin") in client.get(
        reverse("wordimport:upload")
    ).content.decode()
    with path.open("rb") as handle:
        response = client.post(
            reverse("wordimport:bulletin"), {"document": handle, "issue": issue.pk}
        )
    assert response.status_code == 302
    assert Article.objects.count() == 10
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert Article.objects.filter(issue=issue).count() == 10
    assert Photo.objects.filter(awaiting_original=False).count() == 4
    follow = client.get(response["Location"]).content.decode()
    assert "稿件 10 篇，图片 4 张" in follow


def test_bulletin_import_is_for_editors_only(client, db):
    from django.urls import reverse

    from tests.factories import county, make_staff

    correspondent = make_staff("correspondent", union=county("binhai"))
    client.force_login(correspondent)
    assert client.get(reverse("wordimport:bulletin")).status_code == 403
    assert reverse("wordimport:bulletin") not in client.get(
        reverse("wordimport:upload")
    ).content.decode()


def test_a_bad_bulletin_upload_shows_the_reason_and_writes_nothing(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.docx_builders import ole_file
    from tests.factories import make_staff

    client.force_login(make_staff("editor"))
    response = client.post(
        reverse("wordimport:bulletin"),
        {"document": SimpleUploadedFile("旧通讯.doc", ole_file())},
    )
    assert response.status_code == 400
    assert "“旧通讯.doc”无法导入：这是旧版 Word 97-2003（.doc）格式" in (
        response.content.decode()
    )
    assert Article.objects.exists() is False
