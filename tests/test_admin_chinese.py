"""Every admin page the three roles reach reads in Chinese (issue 22).

Walks each registered model's list, add, change, history and delete pages,
the app indexes, the desk, bulk upload, notifications, password change,
revision compare and recovery, and a refused and a missing page, as an
editor, a correspondent and a photographer. Text a person sees (text nodes
and the title, placeholder, aria-label, alt and button value attributes)
may hold no English word outside a short allowlist; the data itself
(user names, pinyin slugs, file names) is taken out first.
"""

import html
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Author, Issue, Photo, Section
from counties.models import CountyUnion
from tests.factories import county, make_article, make_author, make_photo, make_staff

# Proper names, file types and marks that are not English prose.
ALLOWED = {
    "ID",
    "RSS",
    "Word",
    "CSV",
    "xlsx",
    "docx",
    "JPEG",
    "PNG",
    "WebP",
    "GIF",
    "PDF",
    "Excel",
    "MB",
    "px",
}

_SKIPPED = re.compile(r"<(script|style|template|textarea)\b.*?</\1>", re.S | re.I)
_ATTRIBUTE = re.compile(
    r"""\s(?:title|placeholder|aria-label|alt)="([^"]*)"|"""
    r"""<input[^>]*\stype="(?:submit|button)"[^>]*\svalue="([^"]*)\"""",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def visible_text(page):
    page = _SKIPPED.sub(" ", page)
    attributes = " ".join(a or b for a, b in _ATTRIBUTE.findall(page))
    # Hidden inputs and <option value> are not shown; tags go, entities turn
    # into characters.
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(f"{text} {attributes}")


def english_words(page, data):
    text = visible_text(page)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return sorted({w for w in _WORD.findall(text) if w not in ALLOWED})


@pytest.fixture
def newsroom(seeded):
    union = county("sheyang")
    people = {
        "editor": make_staff("editor", username="zhoubian"),
        "correspondent": make_staff("correspondent", union=union, username="wangfang"),
        "photographer": make_staff("photographer", union=union, username="qinxijiang"),
    }
    writer = people["correspondent"]
    draft = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=union,
        created_by=writer,
        authors=[make_author("王芳", county_union=union)],
        photos=[make_photo("射阳职工合影", uploaded_by=people["photographer"])],
        tags=["劳模"],
    )
    draft.submit(by=writer)
    draft.return_to_writer(by=people["editor"], comment="请补充人数。")
    scheduled = make_article(
        status=Article.Status.DRAFT, days_ago=None, county_union=union, title="定时稿"
    )
    scheduled.publish(by=people["editor"], at=timezone.now() + timedelta(days=1))
    Issue.objects.create(year=2024, number=2, published_on=timezone.localdate())
    return {**people, "draft": draft}


def data_values():
    """Values the pages print from the data, not from the interface."""
    values = set()
    for model, fields in [
        (get_user_model(), ["username"]),
        (Author, ["slug"]),
        (Article, ["slug"]),
        (Section, ["slug"]),
        (CountyUnion, ["slug"]),
        (Photo, ["image"]),
    ]:
        for row in model.objects.values_list(*fields):
            values.update(str(value) for value in row if value)
    values.update(name.rsplit("/", 1)[-1] for name in list(values) if "/" in name)
    return values


def _reversed(*names, args=()):
    """The URLs of those admin views a model admin has (some have no add)."""
    found = []
    for name in names:
        try:
            found.append(reverse(name, args=args))
        except NoReverseMatch:
            pass
    return found


def admin_urls(draft):
    """Every admin page to try: all registered models' pages, plus the rest."""
    urls = [reverse("admin:index"), "/admin/no-such-page/"]
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls += _reversed(f"{name}_changelist", f"{name}_add")
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        obj = draft if model is Article else model.objects.order_by("pk").first()
        if obj is not None:
            urls += _reversed(
                f"{name}_change", f"{name}_history", f"{name}_delete", args=[obj.pk]
            )
    versions = Version.objects.get_for_object(draft).order_by("pk")
    urls += [
        reverse("admin:articles_photo_bulk_upload"),
        reverse("admin:articles_article_recoverlist"),
        reverse("admin:password_change"),
        reverse("admin:articles_article_changelist") + "?status__exact=returned",
        reverse("admin:articles_article_compare", args=[draft.pk])
        + f"?from={versions.first().pk}&to={versions.last().pk}",
    ]
    urls += _reversed("admin:notifications_notification_changelist")
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("role", ["editor", "correspondent", "photographer"])
def test_every_admin_page_a_role_reaches_is_chinese(client, newsroom, role):
    client.force_login(newsroom[role])
    data = data_values()
    found, seen = [], 0
    for url in admin_urls(newsroom["draft"]):
        response = client.get(url)
        if response.status_code in {301, 302} or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        seen += 1
        words = english_words(response.content.decode(), data)
        if words:
            found.append(f"{response.status_code} {url}: {', '.join(words)}")
    assert seen >= 10
    assert not found, "English on admin pages:\n" + "\n".join(found)


def test_save_and_continue_messages_end_in_chinese_punctuation(client, db):
    """Django's catalog ends 'You may edit it again below.' with an ASCII '.'."""
    from django.contrib.messages import get_messages

    client.force_login(make_staff("editor"))
    response = client.post(
        reverse("admin:articles_author_add"), {"name": "韩冬", "_continue": "1"}
    )
    assert response.status_code == 302
    author = Author.objects.get(name="韩冬")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[-1].endswith("您可以在下面再次编辑它。"), shown
    response = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "韩冬", "bio": "", "_continue": "1"},
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[-1].startswith("成功修改了 作者“"), shown
    assert shown[-1].endswith("”。您可以在下面再次编辑它。"), shown


def test_header_greets_staff_by_name_in_chinese(client, db):
    """'欢迎，编辑甲', not the login with an ASCII full stop."""
    editor = make_staff("editor", username="editor9")
    editor.author.name = "编辑甲"
    editor.author.save()
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert '欢迎，<strong class="staff-name">编辑甲</strong>' in page
    assert "<strong>editor9</strong>" not in page
