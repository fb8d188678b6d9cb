from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import reader
from .models import sees_only_published


def sections_for(request):
    """Every section, read once per request and shared by the navigation and
    the view (a section page finds its own section among them)."""
    if not hasattr(request, "sections"):
        request.sections = reader.sections()
    return request.sections


def find_section(request, **match):
    """The section of sections_for(request) with this one attribute value
    (slug=…, pk=…), or None: pages that show a section take it from there."""
    ((attribute, value),) = match.items()
    return next(
        (
            found
            for found in sections_for(request)
            if getattr(found, attribute) == value
        ),
        None,
    )


def navigation(request):
    """Sections for the site navigation, queried only if a template uses them."""
    return {"nav_sections": SimpleLazyObject(lambda: sections_for(request))}


def preview(request):
    """staff_preview: true for staff who may open unpublished articles, who
    see photos still waiting for their original, marked 原图待补; readers
    never do (Photo.is_image_shown).

    Without a session cookie the answer is no, without reading the session:
    reading it would add Vary: Cookie to every reader page.
    """

    def is_staff():
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        return not sees_only_published(request.user)

    return {"staff_preview": SimpleLazyObject(is_staff)}
