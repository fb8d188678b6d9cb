"""Side-by-side comparison of two saved revisions of an article."""

import difflib
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from counties.models import CountyUnion

from .models import ArticleAuthor, ArticlePhoto, Author, Photo, Section
from .text import plain_text

TEXT_FIELDS = [
    ("title", _("标题")),
    ("dateline", _("电头")),
    ("summary", _("摘要")),
    ("body", _("正文")),
]


@dataclass
class Row:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new

    @property
    def old_html(self):
        return self._marked()[0]

    @property
    def new_html(self):
        return self._marked()[1]

    def _marked(self):
        """Both sides escaped, with removed text in <del> and added in <ins>."""
        matcher = difflib.SequenceMatcher(None, self.old, self.new, autojunk=False)
        old, new = [], []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            before, after = escape(self.old[a1:a2]), escape(self.new[b1:b2])
            if op == "equal":
                old.append(before)
                new.append(after)
                continue
            if before:
                old.append(f"<del>{before}</del>")
            if after:
                new.append(f"<ins>{after}</ins>")
        return mark_safe("".join(old)), mark_safe("".join(new))  # noqa: S308


@dataclass
class Snapshot:
    """What a comparison reads of one state of an article: its fields by
    attname (as a Version's field_dict), byline and gallery ids in order,
    and tag names."""

    field_dict: dict
    byline_ids: list
    gallery_ids: list
    tag_names: list


def version_snapshot(version):
    """The state a saved revision holds."""
    return Snapshot(
        field_dict=version.field_dict,
        byline_ids=_related(version, ArticleAuthor, "author_id"),
        gallery_ids=_related(version, ArticlePhoto, "photo_id"),
        tag_names=list(
            Tag.objects.filter(
                pk__in=_related(version, TaggedItem, "tag_id")
            ).values_list("name", flat=True)
        ),
    )


def compare(older, newer):
    """Rows of (label, older text, newer text) for two article versions."""
    return compare_snapshots(version_snapshot(older), version_snapshot(newer))


def compare_snapshots(old, new):
    """Rows of (label, old text, new text) for two Snapshots."""
    rows = []
    for name, label in TEXT_FIELDS:
        rows.append(
            Row(label, _text(old.field_dict, name), _text(new.field_dict, name))
        )
    for name, label, model in [
        ("section_id", _("栏目"), Section),
        ("county_union_id", _("县级工会"), CountyUnion),
        ("cover_photo_id", _("封面图片"), Photo),
    ]:
        rows.append(
            Row(
                label,
                _name(model, old.field_dict.get(name)),
                _name(model, new.field_dict.get(name)),
            )
        )
    rows.append(Row(_("署名"), _bylines(old.byline_ids), _bylines(new.byline_ids)))
    rows.append(Row(_("组图"), _gallery(old.gallery_ids), _gallery(new.gallery_ids)))
    rows.append(Row(_("标签"), _tags(old.tag_names), _tags(new.tag_names)))
    return rows


def _text(fields, name):
    value = fields.get(name) or ""
    return body_lines(value) if name == "body" else value


def body_lines(html):
    """The body's text, one paragraph a line, so a comparison follows the
    text's structure."""
    paragraphs = re.split(r"</(?:p|h\d|li|blockquote)>", html or "")
    return "\n".join(text for text in map(plain_text, paragraphs) if text)


def _name(model, pk):
    if pk is None:
        return ""
    obj = model.objects.filter(pk=pk).first()
    return str(obj) if obj else f"#{pk}"


def _related(version, model, target_field):
    """Target pks of model rows saved in version's revision, in the order
    pages show them: by position, then by row (the models' Meta.ordering),
    so rows of equal position compare as they print."""
    content_type = ContentType.objects.get_for_model(model)
    rows = []
    for related in version.revision.version_set.filter(content_type=content_type):
        fields = related.field_dict
        row = (fields.get("position") or 0, int(related.object_id))
        rows.append((row, fields[target_field]))
    return [target for _row, target in sorted(rows)]


def _bylines(pks):
    names = dict(Author.objects.filter(pk__in=pks).values_list("pk", "name"))
    return " ".join(names.get(pk, f"#{pk}") for pk in pks)


def _gallery(pks):
    photos = {photo.pk: str(photo) for photo in Photo.objects.filter(pk__in=pks)}
    return "\n".join(photos.get(pk, f"#{pk}") for pk in pks)


def _tags(names):
    return "、".join(sorted(names))
