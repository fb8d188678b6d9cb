from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = _("信息工作考核")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from serving import pagecache

        from .models import Headline, PointsRule, TakeUp, Target

        def figures_changed(sender, **kwargs):
            # Reports of ended periods are cached per content generation
            # (reports.report_for): a new rule, target, take-up or headline
            # starts a new one.
            pagecache.bump()

        for model in (PointsRule, Target, TakeUp, Headline):
            for signal in (post_save, post_delete):
                signal.connect(
                    figures_changed,
                    sender=model,
                    dispatch_uid=f"assessment-{model.__name__}-{signal is post_save}",
                    weak=False,
                )
