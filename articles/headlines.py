"""Short headlines for photo news, derived from the caption (issue 19).

The bulletin prints photo news without headlines; readers' lists, the
item's page, feeds and an issue's contents need one. photo_headline() keeps
the first clause that names the event, without the time in front of it
("2月15日上午，", "节前，"), shortened at natural joints (where, by whom, a
slogan in quotes) until it fits, and cut only between words as a last
resort, never with "…". A pure function: the importer and the data
migration that rewrote older headlines both call it.
"""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

HEADLINE_LIMIT = 24
FALLBACK = "图说新闻"

# Brackets whose inside is never split or cut.
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』"}
_CLOSERS = set(_PAIRS.values())
# Where a sentence ends, and where a clause ends within one.
_SENTENCE_END = set("。！？!?；;…")
_CLAUSE_END = set("，,：:")
# Punctuation and spaces a headline neither starts nor ends with.
_LOOSE = "，,：:、。！？!?；;…·.- \u3000\"'"

_DATE = r"(?:\d{2,4}年)?(?:\d{1,2}月)?\d{1,2}[日号](?:上午|下午|中午|晚上|晚间|早上|凌晨|晚)?"
# A leading clause that only says when: a date, or a short time phrase.
_TIME_CLAUSE = re.compile(
    rf"^(?:{_DATE}|(?:近日|日前|近期|当天|当日|目前|今年以来|\d{{4}}年以来)"
    r"|.{0,8}(?:前|后|前夕|期间|之际|以来|当天|当日|上午|下午|晚上|第[一二三四五六七八九十\d]+天|伊始|之初))$"
)
# The same date at the head of a clause that goes on ("2月15日上午由…").
_DATE_HEAD = re.compile(rf"^{_DATE}(?=\S)")
_VERB = (
    "开展|举办|举行|召开|组织|启动|进行|开幕|闭幕|成立|走访|看望|慰问|签订|签约"
    "|发放|颁发|表彰|成功|隆重|顺利|圆满|热烈|为|向|对|与|和"
)
# Joints to drop, most dispensable first, while the headline is too long.
_SHORTENINGS = [
    # Where: "在东台市体育馆" before the verb.
    re.compile(rf"在[^，,“”《》（）()]{{2,16}}?(?=(?:{_VERB}))"),
    # By whom: "由东台市总工会协办的" in front of the event.
    re.compile(r"^由[^，,“”《》]{2,20}?的"),
    # A slogan in quotes that names the event before its noun.
    re.compile(r"“[^“”]{2,20}”(?=[^\W暨和与及等的])"),
    # How it went: "成功举办" reads as "举办".
    re.compile(r"(?:成功|隆重|顺利|圆满|热烈)(?=举办|举行|召开|开展|开幕|闭幕|完成)"),
]
# Words a cut headline must not end on: it would read as unfinished.
_DANGLING = set("的在由和与及为对将把被了着等从向于是并")


def photo_headline(caption, limit=HEADLINE_LIMIT):
    """A headline of at most `limit` characters for a photo-news caption."""
    clauses = _clauses(_first_sentence(caption))
    while len(clauses) > 1 and _TIME_CLAUSE.match(clauses[0]):
        clauses.pop(0)
    clause = _without_date_head(clauses[0]) if clauses else ""
    for shortening in _SHORTENINGS:
        if len(clause) <= limit:
            break
        shorter = shortening.sub("", clause, count=1).strip(_LOOSE)
        if shorter:
            clause = shorter
    if len(clause) > limit:
        clause = _cut_between_words(clause, limit)
    if not _balanced(clause):  # a bracket the caption itself left open
        clause = _unbracketed(clause)
    return clause or FALLBACK


def _without_date_head(clause):
    """The clause without the dates in front of it, unless that is all."""
    rest = clause
    while match := _DATE_HEAD.match(rest):
        rest = rest[match.end() :].strip(_LOOSE)
    return rest or clause


def _first_sentence(caption):
    """The caption up to its first full stop outside brackets."""
    text = _matched_only(" ".join(caption.split()))
    end = next(
        (i for i, depth in _depths(text) if depth == 0 and text[i] in _SENTENCE_END),
        len(text),
    )
    return text[:end].replace("…", "")


def _clauses(sentence):
    """The sentence split at commas and colons outside brackets."""
    clauses, start = [], 0
    for i, depth in _depths(sentence):
        if depth == 0 and sentence[i] in _CLAUSE_END:
            clauses.append(sentence[start:i])
            start = i + 1
    clauses.append(sentence[start:])
    return [clause.strip(_LOOSE) for clause in clauses if clause.strip(_LOOSE)]


def _matched_only(text):
    """The text without brackets that open or close nothing."""
    unmatched, open_brackets = set(), []
    for i, char in enumerate(text):
        if open_brackets and char == _PAIRS[text[open_brackets[-1]]]:
            open_brackets.pop()
        elif char in _PAIRS:
            open_brackets.append(i)
        elif char in _CLOSERS:
            unmatched.add(i)
    unmatched.update(open_brackets)
    return "".join(char for i, char in enumerate(text) if i not in unmatched)


def _depths(text):
    """(index, bracket depth before the character) for each character."""
    open_brackets = []
    for i, char in enumerate(text):
        yield i, len(open_brackets)
        if open_brackets and char == _PAIRS[open_brackets[-1]]:
            open_brackets.pop()
        elif char in _PAIRS:
            open_brackets.append(char)


def _cut_between_words(text, limit):
    """The longest run of whole words from the start that fits, has its
    brackets closed and does not end on a word that leaves it hanging."""
    ends, position, depth_at = [], 0, dict(_depths(text))
    for word in jieba.cut(text, HMM=False):
        position += len(word)
        ends.append(position)
    for end in reversed(ends):
        if end > limit:
            continue
        head = text[:end].rstrip(_LOOSE)
        closed = end == len(text) or depth_at.get(end, 0) == 0
        if head and closed and _balanced(head) and head[-1] not in _DANGLING:
            return head
    # No joint fits (one long word or name, or a bracket left open in the
    # caption): the words that fit, without their brackets.
    fitting = [end for end in ends if end <= limit]
    return _unbracketed(text[: fitting[-1]]) if fitting else ""


def _balanced(text):
    return all(
        text.count(opener) == text.count(closer) for opener, closer in _PAIRS.items()
    )


def _unbracketed(text):
    kept = (char for char in text if char not in _PAIRS and char not in _CLOSERS)
    return "".join(kept).strip(_LOOSE)
