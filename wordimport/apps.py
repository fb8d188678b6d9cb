from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordImportConfig(AppConfig):
    name = "wordimport"
    verbose_name = _("Word 导入")
