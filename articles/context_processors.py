from django.utils.functional import SimpleLazyObject

from . import reader


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
