from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = _("审核与发稿记录")

    def ready(self):
        from . import chain, signals  # noqa: F401 - hooks into the workflow

        chain.register_moves()
