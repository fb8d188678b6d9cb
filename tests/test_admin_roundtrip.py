"""The article form submitted exactly as rendered, as a browser would."""

import re

import pytest

from articles.models import Article
from bench.soak import FormFields

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


def submit_as_rendered(client, path, **changes):
    html = client.get(path).content.decode()
    form = FormFields("article_form")
    form.feed(html)
    values = dict(form.fields) | changes
    return client.post(path, values)


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.PUBLISHED])
def test_an_editor_saves_the_change_form_as_rendered(client, status):
    client.force_login(make_staff("editor"))
    article = make_article(status=status)
    path = f"/admin/articles/article/{article.pk}/change/"
    response = submit_as_rendered(client, path, body="<p>改过的正文。</p>")
    errors = re.findall(
        r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode()
    )
    assert response.status_code == 302, errors
    article.refresh_from_db()
    if status == Article.Status.PUBLISHED:
        # A live story's edit waits for 更新发布 (tests/test_pending_changes.py).
        assert article.body != "<p>改过的正文。</p>"
        assert article.pending_change.fields["body"] == "<p>改过的正文。</p>"
    else:
        assert article.body == "<p>改过的正文。</p>"


def test_the_rendered_form_carries_the_stale_save_token(client):
    client.force_login(make_staff("editor"))
    article = make_article()
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="opened_version"' in html
