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
