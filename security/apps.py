from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("安全与运行")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
