"""Filters for the reader templates: what a page shows of a story's photos.

The model methods take whether the viewer is staff (staff_preview, from
articles.context_processors.preview); the template language calls methods
only without arguments, so these pass it on.
"""

from django import template

register = template.Library()


@register.filter
def is_image_shown(photo, preview):
    """{% if photo|is_image_shown:staff_preview %}: Photo.is_image_shown."""
    return photo.is_image_shown(preview)


@register.filter
def cover_for(article, preview):
    """{% with cover=item|cover_for:staff_preview %}: Article.cover_for."""
    return article.cover_for(preview)


@register.filter
def shown_photos(article, preview):
    """(cover, gallery) of Article.shown_photos, as photos.0 and photos.1."""
    return article.shown_photos(preview)
