"""In a browser: photos chosen by sight (cover, gallery and
the body editor, with upload in place) and a focal point set by a click."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.factories import (
    county,
    jpeg_bytes,
    make_article,
    make_author,
    make_photo,
    make_staff,
)

NEW_CAPTION = "盐都区职工书屋新书上架"


def test_editor_chooses_photos_by_sight_and_uploads_in_place(tab, tmp_path):
    tab.log_in(make_staff("editor"))
    qin = make_author("秦西江")
    fair = make_photo("东台市新春引才用工综合招聘会", credits=[qin],
                      county_union=county("dongtai"))  # fmt: skip
    games = make_photo("滨海县职工趣味运动会", county_union=county("binhai"))
    make_photo("射阳港发电公司检修现场")
    article = make_article(status=Article.Status.DRAFT, title="一周图片")
    page = tab.page
    tab.goto(f"/admin/articles/article/{article.pk}/change/")

    # Cover: open the chooser, search by caption, pick the thumbnail.
    page.locator(".field-cover_photo .photo-chooser-open").click()
    chooser = page.locator("#photo-chooser")
    expect(chooser).to_be_visible()
    expect(chooser.locator(".chooser-photo")).to_have_count(3)
    tab.screenshot("chooser")
    problems = tab.axe("photo chooser")
    assert not problems, "\n".join(problems)
    chooser.locator("#chooser-q").fill("招聘会")
    chooser.locator(".chooser-search button[type=submit]").click()
    expect(chooser.locator(".chooser-photo")).to_have_count(1)
    expect(chooser.locator(".chooser-meta")).to_contain_text("秦西江 摄 · 东台市")
    chooser.locator(".chooser-photo").click()
    expect(chooser).to_be_hidden()
    expect(page.locator("#id_cover_photo")).to_have_value(str(fair.pk))
    expect(page.locator(".field-cover_photo .photo-choice-preview img")).to_be_visible()

    # Gallery row: search by county this time.
    page.locator("#gallery-group .photo-chooser-open").first.click()
    chooser.locator("#chooser-county").select_option(label="滨海县")
    chooser.locator(".chooser-search button[type=submit]").click()
    expect(chooser.locator(".chooser-photo")).to_have_count(1)
    chooser.locator(".chooser-photo").click()
    expect(page.locator("#id_gallery-0-photo")).to_have_value(str(games.pk))

    # Body: the editor's 图库图片 button, uploading a new photo in place.
    library = page.locator("button[aria-label='插入图库图片']")
    if not library.is_visible():
        page.locator("button[aria-label='显示或隐藏其他工具栏项']").click()
    library.click()
    expect(chooser).to_be_visible()
    chooser.locator(".chooser-upload-toggle").click()
    picture = tmp_path / "shuwu.jpg"
    picture.write_bytes(jpeg_bytes(1600, 1200, color=(30, 120, 90)))
    chooser.locator("#chooser-upload-image").set_input_files(str(picture))
    chooser.locator("#chooser-upload-caption").fill(NEW_CAPTION)
    tab.screenshot("chooser-upload")
    chooser.locator(".chooser-upload button[type=submit]").click()
    expect(chooser).to_be_hidden()
    body = page.frame_locator("#id_body_ifr").locator("body")
    expect(body.locator(f"img[alt='{NEW_CAPTION}']")).to_have_count(1)
    tab.screenshot("body-with-library-photo")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    saved = Article.objects.get(pk=article.pk)
    new = Photo.objects.get(caption=NEW_CAPTION)
    assert saved.cover_photo == fair
    assert [p.pk for p in saved.gallery_photos] == [games.pk]
    # The body holds a rendition (1280 px), not the 1600 px original.
    assert f'src="{new.rendition_url(1280)}"' in saved.body
    assert f'alt="{NEW_CAPTION}"' in saved.body
    tab.assert_clean()


def test_photographer_sets_a_focal_point_by_clicking_the_photo(tab):
    tab.log_in(make_staff("photographer"))
    photo = make_photo("竖幅：劳模在车间")
    page = tab.page
    tab.goto(reverse("admin:articles_photo_change", args=[photo.pk]))
    image = page.locator(".focal-picker img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.2})
    expect(page.locator("#id_focal_x")).to_have_value("0.30")
    expect(page.locator("#id_focal_y")).to_have_value("0.20")
    expect(page.locator(".focal-marker")).to_have_attribute("style", "left: 30%; top: 20%;")
    tab.screenshot("focal-point")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    photo.refresh_from_db()
    assert (round(photo.focal_x, 2), round(photo.focal_y, 2)) == (0.3, 0.2)
    assert photo.focus_class == "fx-3 fy-2"
    tab.assert_clean()
