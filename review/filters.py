"""The article list's 审核环节 filter: stories waiting for a given stage."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .models import SignOff

# Stage → (sign-offs already given, fewest stages the section must have).
WAITING = {
    SignOff.Stage.FIRST: (0, 2),
    SignOff.Stage.SECOND: (1, 2),
    SignOff.Stage.THIRD: (2, 3),
}


class WaitingStageFilter(admin.SimpleListFilter):
    title = _("审核环节")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            (stage.value, _("等待%(stage)s") % {"stage": stage.label})
            for stage in WAITING
        ]

    def queryset(self, request, queryset):
        if self.value() not in WAITING:
            return queryset
        signed, fewest = WAITING[SignOff.Stage(self.value())]
        return (
            queryset.filter(status=Article.Status.REVIEW)
            .annotate(
                review_stages=Coalesce(
                    "section__review__stages", Value(settings.REVIEW_DEFAULT_STAGES)
                ),
                review_signed=Count("signoffs", filter=Q(signoffs__current=True)),
            )
            .filter(review_stages__gte=fewest, review_signed=signed)
        )
