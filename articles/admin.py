from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from taggit import admin as taggit_admin
from taggit.models import Tag
from tinymce.widgets import TinyMCE

from counties.models import CountyUnion
from review.filters import WaitingStageFilter
from review.inlines import SectionReviewInline
from review.terms import warn_on_save
from serving import pagecache

from . import images, photo_service
from .admin_forms import ArticleAdminForm, AuthorAdminForm, MergeAuthorsForm
from .authors import merge_authors
from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Issue,
    Photo,
    PhotoCredit,
    Section,
)
from .ordering import OrderedInlineMixin
from .pagination import DeferredJoinPaginator
from .pending_admin import ArticleAdminPendingMixin, PendingChangeFilter
from .photo_forms import BulkPhotoForm, PhotoChooserForm, PhotoImageField
from .roles import display_name
from .saving import FieldLevelSaveMixin
from .search import uses_search_vector
from .workflow_admin import (
    CountyListFilter,
    DeskStatusFilter,
    ParentEditableInlineMixin,
    WorkflowAdminMixin,
)


class NoCountyFilter(admin.RelatedFieldListFilter):
    """The county filter of photos and authors: those of no county union
    under a name rather than the stock bare "-"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("无县级工会")


class AuthorListFilter(admin.RelatedOnlyFieldListFilter):
    """Authors who appear in the list, named with their county in one query.

    Author.__str__ shows the county; the stock filter read it once per author
    (800 queries a page with the synthetic 900 authors). Photos credited to
    nobody are listed as 无摄影署名 rather than "-".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("无摄影署名")

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values(f"{field.name}__pk")
        authors = Author.objects.filter(pk__in=used).select_related("county_union")
        return [(author.pk, str(author)) for author in authors]


class AuthorNameFilter(admin.SimpleListFilter):
    """Articles by one author, typed rather than picked from a list.

    A link per author made a sidebar of hundreds of names (and a quarter of
    the list page's time with 900); editors type the name instead.
    """

    title = _("作者")
    parameter_name = "author"
    template = "admin/articles/author_name_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        name = (self.value() or "").strip()
        if not name:
            return queryset
        return queryset.filter(authors__name=name)

    def choices(self, changelist):
        # One "choice": what the template needs to keep the other filters.
        yield {
            "value": (self.value() or "").strip(),
            "kept": [
                (name, value)
                for name, value in changelist.params.items()
                if name not in {self.parameter_name, "p"}
            ],
            "clear_query_string": changelist.get_query_string(
                remove=[self.parameter_name]
            ),
        }


CHOOSER_PAGE = 24


class FocalField(forms.FloatField):
    """A focal coordinate; left empty (or not sent) it is the centre."""

    def clean(self, value):
        value = super().clean(value)
        return 0.5 if value is None else value


def chooser_entry(photo):
    """What the photo chooser shows of one photo and puts in the form."""
    widths = photo.rendition_widths
    inserted = ([w for w in widths if w <= 1280] or widths)[-1] if widths else None
    return {
        "id": photo.pk,
        "label": str(photo),
        "caption": photo.caption,
        "alt": photo.alt_text or photo.caption,
        "credit": photo.credit_line,
        "county": photo.county_union.short_name if photo.county_union_id else "",
        "date": (photo.taken_on or timezone.localdate(photo.created_at)).isoformat(),
        "thumbnail": photo.rendition_url(widths[0]) if widths else photo.image.url,
        # What the body editor inserts: a rendition, never the original.
        "insert_url": photo.rendition_url(inserted) if inserted else photo.image.url,
        "insert_width": inserted or photo.width,
        "insert_height": round(photo.height * inserted / photo.width)
        if inserted and photo.width
        else photo.height,
    }


def thumbnail(photo, size=80):
    """A small rendition (the original only if none exists) for admin lists."""
    if not photo or not photo.image:
        return "—"
    widths = photo.rendition_widths
    url = photo.rendition_url(widths[0]) if widths else photo.image.url
    if size > 320 and widths:
        url = photo.fallback_url
    return format_html(
        '<img src="{}" alt="" class="admin-thumbnail" width="{}" height="{}">',
        url,
        size,
        round(size * photo.height / photo.width) if photo.width else size,
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    inlines = [SectionReviewInline]  # 三审: stages per section (review app)
    list_display = ["name", "kind", "slug", "position"]
    list_editable = ["position"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "county_union", "user", "slug"]
    list_filter = [("county_union", NoCountyFilter)]
    list_select_related = ["county_union", "user"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["user"]
    actions = ["merge_selected"]

    def get_fields(self, request, obj=None):
        fields = ["name", "county_union", "user", "bio"]
        return fields if obj else [*fields, "different_person"]

    @admin.action(
        description=_("合并所选作者（同一个人）"),
        permissions=["change", "delete"],
    )
    def merge_selected(self, request, queryset):
        """Pick the Author to keep; the others' bylines and credits move to
        it in their order and their pages redirect to its page."""
        authors = queryset.select_related("county_union", "user").annotate(
            byline_count=Count("bylines", distinct=True),
            credit_count=Count("photo_credits", distinct=True),
        )
        form = MergeAuthorsForm(
            request.POST if "keep" in request.POST else None, authors=authors
        )
        if len(authors) < 2:
            self.message_user(request, _("请至少选择两位作者再合并。"), messages.ERROR)
            return None
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                merge_authors(keep=keep, others=[a for a in authors if a != keep])
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("已合并为 %(author)s；原作者页会转到新的作者页。") % {"author": keep},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/author/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("合并作者"),
                "authors": authors,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


class PhotoCreditInline(OrderedInlineMixin, admin.TabularInline):
    model = PhotoCredit
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    change_list_template = "admin/articles/photo/change_list.html"
    list_display = [
        "thumbnail",
        "short_caption",
        "credit",
        "county_union",
        "original_state",
        "created_at",
    ]
    list_display_links = ["thumbnail", "short_caption"]
    list_filter = [
        "awaiting_original",
        ("county_union", NoCountyFilter),
        ("credits", AuthorListFilter),
        "taken_on",
    ]
    list_select_related = ["county_union"]
    search_fields = ["caption", "alt_text", "credits__name"]
    autocomplete_fields = ["county_union"]
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fields = [
        "preview",
        ("focal_x", "focal_y"),
        "image",
        "caption",
        "alt_text",
        "county_union",
        "taken_on",
        "awaiting_original",
        "width",
        "height",
        "uploaded_by",
        "created_at",
    ]
    inlines = [PhotoCreditInline]

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/desk-form.css"]}

    @admin.display(description=_("缩略图"))
    def thumbnail(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("预览"))
    def preview(self, photo):
        return thumbnail(photo, size=480)

    @admin.display(description=_("图片说明"), ordering="caption")
    def short_caption(self, photo):
        return str(photo)

    @admin.display(description=_("摄影"))
    def credit(self, photo):
        return photo.credit_line

    def get_fields(self, request, obj=None):
        # Read-only, the stock boolean is an icon whose alt text is "True".
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return ["original_state" if f == "awaiting_original" else f for f in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [*fields, "original_state"]
        return fields

    @admin.display(description=_("原图"), ordering="awaiting_original")
    def original_state(self, photo):
        """A placeholder warns; a real photo reads plainly as there."""
        if photo.awaiting_original:
            return format_html(
                '<span class="status-badge status-awaiting">⚠ {}</span>',
                _("待补原图"),
            )
        return format_html('<span class="original-ok">✓ {}</span>', _("已有原图"))

    def changeform_view(self, request, *args, **kwargs):
        # The form's transaction may still fail after the photo is written.
        with photo_service.atomic(using=router.db_for_write(self.model)):
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not obj.uploaded_by_id:
            obj.uploaded_by = request.user
        # A new original replaces the old one (or the importer's
        # placeholder); caption and credits stay as they are.
        new_image = form.cleaned_data["image"] if "image" in form.changed_data else None
        photo_service.save_photo(obj, new_image)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The one place an admin upload is checked, decoded and stripped.
        if db_field.name == "image":
            kwargs["form_class"] = PhotoImageField
        if db_field.name in {"focal_x", "focal_y"}:
            kwargs["form_class"] = FocalField
            kwargs["required"] = False
            kwargs["widget"] = forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "max": "1", "class": "focal-input"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "choose/",
                self.admin_site.admin_view(self.choose_view),
                name="articles_photo_choose",
            ),
            path(
                "bulk-upload/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="articles_photo_bulk_upload",
            ),
            *super().get_urls(),
        ]

    def choose_view(self, request):
        """Photos as thumbnails for the chooser (static/js/photo-chooser.js):
        search by caption, photographer, county and date, newest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PhotoChooserForm(request.GET)
        photos = form.photos() if form.is_valid() else Photo.objects.none()
        page = (form.cleaned_data.get("page") if form.is_valid() else None) or 1
        start = (page - 1) * CHOOSER_PAGE
        found = list(
            photos.select_related("county_union")[start : start + CHOOSER_PAGE + 1]
        )
        return JsonResponse(
            {
                "results": [
                    chooser_entry(photo) for photo in found[:CHOOSER_PAGE]
                ],
                "has_more": len(found) > CHOOSER_PAGE,
                "page": page,
                "errors": {k: list(v) for k, v in form.errors.items()},
                "can_upload": self.has_add_permission(request),
                "upload_url": reverse("admin:articles_photo_bulk_upload"),
                "counties": [
                    [union.pk, union.short_name]
                    for union in CountyUnion.objects.order_by("position", "pk")
                ],
            }
        )

    def bulk_upload_view(self, request):
        """Many photos with shared defaults; the page posts one file at a time."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = BulkPhotoForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                photo = form.save(by=request.user)
                if wants_json:
                    return JsonResponse(
                        {
                            **chooser_entry(photo),
                            "id": photo.pk,
                            "url": reverse(
                                "admin:articles_photo_change", args=[photo.pk]
                            ),
                            "thumbnail": photo.rendition_url(
                                photo.rendition_widths[0]
                            ),
                        },
                        status=201,
                    )
                messages.success(
                    request, _("已上传：%(photo)s") % {"photo": photo}
                )
                return redirect("admin:articles_photo_bulk_upload")
            if wants_json:
                return JsonResponse(
                    {"errors": {k: list(v) for k, v in form.errors.items()}},
                    status=400,
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("批量上传图片"),
            "form": form,
            "media": self.media + form.media,
            "max_upload_bytes": images.MAX_UPLOAD_BYTES,
            "max_upload_mb": images.MAX_UPLOAD_BYTES // 1024 // 1024,
        }
        return TemplateResponse(
            request,
            "admin/articles/photo/bulk_upload.html",
            context,
            status=400 if form.errors else 200,
        )


class BylineForm(forms.ModelForm):
    """A byline row. The writer's own byline, prefilled on a new story
    (ArticleAdmin.get_formset_kwargs), is saved although nobody touched it,
    unless they emptied it."""

    def has_changed(self):
        if self.instance.pk is None and self.initial.get("author"):
            return bool(self["author"].value())
        return super().has_changed()


class ArticleAuthorInline(
    OrderedInlineMixin, ParentEditableInlineMixin, admin.TabularInline
):
    model = ArticleAuthor
    form = BylineForm
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    verbose_name = _("署名（按顺序）")
    verbose_name_plural = _("署名（按顺序）")


class ArticlePhotoInline(
    OrderedInlineMixin, ParentEditableInlineMixin, admin.TabularInline
):
    model = ArticlePhoto
    extra = 1
    autocomplete_fields = ["photo"]
    fields = ["position", "photo"]


@admin.register(Article)
class ArticleAdmin(
    ArticleAdminPendingMixin, WorkflowAdminMixin, FieldLevelSaveMixin, VersionAdmin
):
    form = ArticleAdminForm
    # django-reversion's list (its recover link) plus 从 Word 导入.
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "title",
        "workflow_status",
        "county_union",
        "byline",
        "char_count",
        "desk_time",
    ]
    list_filter = [
        DeskStatusFilter,
        "section",
        ("county_union", CountyListFilter),
        "publish_at",
        AuthorNameFilter,
        WaitingStageFilter,  # 三审 (review app)
        PendingChangeFilter,  # edits of live stories waiting for 更新发布
    ]
    list_select_related = ["section", "county_union"]
    search_fields = ["title", "summary", "body", "authors__name"]
    # No date_hierarchy: its year links scan every article's date on each
    # page load; the publish_at filter above covers today/week/month/year.
    # Nor a second COUNT of the whole table beside the filtered one.
    show_full_result_count = False
    paginator = DeferredJoinPaginator
    autocomplete_fields = ["cover_photo", "county_union"]
    # The people by name: a readonly ForeignKey would link to the account's
    # admin page, which editors may not open (403).
    readonly_fields = ["created_at", "updated_at", "creator", "last_editor"]
    fieldsets = [
        # opened_version and opened_fields are the hidden tokens of
        # ArticleAdminForm (stale save, field-level save): only fields listed
        # here reach the page, and without them every save of an open story
        # was refused or written whole.
        (
            None,
            {
                "fields": [
                    "title",
                    "section",
                    "county_union",
                    "dateline",
                    "opened_version",
                    "opened_fields",
                ]
            },
        ),
        (_("正文"), {"fields": ["summary", "body", "cover_photo", "tags"]}),
        (_("发布"), {"fields": ["status", "publish_at", "slug"]}),
        (_("期刊"), {"fields": ["issue", "issue_position"]}),
        (
            _("记录"),
            {
                "fields": ["created_at", "creator", "updated_at", "last_editor"],
                "classes": ["collapse"],
            },
        ),
    ]
    formfield_overrides = {models.TextField: {"widget": TinyMCE()}}
    inlines = [ArticleAuthorInline, ArticlePhotoInline]

    @admin.display(description=_("创建人"))
    def creator(self, obj):
        return display_name(obj.created_by) if obj.created_by_id else "-"

    @admin.display(description=_("最后修改人"))
    def last_editor(self, obj):
        return display_name(obj.updated_by) if obj.updated_by_id else "-"

    def changeform_view(self, request, *args, **kwargs):
        # The story, its bylines, gallery, tags and revision: one new
        # page-cache generation for the whole save.
        with pagecache.batched():
            return super().changeform_view(request, *args, **kwargs)

    class Media:
        css = {"all": ["css/desk-form.css"]}
        js = [
            "js/char-count.js",
            "js/tag-suggest.js",
            "js/photo-chooser.js",
        ]

    def get_urls(self):
        return [
            path(
                "tags/suggest/",
                self.admin_site.admin_view(self.tag_suggestions_view),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions_view(self, request):
        """Existing tags containing the typed text, most used first."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:50]
        tags = (
            Tag.objects.filter(name__icontains=term)
            .annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:10]
            if term
            else []
        )
        return JsonResponse({"tags": list(tags)})

    def get_queryset(self, request):
        # The changelist skips list_select_related once a queryset has any.
        articles = super().get_queryset(request).visible_to(request.user)
        return articles.without_body().select_related("section")

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL: the words through the search index, or an author.

        The stock search ran icontains over every body with a DISTINCT for
        the author join, which grows with every article.
        """
        if not uses_search_vector() or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        matching = Article.objects.search_matches(search_term).values("pk")
        by_author = ArticleAuthor.objects.filter(
            author__name__icontains=search_term.strip()
        ).values("article_id")
        return queryset.filter(Q(pk__in=matching) | Q(pk__in=by_author)), False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (a correspondent's submitted or published story), the
        # stock field printed the body's HTML as text: show it as it reads.
        return [
            (name, {**options, "fields": [
                "body_view" if field == "body" else field
                for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    @admin.display(description=_("正文"))
    def body_view(self, article):
        return format_html('<div class="body-view">{}</div>', article.body_html)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Only the body is rich text; the summary stays a plain textarea.
        if db_field.name == "summary":
            return db_field.formfield(**kwargs)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            field.help_text = _("多个标签用逗号、顿号或分号隔开（中英文均可）。")
            field.widget.attrs["data-suggest-url"] = reverse(
                "admin:articles_article_tag_suggestions"
            )
        return field

    @admin.display(description=_("作者"))
    def byline(self, article):
        return article.byline

    def action_checkbox(self, obj):
        """The stock row checkbox, written out: the stock column rendered a
        CheckboxInput through the form templates, a third of the time the
        rows took."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A new story's byline starts with its writer, when they have an
        author entry: a story without a byline counts for nobody in the
        county assessment. They may remove or reorder it like any row."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        writer = getattr(request.user, "author", None)
        new = obj is None or obj.pk is None
        if new and writer and isinstance(inline, ArticleAuthorInline):
            kwargs["initial"] = [{"author": writer.pk}]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        self.apply_workflow_rules(request, obj, change)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_on_save(request, form.instance)  # review: term checks on save


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    """Print issues; articles are filed from the article form or the importer."""

    list_display = ["__str__", "year", "number", "published_on"]
    list_filter = ["year"]
    ordering = ["-year", "-number"]
    autocomplete_fields = ["cover"]
    fields = ["year", "number", "published_on", "cover"]


# The header and <title> of every admin page.
admin.site.site_header = _("盐城工会 稿件管理")
admin.site.site_title = _("盐城工会 稿件管理")
admin.site.index_title = _("工作台")


class TagAdmin(taggit_admin.TagAdmin):
    """taggit's tag admin in Chinese, without its inline of tagged objects
    (a content type and an object id per row, which says nothing to editors
    and lists every model of the project by its English name)."""

    inlines = []

    @admin.action(description=_("合并所选标签"))
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
