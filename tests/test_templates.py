"""Reader pages render with Jinja2 (templates/jinja2/), the admin with DTL."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.template import Context, engines
from django.template import Template as DjangoTemplate
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from articles.models import Section
from newsroom.jinja2 import Jinja2
from tests.factories import make_article, make_section, make_user

TITLE = "劳模座谈</script><script>alert(\"x\")</script> & '引号'"


def test_reader_page_is_rendered_by_jinja2_and_its_context_is_visible(client, db):
    section = make_section(name="新闻速递")
    article = make_article(title="劳模座谈", section=section)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert [template.name for template in response.templates] == [
        "articles/article_detail.html"
    ]
    assert isinstance(response.templates[0].backend, Jinja2)
    # The view's context and the context processors', as the test client saw it.
    assert response.context["article"] == article
    assert list(response.context["nav_sections"]) == list(Section.objects.all())
    assert response.context["request"].path == article.get_absolute_url()


def test_admin_stays_on_the_django_template_language(client, db):
    client.force_login(make_user(superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "admin/index.html" in [template.name for template in response.templates]
    assert not any(
        isinstance(getattr(template, "backend", None), Jinja2)
        for template in response.templates
    )


def test_title_with_markup_is_escaped_in_the_page_and_its_json_ld(client, db):
    article = make_article(title=TITLE, body="<p>正文<strong>加粗</strong></p>")
    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alert("x")' not in html
    assert "<h1>劳模座谈&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)" in html
    assert "<title>劳模座谈&lt;/script&gt;" in html
    # One JSON-LD block, closed where it should be: the title cannot end it.
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S
    )
    assert "<" not in block and "&lt;" not in block  # JSON-escaped, not HTML
    assert json.loads(block)["headline"] == TITLE
    # Markup Django marked safe (the sanitized body) is not escaped again.
    assert "<p>正文<strong>加粗</strong></p>" in html
    # Besides it, only the site's own script file (the 大字 switch).
    own_script = f'<script src="{static("js/reader.js")}"></script>'
    assert html.count(own_script) == 1
    assert len(re.findall(r"<script\b", html.replace(own_script, ""))) == 1


DATE_FILTER_FORMATS = [
    *["DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "c", "Y", "n", "m"],
    # Numbers only (compiled), and formats the compiled path leaves to Django.
    *["Y-m-d H:i:s", "G点", "{Y}/{m}", "F j, Y", r"\Y Y", "jS N", "D, d M"],
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", DATE_FILTER_FORMATS)
def test_date_filter_prints_what_django_prints(fmt, language):
    jinja = engines["jinja2"].from_string("{{ value|date(fmt) }}")
    django = DjangoTemplate("{{ value|date:fmt }}")
    with translation.override(language):
        for value in [
            datetime(2024, 2, 20, 16, 30, tzinfo=UTC),
            datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC),
            datetime(987, 1, 2, 3, 4, 5, tzinfo=UTC),
        ]:
            context = {"value": value, "fmt": fmt}
            expected = django.render(Context(context))
            assert jinja.render(context) == expected, (fmt, value)


@pytest.mark.parametrize("fmt", ["DATE_FORMAT", "DATETIME_FORMAT", "c", "Y", "n"])
def test_date_filter_matches_django_in_shanghai_time(fmt):
    # 16:30 UTC is half past midnight of the next day in Shanghai.
    value = datetime(2024, 2, 20, 16, 30, tzinfo=UTC)
    jinja = engines["jinja2"].from_string("{{ value|date(fmt) }}")
    django = DjangoTemplate("{{ value|date:fmt }}")
    expected = django.render(Context({"value": value, "fmt": fmt}))
    assert jinja.render({"value": value, "fmt": fmt}) == expected
    assert expected.startswith("2024") or fmt == "n"
    if fmt == "DATETIME_FORMAT":
        assert expected == "2024年2月21日 00:30"


def test_translations_and_missing_context(db):
    # Newstyle gettext %-formats every string: _() needs %% for a percent
    # sign; {% trans %} doubles it itself, as {% blocktranslate %} did.
    template = engines["jinja2"].from_string(
        '{{ _("首页") }}|{{ _("完成 100%%") }}|{% trans n=3 %}共 {{ n }} 篇，100% 完成{% endtrans %}'
        "|{{ missing }}|{{ none.attribute }}|{{ none|date('Y') }}"
    )
    assert template.render({"none": None}) == "首页|完成 100%|共 3 篇，100% 完成|||"


def test_translations_follow_the_active_language():
    # Django's own catalog translates "Home"; each language keeps its own.
    template = engines["jinja2"].from_string('{{ _("Home") }}')
    for _ in range(2):
        with translation.override("zh-hans"):
            assert template.render() == "首页"
        with translation.override("en"):
            assert template.render() == "Home"


def test_reader_pages_need_no_compiling_after_the_warm_up(client, db, monkeypatch):
    from serving import warmup

    # (warm() closes the database connections, which a test's transaction needs.)
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    warmup.warm()
    env = engines["jinja2"].env
    assert not env.auto_reload

    def compile(*args, **kwargs):
        raise AssertionError("a reader template was compiled per request")

    monkeypatch.setattr(env, "compile", compile)
    article = make_article(section=make_section(), tags=["劳模"])
    for url in [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:search") + "?q=稿件",
        reverse("articles:archive"),
        reverse("counties:list"),
        "/robots.txt",
        "/no-such-page/",
    ]:
        assert client.get(url).status_code in (200, 404), url


def test_url_gives_what_reverse_gives_under_each_script_prefix():
    """url() remembers what it reversed, per URL configuration and script
    prefix: a site served under a path prefix gets its own links."""
    from django.urls import get_script_prefix, set_script_prefix

    from newsroom.jinja2 import url

    assert url("articles:home") == reverse("articles:home")
    assert url("articles:section", "xin-wen") == reverse(
        "articles:section", kwargs={"slug": "xin-wen"}
    )
    before = get_script_prefix()
    try:
        set_script_prefix("/union/")
        assert url("articles:home") == "/union/" == reverse("articles:home")
        assert url("articles:section", "xin-wen") == "/union/sections/xin-wen/"
    finally:
        set_script_prefix(before)
    assert url("articles:home") == "/"
