"""Term checks: 禁用 blocks submit and every stage, 提示 needs acknowledging."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePhoto
from review import terms
from review.models import SignOff, Term
from tests.factories import make_photo
from tests.review_helpers import chained_section, desk, press, story
from tests.workflow_helpers import change_url

STARTER = Path(__file__).resolve().parent.parent / "review/data/starter_terms.csv"


@pytest.fixture
def term_list(db):
    Term.objects.create(word="北朝鲜", level="banned", suggestion="朝鲜", note="新华社")
    Term.objects.create(word="惟一", level="caution", suggestion="唯一", note="异形词")


def gallery_story(section, writer, caption):
    article = story(section, writer=writer, status="draft")
    ArticlePhoto.objects.create(article=article, photo=make_photo(caption), position=0)
    return article


@pytest.mark.parametrize(
    ("place", "fields"),
    [
        ("标题", {"title": "访北朝鲜代表团"}),
        ("正文", {"body": "<p>代表团来自北<strong>朝鲜</strong>。</p>"}),
        ("组图第1张说明", None),
    ],
)
def test_banned_term_blocks_submit_naming_term_and_place(
    client, term_list, place, fields
):
    people = desk()
    section = chained_section(3)
    writer = people["correspondent"]
    if fields is None:
        article = gallery_story(section, writer, "北朝鲜客人参观车间")
    else:
        article = story(section, writer=writer, status="draft", **fields)
    _status, shown = press(client, writer, article, "submit")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert shown and "“北朝鲜”" in shown[0] and place in shown[0] and "朝鲜" in shown[0]


def test_banned_term_in_cover_caption_blocks_submit(client, term_list):
    people = desk()
    article = story(
        chained_section(3),
        writer=people["correspondent"],
        status="draft",
        cover_photo=make_photo("北朝鲜客人"),
    )
    _status, shown = press(client, people["correspondent"], article, "submit")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert "封面图片说明" in shown[0]


@pytest.mark.parametrize("stages", [1, 3])
def test_banned_term_blocks_every_stage(client, term_list, stages):
    """A term added after submission still stops each stage (and the 1-stage
    editor's publish)."""
    people = desk()
    article = story(chained_section(stages), body="<p>访问北朝鲜。</p>")
    move, role = ("publish", "editor") if stages == 1 else ("sign_first", "editor")
    _status, shown = press(client, people[role], article, move)
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert "“北朝鲜”" in shown[0]
    if stages == 3:
        chain_done = SignOff.objects.filter(article=article).exists()
        assert chain_done is False


def test_caution_term_needs_acknowledgement(client, term_list):
    people = desk()
    article = story(chained_section(3), body="<p>这是惟一的办法。</p>")
    _status, shown = press(client, people["editor"], article, "sign_first")
    assert "已核对提示词" in shown[0] and "惟一" in shown[0]
    assert SignOff.objects.filter(article=article).exists() is False

    press(client, people["editor"], article, "sign_first", acknowledge_terms="on")
    signoff = SignOff.objects.get(article=article)
    assert signoff.acknowledged == [
        {"word": "惟一", "level": "caution", "place": "正文", "suggestion": "唯一"}
    ]
    client.force_login(people["chief"])
    page = client.get(change_url(article)).content.decode()
    assert 'name="acknowledge_terms"' in page  # the next signer confirms again


def test_change_form_highlights_hits_with_suggestion(client, term_list):
    people = desk()
    article = story(chained_section(3), title="惟一的选择", body="<p>北朝鲜</p>")
    client.force_login(people["editor"])
    page = client.get(change_url(article)).content.decode()
    assert "<mark>惟一</mark>" in page and "建议：唯一" in page
    assert "<mark>北朝鲜</mark>" in page and "建议：朝鲜" in page


def test_clean_story_says_so(client, term_list):
    people = desk()
    article = story(chained_section(3), title="职工运动会开幕")
    client.force_login(people["editor"])
    assert "没有发现禁用词和提示词" in client.get(change_url(article)).content.decode()


def test_matcher_follows_term_edits(term_list):
    article = story(chained_section(3), title="惟一的路")
    assert [hit.word for hit in terms.check_article(article)] == ["惟一"]
    first = terms.matcher()
    assert terms.matcher() is first  # built once per version of the list
    Term.objects.create(word="的路", level="caution")
    assert terms.matcher() is not first
    Term.objects.filter(word="惟一").delete()
    assert [hit.word for hit in terms.check_article(article)] == ["的路"]
    term = Term.objects.get(word="的路")
    term.level = "banned"
    term.save()
    assert terms.check_article(article)[0].banned is True


def test_longest_term_wins_and_paragraphs_do_not_join(db):
    matcher = terms.Matcher(
        [("工会", "caution", "", ""), ("总工会", "banned", "", ""), ("会员", "caution", "", "")]
    )
    hits = matcher.find("正文", terms.body_text("<p>市总工会</p><p>员工</p>"))
    assert [(hit.word, hit.start) for hit in hits] == [("总工会", 1)]


def test_import_terms_is_idempotent(db, tmp_path, capsys):
    call_command("import_terms", str(STARTER))
    count = Term.objects.count()
    assert count >= 80
    call_command("import_terms", str(STARTER))
    assert Term.objects.count() == count
    assert "新增 0 条，更新 0 条" in capsys.readouterr().out
    assert Term.objects.get(word="北朝鲜").level == Term.Level.BANNED

    changed = tmp_path / "changed.csv"
    changed.write_text("词语,级别,建议,说明\n北朝鲜,提示,朝鲜,改过\n新词,禁用,,\n")
    call_command("import_terms", str(changed))
    assert Term.objects.count() == count + 1
    term = Term.objects.get(word="北朝鲜")
    assert (term.level, term.note) == (Term.Level.CAUTION, "改过")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("词语,级别,建议,说明\n好词,提示,,\n坏行,禁止,,\n", "第 3 行：级别应为"),
        ("词语,级别,建议,说明\n,提示,,\n", "第 2 行：词语不能为空"),
        ("词,级,建,说\n好词,提示,,\n", "第 1 行应为表头"),
        ("词语,级别,建议,说明\n好词,提示,,\n好词,禁用,,\n", "第 3 行：词语“好词”与第 2 行重复"),
    ],
)
def test_import_terms_refuses_bad_rows_writing_nothing(db, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_terms", str(bad))
    assert Term.objects.exists() is False


def test_starter_list_cites_a_source_for_every_entry(db):
    call_command("import_terms", str(STARTER))
    assert Term.objects.filter(note="").exists() is False


def test_saving_names_the_hits(client, term_list):
    from django.contrib.messages import get_messages

    from tests.workflow_helpers import form_data

    people = desk()
    article = story(chained_section(3), writer=people["correspondent"], status="draft")
    client.force_login(people["correspondent"])
    response = client.post(
        change_url(article), form_data(article, body="<p>北朝鲜惟一</p>")
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    warning = next(m for m in shown if "用词检查" in m)
    assert "“北朝鲜”（禁用，正文，建议：朝鲜）" in warning and "惟一" in warning
    assert "禁用词改正后才能提交和审核" in warning


def test_saving_with_only_caution_terms_does_not_speak_of_banned_ones(
    client, term_list
):
    """A story with 提示 terms alone is not blocked; the warning must not say so."""
    from django.contrib.messages import get_messages

    from tests.workflow_helpers import form_data

    people = desk()
    article = story(chained_section(3), writer=people["correspondent"], status="draft")
    client.force_login(people["correspondent"])
    response = client.post(change_url(article), form_data(article, body="<p>惟一</p>"))
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    warning = next(m for m in shown if "用词检查" in m)
    assert "“惟一”（提示，正文，建议：唯一）" in warning
    assert "禁用词" not in warning
    assert "提示词不会阻止提交" in warning
