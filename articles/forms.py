"""Reader-facing forms: the search filters."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import CountyUnion

from .models import Section

MIN_YEAR, MAX_YEAR = 1949, 2999


class SearchFilterForm(forms.Form):
    """Filters beside the search box; the box itself is read in the view.

    The query is not a form field so that any text, however odd, is cleaned
    and searched rather than rejected.
    """

    section = forms.ModelChoiceField(
        label=_("栏目"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("全部栏目"),
    )
    county = forms.ModelChoiceField(
        label=_("县级工会"),
        queryset=CountyUnion.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("全部县级工会"),
    )
    start = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_start(self):
        return _in_range(self.cleaned_data["start"])

    def clean_end(self):
        return _in_range(self.cleaned_data["end"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data

    def filter(self, queryset):
        """Apply the filters that validated; invalid ones are shown, not used."""
        data = getattr(self, "cleaned_data", {})
        if data.get("section"):
            queryset = queryset.in_section(data["section"])
        if data.get("county"):
            queryset = queryset.for_county(data["county"])
        if data.get("start"):
            queryset = queryset.filter(publish_at__gte=_day_start(data["start"]))
        if data.get("end"):
            end = data["end"] + timedelta(days=1)
            queryset = queryset.filter(publish_at__lt=_day_start(end))
        return queryset


def _in_range(day):
    if day and not MIN_YEAR <= day.year <= MAX_YEAR:
        raise forms.ValidationError(
            _("请填写 %(min)d 年到 %(max)d 年之间的日期。"),
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return day


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))
