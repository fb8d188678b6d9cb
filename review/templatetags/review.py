from django import template

from .. import chain, terms
from ..models import SignOff

register = template.Library()


def _hits(article):
    """The story's term hits, checked once per page."""
    if not hasattr(article, "review_hits"):
        article.review_hits = terms.check_article(article)
    return article.review_hits


def _stage_moves(context):
    article = context["original"]
    stages = chain.stages_of(article)
    return [
        {"name": name, "label": chain.button_label(stage, stages), "stage": stage}
        for name, stage in chain.STAGE_MOVES.items()
        if name in context.get("workflow_moves", ())
    ], stages


@register.inclusion_tag("admin/review/stage_fields.html", takes_context=True)
def review_stage_fields(context):
    """Inside the workflow form: opinion, publish time, term acknowledgement."""
    moves, stages = _stage_moves(context)
    final = any(move["stage"] == stages[-1] for move in moves) if stages else False
    workflow_moves = context.get("workflow_moves", ())
    return {
        "moves": moves,
        "form": context["transition_form"],
        "needs_comment": moves and "return" not in workflow_moves,
        "needs_publish_at": final
        and "publish" not in workflow_moves
        and not _form_has_publish_at(context),
        "publish_at_above": final
        and "publish" not in workflow_moves
        and _form_has_publish_at(context),
        "caution": terms.caution_hits(_hits(context["original"])) if moves else [],
    }


def _form_has_publish_at(context):
    """Whether the change form above already offers its own 发布时间.

    It is the one publish-time control (the save-first move reads it); the
    workflow box adds its own only for a signer who cannot edit the story.
    """
    adminform = context.get("adminform")
    return adminform is not None and "publish_at" in adminform.form.fields


@register.inclusion_tag("admin/review/stage_buttons.html", takes_context=True)
def review_stage_buttons(context):
    moves, _stages = _stage_moves(context)
    return {"moves": moves}


@register.inclusion_tag("admin/review/record.html", takes_context=True)
def review_record(context, article=None, show_hits=True):
    """The chain's progress, every sign-off, and the story's term hits."""
    article = article or context["original"]
    stages = chain.stages_of(article)
    signoffs = list(
        SignOff.objects.filter(article=article).order_by("-current", "at", "pk")
    )
    signed = {s.stage: s for s in signoffs if s.current}
    waiting = chain.next_stage(article, stages, set(signed))
    return {
        "stages": [
            {"stage": stage, "signed": signed.get(stage), "waiting": stage == waiting}
            for stage in stages
        ],
        "in_review": article.status == article.Status.REVIEW,
        "signoffs": signoffs,
        "hits": _hits(article) if show_hits else None,
    }
