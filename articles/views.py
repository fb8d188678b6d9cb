import logging

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.generic import (
    ArchiveIndexView,
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    View,
    YearArchiveView,
)

from . import issue_pdf, reader, sharing
from .context_processors import find_section
from .forms import SearchFilterForm
from .models import (
    Article,
    Author,
    AuthorRedirect,
    Issue,
    Photo,
    sees_only_published,
)
from .pagination import CappedPaginator
from .search import MAX_RESULTS, clean_query, highlight, query_terms, snippet

logger = logging.getLogger(__name__)

HOME_ARTICLES_PER_SECTION = 6
HOME_PHOTO_STRIP = 8


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        lists = reader.home_lists(HOME_ARTICLES_PER_SECTION, HOME_PHOTO_STRIP)
        return super().get_context_data(
            section_lists=lists["sections"],
            photo_news=lists["photo_news"],
            counties=lists["counties"],
            **kwargs,
        )


class SectionDetailView(ListView):
    """A section's published articles; photo news renders as a gallery."""

    paginate_by = 20
    paginator_class = CappedPaginator
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = find_section(self.request, slug=self.kwargs["slug"])
        if self.section is None:
            raise Http404
        return reader.section_rows(self.section)

    def get_paginator(self, *args, **kwargs):
        def count_rows(limit):
            return reader.count_section_rows(self.section, limit)

        return super().get_paginator(*args, count_rows=count_rows, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class ArticleDetailView(DetailView):
    def get_queryset(self):
        # Staff preview what they may open in the admin; readers see published.
        return Article.objects.visible_to(self.request.user)

    def article_rows(self):
        """Where the article is looked for: None for readers (the reader
        module's own query of what readers see), else get_queryset()."""
        if sees_only_published(self.request.user):
            return None
        return self.get_queryset()

    def get_object(self, queryset=None):
        article = reader.article_page(self.kwargs["slug"], self.article_rows())
        if article is None:
            raise Http404
        # Every page has read every section for its navigation already.
        article.section = find_section(self.request, pk=article.section_id)
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = Article.objects.filter(
                slug=kwargs["slug"], status=Article.Status.WITHDRAWN
            )
            if withdrawn.exists():
                return TemplateResponse(
                    request, "articles/article_withdrawn.html", status=410
                )
            raise

    def get_context_data(self, **kwargs):
        article = self.object
        previous, following = reader.neighbours(article)
        image = sharing.share_image(article)
        return super().get_context_data(
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            share_image_url=image and self.request.build_absolute_uri(image.share_url),
            json_ld=sharing.json_ld(sharing.news_article_data(article, self.request)),
            previous_article=previous,
            next_article=following,
            related_articles=reader.related(article),
            **kwargs,
        )


class AuthorDetailView(ListView):
    paginate_by = 20
    paginator_class = CappedPaginator
    template_name = "articles/author_detail.html"

    def get(self, request, *args, **kwargs):
        self.author = Author.objects.filter(slug=kwargs["slug"]).first()
        if self.author is None:
            # An author merged into another keeps its old address working.
            moved = get_object_or_404(
                AuthorRedirect.objects.select_related("author"),
                old_slug=kwargs["slug"],
            )
            query = request.META.get("QUERY_STRING")
            url = moved.author.get_absolute_url()
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().by_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        photos = Photo.objects.filter(credits=self.author)
        return super().get_context_data(
            author=self.author, photos=photos.newest_published(24), **kwargs
        )


class TagDetailView(ListView):
    paginate_by = 20
    paginator_class = CappedPaginator
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = reader.public_tag(self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


# Readers' search, archives and print issues.


class RankedArticles:
    """Search results for the paginator: ranked ids fetched once, rows per page.

    Counting and then fetching a page would run the search twice; here one
    query returns the (at most MAX_RESULTS) ids in rank order, and a slice
    loads only its own rows, in that order.
    """

    def __init__(self, ranked):
        self.ids = list(ranked.values_list("pk", flat=True))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        ids = self.ids[key]
        rows = (
            Article.objects.filter(pk__in=ids)
            .for_listing(with_body=True)
            .select_related("section")
            .in_bulk()
        )
        return [rows[pk] for pk in ids if pk in rows]


class SearchView(ListView):
    """/search/?q=…: published articles and photo captions, best match first."""

    paginate_by = 20
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        self.form = SearchFilterForm(self.request.GET)
        self.form.is_valid()
        articles = self.form.filter(Article.objects.published())
        return RankedArticles(articles.search(self.query))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for article in context["object_list"]:
            article.search_title = highlight(article.title, self.query)
            article.search_snippet = snippet(article, self.query)
        params = self.request.GET.copy()
        params.pop("page", None)
        params["q"] = self.query
        context.update(
            query=self.query,
            form=self.form,
            page_query=params.urlencode(),
            searched=bool(query_terms(self.query)),
            capped=context["paginator"].count >= MAX_RESULTS,
        )
        return context


class ArticleArchiveMixin:
    """Published articles by publish date, for the year and month archives."""

    date_field = "publish_at"
    allow_empty = True
    paginate_by = 30
    paginator_class = CappedPaginator

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Django's version reads every article's date; months() probes each
        # calendar month instead.
        if (date_type or self.get_date_list_period()) == "month":
            return queryset.months(ordering)
        return super().get_date_list(queryset, date_type, ordering)


class ArticleArchiveView(ArticleArchiveMixin, ArchiveIndexView):
    date_list_period = "month"
    template_name = "articles/archive.html"


class ArticleYearArchiveView(ArticleArchiveMixin, YearArchiveView):
    date_list_period = "month"
    make_object_list = True
    template_name = "articles/archive_year.html"


class ArticleMonthArchiveView(ArticleArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "articles/archive_month.html"


class IssueListView(ListView):
    paginate_by = 24

    def get_queryset(self):
        counts = (
            Article.objects.published()
            .filter(issue=OuterRef("pk"))
            .order_by()
            .values("issue")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Issue.objects.select_related("cover").annotate(
            article_count=Coalesce(Subquery(counts), 0)
        )


class IssueMixin:
    """One issue; its articles in printed order, as far as the user may see."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            Issue.objects.select_related("cover"),
            year=self.kwargs["year"],
            number=self.kwargs["number"],
        )

    def issue_articles(self):
        articles = Article.objects.filter(issue=self.object)
        return articles.visible_to(self.request.user).order_by("issue_position", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            articles=self.articles(self.issue_articles()), **kwargs
        )


class IssueDetailView(IssueMixin, DetailView):
    """The table of contents, grouped by section in printed order."""

    def articles(self, queryset):
        return queryset.for_listing().select_related("section")


class IssuePdfView(View):
    """/issues/<code>/pdf/: the issue as an A4 PDF, made once per content
    version (articles/issue_pdf.py) and revalidated by its ETag."""

    def get(self, request, year, number):
        issue = get_object_or_404(Issue, year=year, number=number)
        try:
            pdf = issue_pdf.issue_pdf(issue)
        except issue_pdf.PdfUnavailable:
            logger.exception("issue PDF: WeasyPrint is not available")
            return TemplateResponse(
                request, "articles/issue_pdf_unavailable.html", status=503
            )
        etag = f'"{pdf.version}"'
        not_modified = get_conditional_response(request, etag=etag)
        response = not_modified or FileResponse(
            pdf.open(),
            content_type="application/pdf",
            filename=gettext("盐城工会-%(issue)s.pdf") % {"issue": issue.code},
        )
        response["ETag"] = etag
        # Browsers and proxies ask again each time and get 304 until an edit
        # changes the issue; the file itself is kept by version on the server.
        patch_cache_control(response, public=True, no_cache=True)
        return response


class IssuePrintView(IssueMixin, DetailView):
    """The whole issue on one page, one article after another, for printing."""

    template_name = "articles/issue_print.html"

    def articles(self, queryset):
        return queryset.for_detail()


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever a page
    links: a day-long redirect to the hashed static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
