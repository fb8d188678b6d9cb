"""Stories from Word documents: the admin upload and the import_story command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, Author, Photo, Section
from tests.docx_builders import docx_bytes, simple_document, story_document
from tests.factories import county, make_author, make_section, make_staff, stored_files

UPLOAD_URL = "wordimport:upload"
EXPECTED_BODY = (
    "<p>2月18日，滨海县总工会在县职工服务中心举办春季招聘会，现场提供岗位"
    "1200多个，吸引了近3000名求职者。</p>"
    "<p>招聘会上，<strong>“工会帮你找工作”</strong>服务台前排起了长队。</p>"
    "<h3>三项服务</h3>"
    "<ul><li>岗位推介进企业。</li><li>技能培训进车间。</li></ul>"
    "<ol><li>第一步，线上登记。</li><li>第二步，现场面试。</li></ol>"
    "<table><tbody><tr><td>行业</td><td>岗位数</td></tr>"
    "<tr><td>制造业</td><td>800</td></tr></tbody></table>"
    "<p>下一步，县总工会将继续开展就业服务。</p>"
)


def docx_upload(document, name="招聘会.docx"):
    data = document if isinstance(document, bytes) else docx_bytes(document)
    return SimpleUploadedFile(
        name,
        data,
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )


@pytest.fixture
def news(db):
    return make_section(name="新闻速递")


@pytest.fixture
def correspondent(db):
    return make_staff("correspondent", union=county("binhai"), username="wangfang")


def upload(client, user, *documents, **fields):
    """Post the form as a browser does: the first section comes preselected."""
    client.force_login(user)
    fields.setdefault("section", Section.objects.exclude(kind="photo").first().pk)
    return client.post(reverse(UPLOAD_URL), {"documents": list(documents), **fields})


def assert_story_draft(article, user, byline):
    """Every field the importer fills, for story_document()."""
    assert article.title == "滨海县总工会举办春季招聘会"
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None
    assert article.section.name == "新闻速递"
    assert article.county_union.slug == "binhai"
    assert article.created_by == user and article.updated_by == user
    assert article.dateline == "滨海讯"
    assert article.body == EXPECTED_BODY
    assert [a.name for a in article.ordered_authors] == byline
    gallery = [entry.photo for entry in article.gallery.select_related("photo")]
    assert [photo.caption for photo in gallery] == [
        "招聘会现场，求职者在咨询岗位。",
        "工会志愿者为求职者讲解政策。",
    ]
    assert [photo.credit_line for photo in gallery] == [
        "黄思遥 周永祥 摄",
        "郁超 摄",
    ]
    assert article.cover_photo == gallery[0]
    for photo in gallery:
        assert photo.county_union.slug == "binhai"
        assert photo.uploaded_by == user
        assert photo.awaiting_original is False
        # Stored 120×60 with "rotate 90°"; kept upright and without EXIF.
        assert (photo.width, photo.height) == (60, 120)
        with photo.image.storage.open(photo.image.name) as stored:
            image = Image.open(io.BytesIO(stored.read()))
        assert dict(image.getexif()) == {}
        assert image.getpixel((30, 10))[0] > 180  # red on top
        assert image.getpixel((30, 110))[2] > 180  # blue below
        assert photo.rendition_widths == [60]


def test_correspondent_uploads_a_story_and_lands_on_its_draft(
    client, news, correspondent
):
    make_author("刘静", county_union=county("tinghu"))
    response = upload(client, correspondent, docx_upload(story_document()))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    assert_story_draft(article, correspondent, ["王芳", "刘静"])
    # 刘静 existed and is reused; 王芳 is new, in the draft's county.
    assert Author.objects.filter(name="刘静").count() == 1
    assert Author.objects.get(name="王芳").county_union.slug == "binhai"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "滨海县总工会举办春季招聘会" in page.content.decode()


@pytest.mark.parametrize(
    ("byline", "at", "names"),
    [
        ("通讯员 王芳 刘静", "top", ["王芳", "刘静"]),
        ("记者 张楠 通讯员 王芳", "bottom", ["张楠", "王芳"]),
        ("（滨海县总工会 刘静）", "top", ["刘静"]),
        ("（滨海县总工会 刘静）", "bottom", ["刘静"]),
        ("王芳 刘静", "bottom", ["王芳", "刘静"]),
    ],
)
def test_each_byline_form_becomes_ordered_authors(
    client, news, correspondent, byline, at, names
):
    upload(client, correspondent, docx_upload(story_document(byline=byline, byline_at=at)))
    article = Article.objects.get()
    assert [a.name for a in article.ordered_authors] == names
    assert byline not in article.body
    assert article.body == EXPECTED_BODY


def test_several_files_become_several_drafts_listed_with_links(
    client, news, correspondent
):
    response = upload(
        client,
        correspondent,
        docx_upload(story_document(pictures=0), "一.docx"),
        docx_upload(simple_document(), "二.docx"),
    )
    assert response.status_code == 302
    listed = client.get(response["Location"]).content.decode()
    drafts = Article.objects.order_by("pk")
    assert [a.title for a in drafts] == [
        "滨海县总工会举办春季招聘会",
        "阜宁县总工会开展送温暖活动",
    ]
    for article in drafts:
        assert article.status == Article.Status.DRAFT
        assert article.county_union.slug == "binhai"
        assert reverse("admin:articles_article_change", args=[article.pk]) in listed
    assert drafts[1].dateline == "本刊讯"
    assert drafts[1].body == "<p>节前，阜宁县总工会走访慰问困难职工。</p>"
    assert drafts[1].byline == "周永祥"


def test_editor_picks_the_county_and_section(client, news):
    editor = make_staff("editor", union=county("xiangshui"))
    topic = make_section(name="专题")
    upload(
        client,
        editor,
        docx_upload(simple_document()),
        county_union=county("funing").pk,
        section=topic.pk,
    )
    article = Article.objects.get()
    assert (article.county_union.slug, article.section) == ("funing", topic)


def test_correspondent_cannot_choose_another_county(client, news, correspondent):
    upload(
        client,
        correspondent,
        docx_upload(simple_document()),
        county_union=county("funing").pk,
    )
    assert Article.objects.get().county_union.slug == "binhai"


def test_photographer_may_not_import_stories(client, news):
    photographer = make_staff("photographer")
    client.force_login(photographer)
    assert client.get(reverse(UPLOAD_URL)).status_code == 403
    response = upload(client, photographer, docx_upload(simple_document()))
    assert response.status_code == 403
    assert Article.objects.exists() is False


def test_anonymous_is_sent_to_the_login(client, news):
    response = client.get(reverse(UPLOAD_URL))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_article_list_links_to_the_word_import(client, news, correspondent):
    client.force_login(correspondent)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse(UPLOAD_URL) in page
    assert "从 Word 导入" in page


def test_title_falls_back_to_the_file_name(client, news, correspondent):
    document = simple_document()
    document.paragraphs[0].style = document.styles["Normal"]
    document.paragraphs[0].text = "本刊讯 近日，射阳县总工会开展了职工技能大赛，共有200余名职工参加。"
    upload(client, correspondent, docx_upload(document, "射阳技能大赛.docx"))
    assert Article.objects.get().title == "射阳技能大赛"


def test_command_imports_drafts_and_prints_their_admin_urls(
    news, correspondent, tmp_path, capsys
):
    first, second = tmp_path / "招聘会.docx", tmp_path / "送温暖.docx"
    story_document(byline="王芳 刘静", byline_at="bottom").save(first)
    simple_document().save(second)
    call_command("import_story", str(first), str(second), "--as", "wangfang")
    output = capsys.readouterr().out.splitlines()
    drafts = list(Article.objects.order_by("pk"))
    assert len(drafts) == 2 and len(output) == 2
    for line, article in zip(output, drafts, strict=True):
        assert reverse("admin:articles_article_change", args=[article.pk]) in line
    assert_story_draft(drafts[0], correspondent, ["王芳", "刘静"])


def test_command_lets_an_editor_name_the_county(news, tmp_path):
    make_staff("editor", username="chief")
    path = tmp_path / "稿件.docx"
    simple_document().save(path)
    call_command("import_story", str(path), "--as", "chief", "--county", "dafeng")
    assert Article.objects.get().county_union.slug == "dafeng"


def test_command_refuses_a_correspondent_naming_another_county(
    news, correspondent, tmp_path
):
    path = tmp_path / "稿件.docx"
    simple_document().save(path)
    with pytest.raises(CommandError, match="本人所属的县级工会"):
        call_command("import_story", str(path), "--as", "wangfang", "--county", "dafeng")
    assert Article.objects.exists() is False


def test_command_reports_a_bad_file_and_writes_nothing(
    news, correspondent, tmp_path, media_root
):
    good, bad = tmp_path / "好.docx", tmp_path / "坏.docx"
    story_document().save(good)
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="坏.docx.*0 字节"):
        call_command("import_story", str(good), str(bad), "--as", "wangfang")
    assert Article.objects.exists() is False
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


def test_sections_of_photo_news_are_not_offered(client, news, correspondent):
    Section.objects.create(name="图说新闻", kind=Section.Kind.PHOTO)
    client.force_login(correspondent)
    page = client.get(reverse(UPLOAD_URL)).content.decode()
    assert "新闻速递" in page and "图说新闻" not in page


def test_the_drafts_first_revision_holds_its_byline_and_gallery(
    client, news, correspondent
):
    """The history (历史) can restore the draft as imported, bylines and
    pictures included."""
    from reversion.models import Version

    from articles.models import ArticleAuthor, ArticlePhoto

    upload(client, correspondent, docx_upload(story_document()))
    article = Article.objects.get()
    (version,) = Version.objects.get_for_object(article)
    kept = {
        (entry.content_type.model_class(), int(entry.object_id))
        for entry in version.revision.version_set.all()
    }
    rows = [*article.bylines.all(), *article.gallery.all()]
    assert {type(row) for row in rows} == {ArticleAuthor, ArticlePhoto}
    assert {(type(row), row.pk) for row in rows} <= kept
