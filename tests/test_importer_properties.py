"""Property test: any text either imports whole or raises BulletinError.

Hypothesis writes bulletins from the format's own pieces (section and
article headings, paragraphs, bylines, photo credits) mixed with arbitrary
text, so examples reach deep into the parser and the writer.
"""

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from articles.bulletin import BulletinError, parse_bulletin
from articles.models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Photo,
    PhotoCredit,
    Section,
)
from articles.services import import_bulletin
from security.text import clean_text

MODELS = [Article, ArticleAuthor, ArticlePhoto, Author, Photo, PhotoCredit, Section]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
NAME = st.text(HAN, min_size=2, max_size=4)
NAMES = st.lists(NAME, min_size=1, max_size=3).map(" ".join)
ANY_TEXT = st.text(max_size=80)
PROSE = st.one_of(
    st.text(
        st.one_of(HAN, st.sampled_from("。，！？ “”（）0123456789ab")), max_size=60
    ),
    ANY_TEXT,
)
LINE = st.one_of(
    st.builds("## {}".format, st.one_of(st.just("图说新闻"), NAME, ANY_TEXT)),
    st.builds(
        "### {}".format, st.one_of(PROSE, st.text(HAN, min_size=199, max_size=202))
    ),
    PROSE,
    NAMES,
    st.builds("{} 摄".format, NAMES),
    st.just(""),
    st.just("# 盐城工会通讯"),
    ANY_TEXT,
)
ARTICLE = st.builds(
    lambda title, dateline, paragraphs, byline: [
        f"### {title}",
        "",
        *[f"{dateline}{p}" if i == 0 else p for i, p in enumerate(paragraphs)],
        "",
        byline,
    ],
    st.one_of(NAME, PROSE),
    st.sampled_from(["", "本刊讯 ", "响水讯 "]),
    st.lists(PROSE.map(lambda p: p + "。"), min_size=1, max_size=3),
    NAMES,
)
PHOTO = st.builds(lambda caption, names: [caption, "", f"{names} 摄", ""], PROSE, NAMES)
SECTION = st.one_of(
    st.builds(
        lambda name, items: [f"## {name}", ""] + sum(items, []),
        st.one_of(NAME, PROSE),
        st.lists(ARTICLE, min_size=1, max_size=3),
    ),
    st.builds(
        lambda items: ["## 图说新闻", ""] + sum(items, []),
        st.lists(PHOTO, min_size=1, max_size=2),
    ),
)


@st.composite
def bulletins(draw):
    """A well-formed bulletin, then a few random edits to some of them."""
    lines = sum(draw(st.lists(SECTION, min_size=1, max_size=3)), [])
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            lines.insert(at, draw(LINE))
        elif lines and at < len(lines):
            if action == "delete":
                del lines[at]
            else:
                lines[at] = draw(LINE)
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


# Mostly near-valid bulletins, so about half the examples really import.
BULLETIN = st.one_of(
    bulletins(),
    bulletins(),
    bulletins(),
    st.lists(LINE, max_size=14).map("\n".join),
    ANY_TEXT,
)
FAST = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def media_files(root):
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.django_db
@FAST
@given(text=BULLETIN)
def test_any_text_imports_whole_or_raises_bulletin_error(text, media_root):
    before, files_before = counts(), media_files(media_root)
    try:
        summary = import_bulletin(text=text, publish=True)
    except BulletinError as error:
        event("rejected")
        assert str(error).startswith("第 ")
        assert counts() == before
        assert media_files(media_root) == files_before
        return
    event(f"imported {summary.articles} articles, {summary.photos} photos")
    after = counts()
    assert after["Article"] - before["Article"] == summary.articles
    assert after["Section"] - before["Section"] == summary.sections
    assert after["Author"] - before["Author"] == summary.authors
    assert after["Photo"] - before["Photo"] == summary.photos
    new_files = {
        str(path.relative_to(media_root))
        for path in media_files(media_root) - files_before
    }
    originals = {name for name in new_files if name.startswith("photos/")}
    assert len(originals) == summary.photos
    # Every other new file is a rendition of one of those originals.
    stems = {name.rsplit(".", 1)[0] for name in originals}
    assert {name.rsplit("/", 1)[0] for name in new_files - originals} <= {
        f"renditions/{stem}" for stem in stems
    }
    # The service cleans unsafe characters (security.text) before parsing.
    parsed = parse_bulletin(clean_text(text))
    assert summary.articles + summary.skipped == sum(len(s.items) for s in parsed)


@pytest.mark.django_db
@FAST
@given(text=BULLETIN)
# Found by Hypothesis on PostgreSQL: a tab in a heading is stored as a space,
# and the second import looked for the heading as typed.
@example(text="## 0\t0\n\n### 一\t一\n\n。\n\n一一")
def test_a_second_import_changes_nothing(text):
    try:
        import_bulletin(text=text, publish=True)
    except BulletinError:
        return
    event("imported")
    before = counts()
    summary = import_bulletin(text=text, publish=True)
    assert summary.articles == 0
    assert counts() == before


def test_the_strategy_reaches_successful_imports():
    """Not every example is an error: the format pieces build real bulletins."""
    text = "\n".join(["## 新闻速递", "### 标题", "", "本刊讯 正文。", "", "王晓 李明"])
    assert len(parse_bulletin(text)[0].items) == 1
