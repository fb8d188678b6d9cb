"""Photo-news headlines derived from captions: examples and properties."""

import re

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.headlines import HEADLINE_LIMIT, photo_headline

PUNCTUATION = set("，,：:、。！？!?；;…·.- \u3000")
PAIRS = [("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")")]


@pytest.mark.parametrize(
    ("caption", "headline"),
    [
        # The seed bulletin's four items.
        (
            "2月15日上午,由东台市总工会协办的“乐业家乡 创响东台”2024东台市新春"
            "引才用工综合招聘会在东台市体育馆成功举办。此次招聘活动进场招聘单位206家。",
            "2024东台市新春引才用工综合招聘会成功举办",
        ),
        (
            "节前,射阳县总工会在射阳物流派送中心开展“红心向党 暖‘新’同行”慰问活动,"
            "为300位新业态劳动者发放粮油、被子等慰问礼包。",
            "射阳县总工会开展慰问活动",
        ),
        (
            "龙年春节上班第一天,阜宁县总工会召开“走在前列”新春座谈会。整个会议过程紧凑。",
            "阜宁县总工会召开“走在前列”新春座谈会",
        ),
        (
            "节前,射阳港发电公司成功举办迎新春联欢会,公司领导班子、部分中层干部、"
            "扩建全体员工、各分工会代表130多人欢聚一堂,共贺新年到来。",
            "射阳港发电公司成功举办迎新春联欢会",
        ),
        # Other captions of the kind the bulletin prints.
        (
            "1月25日，市总工会一行来到东台市，看望慰问困难职工。",
            "市总工会一行来到东台市",
        ),
        ("近日，滨海县总工会举办职工书画展。", "滨海县总工会举办职工书画展"),
        ("3月8日下午建湖县总工会召开女职工座谈会。", "建湖县总工会召开女职工座谈会"),
        (
            "3月8日，盐城市总工会在市职工文化中心隆重召开庆祝“三八”国际劳动妇女节暨表彰大会。",
            "盐城市总工会隆重召开庆祝国际劳动妇女节暨表彰大会",
        ),
        ("大丰区职工篮球赛开幕", "大丰区职工篮球赛开幕"),
        ("。。。", "图说新闻"),
    ],
)
def test_headline_of_a_caption(caption, headline):
    assert photo_headline(caption) == headline


TIME = st.sampled_from(
    [
        "",
        "1月25日，",
        "2月15日上午,",
        "12月3日下午，",
        "节前，",
        "近日，",
        "日前,",
        "龙年春节上班第一天，",
        "2024年3月8日，",
        "元旦前夕，",
    ]
)
SUBJECT = st.sampled_from(
    [
        "盐城市总工会",
        "射阳县总工会",
        "东台市总工会",
        "滨海县供电公司",
        "亭湖区工会",
        "阜宁县总工会女职工委员会",
        "大丰港",
        "盐都区总工会劳模工匠宣讲团",
    ]
)
PLACE = st.sampled_from(
    ["", "在市职工文化中心", "在射阳物流派送中心", "在东台市体育馆", "在企业车间"]
)
VERB = st.sampled_from(["开展", "举办", "召开", "成功举办", "隆重召开", "组织", "看望"])
SLOGAN = st.sampled_from(
    ["", "“红心向党 暖‘新’同行”", "“走在前列”", "“乐业家乡 创响东台”", "《职工之家》"]
)
EVENT = st.sampled_from(
    [
        "慰问活动",
        "新春座谈会",
        "职工技能竞赛",
        "迎新春联欢会",
        "困难职工",
        "新就业形态劳动者入会集中行动",
        "劳动法律法规宣传咨询活动",
    ]
)
REST = st.sampled_from(
    [
        "",
        "，为300位新业态劳动者发放慰问礼包",
        "，共贺新年到来",
        "，气氛热烈",
        "，此次活动进场单位206家，提供岗位8600个",
    ]
)
MORE = st.sampled_from(["", "整个会议过程紧凑。", "此次活动共有130多人参加！"])


@st.composite
def bulletin_captions(draw):
    """Captions built the way the bulletin writes them, with their parts."""
    parts = {
        "time": draw(TIME),
        "subject": draw(SUBJECT),
        "place": draw(PLACE),
        "verb": draw(VERB),
        "slogan": draw(SLOGAN),
        "event": draw(EVENT),
    }
    caption = "".join(parts.values()) + draw(REST) + "。" + draw(MORE)
    return caption, parts


ANY_CAPTION = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.sampled_from(list("。，,！？“”‘’《》（）…、：; 0123456789abc月日年前")),
    ),
    min_size=1,
    max_size=120,
)


def assert_is_a_headline(headline):
    assert 0 < len(headline) <= HEADLINE_LIMIT
    assert "…" not in headline and "..." not in headline
    assert headline[0] not in PUNCTUATION and headline[-1] not in PUNCTUATION
    for opener, closer in PAIRS:
        assert headline.count(opener) == headline.count(closer), headline
    # Deriving again from the headline changes nothing.
    assert photo_headline(headline) == headline


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(bulletin_captions())
def test_headline_of_a_bulletin_caption_names_the_event(example):
    caption, parts = example
    headline = photo_headline(caption)
    assert_is_a_headline(headline)
    # The clause naming the event: its subject first, never the time.
    assert headline.startswith(parts["subject"]), (caption, headline)
    assert not re.match(r"\d{1,4}[年月日]|节前|近日|日前", headline)
    # Never cut inside a word: the headline's last word is one of the
    # caption's own words.
    caption_words = set(jieba.lcut(caption, HMM=False))
    assert jieba.lcut(headline, HMM=False)[-1] in caption_words, (caption, headline)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ANY_CAPTION)
def test_headline_of_any_text_is_short_whole_and_without_ellipsis(caption):
    headline = photo_headline(caption)
    assert_is_a_headline(headline)
    if re.search(r"[\u4e00-\u9fff]", caption) and not caption.startswith(
        tuple("0123456789")
    ):
        assert not re.match(r"\d{1,2}月\d{1,2}日", headline), (caption, headline)


def test_headline_fits_when_the_first_clause_is_short():
    caption = "射阳县总工会开展慰问活动，为300位新业态劳动者发放粮油。"
    assert photo_headline(caption) == "射阳县总工会开展慰问活动"
