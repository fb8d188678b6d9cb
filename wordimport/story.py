"""Turn the blocks of one correspondent's .docx into a story; no database.

The title is the first heading or the first short centred or bold line; the
byline is a paragraph of names at the top or bottom ("通讯员 王芳 刘静",
"（滨海县总工会 刘静）", "王芳 刘静"); each picture takes the paragraph
under it as its caption and "NAMES 摄" (its own paragraph or the caption's
end) as its credits. What is left is the body, as plain HTML.
"""

import os
import re
from dataclasses import dataclass, field

from django.utils.html import escape

from articles.bulletin import (
    CREDIT_RE,
    DATELINE_RE,
    MAX_BYLINE_NAMES,
    MAX_TITLE,
    NAME,
    join_broken_paragraphs,
)

from .document import Block, read_blocks

TITLE_MAX_LENGTH = 60
CAPTION_MAX_LENGTH = 300
ROLES = {"通讯员", "特约通讯员", "记者", "作者", "撰稿", "文", "文字", "图", "摄影"}
ROLE_PREFIX = re.compile(r"^(特约通讯员|通讯员|记者|作者|撰稿)[:：]?(?=\S)")
# An organisation in a byline ("滨海县总工会"): longer than a name and
# ending like a unit's name does.
ORG_SUFFIXES = tuple("会局委办部厂司院校所站队镇村县区市") + ("中心", "集团", "街道", "社区")
SEPARATORS = re.compile(r"[ \u3000、，,/：:]+")
NAME_RE = re.compile(rf"^{NAME}$")
CAPTION_CREDIT_RE = re.compile(
    rf"^(?P<caption>.*?[。！？!?；;）)”\s\u3000])[（(]?[ \u3000]*"
    rf"(?P<names>{NAME}(?:[ \u3000]+{NAME})*)[ \u3000]*摄[）)]?$"
)
SENTENCE_END = tuple("。！？!?；;")


@dataclass
class StoryPhoto:
    picture: object
    caption: str
    credits: list


@dataclass
class ParsedStory:
    filename: str
    title: str
    body: str
    dateline: str = ""
    byline: list = field(default_factory=list)
    photos: list = field(default_factory=list)


def read_story(filename, data):
    """Check and read one .docx (bytes) into a ParsedStory, or raise DocumentError."""
    return parse_story(filename, read_blocks(filename, data))


def parse_story(filename, blocks):
    blocks = list(blocks)
    title = _take_title(blocks) or _title_from_name(filename)
    photos = _take_photos(blocks, title)
    byline = _take_byline(blocks)
    dateline = _take_dateline(blocks)
    body = _body_html(blocks)
    return ParsedStory(
        filename=filename,
        title=title[:MAX_TITLE],
        body=body,
        dateline=dateline,
        byline=byline,
        photos=photos,
    )


def _is_title_like(block):
    if block.kind in {"title", "heading"}:
        return True
    text = block.text
    return (
        block.kind == "paragraph"
        and len(text) <= TITLE_MAX_LENGTH
        and not text.endswith(SENTENCE_END)
        and (block.centred or block.all_bold)
        and byline_names(text) is None
    )


def _take_title(blocks):
    """Remove and return the title block's text, or "" when there is none."""
    texts = [i for i, block in enumerate(blocks) if block.kind != "picture"]
    if texts and _is_title_like(blocks[texts[0]]):
        return blocks.pop(texts[0]).text
    # A kicker line ("滨海县总工会") may stand above a styled heading.
    for i in texts[1:3]:
        if blocks[i].kind in {"title", "heading"}:
            return blocks.pop(i).text
    return ""


def _title_from_name(filename):
    return os.path.splitext(os.path.basename(filename))[0].strip() or "未命名稿件"


def byline_names(text):
    """The names of a byline paragraph in its printed order, or None."""
    text = text.strip()
    enclosed = re.fullmatch(r"[（(](.+)[）)]", text)
    if enclosed:
        text = enclosed[1]
    tokens = []
    for token in SEPARATORS.split(text):
        role = ROLE_PREFIX.match(token)
        if role:
            tokens += [role[1], token[role.end() :]]
        elif token:
            tokens.append(token)
    had_role = any(token in ROLES for token in tokens)
    tokens = [token for token in tokens if token not in ROLES]
    if (enclosed or had_role) and tokens and _is_org(tokens[0]):
        tokens = tokens[1:]
    if not tokens or len(tokens) > MAX_BYLINE_NAMES:
        return None
    if not all(NAME_RE.match(token) and not _is_org(token) for token in tokens):
        return None
    return list(dict.fromkeys(tokens))


def _is_org(token):
    return len(token) >= 4 and token.endswith(ORG_SUFFIXES)


def _split_credit(text):
    """(caption, credits) of a caption paragraph, credits [] if none."""
    whole = CREDIT_RE.match(text)
    if whole:
        return "", list(dict.fromkeys(whole["names"].split()))
    match = CAPTION_CREDIT_RE.match(text)
    if match:
        return match["caption"].strip(), list(dict.fromkeys(match["names"].split()))
    return text, []


def _take_photos(blocks, title):
    """Remove the pictures with their captions and credit lines from blocks."""
    photos = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind != "picture":
            i += 1
            continue
        blocks.pop(i)
        caption, credits = "", []
        below = blocks[i] if i < len(blocks) else None
        if (
            below is not None
            and below.kind == "paragraph"
            and len(below.text) <= CAPTION_MAX_LENGTH
        ):
            blocks.pop(i)
            caption, credits = _split_credit(below.text)
            after = blocks[i] if i < len(blocks) else None
            if not credits and after is not None and after.kind == "paragraph":
                credit = CREDIT_RE.match(after.text)
                if credit:
                    blocks.pop(i)
                    credits = list(dict.fromkeys(credit["names"].split()))
        photos.append(
            StoryPhoto(picture=block.picture, caption=caption or title, credits=credits)
        )
    return photos


def _take_byline(blocks):
    """Names from a byline paragraph at the top and/or bottom, in order."""
    paragraphs = [i for i, block in enumerate(blocks) if block.kind == "paragraph"]
    if not paragraphs:
        return []
    found = []
    for i in sorted({paragraphs[0], paragraphs[-1]}, reverse=True):
        names = byline_names(blocks[i].text)
        if names:
            blocks.pop(i)
            found = names + found
    return list(dict.fromkeys(found))


def _take_dateline(blocks):
    """"滨海讯" from the start of the first paragraph, which loses it."""
    for i, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        match = DATELINE_RE.match(block.text)
        if match:
            raw = "".join(text for text, _bold in block.runs)
            leading = len(raw) - len(raw.lstrip())
            blocks[i] = block.without_prefix(
                leading + len(block.text) - len(match["rest"])
            )
            return match["dateline"]
        return ""
    return ""


def _body_html(blocks):
    html, group, items = [], [], []

    def flush_paragraphs():
        for paragraph in join_broken_paragraphs(group, merge=Block.joined):
            html.append(f"<p>{paragraph.inline_html()}</p>")
        group.clear()

    def flush_items():
        if items:
            tag = "ol" if items[0].ordered else "ul"
            inner = "".join(f"<li>{item.inline_html()}</li>" for item in items)
            html.append(f"<{tag}>{inner}</{tag}>")
            items.clear()

    for block in blocks:
        if block.kind != "paragraph":
            flush_paragraphs()
        if block.kind != "item" or (items and items[0].ordered != block.ordered):
            flush_items()
        if block.kind == "paragraph":
            group.append(block)
        elif block.kind == "item":
            items.append(block)
        elif block.kind == "table":
            html.append(block.html)
        elif block.kind in {"heading", "title"}:
            tag = f"h{min(max(block.level, 1) + 1, 4)}"
            html.append(f"<{tag}>{escape(block.text)}</{tag}>")
    flush_paragraphs()
    flush_items()
    return "".join(html)
