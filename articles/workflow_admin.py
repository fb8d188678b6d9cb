"""The article admin's workflow: roles, transitions, revisions, statistics."""

import functools

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from reversion.models import Version

from counties.models import CountyUnion

from . import desk, revisions
from .admin_forms import TransitionForm, action_choices
from .models import Article

# Workflow verb → (permission, how to call it with the transition form's data).
TRANSITIONS = {
    "submit": ("articles.submit_article", lambda a, by, data: a.submit(by)),
    "publish": (
        "articles.publish_article",
        lambda a, by, data: a.publish(by, at=data.get("publish_at")),
    ),
    "return": (
        "articles.return_article",
        lambda a, by, data: a.return_to_writer(by, data.get("comment", "")),
    ),
    "withdraw": (
        "articles.withdraw_article",
        lambda a, by, data: a.withdraw(by, data.get("comment", "")),
    ),
}

# The change form's workflow buttons: <button name="_workflow" value="submit">.
WORKFLOW_BUTTON = "_workflow"

# The moves the add form offers beside 保存 (保存并提交审核): the writer's
# hand-off. Publishing waits for the change form, where the story's section,
# and with it its review chain (review app), is known.
NEW_STORY_MOVES = ["submit"]


def move_label(name):
    return str(dict(action_choices()).get(name, name))


def change_url(article):
    return reverse("admin:articles_article_change", args=[quote(article.pk)])


# Further rules on which moves the change form offers, added by other apps
# (review: 三审 stage buttons): callables (name, article, user) -> bool.
MOVE_RULES = []

# Fields only editors set; everyone else sees them read-only.
EDITOR_FIELDS = ["publish_at", "slug", "county_union"]


def is_editor(user):
    return user.has_perm("articles.publish_article")


def status_badge(article):
    """A coloured label of Article.DeskStatus (CSS: .status-badge)."""
    return badge_html(
        article.desk_status,
        getattr(article, "has_pending_change", False),  # pending_admin.py
        get_language(),
    )


@functools.lru_cache(maxsize=64)
def badge_html(status, pending, language):
    """The badge HTML of one status in one language, built once: the list
    printed the same six badges a hundred times a page."""
    badge = format_html(
        '<span class="status-badge status-{}">{}</span>', status.value, status.label
    )
    if pending:
        badge += format_html(
            ' <span class="status-badge status-pending">{}</span>', _("有未发布的修改")
        )
    return badge


# Stands for the primary key in a change URL reversed once per list.
PK_MARK = "__pk__"


class DeskChangeList(ChangeList):
    """The article list, each draft knowing whether it was returned."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).with_desk_status()

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Every row links to its change form with the same filters kept:
        # the URL is reversed and given the filters once here, and the rows
        # only put in their key. Left in preserved_filters, the filters were
        # added to each row's link again, with a resolve() of the URL, by
        # items_for_result whenever a filter or a search was on.
        self.change_url_pattern = add_preserved_filters(
            {"preserved_filters": self.preserved_filters, "opts": self.opts},
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[PK_MARK],
                current_app=self.model_admin.admin_site.name,
            ),
        )
        self.preserved_filters = ""

    def url_for_result(self, result):
        return self.change_url_pattern.replace(PK_MARK, str(quote(result.pk)), 1)


class DeskStatusFilter(admin.SimpleListFilter):
    """Status as the desk shows it, 退回修改 and 定时 included.

    The parameter keeps the stock filter's name, so saved links and
    `make bench` still work.
    """

    title = gettext_lazy("状态")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return Article.DeskStatus.choices

    def queryset(self, request, queryset):
        if self.value() in Article.DeskStatus.values:
            return queryset.in_desk_status(self.value())
        return queryset


class CountyListFilter(admin.RelatedFieldListFilter):
    """Editors pick from every county union, and stories of none (the
    federation's own) under a name rather than "-"; others only from their
    own county."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.for_editor = is_editor(request.user)
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = _("无县级工会")

    @property
    def include_empty_choice(self):
        return self.for_editor and super().include_empty_choice

    def has_output(self):
        # A correspondent's one county still shows, as where she works.
        return (
            bool(self.lookup_choices) if not self.for_editor else super().has_output()
        )

    def field_choices(self, field, request, model_admin):
        if is_editor(request.user):
            return super().field_choices(field, request, model_admin)
        used = model_admin.get_queryset(request).values("county_union")
        return [
            (union.pk, str(union)) for union in CountyUnion.objects.filter(pk__in=used)
        ]


class ParentEditableInlineMixin:
    """Bylines and gallery are as editable as the article they belong to."""

    def _parent_editable(self, request, obj):
        return obj is None or obj.can_be_edited_by(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(
            request, obj
        )


class WorkflowAdminMixin:
    """Server-side role rules for ArticleAdmin (used before VersionAdmin)."""

    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    actions = ["submit_selected", "publish_selected", "withdraw_selected"]

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def workflow_status(self, article):
        """The status as a coloured badge: 退回修改 and 定时 told apart."""
        return status_badge(article)

    @admin.display(description=gettext_lazy("时间"), ordering="publish_at")
    def desk_time(self, article):
        """Publish time (定时发布 when still to come), else the last edit."""
        if article.is_scheduled:
            label, when = _("定时发布"), article.publish_at
        elif article.status in {Article.Status.PUBLISHED, Article.Status.WITHDRAWN}:
            label, when = _("发布"), article.publish_at
        else:
            label, when = _("修改"), article.updated_at
        return format_html(
            '<span class="desk-time">{} <time datetime="{}">{}</time></span>',
            label,
            when.isoformat() if when else "",
            date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
            if when
            else "—",
        )

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

    def changelist_view(self, request, extra_context=None):
        context = {
            "can_recover": request.user.has_perm("articles.restore_article"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Who may do what, per object.

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "status"]
        if not is_editor(request.user):
            fields += EDITOR_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.is_deletable

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_withdraw_permission(self, request):
        return request.user.has_perm("articles.withdraw_article")

    def apply_workflow_rules(self, request, obj, change):
        """A correspondent's new story belongs to their county union."""
        if change or is_editor(request.user):
            return
        obj.county_union = self.writers_county(request)

    def writers_county(self, request):
        author = getattr(request.user, "author", None)
        return author.county_union if author else None

    def delete_queryset(self, request, queryset):
        # The delete confirmation already checks each object; this guards
        # the bulk path against a crafted request all the same.
        if queryset.exclude(status__in=Article.DELETABLE).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    # Transitions: buttons on the change page and changelist actions.

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "county-statistics.csv",
                view(self.statistics_csv_view),
                name=f"{prefix}_statistics_csv",
            ),
            path(
                "<path:object_id>/transition/",
                view(self.transition_view),
                name=f"{prefix}_transition",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            *super().get_urls(),
        ]

    def available_transitions(self, request, article):
        user = request.user
        moves = []
        for name, (permission, _call) in TRANSITIONS.items():
            if article.status not in Article.MOVES_FROM.get(name, {article.status}):
                continue
            if not user.has_perm(permission):
                continue
            if name == "submit" and not article.can_be_edited_by(user):
                continue
            if not all(rule(name, article, user) for rule in MOVE_RULES):
                continue
            moves.append(name)
        return moves

    def may_move(self, request, article, name):
        user = request.user
        if name not in TRANSITIONS or not user.has_perm(TRANSITIONS[name][0]):
            return False
        if article.pk is None:
            # A story being created: whoever may create it may hand it over.
            return name in NEW_STORY_MOVES and self.has_add_permission(request)
        return name != "submit" or article.can_be_edited_by(user)

    def new_story_moves(self, request):
        """The add form's save-and-move buttons: (move, label) pairs."""
        story = Article()
        return [
            (name, _("保存并%(action)s") % {"action": move_label(name)})
            for name in NEW_STORY_MOVES
            if self.may_move(request, story, name)
        ]

    def transition_view(self, request, object_id):
        """A move alone, with nothing to save (a client posting just the
        move). The change form's buttons save first: changeform_view below."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        return self.move_without_saving(request, article, TransitionForm(request.POST))

    def move_without_saving(self, request, article, form):
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(change_url(article))
        name = form.cleaned_data["action"]
        if not self.may_move(request, article, name):
            raise PermissionDenied
        try:
            transition = TRANSITIONS[name][1](article, request.user, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s”：%(action)s。")
                % {"title": article.title, "action": transition.get_action_display()},
            )
        return HttpResponseRedirect(change_url(article))

    # Save first: the change form's workflow buttons (name="_workflow") save
    # the form as it stands, then move the story, in one transaction. The add
    # form's 保存并提交审核 is the same button on a story not yet created.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        name = request.POST.get(WORKFLOW_BUTTON) if request.method == "POST" else None
        if not name:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is None:
            article = Article()
        else:
            article = self.get_object(request, unquote(object_id))
        if article is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        form = TransitionForm({**request.POST.dict(), "action": name})
        if object_id is not None and not self.has_change_permission(request, article):
            # Nothing on the page is editable (a published story for a
            # correspondent, a signer without edit rights): the move alone.
            return self.move_without_saving(request, article, form)
        refusal = self.refuse_move_early(request, article, name, form)
        if refusal is None:
            request.workflow_move = (name, form.cleaned_data, article.publish_at)
            try:
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
            except ValidationError as error:
                # The move refused after the save: the whole transaction,
                # save included, was rolled back on the way here.
                refusal = " ".join(error.messages)
            finally:
                request.workflow_move = None
        # The form again, exactly as posted, with the reason and nothing
        # saved or moved (ArticleAdminForm.workflow_refusal).
        request.workflow_refusal = _("未能%(action)s：%(reason)s") % {
            "action": move_label(name),
            "reason": refusal,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def refuse_move_early(self, request, article, name, form):
        """Why the move cannot even be tried, before anything is saved."""
        if not form.is_valid():
            return " ".join(" ".join(errors) for errors in form.errors.values())
        if not self.may_move(request, article, name):
            return _("您没有这项操作的权限。")
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if not getattr(request, "workflow_move", None):
            return super().response_add(request, obj, post_url_continue)
        return self.move_saved(request, obj)

    def response_change(self, request, obj):
        if not getattr(request, "workflow_move", None):
            return super().response_change(request, obj)
        return self.move_saved(request, obj)

    def move_saved(self, request, obj):
        """The pressed move, once the add or change form is saved; then the
        story's change page."""
        name, data, publish_at_before = request.workflow_move
        data = dict(data)
        if obj.publish_at != publish_at_before:
            # The form's own 发布时间, changed and just saved, is the time
            # the story goes out (the one publish-time control).
            data["publish_at"] = obj.publish_at
        # A ValidationError here leaves through changeform_view's
        # transaction, which rolls the save back.
        transition = TRANSITIONS[name][1](obj, request.user, data)
        messages.success(
            request,
            _("“%(title)s”：已保存，%(action)s。")
            % {"title": obj.title, "action": transition.get_action_display()},
        )
        return HttpResponseRedirect(change_url(obj))

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        name = request.POST.get(WORKFLOW_BUTTON) if request.method == "POST" else None
        if name:
            context["workflow_pressed"] = move_label(name)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def add_view(self, request, form_url="", extra_context=None):
        context = {"new_story_moves": self.new_story_moves(request)}
        return super().add_view(request, form_url, {**context, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if article is not None:
            context["workflow_moves"] = self.available_transitions(request, article)
            # Bound after a refusal, so the typed 意见 comes back too.
            context["transition_form"] = TransitionForm(
                request.POST if request.method == "POST" else None
            )
            context["transitions"] = article.transitions.select_related("by")
            context["can_compare"] = request.user.has_perm("articles.restore_article")
        return super().change_view(request, object_id, form_url, context)

    def _run_action(self, request, queryset, name):
        done = 0
        for article in queryset:
            try:
                TRANSITIONS[name][1](article, request.user, {})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext("已处理 %(count)d 篇稿件。", "已处理 %(count)d 篇稿件。", done)
                % {"count": done},
            )

    @admin.action(permissions=["submit"], description=gettext_lazy("提交所选稿件审核"))
    def submit_selected(self, request, queryset):
        # The changelist is already limited to the user's county union.
        self._run_action(request, queryset, "submit")

    @admin.action(permissions=["publish"], description=gettext_lazy("发布所选稿件"))
    def publish_selected(self, request, queryset):
        self._run_action(request, queryset, "publish")

    @admin.action(permissions=["withdraw"], description=gettext_lazy("撤下所选稿件"))
    def withdraw_selected(self, request, queryset):
        self._run_action(request, queryset, "withdraw")

    # Revisions: only editors compare and restore.

    def _require_restore_permission(self, request):
        if not request.user.has_perm("articles.restore_article"):
            raise PermissionDenied

    def recoverlist_view(self, request, extra_context=None):
        # Deleted drafts of every county are listed there: editors only.
        self._require_restore_permission(request)
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._require_restore_permission(request)
        return super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._require_restore_permission(request)
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        # Restoring brings back text, bylines and gallery; the workflow state
        # and publish time stay as they are now.
        request.workflow_state = (article.status, article.publish_at)
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        state = getattr(request, "workflow_state", None)
        if article is not None and state is not None:
            article.status, article.publish_at = state
        return article

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and not is_editor(request.user):
            county = self.writers_county(request)
            form = type(form.__name__, (form,), {"new_story_county": county})
        if getattr(request, "workflow_state", None) is not None:
            form = type(form.__name__, (form,), {"check_version": False})
        refusal = getattr(request, "workflow_refusal", None)
        if refusal:
            # A refused workflow move: the form comes back invalid, as posted.
            form = type(form.__name__, (form,), {"workflow_refusal": refusal})
        return form

    def compare_view(self, request, object_id):
        self._require_restore_permission(request)
        # get_object() answers None for an id of the wrong type ("abc"),
        # where a plain pk lookup raised ValueError (a 500).
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        versions = Version.objects.get_for_object(article).select_related(
            "revision__user"
        )
        try:
            older = versions.get(pk=request.GET.get("from"))
            newer = versions.get(pk=request.GET.get("to"))
        except (Version.DoesNotExist, ValueError):
            messages.error(request, _("请选择这篇稿件的两个历史版本进行比较。"))
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[quote(article.pk)])
            )
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("比较版本：%(title)s") % {"title": article.title},
            "older": older,
            "newer": newer,
            "rows": revisions.compare(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        context = dict(extra_context or {})
        article = self.get_object(request, unquote(object_id))
        if article is not None and request.user.has_perm("articles.restore_article"):
            context["compare_versions"] = Version.objects.get_for_object(
                article
            ).select_related("revision__user")
        return super().history_view(request, object_id, context)

    # County statistics as CSV (the table itself is on the admin index).

    def statistics_csv_view(self, request):
        if not request.user.has_perm("articles.view_county_statistics"):
            raise PermissionDenied
        month = desk.parse_month(request.GET.get("month"))
        return desk.statistics_csv(month)
