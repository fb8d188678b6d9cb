"""One person, one Author: link accounts to namesakes, merge duplicates."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    Article,
    ArticleAuthor,
    Author,
    AuthorRedirect,
    Photo,
    PhotoCredit,
)


def author_for_account(user, *, name, union=None):
    """The Author an account writes as: its own, else an unlinked namesake
    (the bulletin importer made one for every byline), else a new one.

    Returns (author, linked) where linked says a namesake was taken over.
    Not saved: the caller sets the rest and saves.
    """
    own = Author.objects.filter(user=user).first()
    if own is not None:
        return own, False
    namesake = Author.objects.unlinked_namesakes(name, union).first()
    if namesake is not None:
        namesake.user = user
        return namesake, True
    return Author(user=user, name=name), False


def _move_rows(model, owner_field, *, keep, others):
    """Point the rows of others at keep, keeping the printed order.

    Where several of them are on the same article or photo, one row stays
    at the first of their places, keep's own if it has one.
    """
    groups = {}
    for row in model.objects.filter(author__in=[keep, *others]).order_by(
        owner_field, "position", "pk"
    ):
        groups.setdefault(getattr(row, f"{owner_field}_id"), []).append(row)
    for rows in groups.values():
        kept = next((row for row in rows if row.author_id == keep.pk), rows[0])
        position = rows[0].position
        model.objects.filter(pk__in=[row.pk for row in rows if row is not kept]).delete()
        if (kept.author_id, kept.position) != (keep.pk, position):
            kept.author, kept.position = keep, position
            kept.save(update_fields=["author", "position"])
    return set(groups)


@transaction.atomic
def merge_authors(*, keep, others):
    """Fold others into keep: bylines and credits move in their order, the
    old pages redirect (301) to keep's, and the others are deleted.

    An account moves to keep when keep has none; two accounts cannot be
    merged into one person.
    """
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise ValidationError(_("请至少选择两位作者再合并。"), code="few")
    accounts = [a for a in [keep, *others] if a.user_id]
    if len(accounts) > 1:
        raise ValidationError(
            _("%(names)s 都关联了后台账号，不能合并为一人。")
            % {"names": "、".join(str(a) for a in accounts)},
            code="accounts",
        )
    articles = _move_rows(ArticleAuthor, "article", keep=keep, others=others)
    photos = _move_rows(PhotoCredit, "photo", keep=keep, others=others)
    AuthorRedirect.objects.filter(author__in=others).update(author=keep)
    AuthorRedirect.objects.bulk_create(
        AuthorRedirect(old_slug=other.slug, author=keep) for other in others
    )
    user = next((a.user for a in others if a.user_id), None)
    if not keep.county_union_id:
        keep.county_union_id = next(
            (a.county_union_id for a in others if a.county_union_id), None
        )
    if not keep.bio:
        keep.bio = next((a.bio for a in others if a.bio), "")
    Author.objects.filter(pk__in=[a.pk for a in others]).delete()
    if user is not None:
        keep.user = user
    keep.save()
    Article.objects.filter(pk__in=articles).refresh_derived()
    Photo.objects.filter(pk__in=photos).refresh_credit_names()
    return keep

