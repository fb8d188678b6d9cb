"""三审: the review stages of a section, who signs each, and signing one.

A section has 1, 2 or 3 stages (SectionReview, else REVIEW_DEFAULT_STAGES).
With 1 the editor publishes as before. With 2, 编辑 signs 初审 and 主编
signs 复审, which publishes; with 3, 总编 signs 终审, which publishes. The
story stays 待审 until the last stage; signing it is the only way to publish.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article
from articles.roles import display_name

from . import terms
from .models import SectionReview, SignOff
from .notifications import notify_next_stage

Stage = SignOff.Stage

# Workflow move (button) → the stage it signs, and who may sign it.
STAGE_MOVES = {
    "sign_first": Stage.FIRST,
    "sign_second": Stage.SECOND,
    "sign_third": Stage.THIRD,
}
PERMISSIONS = {
    Stage.FIRST: "review.sign_first",
    Stage.SECOND: "review.sign_second",
    Stage.THIRD: "review.sign_third",
}


def stage_count(section):
    try:
        return section.review.stages
    except SectionReview.DoesNotExist:
        return settings.REVIEW_DEFAULT_STAGES


def stages_of(article):
    """The stages the story's section asks for; [] when the editor publishes."""
    count = stage_count(article.section)
    return list(Stage)[:count] if count > 1 else []


def button_label(stage, stages):
    if stage == stages[-1]:
        return _("终审签发") if stage == Stage.THIRD else _("复审签发")
    return _("%(stage)s通过") % {"stage": stage.label}


def current_signoffs(article):
    return list(SignOff.objects.current(article).select_related("by"))


def next_stage(article, stages=None, signed=None):
    stages = stages_of(article) if stages is None else stages
    if signed is None:
        signed = {signoff.stage for signoff in current_signoffs(article)}
    return next((stage for stage in stages if stage not in signed), None)


def writer_ids(article):
    """Accounts that wrote the story: its creator and bylined authors."""
    ids = set(
        article.bylines.filter(author__user__isnull=False).values_list(
            "author__user", flat=True
        )
    )
    if article.created_by_id:
        ids.add(article.created_by_id)
    return ids


def sign(article, stage, by, *, opinion="", acknowledged=False, publish_at=None):
    """Sign one stage; the last stage also publishes (or schedules).

    Refused with a ValidationError naming why: wrong state or order, a
    signer without the stage's role, one person signing two stages or
    their own story, a 禁用 term, or 提示 terms not acknowledged.
    """
    stage = Stage(stage)
    with transaction.atomic():
        # One signer at a time per story: the second waits and sees the first.
        locked = Article.objects.select_for_update().only("status").get(pk=article.pk)
        stages = stages_of(article)
        if locked.status != Article.Status.REVIEW:
            raise ValidationError(
                _("“%(title)s”当前状态为“%(status)s”，不能签署%(stage)s。")
                % {
                    "title": article.title,
                    "status": locked.get_status_display(),
                    "stage": stage.label,
                },
                code="state",
            )
        if stage not in stages:
            raise ValidationError(
                _("“%(section)s”栏目的稿件不经过%(stage)s。")
                % {"section": article.section, "stage": stage.label},
                code="stage",
            )
        if not by.has_perm(PERMISSIONS[stage]):
            raise ValidationError(
                _("您没有签署%(stage)s的权限。") % {"stage": stage.label},
                code="role",
            )
        signed = current_signoffs(article)
        expected = next_stage(article, stages, {s.stage for s in signed})
        if stage != expected:
            raise ValidationError(
                _("“%(title)s”正在等待%(expected)s，不能签署%(stage)s。")
                % {
                    "title": article.title,
                    "expected": Stage(expected).label,
                    "stage": stage.label,
                },
                code="order",
            )
        earlier = next((s for s in signed if s.by_id == by.pk), None)
        if earlier is not None:
            raise ValidationError(
                _("您已签署这篇稿件的%(stage)s，同一人不能签署同一稿件的两级审核。")
                % {"stage": earlier.get_stage_display()},
                code="same_person",
            )
        if by.pk in writer_ids(article):
            raise ValidationError(
                _("您是这篇稿件的作者，不能审核自己的稿件。"), code="own_story"
            )
        hits = terms.check_article(article)
        terms.refuse_banned(hits)
        caution = terms.caution_hits(hits)
        if caution and not acknowledged:
            raise ValidationError(
                _(
                    "这篇稿件有 %(count)d 处提示词（%(words)s），请逐一核对后"
                    "勾选“已核对提示词”再签署。"
                )
                % {
                    "count": len(caution),
                    "words": "、".join(dict.fromkeys(hit.word for hit in caution)),
                },
                code="acknowledge",
            )
        signoff = SignOff.objects.create(
            article=article,
            article_title=article.title,
            stage=stage,
            final=stage == stages[-1],
            by=by,
            by_name=display_name(by),
            opinion=(opinion or "").strip(),
            acknowledged_json=json.dumps(
                [hit.as_record() for hit in caution], ensure_ascii=False
            ),
        )
        if signoff.final:
            # The workflow check now finds every stage signed.
            return article.publish(by, at=publish_at)
        following = stages[stages.index(stage) + 1]
        transaction.on_commit(
            lambda: notify_next_stage(signoff, following, PERMISSIONS[following])
        )
    return signoff


def check_move(article, action, by):
    """The chain's and the term list's word on a workflow move."""
    from articles.models import ArticleTransition

    Action = ArticleTransition.Action
    if action == Action.SUBMIT:
        terms.refuse_banned(terms.check_article(article))
    elif action in {Action.PUBLISH, Action.SCHEDULE}:
        stages = stages_of(article)
        if not stages:
            terms.refuse_banned(terms.check_article(article))
        elif next_stage(article, stages) is not None:
            raise ValidationError(
                _(
                    "“%(section)s”栏目实行%(count)s级审核：稿件须依次经过"
                    "%(stages)s，由最后一级签发后发布，不能直接发布。"
                )
                % {
                    "section": article.section,
                    "count": len(stages),
                    "stages": "、".join(str(stage.label) for stage in stages),
                },
                code="chain",
            )


def offers(name, article, user):
    """Whether the change form shows the move: stage buttons in turn only."""
    if name == "publish":
        return not stages_of(article)
    if name in STAGE_MOVES:
        stage = STAGE_MOVES[name]
        return (
            article.status == Article.Status.REVIEW
            and user.has_perm(PERMISSIONS[stage])
            and next_stage(article) == stage
        )
    return True


def _signer(stage):
    def call(article, by, data):
        return sign(
            article,
            stage,
            by,
            opinion=data.get("comment", ""),
            acknowledged=bool(data.get("acknowledge_terms")),
            publish_at=data.get("publish_at"),
        )

    return call


def register_moves():
    """Add the stage buttons to the article admin's workflow registry."""
    from articles import admin_forms, workflow_admin

    for name, stage in STAGE_MOVES.items():
        # Any desk account may post a stage; sign() then refuses the wrong
        # role with a message naming the stage, rather than a bare 403.
        workflow_admin.TRANSITIONS[name] = ("articles.change_article", _signer(stage))
        admin_forms.EXTRA_ACTIONS.append((name, stage.label))
    workflow_admin.MOVE_RULES.append(offers)
