"""Bad Word documents: a Chinese message naming file and reason, nothing stored."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ArticleAuthor, Author, Photo
from tests.docx_builders import (
    add_picture,
    docx_bytes,
    ole_file,
    story_document,
    with_first_picture_as,
    with_linked_picture,
    with_macros,
    zip_bomb,
)
from tests.factories import county, image_bytes, make_section, make_staff, stored_files

WMF = b"\xd7\xcd\xc6\x9a" + b"\x00" * 60  # placeable metafile header
EMF = b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def huge_second_picture():
    document = story_document(pictures=1)
    add_picture(document, image_bytes(9000, 5000, "PNG"))
    document.add_paragraph("第二张图片的说明。")
    return document


def good():
    return docx_bytes(story_document())


BAD_DOCUMENTS = {
    "old-doc": (lambda: ole_file(), "旧版 Word 97-2003（.doc）格式"),
    "encrypted": (lambda: ole_file(encrypted=True), "设置了打开密码（已加密）"),
    "docm": (lambda: with_macros(good(), docm=True), "含有宏"),
    "macros": (lambda: with_macros(good()), "含有宏"),
    "corrupt-zip": (lambda: good()[: len(good()) // 2], "文件已损坏"),
    "zip-bomb": (lambda: zip_bomb(good()), "压缩炸弹"),
    "empty": (lambda: b"", "文件是空的（0 字节）"),
    "too-big": (lambda: b"PK" + b"\x00" * (21 * 2**20), "文件太大（21.0 MB）"),
    "not-word": (lambda: b"%PDF-1.7\n", "这不是 Word（.docx）文档"),
    "svg-picture": (
        lambda: with_first_picture_as(good(), "svg", "image/svg+xml", SVG),
        "SVG 矢量格式",
    ),
    "wmf-picture": (
        lambda: with_first_picture_as(good(), "wmf", "image/x-wmf", WMF),
        "WMF 矢量格式",
    ),
    "emf-picture": (
        lambda: with_first_picture_as(good(), "emf", "image/x-emf", EMF),
        "EMF 矢量格式",
    ),
    "huge-picture": (
        # Passes every package check; the photo desk refuses it only after
        # the draft and the first photo were written, which must all go.
        lambda: docx_bytes(huge_second_picture()),
        "图片尺寸过大（9000×5000 像素）",
    ),
    "linked-picture": (
        lambda: with_linked_picture(good()),
        "链接到外部网址（http://203.0.113.9/photo.jpg），不会去下载",
    ),
}


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any attempt to open a connection (a linked picture's address)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network connection attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("kind", BAD_DOCUMENTS)
def test_bad_document_is_refused_by_name_and_nothing_is_stored(
    client, db, media_root, no_network, kind
):
    section = make_section(name="新闻速递")
    user = make_staff("correspondent", union=county("binhai"))
    authors = Author.objects.count()
    content, reason = BAD_DOCUMENTS[kind]
    client.force_login(user)
    response = client.post(
        reverse("wordimport:upload"),
        {
            "documents": [
                SimpleUploadedFile("先导入的好稿.docx", good()),
                SimpleUploadedFile(f"坏稿-{kind}.docx", content()),
            ],
            "section": section.pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“坏稿-{kind}.docx”无法导入：" in page
    assert reason in page
    assert Article.objects.exists() is False
    assert ArticleAuthor.objects.exists() is False
    assert Photo.objects.exists() is False
    assert Author.objects.count() == authors
    assert stored_files(media_root) == []


def test_photo_files_written_before_a_refused_picture_are_removed(
    db, media_root, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    from wordimport.document import DocumentError
    from wordimport.services import Upload, import_stories

    written = []
    save = FileSystemStorage.save

    def spy(storage, name, content, max_length=None):
        written.append(save(storage, name, content, max_length=max_length))
        return written[-1]

    monkeypatch.setattr(FileSystemStorage, "save", spy)
    with pytest.raises(DocumentError, match="第 2 张图片：图片尺寸过大"):
        import_stories(
            uploads=[Upload("两张图.docx", docx_bytes(huge_second_picture()))],
            by=make_staff("editor"),
            county=None,
            section=make_section(),
        )
    # The first photo and its renditions had been written, then removed.
    assert any(name.startswith("photos/") for name in written)
    assert any(name.startswith("renditions/") for name in written)
    assert stored_files(media_root) == []
    assert Photo.objects.exists() is False
