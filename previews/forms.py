from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreviewLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=settings.PREVIEW_LINK_MAX_DAYS,
        error_messages={
            "required": _("请填写有效天数。"),
            "invalid": _("有效天数须是整数。"),
            "min_value": _("有效天数至少 1 天。"),
            "max_value": _("有效天数最多 %(limit_value)s 天。"),
        },
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "class": "vIntegerField"}
        ),
    )

    def __init__(self, *args, **kwargs):
        # Beside the article's own fields on the change form: ids of its own.
        kwargs.setdefault("auto_id", "id_preview_%s")
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.PREVIEW_LINK_DAYS
