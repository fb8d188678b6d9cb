"""Read a .docx safely into a flat list of blocks; nothing is written.

The package is checked before python-docx opens it: old binary .doc and
encrypted files (OLE compound files), corrupt zips, zip bombs, macros and
files that are not Word documents are refused with the reason. Then the
body is walked in order into Blocks: headings, paragraphs (with their bold
runs), list items, tables and pictures. Word's styles, fonts and colours are
not carried over. A picture linked to an outside address, or in a vector
format (SVG, WMF, EMF), is refused here and never fetched.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.table import Table
from lxml import etree

from articles import images

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Unpacked, a 30-page story with 20 camera pictures is about 40 MB; a file
# that claims more, or a part packed tighter than any real XML or picture,
# is a zip bomb. Sizes are read from the zip directory before anything is
# unpacked, and zipfile stops at the declared size when reading.
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
MAX_PART_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
MAX_PARTS = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
MACRO_CONTENT = "macroEnabled"
VECTOR_TYPES = {
    "image/svg+xml": "SVG",
    "image/x-wmf": "WMF",
    "image/wmf": "WMF",
    "image/x-emf": "EMF",
    "image/emf": "EMF",
}
VECTOR_EXTENSIONS = {".svg": "SVG", ".wmf": "WMF", ".emf": "EMF"}
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题"}
BULLET_STYLE = re.compile(r"^(?:list bullet|列表项目符号)", re.IGNORECASE)
NUMBER_STYLE = re.compile(r"^(?:list number|列表编号)", re.IGNORECASE)
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
}
BLIPS = etree.XPath(".//a:blip | .//v:imagedata", namespaces=NS)
ABSTRACT_NUMS = etree.XPath("./w:abstractNum", namespaces=NS)
LEVELS = etree.XPath("./w:lvl", namespaces=NS)
LEVEL_FORMAT = etree.XPath("./w:numFmt/@w:val", namespaces=NS)
NUMS = etree.XPath("./w:num", namespaces=NS)
ABSTRACT_REF = etree.XPath("./w:abstractNumId/@w:val", namespaces=NS)
NUM_ID = etree.XPath("./w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
NUM_LEVEL = etree.XPath("./w:pPr/w:numPr/w:ilvl/@w:val", namespaces=NS)
W_VAL = f"{{{NS['w']}}}"
R_EMBED = f"{{{NS['r']}}}embed"
R_LINK = f"{{{NS['r']}}}link"
R_ID = f"{{{NS['r']}}}id"


class DocumentError(ValueError):
    """A document that cannot be imported; the message names file and reason."""

    def __init__(self, filename, reason):
        self.filename = filename
        self.reason = str(reason)
        super().__init__(
            _("“%(file)s”无法导入：%(reason)s")
            % {"file": filename, "reason": self.reason}
        )


@dataclass
class Picture:
    """An embedded picture: its bytes, checked later by the photo desk."""

    name: str
    blob: bytes
    content_type: str


@dataclass
class Block:
    """One piece of the body in document order.

    kind is "heading" (level 1–3), "title", "paragraph", "item" (a list
    item; ordered says which list), "table" (html) or "picture".
    runs are (text, bold) pairs; text is their plain text.
    """

    kind: str
    number: int
    runs: list = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    centred: bool = False
    html: str = ""
    picture: Picture = None

    @property
    def text(self):
        return "".join(text for text, _bold in self.runs).strip()

    @property
    def all_bold(self):
        return bool(self.text) and all(bold for text, bold in self.runs if text.strip())

    def inline_html(self):
        """The runs as escaped text, bold runs in <strong>, nothing else kept."""
        parts = []
        for text, bold in _merged_runs(self.runs):
            if bold and text.strip():
                parts.append(f"<strong>{escape(text)}</strong>")
            else:
                parts.append(escape(text))
        return "".join(parts).strip()

    def without_prefix(self, length):
        """The block with its first `length` characters of text dropped."""
        runs, left = [], length
        for text, bold in self.runs:
            if left >= len(text):
                left -= len(text)
                continue
            runs.append((text[left:], bold))
            left = 0
        if runs:
            runs[0] = (runs[0][0].lstrip(), runs[0][1])
        return Block(self.kind, self.number, runs=runs, centred=self.centred)

    def joined(self, other):
        """This paragraph continued by the next (a line broken by layout)."""
        return Block(
            self.kind, self.number, runs=self.runs + other.runs, centred=self.centred
        )


def _merged_runs(runs):
    merged = []
    for text, bold in runs:
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + text, bold)
        else:
            merged.append((text, bold))
    return merged


def read_blocks(filename, data):
    """Check a .docx (bytes) and return its body as Blocks, or raise DocumentError."""
    check_package(filename, data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on bad parts
        raise DocumentError(
            filename, _("文件已损坏，无法读取其中的内容。请在 Word 中另存后再上传。")
        ) from error
    try:
        return list(_walk(filename, document))
    except DocumentError:
        raise
    except Exception as error:
        raise DocumentError(
            filename, _("文件已损坏，无法读取其中的内容。请在 Word 中另存后再上传。")
        ) from error


def check_package(filename, data):
    """Refuse what is not a plain, unencrypted, macro-free .docx of sane size."""
    if not data:
        raise DocumentError(filename, _("文件是空的（0 字节）。"))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise too_big(filename, len(data))
    if data.startswith(OLE_MAGIC):
        # Both old .doc files and password-protected .docx files are OLE
        # compound files; the encrypted one holds an "EncryptedPackage" stream.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentError(
                filename, _("文档设置了打开密码（已加密）。请取消密码后另存为 .docx 再上传。")
            )
        raise DocumentError(
            filename,
            _("这是旧版 Word 97-2003（.doc）格式。请在 Word 或 WPS 中另存为 .docx 后再上传。"),
        )
    if not data.startswith(b"PK"):
        raise DocumentError(filename, _("这不是 Word（.docx）文档。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise DocumentError(
            filename, _("文件已损坏（压缩包不完整），请重新保存后再上传。")
        ) from error
    _check_sizes(filename, parts)
    names = {part.filename.lower() for part in parts}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise DocumentError(filename, _("文档含有宏（VBA 代码）。请另存为不含宏的 .docx 后再上传。"))
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise DocumentError(filename, _("这不是 Word（.docx）文档。")) from error
    if MACRO_CONTENT.lower() in content_types.lower():
        raise DocumentError(filename, _("这是启用宏的文档（.docm）。请另存为 .docx 后再上传。"))
    if f"{WORD_MAIN}.document.main+xml" not in content_types:
        raise DocumentError(filename, _("这不是 Word（.docx）文档。"))


def too_big(filename, size):
    """The error for a file over the limit, before its bytes are read."""
    return DocumentError(
        filename,
        _("文件太大（%(size).1f MB），不能超过 %(limit)d MB。")
        % {"size": size / 1024 / 1024, "limit": MAX_DOCUMENT_BYTES // 2**20},
    )


def _check_sizes(filename, parts):
    bomb = DocumentError(
        filename, _("压缩包解开后异常巨大（疑似“压缩炸弹”），已拒绝。")
    )
    if len(parts) > MAX_PARTS:
        raise bomb
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise bomb
    for part in parts:
        if (
            part.file_size > RATIO_CHECKED_FROM
            and part.file_size > MAX_PART_RATIO * max(part.compress_size, 1)
        ):
            raise bomb


def _walk(filename, document):
    numbering = _numbering_formats(document)
    styles = {}
    number = 0
    for item in document.iter_inner_content():
        number += 1
        if isinstance(item, Table):
            yield Block("table", number, html=_table_html(item))
            continue
        for picture in _pictures(filename, document, item):
            yield Block("picture", number, picture=picture)
        style, style_bold = _style(item, styles)
        runs = _runs(item, style_bold)
        if not "".join(text for text, _bold in runs).strip():
            continue
        heading = HEADING_STYLE.match(style.strip())
        centred = item.alignment == WD_ALIGN_PARAGRAPH.CENTER
        if style.strip().lower() in TITLE_STYLES:
            yield Block("title", number, runs=runs, centred=centred)
        elif heading:
            yield Block("heading", number, runs=runs, level=int(heading[1]))
        elif ordered := _list_kind(item, style, numbering):
            yield Block("item", number, runs=runs, ordered=ordered == "ol")
        else:
            yield Block("paragraph", number, runs=runs, centred=centred)


def _style(paragraph, cache):
    """(name, bold) of the paragraph's style, looked up once per style id:
    python-docx reads every style of the document for each paragraph."""
    style_id = _element(paragraph).style
    if style_id not in cache:
        style = paragraph.style
        cache[style_id] = (
            (style.name if style is not None else "") or "",
            bool(style is not None and style.font.bold),
        )
    return cache[style_id]


def _runs(paragraph, style_bold):
    """(text, bold) pairs; bold counts the paragraph style's own bold
    (style_bold) too."""
    runs = []
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", None) or [item]:
            bold = run.bold if run.bold is not None else style_bold
            # Soft line breaks and tabs are layout, not text.
            text = run.text.replace("\n", "").replace("\t", " ")
            if text:
                runs.append((text, bool(bold)))
    return runs


def _element(proxy):
    # python-docx has no API for numbering or linked pictures; its proxies
    # expose their lxml element for exactly this (documented as "_element").
    return proxy._element


def _pictures(filename, document, paragraph):
    part = document.part
    element = _element(paragraph)
    for blip in BLIPS(element):
        if blip.get(R_LINK):
            raise DocumentError(
                filename,
                _("文档中的图片链接到外部网址（%(url)s），不会去下载。请把图片插入（嵌入）文档后再上传。")
                % {"url": _target(part, blip.get(R_LINK))},
            )
        rid = blip.get(R_EMBED) or blip.get(R_ID)
        if not rid:
            continue
        rel = part.rels.get(rid)
        if rel is None:
            raise DocumentError(filename, _("文档中的一张图片已丢失，文件可能已损坏。"))
        if rel.is_external:
            raise DocumentError(
                filename,
                _("文档中的图片链接到外部网址（%(url)s），不会去下载。请把图片插入（嵌入）文档后再上传。")
                % {"url": rel.target_ref},
            )
        if rel.reltype != RT.IMAGE:
            continue
        image_part = rel.target_part
        name = str(image_part.partname)
        kind = VECTOR_TYPES.get(image_part.content_type) or VECTOR_EXTENSIONS.get(
            name[name.rfind(".") :].lower()
        )
        if kind:
            raise DocumentError(
                filename,
                _("文档中的图片是 %(kind)s 矢量格式，不能作为新闻图片。请换成 JPEG 或 PNG 照片后再上传。")
                % {"kind": kind},
            )
        blob = image_part.blob
        if len(blob) > images.MAX_UPLOAD_BYTES:
            raise DocumentError(
                filename,
                _("文档中的一张图片太大（%(size).1f MB），每张不能超过 %(limit)d MB。")
                % {
                    "size": len(blob) / 1024 / 1024,
                    "limit": images.MAX_UPLOAD_BYTES // 2**20,
                },
            )
        yield Picture(name=name.rsplit("/", 1)[-1], blob=blob, content_type=image_part.content_type)


def _target(part, rid):
    rel = part.rels.get(rid)
    return rel.target_ref if rel is not None else "?"


def _numbering_formats(document):
    """{numId: {ilvl: numFmt}} from the numbering part, empty if none."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    formats = {}
    abstract = {
        node.get(f"{W_VAL}abstractNumId"): {
            level.get(f"{W_VAL}ilvl"): (LEVEL_FORMAT(level) or ["decimal"])[0]
            for level in LEVELS(node)
        }
        for node in ABSTRACT_NUMS(numbering)
    }
    for num in NUMS(numbering):
        ref = ABSTRACT_REF(num)
        if ref:
            formats[num.get(f"{W_VAL}numId")] = abstract.get(ref[0], {})
    return formats


def _list_kind(paragraph, style, numbering):
    """"ul", "ol" or None for a paragraph."""
    if BULLET_STYLE.match(style):
        return "ul"
    if NUMBER_STYLE.match(style):
        return "ol"
    num_id = NUM_ID(_element(paragraph))
    if not num_id or num_id[0] == "0":
        return None
    level = NUM_LEVEL(_element(paragraph))
    fmt = numbering.get(num_id[0], {}).get(level[0] if level else "0", "decimal")
    return "ul" if fmt in {"bullet", "none"} else "ol"


def _table_html(table):
    """A plain table: rows of cells with their text, merged columns spanned."""
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell is previous:
                continue
            previous = cell
            text = "<br>".join(
                escape(p.text.strip()) for p in cell.paragraphs if p.text.strip()
            )
            span = f' colspan="{cell.grid_span}"' if cell.grid_span > 1 else ""
            cells.append(f"<td{span}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tbody>{''.join(rows)}</tbody></table>"
