"""Saving the article form field by field (docs/editing.md).

The change form carries two hidden tokens. opened_version (ArticleAdminForm)
is the row's updated_at when the form was opened: a save against a newer row
is refused. opened_fields is a signed digest of every field as it was opened,
inlines and tags included. A save writes only the fields whose posted value
differs from its opened digest; the others keep what is stored. After a
stale refusal the digests stay as they were and only the token moves on, so
the second press of 保存 writes the user's own changes and never writes back
a field someone else changed and the user left alone.

FieldLevelSaveMixin is the article admin's one save path (save_model,
save_formset): code that must branch on a save (pending changes of a live
story) hooks in there.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.utils import edit_string_for_tags

from .models import Article
from .revisions import Row, body_lines
from .text import clean_html

SALT = "articles.saving.opened_fields"
# The inline formsets, each tracked as one field: prefix → (row's target, label).
INLINES = {"bylines": ("author", _("署名")), "gallery": ("photo", _("组图"))}
# Hidden tokens of the form itself, not content.
TOKENS = {"opened_version", "opened_fields"}
# The radio buttons of a conflict: "merge-<field>" = "mine" or "theirs".
MERGE_PREFIX = "merge-"
# A posted value that could not be read (a field with an error): counts as
# changed, so nothing the user typed is ever replaced or skipped.
UNKNOWN = object()


def normal(name, value):
    """A field's value in one comparable form, whether stored or posted.

    Rich text is compared as stored (cleaned, whitespace between tags
    ignored), since the editor in the browser re-serialises it; times to the
    second, as the form shows them.
    """
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat()
    if name == "tags":
        return sorted({str(tag) for tag in value or []})
    if isinstance(value, str):
        if name == "body":
            value = clean_html(value)
        return re.sub(r">\s+<", "><", value.replace("\r\n", "\n")).strip()
    return value


def digest(value):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def tracked_names(form):
    """The content fields the user can change on this form, inlines too."""
    # Only the article's own fields: other mixins add tokens of their own
    # (opened_pending) that are not content.
    content = {field.name for field in Article._meta.get_fields()}
    return [
        name for name in form.fields if name not in TOKENS and name in content
    ] + list(INLINES)


def stored_values(article, names):
    """What is stored now for each of names, normalised."""
    values = {}
    for name in names:
        if name == "tags":
            values[name] = normal(name, article.tags.names())
        elif name in INLINES:
            rows = getattr(article, name).order_by("position", "pk")
            values[name] = list(rows.values_list(INLINES[name][0], flat=True))
        else:
            field = Article._meta.get_field(name)
            values[name] = normal(name, getattr(article, field.attname))
    return values


def snapshot(values):
    """The signed token of the opened values (digests only: a body stays
    out of the page twice)."""
    digests = {name: digest(value) for name, value in values.items()}
    return signing.dumps(digests, salt=SALT, compress=True)


def read_snapshot(token):
    """The opened digests, or None for a missing or forged token (then every
    field counts as changed: the whole form is written, as before)."""
    try:
        digests = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    return digests if isinstance(digests, dict) else None


def posted_main(form, name):
    if name not in getattr(form, "cleaned_data", {}):
        return UNKNOWN
    return normal(name, form.cleaned_data[name])


def posted_inline(formset):
    """The rows a valid inline formset would save, as target ids in order."""
    if not formset.is_valid():
        return UNKNOWN
    target = INLINES[formset.prefix][0]
    return [form.cleaned_data[target].pk for form in formset.forms_in_order()]


def chose_theirs(data, name):
    return data.get(MERGE_PREFIX + name) == "theirs"


def left_alone(opened, name, posted, data):
    """Whether the save must keep the stored value of name: the user did not
    change it since opening the form, or chose the other person's value."""
    if chose_theirs(data, name):
        return True
    if opened is None or name not in opened or posted is UNKNOWN:
        return False
    return digest(posted) == opened[name]


@dataclass
class Conflict(Row):
    """A field someone else changed since the form was opened: the user's
    value (old; the opened one where the user left the field alone) and
    theirs (new), marked with <del>/<ins> as their change reads."""

    name: str = ""
    # Both changed it: the user picks mine or theirs. Otherwise the form
    # now shows theirs (main fields) or keeps theirs on save (inlines).
    both: bool = False
    inline: bool = False

    @property
    def merge_name(self):
        return MERGE_PREFIX + self.name


def shown(name, value):
    """A normalised value as people read it in the conflict table."""
    if value in (None, "", []):
        return ""
    if name == "body":
        return body_lines(value)
    if name == "tags":
        return "、".join(value)
    if name in INLINES:
        model = Article._meta.get_field(name).related_model
        target = model._meta.get_field(INLINES[name][0]).related_model
        found = {obj.pk: str(obj) for obj in target.objects.filter(pk__in=value)}
        return "\n".join(found.get(pk, f"#{pk}") for pk in value)
    field = Article._meta.get_field(name)
    if field.is_relation:
        obj = field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    if isinstance(field, models.DateTimeField):
        when = datetime.fromisoformat(value)
        return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    return str(value)


def conflicts(opened, stored, posted, labels):
    """Conflict rows for every field whose stored value moved since opening."""
    if opened is None:
        return []
    rows = []
    for name, now in stored.items():
        if name not in opened or digest(now) == opened[name]:
            continue
        mine = posted.get(name, UNKNOWN)
        both = mine is UNKNOWN or digest(mine) != opened[name]
        rows.append(
            Conflict(
                labels[name],
                shown(name, mine) if mine is not UNKNOWN else "",
                shown(name, now),
                name=name,
                both=both,
                inline=name in INLINES,
            )
        )
    return rows


def raw_data(form, name, value):
    """What a browser would post for name holding value (a stored one)."""
    bound = form[name]
    widget = bound.field.widget
    if name == "tags":
        return {bound.html_name: edit_string_for_tags(list(value))}
    if hasattr(widget, "widgets"):  # the split date and time
        parts = widget.decompress(value)
        return {
            f"{bound.html_name}_{n}": sub.format_value(part) or ""
            for n, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True))
        }
    formatted = widget.format_value(value)
    return {bound.html_name: "" if formatted is None else str(formatted)}


class FieldLevelSaveMixin:
    """ModelAdmin hooks that write only what the user changed."""

    def save_model(self, request, obj, form, change):
        if change:
            self.keep_stored_fields(obj, form)
        super().save_model(request, obj, form, change)

    def keep_stored_fields(self, obj, form):
        """Put back the stored value of every main field the user left alone."""
        opened = form.opened_digests()
        names = [
            name
            for name in tracked_names(form)
            if name not in INLINES
            and left_alone(opened, name, posted_main(form, name), form.data)
        ]
        if not names:
            return
        stored = Article.objects.get(pk=obj.pk)
        for name in names:
            if name == "tags":
                # save_m2m() sets the tags from cleaned_data: the stored ones.
                form.cleaned_data["tags"] = list(stored.tags.names())
            else:
                attname = Article._meta.get_field(name).attname
                setattr(obj, attname, getattr(stored, attname))

    def save_formset(self, request, form, formset, change):
        if (
            change
            and formset.prefix in INLINES
            and left_alone(
                form.opened_digests(), formset.prefix, posted_inline(formset), form.data
            )
        ):
            # Left alone: the stored rows stay. The change message reads these.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
            return
        super().save_formset(request, form, formset, change)
        if change and form.data.get(MERGE_PREFIX + formset.prefix) == "mine":
            # 保留我的 after seeing theirs: the rows are the user's list, so
            # rows the other person added (absent from this form) go.
            kept = [row.instance.pk for row in formset.forms_in_order()]
            getattr(form.instance, formset.prefix).exclude(pk__in=kept).delete()

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        form = context["adminform"].form
        if getattr(form, "conflicts", None) is not None and obj is not None:
            # The main fields' rows come from the form's clean(); the inlines'
            # need their formsets, which exist only here.
            formsets = {
                inline.formset.prefix: inline.formset
                for inline in context["inline_admin_formsets"]
                if inline.formset.prefix in INLINES
            }
            stored = stored_values(obj, formsets)
            posted = {prefix: posted_inline(fs) for prefix, fs in formsets.items()}
            labels = {prefix: INLINES[prefix][1] for prefix in formsets}
            form.conflicts += conflicts(form.opened_digests(), stored, posted, labels)
            context["edit_conflicts"] = form.conflicts
            context["conflict_by"] = form.conflict_by
        return super().render_change_form(request, context, add, change, form_url, obj)
