"""Articles: the publish rule, the workflow, bylines and galleries."""

import json
from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import (
    DateTimeField,
    Exists,
    Expression,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from security.text import clean_fields
from serving import pagecache

from .. import reader_fields
from ..indexes import SearchVectorIndex
from ..notifications import notify_transition
from ..ordering import OrderedEntry
from ..search import matching_articles, search_articles, update_search_vectors
from ..text import char_counts, clean_html, excerpt, unique_slug
from .authors import Author, ReaderLink, leave_copies_alone
from .photos import Photo
from .sections import Section

# Sent by every workflow move after its state check, inside its transaction;
# a receiver refuses the move by raising ValidationError.
workflow_check = Signal()


# What reader lists print: includes/article_row.html, photo_grid.html, the
# home page, an issue's contents and search results.
LISTED_FIELDS = [
    "title",
    "slug",
    "publish_at",
    "status",
    "summary",
    "excerpt",
    "byline_json",
    "tags_json",
    "section",
    "county_union",
    "cover_photo",
]


# What an article page prints of its previous and next article.
NEIGHBOUR_COLUMNS = ("id", "title", "slug")


def sees_only_published(user):
    """True for readers: ArticleQuerySet.visible_to(user) is published()."""
    return not (
        user.has_perm("articles.publish_article")
        or user.has_perm("articles.view_article")
    )


class CurrentTime(Expression):
    """The application's current time, read each time the query runs.

    published() compares with this rather than with a time fixed when the
    queryset is built, so a reader queryset holds nothing that changes
    between requests and can be built once (articles/reader.py), as a
    generic view's `queryset` attribute is. Not Django's Now(): that is the
    database server's clock, and the page cache turns over at a scheduled
    story's time by the application's clock; on another host the two may
    differ, and a page rendered in between would be kept without the story.
    """

    output_field = DateTimeField()

    def as_sql(self, compiler, connection):
        return compiler.compile(Value(timezone.now(), output_field=self.output_field))


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What a reader may see: published, and its publish time has come
        (by `at`; without it, the time the query runs)."""
        return self.filter(
            status=Article.Status.PUBLISHED, publish_at__lte=at or CurrentTime()
        )

    def for_county(self, union):
        return self.filter(county_union=union)

    def visible_to(self, user):
        """Articles a user may open: all for editors, their county's for
        correspondents, published ones for everyone else."""
        if sees_only_published(user):
            return self.published()
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(correspondent_scope(user))

    def awaiting_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def with_desk_status(self):
        """Annotate last_action, the newest workflow step of each draft.

        A draft whose last step was 退回修改 shows as returned (desk_status).
        Only drafts are probed (CASE stops before the subquery), so a page
        of published stories costs no extra lookups.
        """
        return self.annotate(
            last_action=models.Case(
                models.When(status=Article.Status.DRAFT, then=Subquery(_last_action())),
                default=models.Value(""),
            )
        )

    def returned(self):
        """Drafts an editor sent back with a comment and not yet resubmitted."""
        return self._drafts_by_last_action().filter(
            draft_last_action=ArticleTransition.Action.RETURN
        )

    def not_returned_drafts(self):
        """Drafts that are not waiting for a returned story's fixes."""
        return self._drafts_by_last_action().exclude(
            draft_last_action=ArticleTransition.Action.RETURN
        )

    def _drafts_by_last_action(self):
        return self.filter(status=Article.Status.DRAFT).alias(
            draft_last_action=Coalesce(Subquery(_last_action()), models.Value(""))
        )

    def in_desk_status(self, value):
        """Articles showing a Article.DeskStatus value in the admin."""
        status = Article.DeskStatus
        if value == status.RETURNED:
            return self.returned()
        if value == status.DRAFT:
            return self.not_returned_drafts()
        if value == status.SCHEDULED:
            return self.scheduled()
        if value == status.PUBLISHED:
            return self.published()
        return self.filter(status=value)

    def scheduled(self):
        return self.filter(
            status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
        )

    def in_section(self, section):
        return self.filter(section=section)

    def by_author(self, author):
        return self.filter(authors=author)

    def months(self, ordering="ASC"):
        """The months in which these articles were published, as aware
        datetimes at local midnight on the 1st (what datetimes() gives).

        datetimes() truncates every row's date.
        Here the first and last dates come from the index, and one query
        asks EXISTS for each calendar month between them: the cost follows
        the number of months, not of articles.
        """
        bounds = self.aggregate(first=Min("publish_at"), last=Max("publish_at"))
        if bounds["first"] is None:
            return []
        first = timezone.localtime(bounds["first"])
        last = timezone.localtime(bounds["last"])
        zone = timezone.get_current_timezone()
        starts = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            starts.append(datetime(year, month, 1, tzinfo=zone))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        ends = starts[1:] + [datetime(year, month, 1, tzinfo=zone)]
        probes = {
            f"m{n}": Exists(self.filter(publish_at__gte=start, publish_at__lt=end))
            for n, (start, end) in enumerate(zip(starts, ends, strict=True))
        }
        found = self.model.objects.order_by().annotate(**probes).values(*probes)[0]
        months = [start for n, start in enumerate(starts) if found[f"m{n}"]]
        return months if ordering == "ASC" else months[::-1]

    def tagged(self, tag):
        """Articles carrying the tag, asked as EXISTS rather than a join.

        With a join PostgreSQL sorted every article of a common tag; as
        EXISTS it walks the newest articles and stops after a
        page, and for a rare tag it still starts from the tag's few rows.
        """
        return self.filter(
            Exists(
                TaggedItem.objects.filter(
                    tag=tag,
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=OuterRef("pk"),
                )
            )
        )

    def search(self, query):
        """Rows matching a reader's query, best first (see articles/search.py)."""
        return search_articles(self, query)

    def search_matches(self, query):
        """Rows containing every word of the query, in no particular order."""
        return matching_articles(self, query)

    def update_search_vectors(self):
        """Re-index these rows in bulk; for paths that bypass save()."""
        return update_search_vectors(self)

    def for_listing(self, *, with_body=False):
        """What a reader list row prints, in one query.

        Bylines, tags and the lead are kept on the row itself (see
        refresh_reader_fields), so no prefetch runs. Only the columns rows
        print are read (LISTED_FIELDS, and the body where rows quote it, as
        search results do): the rest, two timestamps among them, would be
        converted on every row for nothing. A row shows its county; lists
        that show the section or the cover photo add them with
        select_related().
        """
        fields = [*LISTED_FIELDS, "body"] if with_body else LISTED_FIELDS
        return self.select_related("county_union").only(*fields)

    def without_body(self):
        """Every column but the widest two, the body and the search vector,
        with the county: for the admin's list and the feeds."""
        return self.select_related("county_union").defer("body", "search_vector")

    def for_detail(self):
        """Whole articles for a page showing several (the printable issue):
        the row, its section, county and cover, and the galleries in order."""
        return (
            self._whole_rows()
            .select_related("section")
            .prefetch_related(
                Prefetch(
                    "gallery",
                    queryset=ArticlePhoto.objects.select_related("photo").order_by(
                        "position", "pk"
                    ),
                )
            )
        )

    def for_article_page(self, now=None):
        """One whole article: the row, its county and cover, whether it has
        a gallery (most have none and need no gallery query), and the
        previous and next article readers see in its section (`previous`
        and `next`: a dict of NEIGHBOUR_COLUMNS, None at either end or if it
        was never published). The section comes from the navigation's list
        (ArticleDetailView.get_object).

        The neighbours are subqueries of this one query: each is an index
        probe, and asked with the related articles they were planned anew
        on every page (sharing.related). Each neighbour is one subquery
        returning its columns as one JSON object rather than one subquery
        per column: building and compiling the nested querysets was most of
        this page's CPU time (docs/performance.md)."""
        same_section = Article.objects.published(now).filter(
            section=OuterRef("section")
        )
        at, pk = OuterRef("publish_at"), OuterRef("pk")
        neighbours = {
            "previous": same_section.filter(publish_at__lte=at)
            .filter(Q(publish_at__lt=at) | Q(publish_at=at, pk__lt=pk))
            .order_by("-publish_at", "-pk"),
            "next": same_section.filter(publish_at__gte=at)
            .filter(Q(publish_at__gt=at) | Q(publish_at=at, pk__gt=pk))
            .order_by("publish_at", "pk"),
        }
        columns = JSONObject(**{column: column for column in NEIGHBOUR_COLUMNS})
        return self._whole_rows().annotate(
            has_gallery=Exists(ArticlePhoto.objects.filter(article=OuterRef("pk"))),
            **{
                name: Subquery(rows.values(neighbour=columns)[:1])
                for name, rows in neighbours.items()
            },
        )

    def _whole_rows(self):
        """Every column a page may print, with the county and cover photo."""
        return self.select_related("county_union", "cover_photo").defer("search_vector")

    def refresh_derived(self):
        """Recompute everything kept on these rows for readers: the byline,
        tag and lead copies (refresh_reader_fields) and the search vector,
        then start one new page-cache generation.

        The signals call it whenever a part of a story changes; writes that
        bypass save() (bulk_create, update()) call it afterwards.
        """
        with pagecache.batched():
            self.refresh_reader_fields()
            self.update_search_vectors()
            pagecache.bump()

    def refresh_reader_fields(self):
        """Recompute byline_json, tags_json and excerpt of these articles.

        Signals call this whenever bylines, tags, or an author's or tag's
        name change; bulk inserts that bypass save() call it afterwards.
        """
        reader_fields.refresh_articles(
            self.order_by().values_list("pk", flat=True),
            article_model=Article,
            byline_model=ArticleAuthor,
            tagged_model=TaggedItem,
            article_type=ContentType.objects.get_for_model(Article),
        )


def _last_action():
    """The newest workflow step of the outer article, as a one-row subquery."""
    return (
        ArticleTransition.objects.filter(article=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("action")[:1]
    )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤稿")

    class DeskStatus(models.TextChoices):
        """What the admin shows: status, with 退回修改 and 定时 told apart.

        A returned story is a draft (return_to_writer moves it there, and the
        writer edits and submits it as any draft); its last step tells it
        apart, so nothing else in the workflow needs to know.
        """

        DRAFT = "draft", _("草稿")
        RETURNED = "returned", _("退回修改")
        REVIEW = "review", _("待审")
        SCHEDULED = "scheduled", _("定时")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤稿")

    # The states each workflow verb may start from.
    MOVES_FROM = {
        "submit": {Status.DRAFT},
        "publish": {Status.DRAFT, Status.REVIEW},
        "return": {Status.REVIEW},
        "withdraw": {Status.PUBLISHED},
    }
    # The states a story may still be deleted in: published and withdrawn
    # stories are kept for the record.
    DELETABLE = frozenset({Status.DRAFT, Status.REVIEW})

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址名"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("留空则按标题拼音生成；改标题不会改变网址。"),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("栏目"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    county_union = models.ForeignKey(
        "counties.CountyUnion",
        verbose_name=_("县级工会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author,
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
        verbose_name=_("作者"),
    )
    dateline = models.CharField(
        _("电头"),
        max_length=20,
        blank=True,
        default="本刊讯",
        help_text=_("如“本刊讯”，显示在正文之前。"),
    )
    summary = models.TextField(
        _("摘要"), blank=True, help_text=_("列表和分享时显示；留空则取正文开头。")
    )
    body = models.TextField(
        _("正文"), blank=True, help_text=_("保存时会清除脚本等不安全的内容。")
    )
    tags = TaggableManager(_("标签"), blank=True)
    # Copies for readers, kept by refresh_reader_fields() and save(): list
    # rows and article pages print bylines, tags and leads without a join.
    # JSON text rather than JSONField: that field's system check opens the
    # database, which must not happen before the settings check refuses.
    byline_json = models.TextField(
        _("署名（名字、网址名）"), default="[]", editable=False
    )
    tags_json = models.TextField(
        _("标签（名称、网址名）"), default="[]", editable=False
    )
    excerpt = models.TextField(_("正文开头"), blank=True, editable=False)
    char_count = models.PositiveIntegerField(
        _("字数"),
        default=0,
        editable=False,
        help_text=_("正文的字数（不计空格），保存时计算。"),
    )
    # The same rows as tags, as a relation django-reversion can follow, so a
    # revision keeps the tags and restoring one brings them back.
    tagged_items = GenericRelation(TaggedItem)
    cover_photo = models.ForeignKey(
        Photo,
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cover_of",
    )
    photos = models.ManyToManyField(
        Photo,
        through="ArticlePhoto",
        related_name="gallery_articles",
        blank=True,
        verbose_name=_("组图"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        help_text=_("审核通过并且到了发布时间，读者才能看到；填将来的时间即定时发布。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Readers' search and print issues.
    search_vector = SearchVectorField(null=True, editable=False)
    issue = models.ForeignKey(
        "Issue",
        verbose_name=_("期刊"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    issue_position = models.PositiveSmallIntegerField(
        _("期内顺序"),
        null=True,
        blank=True,
        help_text=_("在印刷版中的先后顺序，数字小的排在前面。"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # Each ends in -id, the ordering's tie-breaker, so "newest N" reads
            # N index entries and stops instead of sorting a whole section.
            # The first serves the admin's list of every status.
            models.Index(fields=["-publish_at", "-id"], name="article_recent"),
            # article_status_recent also carries the columns the assessment
            # reads of a year's pieces, so PostgreSQL answers that from the
            # index alone instead of one heap page per article (include:
            # PostgreSQL only).
            models.Index(
                fields=["status", "-publish_at", "-id"],
                name="article_status_recent",
                include=["section", "issue", "cover_photo"],
            ),
            models.Index(
                fields=["section", "status", "-publish_at", "-id"],
                name="article_section_recent",
            ),
            models.Index(
                fields=["county_union", "status", "-publish_at", "-id"],
                name="article_county_recent",
            ),
            # The sitemap index's "last changed": the newest edit of a
            # published article, found from the top instead of by MAX()
            # over every published row.
            models.Index(
                fields=["status", "-updated_at"], name="article_status_updated"
            ),
            SearchVectorIndex(fields=["search_vector"], name="article_search_gin"),
        ]
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        permissions = [
            ("submit_article", _("可提交稿件审核")),
            ("publish_article", _("可发布和定时发布稿件")),
            ("return_article", _("可退回稿件修改")),
            ("withdraw_article", _("可撤下已发布的稿件")),
            ("restore_article", _("可比较和恢复稿件的历史版本")),
            ("view_county_statistics", _("可查看县级工会发稿统计")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Before the body meets nh3 (a lone surrogate cannot be encoded);
        # every other model is cleaned by security's pre_save receiver.
        clean_fields(self)
        self.body = clean_html(self.body)
        self.excerpt = excerpt(self.body)
        self.char_count = char_counts(self.body)[1]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "excerpt", "char_count"}
        leave_copies_alone(self, kwargs, {"byline_json", "tags_json"})
        if not self.slug:
            self.slug = unique_slug(Article, self.title, max_length=80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        """The one-object twin of ArticleQuerySet.published()."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @cached_property
    def last_action(self):
        """The newest workflow step's action ("" if none); with_desk_status()
        sets it for a whole list instead."""
        step = self.transitions.order_by("-at", "-pk").values_list("action").first()
        return step[0] if step else ""

    @property
    def desk_status(self):
        """The Article.DeskStatus this story shows in the admin."""
        if self.is_scheduled:
            return self.DeskStatus.SCHEDULED
        if (
            self.status == self.Status.DRAFT
            and self.last_action == ArticleTransition.Action.RETURN
        ):
            return self.DeskStatus.RETURNED
        return self.DeskStatus(self.status)

    @property
    def return_step(self):
        """The 退回修改 step (with the editor's note) a returned story waits on."""
        if self.desk_status != self.DeskStatus.RETURNED:
            return None
        return self.transitions.filter(action=ArticleTransition.Action.RETURN).first()

    @property
    def body_html(self):
        """The body, sanitized again on the way out."""
        return mark_safe(clean_html(self.body))  # noqa: S308 - sanitized above

    @property
    def lead(self):
        """The summary, or the body's opening words when there is none."""
        return self.summary or self.excerpt

    @property
    def byline_entries(self):
        """[[name, slug], …] of the authors in byline order."""
        return json.loads(self.byline_json)

    @property
    def tag_entries(self):
        """[[name, slug, id], …] of the tags by name."""
        return json.loads(self.tags_json)

    @cached_property
    def ordered_authors(self):
        """Authors in byline order, as links (from byline_json)."""
        return [
            ReaderLink(name, slug, "articles:author")
            for name, slug in self.byline_entries
        ]

    @property
    def byline(self):
        return " ".join(name for name, _slug in self.byline_entries)

    @cached_property
    def tag_links(self):
        """Tags by name, as links (from tags_json)."""
        return [
            ReaderLink(name, slug, "articles:tag")
            for name, slug, _id in self.tag_entries
        ]

    @cached_property
    def gallery_photos(self):
        """Gallery photos in their set order: from the for_detail prefetch,
        or one query unless for_article_page found no gallery."""
        if getattr(self, "has_gallery", True) is False:
            return []
        if "gallery" in getattr(self, "_prefetched_objects_cache", {}):
            return [entry.photo for entry in self.gallery.all()]
        return [entry.photo for entry in self.gallery.select_related("photo")]

    def cover_for(self, preview=False):
        """The cover photo as a page shows it as a picture, or None: readers
        get None while it waits for its original (Photo.is_image_shown)."""
        photo = self.cover_photo if self.cover_photo_id else None
        return photo if photo is not None and photo.is_image_shown(preview) else None

    def shown_photos(self, preview=False):
        """(cover or None, gallery photos) as an article page shows them.

        The cover is shown once: never again in the gallery, where editors
        often put it first. Readers see no placeholder still waiting for its
        original (staff previews do); photo news prints such an item's
        caption as text.
        """
        gallery = [
            photo
            for photo in self.gallery_photos
            if photo.pk != self.cover_photo_id and photo.is_image_shown(preview)
        ]
        return self.cover_for(preview), gallery

    # Workflow: each verb checks the state, saves through save() (so signals
    # such as cache invalidation fire) and records an ArticleTransition.

    def submit(self, by):
        """A writer hands a draft to the editors."""
        return self._move(
            ArticleTransition.Action.SUBMIT,
            by,
            allowed=self.MOVES_FROM["submit"],
            to=self.Status.REVIEW,
        )

    def publish(self, by, at=None):
        """Publish now, or at a future time (定时发布)."""
        now = timezone.now()
        if at is None:
            at = self.publish_at if self.publish_at and self.publish_at > now else now
        action = (
            ArticleTransition.Action.SCHEDULE
            if at > now
            else ArticleTransition.Action.PUBLISH
        )
        return self._move(
            action,
            by,
            allowed=self.MOVES_FROM["publish"],
            to=self.Status.PUBLISHED,
            publish_at=at,
        )

    def return_to_writer(self, by, comment):
        """Send a story in review back to its writer with the editor's note."""
        if not (comment or "").strip():
            raise ValidationError(_("退回修改时请写明修改意见。"), code="comment")
        return self._move(
            ArticleTransition.Action.RETURN,
            by,
            allowed=self.MOVES_FROM["return"],
            to=self.Status.DRAFT,
            comment=comment.strip(),
        )

    def withdraw(self, by, comment=""):
        """Take a published story down; it is kept, and its URL answers 410."""
        return self._move(
            ArticleTransition.Action.WITHDRAW,
            by,
            allowed=self.MOVES_FROM["withdraw"],
            to=self.Status.WITHDRAWN,
            comment=(comment or "").strip(),
        )

    def _move(self, action, by, *, allowed, to, comment="", **changes):
        with pagecache.batched(), transaction.atomic():
            # Lock the row so two editors cannot act on one state at once.
            current = (
                type(self).objects.select_for_update().only("status").get(pk=self.pk)
            )
            if current.status not in allowed:
                raise ValidationError(
                    gettext("“%(title)s”当前状态为“%(status)s”，不能%(action)s。")
                    % {
                        "title": self.title,
                        "status": current.get_status_display(),
                        "action": ArticleTransition.Action(action).label,
                    },
                    code="state",
                )
            # Other apps' rules (review: 三审 stages, term checks) may refuse.
            workflow_check.send(sender=Article, article=self, action=action, by=by)
            from_status = current.status
            with reversion.create_revision():
                self.status = to
                self.updated_by = by
                for name, value in changes.items():
                    setattr(self, name, value)
                self.save()
                reversion.set_user(by)
                reversion.set_comment(ArticleTransition.Action(action).label)
            transition = ArticleTransition.objects.create(
                article=self,
                action=action,
                from_status=from_status,
                to_status=to,
                by=by,
                comment=comment,
            )
        notify_transition(transition)
        return transition

    def can_be_edited_by(self, user):
        """Editors may edit any story; writers only drafts in their scope."""
        if user.has_perm("articles.publish_article"):
            return True
        if not user.has_perm("articles.change_article"):
            return False
        in_scope = Article.objects.filter(
            correspondent_scope(user), pk=self.pk
        ).exists()
        return self.status == self.Status.DRAFT and in_scope

    @property
    def is_deletable(self):
        """Published and withdrawn stories are kept; only unpublished go."""
        return self.status in self.DELETABLE

    def delete(self, *args, **kwargs):
        if not self.is_deletable:
            raise ValidationError(
                _("已发布或已撤稿的稿件不能删除，只能撤稿。"), code="protected"
            )
        return super().delete(*args, **kwargs)


def correspondent_scope(user):
    """Articles of the user's county union, plus those the user created."""
    scope = Q(created_by=user.pk)
    author = getattr(user, "author", None)
    if author is not None and author.county_union_id:
        scope |= Q(county_union=author.county_union_id)
    return scope


class ArticleTransition(models.Model):
    """One step of an article's workflow: who moved it, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交审核")
        PUBLISH = "publish", _("发布")
        SCHEDULE = "schedule", _("定时发布")
        RETURN = "return", _("退回修改")
        WITHDRAW = "withdraw", _("撤稿")

    article = models.ForeignKey(
        Article,
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=Article.Status.choices
    )
    to_status = models.CharField(
        _("新状态"), max_length=10, choices=Article.Status.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"], name="transition_action_at")]
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")

    def __str__(self):
        return f"{self.article} · {self.get_action_display()}"


class ArticleAuthor(OrderedEntry):
    order_within = "article"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="bylines"
    )

    class Meta(OrderedEntry.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="unique_article_author"
            )
        ]
        verbose_name = _("署名")
        verbose_name_plural = _("署名")

    def __str__(self):
        return self.author.name


class ArticlePhoto(OrderedEntry):
    order_within = "article"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="gallery"
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("图片"),
        on_delete=models.PROTECT,
        related_name="gallery_entries",
    )

    class Meta(OrderedEntry.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"], name="unique_article_photo"
            )
        ]
        verbose_name = _("组图图片")
        verbose_name_plural = _("组图")

    def __str__(self):
        return str(self.photo)
