"""Admin forms: the article form that refuses stale saves, and workflow steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import saving
from .models import Article, Author
from .roles import display_name


class ArticleAdminForm(forms.ModelForm):
    """Carries the article's updated_at as it was when the form was opened,
    and a digest of each field's opened value (articles/saving.py).

    A save whose token no longer matches the database would overwrite someone
    else's work, so it is refused and the form comes back with the user's
    text intact and, field by field, what the other person changed; the
    token is moved on so a deliberate second save goes through, writing
    only the fields the user changed.
    """

    opened_version = forms.CharField(
        label=_("打开时的版本"), widget=forms.HiddenInput, required=False
    )
    opened_fields = forms.CharField(
        label=_("打开时的内容"), widget=forms.HiddenInput, required=False
    )

    # Restoring a revision replays an old form on purpose; the admin turns
    # the check off for that one request.
    check_version = True
    # A workflow move refused after its save was rolled back: the admin
    # shows the form again with this message (workflow_admin.py).
    workflow_refusal = None
    # After a stale refusal: saving.Conflict rows, and who saved last.
    conflicts = None
    conflict_by = ""
    # A correspondent's new story belongs to their county union; the add form
    # shows it (read-only) before the first save sets it (workflow_admin.py).
    new_story_county = None

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets and read-only fields.
        fields = [
            "title",
            "section",
            "county_union",
            "dateline",
            "summary",
            "body",
            "cover_photo",
            "tags",
            "publish_at",
            "slug",
        ]
        # taggit's own text names only commas; the desk also splits on the
        # separators a Chinese input method types (articles/tagging.py).
        help_texts = {
            "tags": _("多个标签用逗号、顿号或分号隔开，如：劳动模范、安全生产。")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.new_story_county is not None:
            self.instance.county_union = self.new_story_county
        if self.instance.pk and self.instance.updated_at:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()
        if self.instance.pk and not self.is_bound:
            self.initial["opened_fields"] = saving.snapshot(
                saving.stored_values(self.instance, saving.tracked_names(self))
            )

    def opened_digests(self):
        """The fields' digests as opened, or None (no or forged token)."""
        if not self.is_bound:
            return None
        return saving.read_snapshot(self.data.get(self.add_prefix("opened_fields")))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.check_version:
            self._refuse_stale_save()
        if self.workflow_refusal:
            raise ValidationError(self.workflow_refusal, code="workflow")
        return cleaned

    def _refuse_stale_save(self):
        try:
            opened = parse_datetime(
                self.data.get(self.add_prefix("opened_version")) or ""
            )
        except ValueError:  # well-formed but impossible, e.g. a 13th month
            opened = None
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .only(
                "updated_at",
                "updated_by__username",
                "updated_by__first_name",
                "updated_by__last_name",
            )
            .get(pk=self.instance.pk)
        )
        if opened is not None and opened == current.updated_at:
            return
        # Move the token on: the user has now seen the warning, and saving
        # again is a decision, not an accident.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.updated_at.isoformat()
        self.conflict_by = display_name(current.updated_by)
        self._show_conflicts()
        raise ValidationError(
            gettext(
                "保存被拒绝：%(who)s 在 %(when)s 修改了这篇稿件，"
                "您打开表单之后的修改会覆盖对方的内容。您填写的内容仍在下面的表单里，"
                "对方改动的栏目逐一列在下面：请核对、选择后再次保存；"
                "您没有改动的栏目不会覆盖对方的修改。"
            )
            % {
                "who": self.conflict_by,
                "when": timezone.localtime(current.updated_at).strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
            },
            code="stale",
        )


    def _show_conflicts(self):
        """List what the other person changed; where the user left a field
        alone, the form now shows the other's value."""
        stored_article = Article.objects.get(pk=self.instance.pk)
        names = [
            name for name in saving.tracked_names(self) if name not in saving.INLINES
        ]
        self.conflicts = saving.conflicts(
            self.opened_digests(),
            saving.stored_values(stored_article, names),
            {name: saving.posted_main(self, name) for name in names},
            {name: self.fields[name].label for name in names},
        )
        for row in self.conflicts:
            if row.both:
                continue
            if row.name == "tags":
                value = stored_article.tags.all()
            else:
                attname = Article._meta.get_field(row.name).attname
                value = getattr(stored_article, attname)
            for key, raw in saving.raw_data(self, row.name, value).items():
                self.data[key] = raw


# Moves other apps register (review: 三审 stages), as (name, label).
EXTRA_ACTIONS = []


def action_choices():
    return [
        ("submit", _("提交审核")),
        ("publish", _("发布")),
        ("return", _("退回修改")),
        ("withdraw", _("撤稿")),
        *EXTRA_ACTIONS,
    ]


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=action_choices)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    publish_at = forms.DateTimeField(
        label=_("发布时间"),
        required=False,
        help_text=_("留空则立即发布；填将来的时间即定时发布。"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    acknowledge_terms = forms.BooleanField(label=_("已核对提示词"), required=False)


class AuthorAdminForm(forms.ModelForm):
    """Refuses a second Author for a person who already has one.

    The importer makes an Author for every byline; an editor or
    photographer adding the same name again would split one person's
    work over two pages. A namesake of another county, or a real second
    person, goes through once 另一个人 is ticked.
    """

    different_person = forms.BooleanField(
        label=_("确认是另一个人"),
        required=False,
        help_text=_("已有同名作者时勾选此项才会新建。"),
    )

    class Meta:
        model = Author
        fields = ["name", "county_union", "user", "bio"]

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        if self.instance.pk or not name or cleaned.get("different_person"):
            return cleaned
        union = cleaned.get("county_union")
        namesakes = Author.objects.filter(name=name)
        if union is not None:
            namesakes = namesakes.filter(
                models.Q(county_union=union) | models.Q(county_union__isnull=True)
            )
        namesakes = list(namesakes.select_related("county_union")[:5])
        if namesakes:
            raise ValidationError(
                gettext(
                    "已有同名作者：%(names)s。同一个人请打开该作者，在“后台账号”里"
                    "关联账号；确是另一个人，请勾选“确认是另一个人”后再保存。"
                )
                % {"names": "、".join(str(author) for author in namesakes)},
                code="namesake",
            )
        return cleaned


class MergeAuthorsForm(forms.Form):
    """Which of the selected Authors stays; the others fold into it."""

    keep = forms.ModelChoiceField(
        label=_("保留哪一位"),
        queryset=Author.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = authors
