"""Renditions are made once per photo and size, and pages only link to them."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from articles import images
from articles.models import Photo, Section
from newsroom.settings import media_storage
from serving import pagecache
from tests.factories import (
    image_bytes,
    make_article,
    make_author,
    make_photo,
    make_section,
    photo_upload,
    stored_files,
)


def _photo(width=700, height=467, **fields):
    return make_photo(image=photo_upload(image_bytes(width, height)), **fields)


def _gallery_article(n):
    author = make_author("秦西江")
    photos = [_photo(caption=f"图{i}", credits=[author]) for i in range(n)]
    return make_article(photos=photos, cover_photo=photos[0])


def _photo_news_section(n):
    section = make_section(kind=Section.Kind.PHOTO)
    for i in range(n):
        make_article(section=section, cover_photo=_photo(caption=f"图{i}"))
    return section


def test_renditions_are_made_when_the_photo_is_saved(db, media_root):
    photo = _photo(2400, 1600)
    assert photo.rendition_widths == [320, 640, 1280, 1920]
    names = images.rendition_names(photo.image.name, [320, 640, 1280, 1920])
    assert set(names) <= set(stored_files(media_root))
    with photo.image.storage.open(names[0]) as stored:
        webp = Image.open(io.BytesIO(stored.read()))
    assert (webp.format, webp.size) == ("WEBP", (320, 213))


def test_small_originals_are_never_upscaled(db):
    assert _photo(500, 300).rendition_widths == [320, 500]


def test_saving_again_does_not_remake_renditions(db, media_root):
    photo = _photo()
    before = {path: path.stat().st_mtime_ns for path in media_root.rglob("*.webp")}
    photo.caption = "新的说明"
    photo.save()
    after = {path: path.stat().st_mtime_ns for path in media_root.rglob("*.webp")}
    assert before == after


def _cold_render(client, url):
    """Render url from an empty cache, shared and this process's own (the
    remembered sections menu), so each render costs the same."""
    cache.clear()
    pagecache.forget_local()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, len(queries)


@pytest.mark.parametrize(
    "build",
    [
        lambda n: _gallery_article(n).get_absolute_url(),
        lambda n: _photo_news_section(n).get_absolute_url(),
    ],
    ids=["article gallery", "photo news"],
)
def test_page_with_20_photos_makes_no_files_and_flat_queries(
    client, db, media_root, settings, build
):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders the page
    _html, queries_for_2 = _cold_render(client, build(2))
    url = build(20)
    files = stored_files(media_root)
    html, queries_for_20 = _cold_render(client, url)
    assert stored_files(media_root) == files
    again, queries_again = _cold_render(client, url)
    assert stored_files(media_root) == files
    assert again == html
    assert queries_for_20 == queries_again == queries_for_2
    assert html.count('<source type="image/webp"') >= 20


def test_picture_markup_offers_webp_jpeg_sizes_and_lazy_loading(client, db):
    article = _gallery_article(3)
    html = client.get(article.get_absolute_url()).content.decode()
    photo = article.cover_photo
    webp = images.rendition_name(photo.image.name, 320, "webp")
    jpeg = images.rendition_name(photo.image.name, 640, "jpg")
    assert f"/media/{webp} 320w" in html
    assert f'src="/media/{jpeg}"' in html
    assert 'width="700" height="467"' in html
    # The cover is above the fold; the gallery below it loads lazily.
    pictures = re.findall(r"<img [^>]*>", html)
    assert 'loading="eager"' in pictures[0]
    assert all('loading="lazy"' in tag for tag in pictures[1:])
    assert "秦西江 摄" in html
    # Pictures never load the original (a sharing tag may name it).
    assert f'src="/media/{photo.image.name}"' not in html
    assert f"/media/{photo.image.name} " not in html


def test_command_remakes_renditions_with_a_progress_bar(db, media_root):
    photos = [_photo(), _photo(400, 300)]
    for name in stored_files(media_root):
        if name.startswith("renditions/"):
            (media_root / name).unlink()
    Photo.objects.update(rendition_source="", rendition_sizes="")
    out = io.StringIO()
    call_command("make_renditions", "--missing", stdout=out)
    assert "2/2" in out.getvalue() and "#" in out.getvalue()
    for photo in photos:
        photo.refresh_from_db()
        assert set(photo.stored_names()) <= set(stored_files(media_root))


def test_command_reports_photos_whose_original_is_gone(db, media_root):
    photo = _photo()
    (media_root / photo.image.name).unlink()
    with pytest.raises(CommandError, match="1 张图片未能生成"):
        call_command("make_renditions", stdout=io.StringIO(), stderr=io.StringIO())


def test_media_storage_is_local_unless_s3_is_asked_for():
    assert media_storage({})["BACKEND"].endswith("FileSystemStorage")
    s3 = media_storage(
        {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "photos",
            "AWS_S3_ENDPOINT_URL": "https://oss.example.com",
            "AWS_S3_CUSTOM_DOMAIN": "img.example.com",
        }
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "photos"
    assert s3["OPTIONS"]["endpoint_url"] == "https://oss.example.com"
    assert s3["OPTIONS"]["custom_domain"] == "img.example.com"
    assert s3["OPTIONS"]["querystring_auth"] is False


@pytest.mark.parametrize(
    "environ", [{"MEDIA_STORAGE": "s3"}, {"MEDIA_STORAGE": "ftp"}], ids=str
)
def test_media_storage_misconfiguration_is_refused(environ):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        media_storage(environ)
