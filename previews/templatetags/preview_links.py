from django import template

from ..views import PERMISSION, links_context

register = template.Library()


@register.inclusion_tag("admin/previews/preview_links.html", takes_context=True)
def preview_links(context):
    """The 预览链接 module of an article's change form, for editors only."""
    request = context["request"]
    article = context.get("original")
    if article is None or not request.user.has_perm(PERMISSION):
        return {"show": False}
    return links_context(request, article)
