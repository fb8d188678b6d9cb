"""Known XSS payloads in every field a reader sees: none survives to a page.

Each payload goes into an article's title, body and summary, a photo's
caption and alt text, an author's name, a tag, a section name and the
search box. Every page showing them is parsed: no script, no event handler,
no javascript: URL, no inline style, no image from another host, and no
payload with markup appears verbatim.
"""

import json
from html.parser import HTMLParser

import pytest
from django.templatetags.static import static
from django.urls import reverse
from taggit.models import Tag

from articles.text import clean_html

from .factories import make_article, make_author, make_photo, make_section

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('x')\">",
    '<img """><script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<a href="java&#x09;script:alert(1)">点我</a>',
    '<a href=" javascript:alert(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    '<a href="vbscript:msgbox(1)">点我</a>',
    '<a href="#" onclick="alert(1)">点我</a>',
    '<p style="display:none">隐藏的链接</p>',
    '<div style="background:url(javascript:alert(1))">背景</div>',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    '<button formaction="javascript:alert(1)">提交</button>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="import" href="//evil.example/x.html">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>滚动</marquee>",
    '<img src="https://evil.example/pixel.gif">',
    "{{ request.user }}{% debug %}",
    "javascript:alert(document.cookie)",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '<a href="/x" target="_blank" rel="opener">新窗口</a>',
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "applet",
    "noscript",
    "template",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class DangerFinder(HTMLParser):
    """Collects every construct through which a page could run script."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.in_json_ld = False
        self.in_own_script = False

    def handle_starttag(self, tag, attrs):
        # JSON-LD is a data block that browsers never run; it passes only
        # if it holds nothing but JSON with no "<" that could close it.
        if tag == "script" and attrs == [("type", "application/ld+json")]:
            self.in_json_ld = True
            return
        # The one script reader pages load is the site's own file (the 大字
        # switch, static/js/reader.js), never code in the page itself.
        if tag == "script" and attrs == [("src", static("js/reader.js"))]:
            self.in_own_script = True
            return
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and ("http-equiv", "refresh") in attrs:
            self.found.append("<meta refresh>")
        for name, value in attrs:
            value = value or ""
            squeezed = "".join(ch for ch in value if ch > " ").lower()
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.found.append(f"{tag} {name}={value}")
            if tag == "img" and name == "src" and not value.startswith("/"):
                self.found.append(f"img from another host: {value}")


    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json_ld = False
            self.in_own_script = False

    def handle_data(self, data):
        if self.in_own_script and data.strip():
            self.found.append("code inside the site's own <script src>")
        if self.in_json_ld:
            try:
                json.loads(data)
            except ValueError:
                self.found.append("JSON-LD block that is not JSON")
            if "<" in data:
                self.found.append("JSON-LD block containing <")


def dangers(html):
    finder = DangerFinder()
    finder.feed(html)
    return finder.found


def assert_harmless(response, payload):
    assert response.status_code == 200
    html = response.content.decode()
    assert dangers(html) == []
    if "<" in payload:
        assert payload not in html


@pytest.fixture
def planted(db, request):
    payload = request.param
    section = make_section(name=payload[:60])
    author = make_author(payload[:40])
    photo = make_photo(caption=payload, alt_text=payload[:300], credits=[author])
    article = make_article(
        title=f"盐城{payload}"[:200],
        summary=payload,
        body=f"<p>正文开头</p>{payload}<p>正文结尾</p>",
        section=section,
        authors=[author],
        cover_photo=photo,
        photos=[photo],
        tags=[payload[:100]],
    )
    return payload, article, author


def reader_urls(article, author):
    urls = [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("counties:list"),
    ]
    tag = Tag.objects.get(name=article.tags.get().name)
    if tag.slug:
        urls.append(reverse("articles:tag", args=[tag.slug]))
    return urls


def test_there_are_at_least_thirty_payloads():
    assert len(set(PAYLOADS)) >= 30


@pytest.mark.parametrize("planted", PAYLOADS, indirect=True)
def test_payload_in_every_field_never_reaches_a_page(client, planted):
    payload, article, author = planted
    for url in reader_urls(article, author):
        assert_harmless(client.get(url), payload)


@pytest.mark.parametrize("planted", PAYLOADS, indirect=True)
def test_payload_as_search_query_is_escaped(client, planted):
    payload, article, author = planted
    for query in (payload, "盐城"):
        response = client.get(reverse("articles:search"), {"q": query})
        assert_harmless(response, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitized_body_is_harmless(payload):
    assert dangers(clean_html(payload)) == []


def test_the_finder_sees_each_kind_of_danger():
    """The checks above can fail: unsanitized payloads are all caught."""
    caught = [payload for payload in PAYLOADS if dangers(payload)]
    assert len(caught) >= 30


@pytest.mark.django_db
def test_ordinary_formatting_own_images_and_links_survive():
    body = (
        "<h3>小标题</h3><p><strong>加粗</strong> <em>斜体</em></p>"
        "<ul><li>一</li></ul><blockquote>引文</blockquote>"
        '<p><img src="/media/photos/2024/02/a.jpg" alt="合影" width="640"></p>'
        '<p><a href="https://www.example.org/x">链接</a></p>'
        "<table><tr><td>表格</td></tr></table>"
    )
    article = make_article(body=body)
    article.refresh_from_db()
    for kept in [
        "<h3>小标题</h3>",
        "<strong>加粗</strong>",
        "<em>斜体</em>",
        "<li>一</li>",
        "<blockquote>引文</blockquote>",
        '<img src="/media/photos/2024/02/a.jpg" alt="合影" width="640">',
        '<a href="https://www.example.org/x" rel="noopener noreferrer">链接</a>',
        "<td>表格</td>",
    ]:
        assert kept in article.body


@pytest.mark.django_db
def test_hidden_text_is_shown_and_scripts_dropped_on_save():
    article = make_article(
        body='<p style="display:none">隐藏</p><script>alert(1)</script><p>正文</p>'
    )
    article.refresh_from_db()
    assert article.body == "<p>隐藏</p><p>正文</p>"


@pytest.mark.django_db
def test_a_bad_row_in_the_database_is_sanitized_on_render(client):
    article = make_article()
    type(article).objects.filter(pk=article.pk).update(
        body="<p>正文</p><img src=x onerror=alert(1)><script>alert(2)</script>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>正文</p>" in html
    assert dangers(html) == []
