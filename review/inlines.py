"""The section form's 审核级数 (used by articles' SectionAdmin)."""

from django.contrib import admin

from .models import SectionReview


class SectionReviewInline(admin.StackedInline):
    model = SectionReview
    can_delete = False
    max_num = 1
    min_num = 1
    extra = 0
