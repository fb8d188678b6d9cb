"""The photo service: it alone writes a photo's files, and removes them
again when anything after it fails."""

import pytest
from django.core.exceptions import ValidationError

from articles import images, photo_service
from articles.models import Photo, PhotoCredit
from tests.factories import image_bytes, make_author, png_claiming_size, stored_files


class Later(Exception):
    """A step after the photo was stored."""


def test_a_stored_photo_has_its_original_renditions_and_credits(db, media_root):
    authors = [make_author("秦西江"), make_author("张楠")]
    photo = photo_service.store_photo(
        image_bytes(900, 600), caption="职工在车间里", credits=authors
    )
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.width, photo.height) == (900, 600)
    assert photo.rendition_widths == [320, 640, 900]
    assert photo.credit_line == "秦西江 张楠 摄"
    assert set(stored_files(media_root)) == set(photo.stored_names())


def test_a_failure_after_the_photo_removes_its_files_and_row(db, media_root):
    with pytest.raises(Later), photo_service.atomic():
        photo_service.store_photo(image_bytes(700, 400), caption="现场")
        assert len(stored_files(media_root)) == 1 + 3 * 2
        raise Later
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []


def test_an_inner_block_hands_its_files_to_the_outer_one(db, media_root):
    with pytest.raises(Later), photo_service.atomic():
        with photo_service.atomic():
            photo_service.store_photo(image_bytes(700, 400), caption="现场")
        raise Later
    assert stored_files(media_root) == []


def test_a_refused_picture_writes_nothing(db, media_root):
    with pytest.raises(ValidationError, match="图片尺寸过大"):
        photo_service.store_photo(png_claiming_size(60000, 60000), caption="炸弹")
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []


def test_a_batch_names_the_refused_picture_and_keeps_no_file(db, media_root):
    author = make_author("秦西江")
    batch = [
        photo_service.NewPhoto(image_bytes(700, 400), "一", [author]),
        photo_service.NewPhoto(image_bytes(500, 300), "二"),
        photo_service.NewPhoto(b"<svg></svg>", "三"),
        photo_service.NewPhoto(image_bytes(400, 300), "四"),
    ]
    with pytest.raises(photo_service.PictureRefused) as refused:
        photo_service.store_photos(batch)
    assert refused.value.number == 3
    assert "只接受 JPEG、PNG、WebP 或 GIF" in " ".join(refused.value.messages)
    assert not Photo.objects.exists() and not PhotoCredit.objects.exists()
    assert stored_files(media_root) == []


def test_a_batch_is_stored_in_order(db, media_root):
    author = make_author("秦西江")
    batch = [
        photo_service.NewPhoto(image_bytes(700 - 100 * n, 400), f"图{n}", [author])
        for n in range(3)
    ]
    photos = photo_service.store_photos(batch)
    assert [photo.caption for photo in photos] == ["图0", "图1", "图2"]
    assert [photo.width for photo in Photo.objects.order_by("pk")] == [700, 600, 500]
    assert all(photo.credit_line == "秦西江 摄" for photo in photos)
    names = {name for photo in photos for name in photo.stored_names()}
    assert set(stored_files(media_root)) == names


def test_a_new_original_replaces_the_old_files_once_committed(
    db, media_root, django_capture_on_commit_callbacks
):
    photo = photo_service.store_photo(
        image_bytes(700, 400), caption="占位", awaiting_original=True
    )
    old = photo.stored_names()
    with django_capture_on_commit_callbacks(execute=True):
        photo_service.save_photo(photo, image_bytes(900, 600, "PNG"))
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.awaiting_original is False
    assert photo.image.name.endswith(".png")
    assert set(stored_files(media_root)) == set(photo.stored_names())
    assert not set(old) & set(stored_files(media_root))


def test_a_failed_replacement_keeps_the_old_files(db, media_root):
    photo = photo_service.store_photo(image_bytes(700, 400), caption="现场")
    old = set(stored_files(media_root))
    with pytest.raises(Later), photo_service.atomic():
        photo_service.save_photo(photo, image_bytes(900, 600))
        raise Later
    assert set(stored_files(media_root)) == old
    photo = Photo.objects.get(pk=photo.pk)
    assert set(photo.stored_names()) == old


def test_renditions_are_remade_from_the_stored_original(db, media_root):
    photo = photo_service.store_photo(image_bytes(700, 400), caption="现场")
    for name in photo.stored_names()[1:]:
        (media_root / name).unlink()
    photo_service.remake_renditions(photo)
    assert set(stored_files(media_root)) == set(photo.stored_names())
    assert Photo.objects.get(pk=photo.pk).rendition_widths == [320, 640, 700]
    assert images.rendition_name(photo.image.name, 700, "webp") in stored_files(
        media_root
    )
