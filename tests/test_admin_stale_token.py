"""The stale-save token must reach the page, or a browser can never save."""

from articles.models import Article
from tests.factories import make_article, make_staff


def test_article_change_form_carries_the_stale_save_token(client, db):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(make_staff("editor"))
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    token = article.updated_at.isoformat()
    assert f'name="opened_version" value="{token}"' in html
