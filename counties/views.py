from django.views.generic import DetailView, ListView

from articles.models import Article, Photo

from .models import CountyUnion


class CountyUnionListView(ListView):
    model = CountyUnion


class CountyUnionDetailView(DetailView):
    model = CountyUnion

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.published().for_county(self.object).for_listing()[:30]
        )
        context["photos"] = (
            Photo.objects.filter(county_union=self.object).newest_published(24)
        )
        return context
