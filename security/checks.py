"""System checks that stop a misconfigured production start early."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_secret_key(app_configs, **kwargs):
    """Refuse DEBUG off with the development key (migrate, runserver, check)."""
    if settings.DEBUG or settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [
        Error(
            "DEBUG is off but SECRET_KEY is the development key.",
            hint="Set SECRET_KEY to a long random value (or DEBUG=1 to develop).",
            id="newsroom.E001",
        )
    ]


@register(Tags.security)
def check_no_request_chosen_cache_keys(app_configs, **kwargs):
    """Refuse django-tinymce's compressor: it caches under keys from the URL."""
    if not getattr(settings, "TINYMCE_COMPRESSOR", False):
        return []
    return [
        Error(
            "TINYMCE_COMPRESSOR is on.",
            hint="Its view stores entries under cache keys a request chooses; "
            "serve TinyMCE from static files (TINYMCE_COMPRESSOR = False).",
            id="newsroom.E002",
        )
    ]
