"""Signal receivers of the security app."""

from .text import clean_fields


def clean_text_fields(sender, instance, **kwargs):
    """Before any model saves, strip what no output can carry (security.text)."""
    clean_fields(instance)
