"""The term checker: one Aho–Corasick automaton over the whole term list.

The automaton is built once per version of the list and kept in the
process; every check asks the database for the list's version (one small
aggregate) so an edit made through another server is seen at once.
"""

import html
import re
import threading
from dataclasses import dataclass

import ahocorasick
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Term

CONTEXT = 12  # characters shown on each side of a hit

# Block-level ends become line breaks, so words of two paragraphs never join.
BLOCK_END = re.compile(r"<(?:br|/p|/h[1-6]|/li|/div|/blockquote|/td|/tr)\b[^>]*>", re.I)


@dataclass(slots=True)
class Hit:
    word: str
    level: str
    suggestion: str
    note: str
    place: str
    start: int
    before: str
    after: str

    @property
    def banned(self):
        return self.level == Term.Level.BANNED

    @property
    def level_label(self):
        return Term.Level(self.level).label

    def as_record(self):
        return {
            "word": self.word,
            "level": self.level,
            "place": self.place,
            "suggestion": self.suggestion,
        }


class Matcher:
    """All terms in one automaton: a text is read once, whatever the count."""

    def __init__(self, terms):
        self.automaton = ahocorasick.Automaton()
        for word, level, suggestion, note in terms:
            if word:
                self.automaton.add_word(word, (word, level, suggestion, note))
        self.size = len(self.automaton)
        if self.size:
            self.automaton.make_automaton()

    def find(self, place, text):
        """Hits in text, leftmost-longest and not overlapping."""
        if not self.size or not text:
            return []
        hits = []
        for end, (word, level, suggestion, note) in self.automaton.iter_long(text):
            start = end - len(word) + 1
            hits.append(
                Hit(
                    word=word,
                    level=level,
                    suggestion=suggestion,
                    note=note,
                    place=str(place),
                    start=start,
                    before=text[max(0, start - CONTEXT) : start],
                    after=text[end + 1 : end + 1 + CONTEXT],
                )
            )
        return hits

    def check(self, texts):
        """Hits of every (place, text) pair, in order."""
        return [hit for place, text in texts for hit in self.find(place, text)]


_built = {"version": None, "matcher": None}
_lock = threading.Lock()


def list_version():
    """Changes whenever a term is added, edited or deleted."""
    found = Term.objects.aggregate(
        count=Count("pk"), changed=Max("updated_at"), last=Max("pk")
    )
    return (found["count"], found["changed"], found["last"])


def matcher():
    """The process's automaton for the current term list."""
    version = list_version()
    if _built["version"] == version:
        return _built["matcher"]
    with _lock:
        if _built["version"] != version:
            terms = Term.objects.values_list("word", "level", "suggestion", "note")
            _built["matcher"] = Matcher(terms.iterator())
            _built["version"] = version
    return _built["matcher"]


def body_text(body):
    """The body as a reader sees it: tags gone, entities decoded."""
    return html.unescape(strip_tags(BLOCK_END.sub("\n", body or "")))


def article_texts(article):
    """(place, text) of everything a reader reads in the story."""
    texts = [
        (_("标题"), article.title),
        (_("摘要"), article.summary),
        (_("正文"), body_text(article.body)),
    ]
    if article.cover_photo_id:
        texts.append((_("封面图片说明"), article.cover_photo.caption))
    gallery = article.gallery.select_related("photo").order_by("position")
    for number, entry in enumerate(gallery, start=1):
        texts.append(
            (_("组图第%(number)d张说明") % {"number": number}, entry.photo.caption)
        )
    return texts


def check_article(article):
    return matcher().check(article_texts(article))


def refuse_banned(hits):
    """Raise naming every 禁用 term and where it stands."""
    banned = [hit for hit in hits if hit.banned]
    if not banned:
        return
    parts = []
    for hit in banned:
        part = _("“%(word)s”（%(place)s）") % {"word": hit.word, "place": hit.place}
        if hit.suggestion:
            part += _("，建议：%(suggestion)s") % {"suggestion": hit.suggestion}
        parts.append(part)
    raise ValidationError(
        _("稿件含禁用词，请修改后再提交或审核：%(terms)s。") % {"terms": "；".join(parts)},
        code="banned_term",
    )


def caution_hits(hits):
    return [hit for hit in hits if not hit.banned]


def warn_on_save(request, article):
    """After an admin save: name every hit, so the writer sees it at once."""
    from django.contrib import messages

    hits = check_article(article)
    if not hits:
        return
    parts = [
        _("“%(word)s”（%(level)s，%(place)s%(suggestion)s）")
        % {
            "word": hit.word,
            "level": hit.level_label,
            "place": hit.place,
            "suggestion": _("，建议：%(s)s") % {"s": hit.suggestion}
            if hit.suggestion
            else "",
        }
        for hit in hits
    ]
    if any(hit.banned for hit in hits):
        advice = _("禁用词改正后才能提交和审核。")
    else:
        # Only 提示 terms: nothing is blocked, so say nothing is.
        advice = _("提示词不会阻止提交，请核对后酌情修改。")
    messages.warning(
        request,
        _("用词检查发现 %(count)d 处：%(hits)s。%(advice)s")
        % {"count": len(hits), "hits": "；".join(parts), "advice": advice},
    )
