"""A new story's byline starts with its writer: a story without a byline
counts for nobody in the county assessment."""

from django.urls import reverse

from articles.models import Article
from tests.factories import county, make_author, make_section, make_staff, make_user
from tests.workflow_helpers import add_form_data

ADD = "admin:articles_article_add"


def test_the_add_form_names_the_writer_in_the_first_byline_row(client, db):
    writer = make_staff("correspondent", union=county("binhai"))
    client.force_login(writer)
    page = client.get(reverse(ADD))
    bylines = next(
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.prefix == "bylines"
    )
    assert bylines.formset.forms[0].initial["author"] == writer.author.pk
    assert f'<option value="{writer.author.pk}" selected>' in page.content.decode()


def test_the_untouched_writer_row_is_saved(client, db):
    writer = make_staff("correspondent", union=county("binhai"))
    client.force_login(writer)
    section = make_section()
    data = add_form_data(section, **{"bylines-0-author": writer.author.pk})
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302
    story = Article.objects.get(title=data["title"])
    assert [a.pk for a in story.authors.all()] == [writer.author.pk]
    assert [entry[0] for entry in story.byline_entries] == [writer.author.name]


def test_the_writer_may_put_someone_else_first_or_empty_the_row(client, db):
    writer = make_staff("correspondent", union=county("binhai"))
    client.force_login(writer)
    section = make_section()
    colleague = make_author("顾晓燕", county_union=county("binhai"))
    client.post(
        reverse(ADD),
        add_form_data(section, title="换了署名", **{"bylines-0-author": colleague.pk}),
    )
    assert list(Article.objects.get(title="换了署名").authors.all()) == [colleague]
    response = client.post(reverse(ADD), add_form_data(section, title="没有署名"))
    assert response.status_code == 302
    assert Article.objects.get(title="没有署名").authors.exists() is False


def test_an_account_without_an_author_entry_gets_an_empty_row(client, db):
    client.force_login(make_user(superuser=True))
    make_section()
    page = client.get(reverse(ADD))
    bylines = next(
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.prefix == "bylines"
    )
    assert "author" not in bylines.formset.forms[0].initial
