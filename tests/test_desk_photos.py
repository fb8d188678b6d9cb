"""The photo chooser, focal points and library photos in
the body."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Photo, Section
from articles.text import clean_html
from tests.factories import (
    county,
    jpeg_bytes,
    make_article,
    make_author,
    make_photo,
    make_staff,
    make_user,
)

CHOOSE = "admin:articles_photo_choose"


def captions(response):
    return [entry["caption"] for entry in response.json()["results"]]


def test_chooser_searches_caption_photographer_county_and_date(client, db):
    client.force_login(make_staff("correspondent", union=county("binhai")))
    qin = make_author("秦西江")
    make_photo("东台市新春招聘会现场", credits=[qin], county_union=county("dongtai"),
               taken_on="2024-02-10")  # fmt: skip
    make_photo("滨海县职工运动会", county_union=county("binhai"), taken_on="2024-05-01")
    make_photo("射阳港发电公司")
    url = reverse(CHOOSE)
    assert captions(client.get(url, {"q": "招聘会"})) == ["东台市新春招聘会现场"]
    assert captions(client.get(url, {"photographer": "秦西江"})) == [
        "东台市新春招聘会现场"
    ]
    binhai = county("binhai").pk
    assert captions(client.get(url, {"county": binhai})) == ["滨海县职工运动会"]
    dated = client.get(url, {"date_from": "2024-04-01", "date_to": "2024-06-30"})
    assert captions(dated) == ["滨海县职工运动会"]
    everything = client.get(url).json()
    assert len(everything["results"]) == 3
    first = everything["results"][0]
    assert first["caption"] == "射阳港发电公司"  # newest first
    assert first["thumbnail"].startswith("/media/renditions/")
    # A correspondent may choose but not upload.
    assert everything["can_upload"] is False


def test_chooser_pages_and_refuses_bad_input_politely(admin_client, db):
    for n in range(26):
        make_photo(f"图{n}")
    url = reverse(CHOOSE)
    first = admin_client.get(url).json()
    assert (len(first["results"]), first["has_more"]) == (24, True)
    assert admin_client.get(url, {"page": 2}).json()["has_more"] is False
    bad = admin_client.get(url, {"date_from": "昨天", "page": "x"})
    assert bad.status_code == 200
    assert bad.json()["results"] == [] and "date_from" in bad.json()["errors"]


def test_chooser_is_for_staff_who_may_see_photos(client, db):
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse(CHOOSE)).status_code == 403


def test_upload_in_the_chooser_answers_with_the_chosen_photo(client, db):
    client.force_login(make_staff("photographer"))
    image = SimpleUploadedFile("x.jpg", jpeg_bytes(800, 600), content_type="image/jpeg")
    response = client.post(
        reverse("admin:articles_photo_bulk_upload"),
        {"image": image, "caption": "新上传"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 201
    entry = response.json()
    assert entry["label"] == "新上传"
    assert entry["insert_url"].endswith("/800.jpg")  # a rendition, ≤ 1280 px
    assert (entry["insert_width"], entry["insert_height"]) == (800, 600)


def test_focal_point_is_saved_from_the_photo_form(admin_client, db):
    photo = make_photo("竖幅人物照")
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {
        "caption": photo.caption, "alt_text": "", "focal_x": "0.3", "focal_y": "0.2",
        "credit_entries-TOTAL_FORMS": "0", "credit_entries-INITIAL_FORMS": "0",
    }  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.3, 0.2)
    assert photo.focus_class == "fx-3 fy-2"
    data["focal_y"] = "1.5"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert Photo.objects.get(pk=photo.pk).focal_y == 0.2


def test_centred_photo_needs_no_focus_class(db):
    assert make_photo().focus_class == ""


def test_reader_tiles_keep_the_focal_point(client, db):
    photo = make_photo("竖幅人物照", focal_x=0.5, focal_y=0.1)
    section = Section.objects.create(name="图说新闻", kind=Section.Kind.PHOTO)
    make_article(section=section, cover_photo=photo)
    page = client.get(section.get_absolute_url()).content.decode()
    assert 'class="fx-5 fy-1"' in page


def test_body_keeps_a_library_photo_inserted_as_a_rendition(db):
    photo = make_photo("职工书屋")
    url = photo.rendition_url(photo.rendition_widths[-1])
    html = f'<p><img src="{url}" alt="职工书屋" width="64" height="48"></p>'
    assert clean_html(html) == html


def test_admin_pages_name_the_favicon(admin_client, db):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/static/favicon.ico">' in page


def test_chooser_queries_do_not_grow_with_photos(
    admin_client, db, django_assert_max_num_queries
):
    url = reverse(CHOOSE)
    for n in range(3):
        make_photo(f"图{n}", county_union=county("binhai"))
    admin_client.get(url)  # session and permission lookups warmed
    with django_assert_max_num_queries(8) as few:
        admin_client.get(url)
    for n in range(20):
        make_photo(f"更多{n}", credits=[make_author()], county_union=county("dafeng"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(admin_client.get(url).json()["results"]) == 23
