from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("安全与运行")

    def ready(self):
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401 - registers the system checks
        from .signals import clean_text_fields

        # Every model, every save: text is cleaned where it enters.
        pre_save.connect(clean_text_fields, dispatch_uid="security.clean_text")
