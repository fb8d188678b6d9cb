"""The bulk photo upload page, used the way a photographer uses it."""

from django.urls import reverse

from articles.models import Photo
from tests.factories import image_bytes, make_author, make_user


def test_bulk_upload_sends_each_file_with_its_caption_and_shows_errors(
    tab, tmp_path
):
    make_author("秦西江")
    tab.log_in(make_user(superuser=True))
    good = tmp_path / "一号.jpg"
    good.write_bytes(image_bytes(800, 600, noise=True))
    fake = tmp_path / "二号.jpg"
    fake.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    page = tab.page
    tab.goto(reverse("admin:articles_photo_bulk_upload"))

    page.set_input_files("#id_image", [str(good), str(fake)])
    rows = page.locator(".bulk-row")
    assert rows.count() == 2
    page.locator("input[type=submit]").click()
    # Captions are required: nothing is sent until each file has one.
    assert rows.nth(0).get_attribute("data-state") == "error"
    assert Photo.objects.exists() is False

    rows.nth(0).locator(".bulk-caption").fill("劳模工匠进校园")
    rows.nth(1).locator(".bulk-caption").fill("不是图片")
    page.locator("input[type=submit]").click()
    page.wait_for_selector(".bulk-row[data-state=done]")
    page.wait_for_selector(".bulk-row[data-state=error]")
    tab.screenshot("bulk-upload-result")

    assert rows.nth(0).locator(".bulk-progress").get_attribute("value") == "100"
    assert "只接受 JPEG、PNG、WebP 或 GIF" in rows.nth(1).inner_text()
    assert "已上传 1 / 2 张" in page.locator("#bulk-summary").inner_text()
    photo = Photo.objects.get()
    assert photo.caption == "劳模工匠进校园"
    assert photo.rendition_widths == [320, 640, 800]
    assert tab.foreign_requests == []
    # The refused file answers 400, which Chromium logs; nothing else may.
    assert [e for e in tab.console_errors if "status of 400" not in e] == []
