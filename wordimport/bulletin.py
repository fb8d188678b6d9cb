"""A whole bulletin from a .docx, through the Markdown importer's own parser.

Word's heading styles stand for the Markdown marks: Heading 1 / 标题 1 is a
"## 栏目" line, Heading 2 / 标题 2 a "### 标题" line, every other paragraph a
paragraph. The lines go to articles.bulletin.parse_lines, numbered by
paragraph, so sections, bylines, credits and the joining of broken lines
follow exactly the rules of the Markdown import; a photo item then gets the
picture that stands above its caption instead of a placeholder.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles.bulletin import BulletinError, ParsedPhoto, parse_lines
from articles.services import import_sections

from .document import DocumentError, read_blocks


def parse_docx_bulletin(filename, data):
    """Read a .docx bulletin into ParsedSections, or raise DocumentError."""
    blocks = read_blocks(filename, data)
    lines, waiting, pictures = [], [], {}
    for block in blocks:
        if block.kind == "picture":
            waiting.append(block)
            continue
        if block.kind == "table":
            raise DocumentError(
                filename,
                _("第 %(number)d 段是表格：整期通讯中不能有表格，请改为文字。")
                % {"number": block.number},
            )
        if block.kind == "heading" and block.level == 1:
            text = f"## {block.text}"
        elif block.kind == "heading" and block.level == 2:
            text = f"### {block.text}"
        elif block.kind == "title":
            text = f"# {block.text}"  # the masthead, skipped like Markdown's
        else:
            text = block.text
            if waiting:
                # A picture belongs to the caption paragraph below it.
                pictures[block.number] = waiting
                waiting = []
        lines += [(block.number, text), (block.number, "")]
    if waiting:
        pictures[waiting[0].number] = waiting
    try:
        sections = parse_lines(lines)
    except BulletinError as error:
        raise DocumentError(
            filename,
            _("第 %(number)d 段：%(message)s")
            % {"number": error.line, "message": error.message},
        ) from error
    for section in sections:
        for item in section.items:
            if isinstance(item, ParsedPhoto) and item.line in pictures:
                item.picture = pictures.pop(item.line)[0].picture
    if pictures:
        number = min(pictures)
        raise DocumentError(
            filename,
            _(
                "第 %(number)d 段的图片不在“图说新闻”的图片说明之上：整期导入只为图说新闻"
                "取图片。请删去这张图片，或用“从 Word 导入”单独导入这篇稿件。"
            )
            % {"number": number},
        )
    return sections


def import_docx_bulletin(*, filename, data, **options):
    """Import a .docx bulletin as import_bulletin does a Markdown one.

    Options are import_sections' (publish, by, date, progress, issue). A
    refused picture is reported by file name; nothing is then stored.
    """
    sections = parse_docx_bulletin(filename, data)
    try:
        return import_sections(sections=sections, **options)
    except ValidationError as error:
        raise DocumentError(
            filename, _("图片：%(reason)s") % {"reason": " ".join(error.messages)}
        ) from error
