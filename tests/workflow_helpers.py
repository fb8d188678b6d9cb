"""Admin round trips shared by the workflow tests."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition(client, article, action, **data):
    url = reverse("admin:articles_article_transition", args=[article.pk])
    return client.post(url, {"action": action, **data})


def form_data(article, opened_version=None, **overrides):
    """What the admin change form posts for article, as a browser would."""
    article = Article.objects.get(pk=article.pk)
    local = timezone.localtime(article.publish_at) if article.publish_at else None
    bylines = list(article.bylines.order_by("position"))
    data = {
        "title": article.title,
        "section": article.section_id,
        "county_union": article.county_union_id or "",
        "dateline": article.dateline,
        "summary": article.summary,
        "body": article.body,
        "cover_photo": article.cover_photo_id or "",
        "tags": ", ".join(article.tags.names()),
        "publish_at_0": local.strftime("%Y-%m-%d") if local else "",
        "publish_at_1": local.strftime("%H:%M:%S") if local else "",
        "slug": article.slug,
        "opened_version": opened_version or article.updated_at.isoformat(),
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
    }
    for n, byline in enumerate(bylines):
        data[f"bylines-{n}-id"] = byline.pk
        data[f"bylines-{n}-article"] = article.pk
        data[f"bylines-{n}-position"] = byline.position
        data[f"bylines-{n}-author"] = byline.author_id
    data.update(overrides)
    return data


def add_form_data(section, **overrides):
    """What the add form posts with one byline row, as a browser would."""
    data = {
        "title": "滨海县总工会开展职工书法比赛",
        "section": section.pk,
        "county_union": "",
        "dateline": "",
        "summary": "",
        "body": "<p>比赛吸引了全县两百余名职工参加。</p>",
        "cover_photo": "",
        "tags": "",
        "publish_at_0": "",
        "publish_at_1": "",
        "slug": "",
        "opened_version": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-position": "",
        "bylines-0-author": "",
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def posted_data(response):
    """The data a browser would post back for an admin change form response."""
    data = {}

    def add_form(form):
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            widget = bound.field.widget
            if hasattr(widget, "widgets"):  # split date/time and the like
                # A bound form (shown again after a refusal) holds the parts.
                parts = value if isinstance(value, list) else widget.decompress(value)
                for n, (sub, part) in enumerate(
                    zip(widget.widgets, parts, strict=True)
                ):
                    data[f"{bound.html_name}_{n}"] = sub.format_value(part) or ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is None:
                data[bound.html_name] = ""
            elif value is True or value is False:
                if value:
                    data[bound.html_name] = "on"
            else:
                formatted = widget.format_value(value)
                data[bound.html_name] = "" if formatted is None else formatted

    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add_form(formset.management_form)
        for form in formset.forms:
            add_form(form)
    return data
