from django.contrib import admin
from django.db import models

from .models import CountyUnion


@admin.register(CountyUnion)
class CountyUnionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "slug", "phone", "position"]
    list_editable = ["position"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    # A website typed without a scheme means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
