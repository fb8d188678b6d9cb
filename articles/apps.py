from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("稿件")

    def ready(self):
        # Connect the search indexing and the removal of deleted photos' files.
        from . import photo_service, signals  # noqa: F401
