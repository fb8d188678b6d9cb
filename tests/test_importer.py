import pytest
from django.core.management import CommandError, call_command

from articles.bulletin import BulletinError, join_broken_paragraphs, parse_bulletin
from articles.models import Article, Author, Photo, Section
from articles.services import import_bulletin

SEED_BYLINES = {
    "响水县总工会 “三聚焦”助推新就业形态职工建会入会": ("刁洪斌", "xiangshui"),
    "滨海县开展“双维”集体协商": ("刘义昂 尹仁军", "binhai"),
    "大丰区总工会联合举办新春招聘会": ("王娟", "dafeng"),
    "亭湖区总工会助力工会社工赋能成长": ("刘静 杨真真 刘保顺", "tinghu"),
    "建湖县总工会坚持“四抓”用心用情服务职工": ("李婷婷", "jianhu"),
    "盐都区总工会助推企业培育发展新质生产力": ("卞刚 曹留洋 潘海滨", "yandu"),
}
SEED_PHOTOS = [
    ("东台市新春引才用工综合招聘会", "秦西江 张楠 摄", "dongtai"),
    ("射阳物流派送中心", "郁超 摄", "sheyang"),
    ("阜宁县总工会召开", "黄思遥 周永祥 摄", "funing"),
    ("射阳港发电公司", "刘春阳 王海波 摄", "sheyang"),
]


def articles_by_title():
    return {a.title: a for a in Article.objects.for_detail()}


def test_seed_imports_six_articles_with_bylines_in_order(seeded):
    articles = articles_by_title()
    for title, (byline, county_slug) in SEED_BYLINES.items():
        assert articles[title].byline == byline
        assert articles[title].county_union.slug == county_slug


def test_seed_photo_items_keep_credits_and_counties(seeded):
    items = Article.objects.filter(section__kind=Section.Kind.PHOTO).for_detail()
    assert items.count() == 4
    for fragment, credit, county_slug in SEED_PHOTOS:
        item = next(a for a in items if fragment in a.cover_photo.caption)
        assert item.cover_photo.credit_line == credit
        assert item.county_union.slug == county_slug
        assert item.cover_photo.awaiting_original is True


def test_seed_sections_and_kinds(seeded):
    kinds = dict(Section.objects.values_list("name", "kind"))
    assert kinds == {
        "新闻速递": Section.Kind.NEWS,
        "谱写绿色盐城新篇章 书写工会工作新答卷": Section.Kind.TOPIC,
        "图说新闻": Section.Kind.PHOTO,
    }


def test_seed_summary_counts(seeded):
    assert (seeded.sections, seeded.articles, seeded.photos) == (3, 10, 4)
    assert seeded.authors == Author.objects.count() == 18


def test_broken_paragraphs_are_joined(seeded):
    body = Article.objects.get(title="亭湖区总工会助力工会社工赋能成长").body
    assert "工作质量、效率" in body
    assert "理论业务知识" in body
    assert "成效明显的" in body


def test_dateline_is_split_from_body(seeded):
    article = Article.objects.get(title="滨海县开展“双维”集体协商")
    assert article.dateline == "本刊讯"
    assert article.body.startswith("<p>近日")


def test_importing_twice_changes_nothing(seeded, seed_text):
    counts = (Article.objects.count(), Photo.objects.count(), Author.objects.count())
    again = import_bulletin(text=seed_text, publish=True)
    assert again.articles == 0 and again.skipped == 10
    assert counts == (
        Article.objects.count(),
        Photo.objects.count(),
        Author.objects.count(),
    )


def test_four_name_byline_keeps_order(db):
    text = "## 新闻速递\n\n### 四人稿件\n\n正文一段。\n\n张三 李四 王五 赵六六\n"
    import_bulletin(text=text, publish=False)
    assert Article.objects.for_listing().get().byline == "张三 李四 王五 赵六六"


def test_new_section_name_is_created(db):
    text = "## 劳模风采\n\n### 一位劳模\n\n正文。\n\n张三\n"
    import_bulletin(text=text, publish=False)
    assert Section.objects.filter(name="劳模风采").exists() is True


def test_unpublished_import_is_draft(db):
    text = "## 新闻速递\n\n### 草稿稿件\n\n正文。\n\n张三\n"
    import_bulletin(text=text, publish=False)
    assert Article.objects.get().status == Article.Status.DRAFT
    assert Article.objects.published().exists() is False


def test_paragraph_ending_in_punctuation_is_not_joined():
    from articles.bulletin import Paragraph

    joined = join_broken_paragraphs(
        [Paragraph("第一段。", 1), Paragraph("第二段未完", 3), Paragraph("续上。", 5)]
    )
    assert [p.text for p in joined] == ["第一段。", "第二段未完续上。"]


def test_missing_byline_names_the_line(db):
    text = "## 新闻速递\n\n### 无署名\n\n第一段。\n\n第二段也是正文，不是署名。\n"
    with pytest.raises(BulletinError) as error:
        import_bulletin(text=text, publish=True)
    assert error.value.line == 7
    assert "缺少署名" in str(error.value)
    assert Article.objects.exists() is False


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_file_is_rejected(db, text):
    with pytest.raises(BulletinError, match="空"):
        import_bulletin(text=text, publish=True)


def test_text_before_first_section_is_rejected():
    with pytest.raises(BulletinError) as error:
        parse_bulletin("开头的文字\n\n## 新闻速递\n")
    assert error.value.line == 1


def test_photo_caption_without_credit_is_rejected():
    with pytest.raises(BulletinError, match="摄影署名"):
        parse_bulletin("## 图说新闻\n\n一张图片的说明。\n")


def test_photo_headline_over_200_characters_is_rejected():
    # PostgreSQL would refuse the row; the importer names the line instead.
    text = "## 图说新闻\n\n### " + "一" * 201 + "\n\n说明。\n\n张三 摄\n"
    with pytest.raises(BulletinError, match="200") as error:
        parse_bulletin(text)
    assert error.value.line == 3


def test_malformed_file_imports_nothing(db, media_root):
    # A good section and photo come first; the bad article after them must
    # roll the whole import back, files included.
    text = (
        "## 图说新闻\n\n说明文字。\n\n张三 摄\n\n"
        "## 新闻速递\n\n### 坏稿件\n\n正文\n\n这里不是署名而是一句话。\n"
    )
    with pytest.raises(BulletinError):
        import_bulletin(text=text, publish=True)
    assert Section.objects.exists() is False
    assert Photo.objects.exists() is False
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_failure_mid_import_removes_written_files(db, media_root, seed_text):
    def fail_after_first_photo(done, total, title, created):
        if Photo.objects.exists():
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        import_bulletin(text=seed_text, publish=True, progress=fail_after_first_photo)
    assert Article.objects.exists() is False
    assert Photo.objects.exists() is False
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_command_reports_summary(db, capsys):
    from tests.conftest import SEED

    call_command("import_bulletin", str(SEED), "--publish", "--date", "2024-02-20")
    out = capsys.readouterr().out
    assert "[10/10]" in out
    assert "稿件 10 篇" in out and "图片 4 张" in out and "作者 18 位" in out
    assert Article.objects.published().count() == 10


def test_command_error_is_clear_and_chinese(db, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        "## 新闻速递\n\n### 标题\n\n正文\n\n不是署名的一句话。\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="第 7 行"):
        call_command("import_bulletin", str(bad))


def test_command_rejects_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_bulletin", "x.md", "--date", "2024/02/20")


@pytest.mark.parametrize(
    "text",
    [
        "## 新闻速递\n\n### 标题\n\n正文。\n\n王晓 李明 王晓\n",
        "## 图说新闻\n\n图片说明。\n\n张楠 张楠 摄\n",
    ],
)
def test_a_person_named_twice_in_a_byline_is_rejected(text):
    with pytest.raises(BulletinError, match="王晓|张楠"):
        parse_bulletin(text)
