"""Build .docx files with python-docx for the Word import tests."""

import io
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from tests.factories import exif_jpeg_bytes

BROKEN_FIRST = "滨海讯 2月18日，滨海县总工会在县职工服务中心举办春季招聘会，现场提供岗位"
BROKEN_SECOND = "1200多个，吸引了近3000名求职者。"


def docx_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_picture(document, data, width_cm=8):
    document.add_paragraph().add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))


def story_document(*, byline="通讯员 王芳 刘静", byline_at="top", pictures=2):
    """A correspondent's story with every feature the importer reads.

    A centred bold title, the byline (at the top or as the last paragraph),
    a paragraph broken mid-sentence by the layout, bold words, a heading,
    a bullet and a numbered list, a table, and `pictures` sideways EXIF JPEGs
    each with a caption; the first caption ends in its credit, the second
    has the credit as a paragraph of its own.
    """
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("滨海县总工会举办春季招聘会").bold = True
    if byline_at == "top":
        document.add_paragraph(byline)
    document.add_paragraph(BROKEN_FIRST)
    document.add_paragraph(BROKEN_SECOND)
    mixed = document.add_paragraph("招聘会上，")
    styled = mixed.add_run("“工会帮你找工作”")
    styled.bold = True
    styled.font.name = "黑体"
    mixed.add_run("服务台前排起了长队。")
    document.add_heading("三项服务", level=2)
    document.add_paragraph("岗位推介进企业。", style="List Bullet")
    document.add_paragraph("技能培训进车间。", style="List Bullet")
    document.add_paragraph("第一步，线上登记。", style="List Number")
    document.add_paragraph("第二步，现场面试。", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("行业", "岗位数"), ("制造业", "800")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("下一步，县总工会将继续开展就业服务。")
    captions = [
        ("招聘会现场，求职者在咨询岗位。 黄思遥 周永祥 摄", None),
        ("工会志愿者为求职者讲解政策。", "郁超 摄"),
    ]
    for index in range(pictures):
        caption, credit = captions[index % 2]
        add_picture(document, exif_jpeg_bytes(120, 60, orientation=6))
        document.add_paragraph(caption)
        if credit:
            document.add_paragraph(credit)
    if byline_at == "bottom":
        document.add_paragraph(byline)
    return document


def simple_document(title="阜宁县总工会开展送温暖活动", body="本刊讯 节前，阜宁县总工会走访慰问困难职工。", byline="周永祥"):
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(body)
    if byline:
        document.add_paragraph(byline)
    return document


def rezip(data, *, add=(), drop=(), replace=None, compression=zipfile.ZIP_DEFLATED):
    """The same package with parts added, dropped or rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info.filename)
            if replace and info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add:
            target.writestr(name, content)
    return buffer.getvalue()


def with_first_picture_as(data, extension, content_type, blob):
    """A document whose first picture is swapped for `blob` of another type."""
    old = "media/image1.jpg"
    new = f"media/image1.{extension}"
    default = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
    return rezip(
        data,
        drop={f"word/{old}"},
        add=[(f"word/{new}", blob)],
        replace={
            "word/_rels/document.xml.rels": lambda xml: xml.replace(
                old.encode(), new.encode()
            ),
            "[Content_Types].xml": lambda xml: xml.replace(
                b"<Default ", default.encode() + b"<Default ", 1
            ),
        },
    )


def with_linked_picture(data, url="http://203.0.113.9/photo.jpg"):
    """The first picture linked to an outside address instead of embedded."""
    return rezip(
        data,
        drop={"word/media/image1.jpg"},
        replace={
            "word/_rels/document.xml.rels": lambda xml: xml.replace(
                b'Target="media/image1.jpg"',
                f'Target="{url}" TargetMode="External"'.encode(),
            ),
            "word/document.xml": lambda xml: xml.replace(b"r:embed=", b"r:link=", 1),
        },
    )


def with_macros(data, *, docm=False):
    """The document with a VBA project, optionally declared as a .docm."""
    replace = {}
    if docm:
        replace["[Content_Types].xml"] = lambda xml: xml.replace(
            b"wordprocessingml.document.main+xml",
            b"wordprocessingml.document.main+xml"
            b'"/><Override PartName="/word/x.xml" ContentType='
            b'"application/vnd.ms-word.document.macroEnabled.main+xml',
        )
    return rezip(data, add=[("word/vbaProject.bin", b"\x00VBA" * 64)], replace=replace)


def ole_file(*, encrypted=False):
    """The start of an OLE compound file, as old .doc and encrypted files are."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    stream = "EncryptedPackage" if encrypted else "WordDocument"
    return header + stream.encode("utf-16-le") + b"\x00" * 2048


def zip_bomb(data, megabytes=60):
    """A document carrying a part that unpacks to `megabytes` of zeros."""
    return rezip(data, add=[("word/media/filler.bin", b"\x00" * megabytes * 2**20)])
