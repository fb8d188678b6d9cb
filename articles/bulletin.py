"""Parse the bulletin text format into sections, articles and photo items.

The format (see shared/seed): "## 栏目" starts a section, "### 标题" an
article whose last paragraph is its byline, a line of names separated by
spaces. In a photo-news section each item is a caption followed by a line
"NAMES 摄". Parsing touches no database, so a malformed file is rejected
before anything is written.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .headlines import photo_headline

PHOTO_SECTION_NAMES = {"图说新闻"}
# A personal name: two to five Han characters, "·" allowed for minority names.
NAME = r"[\u3400-\u9fff][\u3400-\u9fff·]{1,5}"
NAMES_RE = re.compile(rf"^{NAME}(?:[ \u3000]+{NAME})*$")
CREDIT_RE = re.compile(rf"^(?P<names>{NAME}(?:[ \u3000]+{NAME})*)[ \u3000]*摄$")
DATELINE_RE = re.compile(r"^(?P<dateline>\S{1,8}讯)[ \u3000]+(?P<rest>\S.*)$")
# A paragraph ending in one of these is complete; any other ending means the
# print layout broke it and the next paragraph continues it.
CLOSING = tuple("。！？!?…；;：:”’」』）)】》")
MAX_BYLINE_NAMES = 8
MAX_TITLE = 200


class BulletinError(ValueError):
    """A malformed bulletin; the message names the line."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(
            _("第 %(line)d 行：%(message)s") % {"line": line, "message": message}
        )


@dataclass
class Paragraph:
    text: str
    line: int


@dataclass
class ParsedArticle:
    title: str
    line: int
    byline: list
    dateline: str = ""
    paragraphs: list = field(default_factory=list)


@dataclass
class ParsedPhoto:
    caption: str
    line: int
    credits: list
    title: str = ""
    # The picture itself when the source has one (a .docx): anything with
    # .name and .blob; without it the import stores a placeholder.
    picture: object = None


@dataclass
class ParsedSection:
    name: str
    line: int
    is_photo_news: bool
    items: list = field(default_factory=list)


def split_names(text):
    return [name for name in re.split(r"[ \u3000]+", text.strip()) if name]


def unique_names(text, line):
    """The names of a byline or credit; one person named twice is an error."""
    names = split_names(text)
    for name in names:
        if names.count(name) > 1:
            raise BulletinError(
                line, _("署名中“%(name)s”出现了两次。") % {"name": name}
            )
    return names


def is_byline(text):
    return bool(NAMES_RE.match(text)) and len(split_names(text)) <= MAX_BYLINE_NAMES


def is_broken(text):
    """True when a paragraph stops mid-sentence, so the next one continues it."""
    return not text.endswith(CLOSING)


def join_broken_paragraphs(paragraphs, merge=None):
    """Join paragraphs the print layout split mid-sentence ("工作质" / "量…").

    `merge(first, second)` joins two paragraphs of another kind (a .docx
    paragraph keeps its bold runs); anything with .text works.
    """
    if merge is None:

        def merge(first, second):
            return Paragraph(first.text + second.text, first.line)

    joined = []
    for paragraph in paragraphs:
        if joined and is_broken(joined[-1].text):
            joined[-1] = merge(joined[-1], paragraph)
        else:
            joined.append(paragraph)
    return joined


def _paragraphs(lines):
    """Group (line number, text) pairs into paragraphs split by blank lines."""
    paragraphs, current = [], []
    for number, text in lines:
        if text:
            current.append((number, text))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return [
        Paragraph("".join(text for _n, text in group), group[0][0])
        for group in paragraphs
    ]


def _build_article(title, title_line, lines):
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        raise BulletinError(
            title_line, _("稿件《%(title)s》没有正文和署名。") % {"title": title}
        )
    last = paragraphs[-1]
    if not is_byline(last.text):
        raise BulletinError(
            last.line,
            _(
                "稿件《%(title)s》缺少署名：最后一段应是以空格分隔的作者姓名，现在是“%(text)s”。"
            )
            % {"title": title, "text": last.text[:30]},
        )
    body = join_broken_paragraphs(paragraphs[:-1])
    if not body:
        raise BulletinError(
            title_line, _("稿件《%(title)s》只有署名，没有正文。") % {"title": title}
        )
    byline = unique_names(last.text, last.line)
    article = ParsedArticle(title=title, line=title_line, byline=byline)
    match = DATELINE_RE.match(body[0].text)
    if match:
        article.dateline = match["dateline"]
        body[0] = Paragraph(match["rest"], body[0].line)
    article.paragraphs = [p.text for p in body]
    return article


def _build_photos(section, lines):
    caption, caption_line, title = [], None, ""
    for paragraph in _paragraphs(lines):
        if paragraph.text.startswith("###"):
            title = paragraph.text.lstrip("#").strip()
            if len(title) > MAX_TITLE:
                raise BulletinError(paragraph.line, _("稿件标题超过 200 个字。"))
            continue
        credit = CREDIT_RE.match(paragraph.text)
        if credit:
            if not caption:
                raise BulletinError(paragraph.line, _("摄影署名前缺少图片说明。"))
            text = "".join(caption)
            section.items.append(
                ParsedPhoto(
                    caption=text,
                    line=caption_line,
                    credits=unique_names(credit["names"], paragraph.line),
                    title=title or photo_headline(text),
                )
            )
            caption, caption_line, title = [], None, ""
        else:
            caption.append(paragraph.text)
            caption_line = caption_line or paragraph.line
    if caption:
        raise BulletinError(
            caption_line, _("图片说明后缺少摄影署名（形如“张三 李四 摄”）。")
        )


def parse_bulletin(text):
    """Parse bulletin text into a list of ParsedSection, or raise BulletinError."""
    if not text or not text.strip():
        raise BulletinError(1, _("文件是空的。"))
    if "\x00" in text:
        raise BulletinError(1, _("文件含有二进制内容，不是文本。"))
    return parse_lines(enumerate(text.splitlines(), start=1))


def parse_lines(lines):
    """Parse (number, text) lines of the bulletin format into ParsedSections.

    The Markdown text numbers its lines; a .docx reader numbers paragraphs
    and writes its headings as "##" and "###" lines, so both share one parser.
    """
    sections = []
    section, title, title_line, block = None, None, None, []

    def close_block():
        if section is None:
            return
        if section.is_photo_news:
            _build_photos(section, block)
        elif title is not None:
            section.items.append(_build_article(title, title_line, block))
        elif any(text for _n, text in block):
            first = next(n for n, text in block if text)
            raise BulletinError(
                first,
                _("栏目“%(name)s”中的正文前缺少“### 标题”。") % {"name": section.name},
            )

    for number, raw in lines:
        line = raw.strip().replace("\ufeff", "")
        if line.startswith("##") and not line.startswith("###"):
            close_block()
            name = line[2:].strip()
            if not name:
                raise BulletinError(number, _("栏目标题“##”后缺少栏目名称。"))
            if len(name) > 60:
                raise BulletinError(number, _("栏目名称超过 60 个字。"))
            section = ParsedSection(name, number, name in PHOTO_SECTION_NAMES)
            sections.append(section)
            title, title_line, block = None, None, []
        elif line.startswith("###") and not (section and section.is_photo_news):
            if section is None:
                raise BulletinError(
                    number, _("第一篇稿件之前缺少栏目标题（## 栏目名）。")
                )
            close_block()
            title = line.lstrip("#").strip()
            if not title:
                raise BulletinError(number, _("“###”后缺少稿件标题。"))
            if len(title) > MAX_TITLE:
                raise BulletinError(number, _("稿件标题超过 200 个字。"))
            title_line, block = number, []
        elif line.startswith("# ") and section is None:
            continue  # the bulletin's own masthead line, if any
        elif section is None:
            if line:
                raise BulletinError(number, _("正文之前缺少栏目标题（## 栏目名）。"))
        elif section.is_photo_news and line.startswith("###"):
            # An optional item headline is a paragraph of its own.
            block.extend([(number, ""), (number, line), (number, "")])
        else:
            block.append((number, line))
    close_block()

    if not any(section.items for section in sections):
        raise BulletinError(1, _("文件中没有找到任何稿件或图片新闻。"))
    return sections
