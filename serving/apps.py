from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "serving"
    verbose_name = _("站点运行")

    def ready(self):
        from . import signals

        signals.connect()
