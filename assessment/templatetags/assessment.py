from django import template
from django.utils.translation import gettext as _

from ..scoring import format_percent, format_points

register = template.Library()


@register.filter
def points(value):
    """Points with at most two decimals: 2.5, 0.33, 3."""
    return format_points(value)


@register.filter
def percent(value):
    """A per cent figure (or — when there is nothing to divide by)."""
    return format_percent(value)


@register.filter
def progress_title(progress):
    """The three target progress figures in one line, for a tooltip."""
    return _("报送 %(submitted)s，采用 %(published)s，积分 %(points)s") % {
        name: percent(value) for name, value in progress.items()
    }
