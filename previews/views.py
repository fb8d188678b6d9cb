"""The preview page a link opens, and the editor's create and revoke buttons."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import ArticleDetailView

from .forms import PreviewLinkForm
from .models import PreviewLink, previewable

PERMISSION = "articles.publish_article"
FRAGMENT_TEMPLATE = "admin/previews/preview_links.html"


def private(response):
    """No cache may keep a preview and no search engine may list it; the
    token in the address goes to no other page as a referrer."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def not_found(request):
    """One answer for every token that does not open a preview."""
    return private(defaults.page_not_found(request, Http404()))


class ArticlePreviewView(ArticleDetailView):
    """/preview/<token>/: the story as readers will see it, for anyone with
    the link, through the same selectors as the article page with a
    queryset of this one unpublished story."""

    template_name = "previews/article_preview.html"

    def get(self, request, *args, **kwargs):
        self.link = PreviewLink.objects.find(kwargs["token"])
        if self.link is None:
            return not_found(request)
        self.kwargs["slug"] = self.link.article_slug
        try:
            # Past ArticleDetailView.get: a withdrawn story answers the same
            # 404 here as every other link that no longer opens, not a 410.
            response = super(ArticleDetailView, self).get(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        return private(response)

    def get_queryset(self):
        return Article.objects.filter(pk=self.link.article_id)

    def article_rows(self):
        return self.get_queryset()  # whoever opens the link

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not previewable(article):  # published: its own address serves it
            raise Http404
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview_link=self.link, **kwargs)


# The change form's 预览链接 module (templatetags/preview_links.py) posts here.


def links_context(request, article, form=None):
    """What the 预览链接 module shows of an article."""
    links = list(article.preview_links.select_related("created_by__author")[:20])
    for link in links:
        link.url = request.build_absolute_uri(link.get_absolute_url())
    return {
        "show": True,
        "article": article,
        "links": links,
        "can_create": previewable(article),
        "form": form or PreviewLinkForm(),
    }


def _answer(request, article, form=None):
    """The module's new HTML for the page's script, or back to the change
    form for a browser without it."""
    if request.headers.get("X-Preview-Links") == "fragment":
        html = render_to_string(
            FRAGMENT_TEMPLATE, links_context(request, article, form), request=request
        )
        return HttpResponse(html, status=400 if form is not None else 200)
    if form is not None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    change = reverse("admin:articles_article_change", args=[article.pk])
    return HttpResponseRedirect(f"{change}#preview-links")


def _article(request, object_id):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Article, pk=object_id)


@require_POST
def create_link(request, object_id):
    article = _article(request, object_id)
    form = PreviewLinkForm(request.POST)
    if form.is_valid():
        try:
            PreviewLink.create_for(
                article, by=request.user, days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _answer(request, article, form)
    if request.headers.get("X-Preview-Links") != "fragment":
        messages.success(request, _("已创建预览链接。"))
    return _answer(request, article)


@require_POST
def revoke_link(request, object_id, link_id):
    article = _article(request, object_id)
    link = get_object_or_404(PreviewLink, pk=link_id, article=article)
    link.revoke(by=request.user)
    if request.headers.get("X-Preview-Links") != "fragment":
        messages.success(request, _("已撤销预览链接。"))
    return _answer(request, article)
