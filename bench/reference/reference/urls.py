from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from .models import Article, Section


def hello(request):
    return HttpResponse("ok")


def article(request, slug):
    """Three queries: the article with its section and county, the sections
    for the navigation, and the newest five of its section."""
    published = Article.objects.filter(
        status="published", publish_at__lte=timezone.now()
    )
    found = get_object_or_404(
        published.select_related("section", "county_union"), slug=slug
    )
    recent = (
        published.filter(section=found.section_id)
        .exclude(pk=found.pk)
        .only("title", "slug", "publish_at")
        .order_by("-publish_at")[:5]
    )
    context = {"article": found, "sections": Section.objects.all(), "recent": recent}
    return render(request, "article.html", context)


urlpatterns = [path("hello", hello), path("articles/<slug:slug>/", article)]
