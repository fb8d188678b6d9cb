"""The article admin's side of pending changes to live stories (pending.py).

ArticleAdminPendingMixin sits in front of the workflow mixin: the form and
inlines of a live story show its pending content, saving writes the pending
change instead of the article (one branch in save_model and save_related),
and the 更新发布, 放弃修改, compare and preview pages live here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import pending
from .context_processors import find_section
from .models import ArticleAuthor, ArticlePhoto, PendingChange
from .revisions import compare_snapshots
from .roles import display_name
from .views import ArticleDetailView

PUBLISH_PENDING = "_publish_pending"


class PendingChangeFilter(admin.SimpleListFilter):
    """Live stories whose edits wait for 更新发布."""

    title = gettext_lazy("未发布的修改")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("1", gettext_lazy("有未发布的修改"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(
                Exists(PendingChange.objects.filter(article=OuterRef("pk")))
            )
        return queryset


class PendingTokenForm(forms.Form):
    """The version of the pending change the form was opened on.

    The article's own token (ArticleAdminForm.opened_version) does not move
    while edits go to a pending change, so two editors of one live story
    would overwrite each other's pending edits without this second token.
    """

    opened_pending = forms.CharField(widget=forms.HiddenInput, required=False)

    def _refuse_stale_pending(self, article):
        current = (
            PendingChange.objects.select_related("updated_by__author")
            .filter(article=article.pk)
            .first()
        )
        opened = self.data.get(self.add_prefix("opened_pending")) or ""
        if opened == pending.version_token(current):
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_pending")] = pending.version_token(current)
        if current is None:
            message = _(
                "保存被拒绝：您打开表单之后，这篇稿件未发布的修改已被发布或放弃。"
                "您填写的内容仍在下面的表单里；确认后再次保存。"
            )
        else:
            message = _(
                "保存被拒绝：%(who)s 在 %(when)s 修改了这篇稿件未发布的修改，"
                "您的保存会覆盖对方的内容。您填写的内容仍在下面的表单里；"
                "请在新窗口打开稿件对照后合并，确认后再次保存。"
            ) % {
                "who": display_name(current.updated_by),
                "when": timezone.localtime(current.updated_at).strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
            }
        raise ValidationError(message, code="stale_pending")


def pending_form(form_class, article):
    """form_class showing the article's pending content and carrying its
    version, refusing a save over a newer pending change."""
    change = pending.pending_change(article)

    class PendingForm(PendingTokenForm, form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if change is not None:
                self.initial.update(pending.form_initial(change))
            self.initial["opened_pending"] = pending.version_token(change)

        def clean(self):
            cleaned = super().clean()
            self._refuse_stale_pending(article)
            return cleaned

    PendingForm.__name__ = form_class.__name__
    return PendingForm


def pending_formset(formset_class, ids, target):
    """formset_class listing a pending change's ids as new rows.

    Only for showing the form: posted back, the rows are plain new rows (or
    the live ones, from a form opened before there was a pending change),
    read and never saved (ArticleAdminPendingMixin.save_related).
    """

    class PendingFormSet(formset_class):
        extra = len(ids) + formset_class.extra

        def __init__(self, *args, **kwargs):
            kwargs["queryset"] = self.model._default_manager.none()
            kwargs["initial"] = [
                {target: pk, "position": position}
                for position, pk in enumerate(ids, start=1)
            ]
            super().__init__(*args, **kwargs)

    PendingFormSet.__name__ = formset_class.__name__
    return PendingFormSet


def _posted_ids(formsets, model, target):
    for formset in formsets:
        if formset.model is model:
            return [
                getattr(form.cleaned_data[target], "pk", None)
                for form in formset.forms_in_order()
                if form.cleaned_data.get(target) is not None
            ]
    return None


class PendingPreviewView(ArticleDetailView):
    """The reader's article page with a pending change put on the article."""

    change = None

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        pending.show_on_page(article, self.change)
        article.section = find_section(self.request, pk=article.section_id)
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(pending_preview=True, **kwargs)


class ArticleAdminPendingMixin:
    """Edits of live stories are kept as a PendingChange until 更新发布."""

    def _pending_mode(self, request, article):
        # Restoring a revision replays it on purpose, as today; a reader of
        # the form without the right to change it sees the live story.
        return (
            article is not None
            and getattr(request, "workflow_state", None) is None
            and self.has_change_permission(request, article)
            and pending.keeps_changes_pending(article)
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_pending_change=Exists(
                    PendingChange.objects.filter(article=OuterRef("pk"))
                )
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if self._pending_mode(request, obj):
            form = pending_form(form, obj)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        # A pending change's bylines and gallery show as new rows; without
        # one the live rows show as usual (saving reads either kind).
        change = None
        if request.method != "POST" and self._pending_mode(request, obj):
            change = pending.pending_change(obj)
        rows = change and {
            ArticleAuthor: (change.byline_ids, "author"),
            ArticlePhoto: (change.gallery_ids, "photo"),
        }
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if rows and inline.model in rows:
                formset = pending_formset(formset, *rows[inline.model])
            yield formset, inline

    def save_model(self, request, obj, form, change):
        if change and self._pending_mode(request, form.instance):
            return  # the story itself is untouched; save_related keeps it
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if not (change and self._pending_mode(request, article)):
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            # Nothing of theirs is saved; the change message reads these.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
        live_bylines, live_gallery = pending.live_rows(article)
        byline_ids = _posted_ids(formsets, ArticleAuthor, "author")
        gallery_ids = _posted_ids(formsets, ArticlePhoto, "photo")
        tags = form.cleaned_data.get("tags")
        kept = pending.keep(
            article,
            edited=article,
            changed=form.changed_data,
            tag_names=list(article.tags.names()) if tags is None else tags,
            byline_ids=live_bylines if byline_ids is None else byline_ids,
            gallery_ids=live_gallery if gallery_ids is None else gallery_ids,
            by=request.user,
        )
        # The stock "changed successfully" would read as if readers saw it.
        request.pending_change_kept = True
        if kept is None:
            # Under 撤稿 and the other buttons nothing was typed: the step's
            # own message says what happened.
            if not getattr(request, "workflow_move", None):
                messages.info(request, _("与已发布的内容相同，没有未发布的修改。"))
        else:
            messages.warning(
                request,
                _(
                    "这篇稿件已发布：修改已保存为未发布的修改，读者仍看到原来的内容；"
                    "按“更新发布”后读者才能看到。"
                ),
            )
        return None

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(
            request, "pending_change_kept", False
        ):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def response_change(self, request, obj):
        if PUBLISH_PENDING in request.POST:
            return self._publish_pending(request, obj)
        return super().response_change(request, obj)

    def _publish_pending(self, request, article):
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        if pending.pending_change(article) is None:
            # The form matched the live story: save_related said so.
            return HttpResponseRedirect(self._change_url(article))
        try:
            pending.publish(article, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s”：已更新发布，读者现在看到修改后的内容。")
                % {"title": article.title},
            )
        return HttpResponseRedirect(self._change_url(article))

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[quote(article.pk)])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if self._pending_mode(request, article):
            context["pending_mode"] = True
            context["pending_change"] = pending.pending_change(article)
            context["can_publish_pending"] = request.user.has_perm(
                "articles.publish_article"
            )
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/pending/discard/",
                view(self.discard_pending_view),
                name="articles_article_pending_discard",
            ),
            path(
                "<path:object_id>/pending/preview/",
                view(self.preview_pending_view),
                name="articles_article_pending_preview",
            ),
            path(
                "<path:object_id>/pending/compare/",
                view(self.compare_pending_view),
                name="articles_article_pending_compare",
            ),
            *super().get_urls(),
        ]

    def _article_with_change(self, request, object_id):
        """The article and its pending change, for editors only."""
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        return article, pending.pending_change(article)

    def discard_pending_view(self, request, object_id):
        """放弃修改, after a confirmation page showing what would be lost."""
        article, change = self._article_with_change(request, object_id)
        if change is None:
            messages.info(request, _("这篇稿件没有未发布的修改。"))
            return HttpResponseRedirect(self._change_url(article))
        if request.method == "POST":
            try:
                pending.discard(article)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("已放弃“%(title)s”未发布的修改，稿件保持已发布的内容。")
                    % {"title": article.title},
                )
            return HttpResponseRedirect(self._change_url(article))
        return self._pending_page(
            request,
            article,
            change,
            "admin/articles/article/pending_discard.html",
            _("放弃未发布的修改：%(title)s"),
        )

    def compare_pending_view(self, request, object_id):
        """The published story beside its pending change."""
        article, change = self._article_with_change(request, object_id)
        if change is None:
            messages.info(request, _("这篇稿件没有未发布的修改。"))
            return HttpResponseRedirect(self._change_url(article))
        return self._pending_page(
            request,
            article,
            change,
            "admin/articles/article/pending_compare.html",
            _("比较线上版本与未发布的修改：%(title)s"),
        )

    def preview_pending_view(self, request, object_id):
        """The article page as readers will see it after 更新发布 (admin_view
        marks it never_cache; the page cache only keeps anonymous pages)."""
        article, change = self._article_with_change(request, object_id)
        if change is None:
            messages.info(request, _("这篇稿件没有未发布的修改。"))
            return HttpResponseRedirect(self._change_url(article))
        return PendingPreviewView.as_view(change=change)(request, slug=article.slug)

    def _pending_page(self, request, article, change, template, title):
        rows = compare_snapshots(
            pending.live_snapshot(article), pending.pending_snapshot(change)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "pending_change": change,
            "title": title % {"title": article.title},
            "rows": rows,
        }
        return TemplateResponse(request, template, context)
