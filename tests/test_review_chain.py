"""三审 through the admin: each stage's button, who may press it, and refusals."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, ArticleTransition
from review import chain
from review.models import PublicationRecord, SignOff
from tests.factories import make_author
from tests.review_helpers import chained_section, desk, press, signed, story
from tests.workflow_helpers import change_url, transition

STAGE_MOVES = ["sign_first", "sign_second", "sign_third"]
ROLES = ["correspondent", "photographer", "editor", "chief", "director"]
# Three stages: exactly one role signs each.
SIGNERS_3 = {"sign_first": "editor", "sign_second": "chief", "sign_third": "director"}
# Two stages: 主编 signs the last one, which publishes.
SIGNERS_2 = {"sign_first": "editor", "sign_second": "chief"}


def reach(article, move, people, signers):
    """Sign the stages before move, each by its own role."""
    for earlier in STAGE_MOVES[: STAGE_MOVES.index(move)]:
        chain.sign(article, chain.STAGE_MOVES[earlier], people[signers[earlier]])


def test_production_default_is_three_stages(db, settings):
    from newsroom import settings as production

    assert production.REVIEW_DEFAULT_STAGES == 3
    settings.REVIEW_DEFAULT_STAGES = production.REVIEW_DEFAULT_STAGES
    from tests.factories import make_section

    article = story(make_section())
    assert [s.label for s in chain.stages_of(article)] == ["初审", "复审", "终审"]


def test_chain_end_to_end_through_the_admin(client, db):
    people = desk()
    section = chained_section(3)
    article = story(section, writer=people["correspondent"], status="draft")

    press(client, people["correspondent"], article, "submit")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW

    steps = [
        ("editor", "sign_first", "初审通过", "事实核对无误。"),
        ("chief", "sign_second", "复审通过", "同意，标题再斟酌。"),
        ("director", "sign_third", "终审签发", "同意签发。"),
    ]
    for role, move, label, opinion in steps:
        client.force_login(people[role])
        page = client.get(change_url(article)).content.decode()
        assert f'value="{move}"' in page and label in page
        assert 'value="publish"' not in page
        status, shown = press(client, people[role], article, move, comment=opinion)
        assert status == 302, shown

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_published is True
    rows = SignOff.objects.current(article).order_by("at")
    assert [(s.stage, s.by, s.opinion) for s in rows] == [
        ("first", people["editor"], "事实核对无误。"),
        ("second", people["chief"], "同意，标题再斟酌。"),
        ("third", people["director"], "同意签发。"),
    ]
    assert [s.final for s in rows] == [False, False, True]
    publish = article.transitions.get(action=ArticleTransition.Action.PUBLISH)
    assert publish.by == people["director"]
    # Shown on the story and in its history.
    client.force_login(people["editor"])
    page = client.get(change_url(article)).content.decode()
    assert "同意签发。" in page and "事实核对无误。" in page
    history = client.get(change_url(article).replace("/change/", "/history/"))
    assert "同意，标题再斟酌。" in history.content.decode()
    assert PublicationRecord.objects.filter(article=article).count() == 1


@pytest.mark.parametrize("move", STAGE_MOVES)
@pytest.mark.parametrize("role", ROLES)
def test_three_stage_role_matrix(client, db, role, move):
    people = desk()
    article = story(chained_section(3), writer=people["correspondent"])
    reach(article, move, people, SIGNERS_3)
    status, shown = press(client, people[role], article, move, comment="意见")
    took = SignOff.objects.current(article).filter(stage=chain.STAGE_MOVES[move])
    assert took.exists() is (SIGNERS_3[move] == role)
    if role == "photographer":
        assert status in {403, 404}
    elif SIGNERS_3[move] != role:
        assert any("没有签署" in message for message in shown), shown


@pytest.mark.parametrize("move", ["sign_first", "sign_second"])
@pytest.mark.parametrize("role", ROLES)
def test_two_stage_role_matrix(client, db, role, move):
    people = desk()
    article = story(chained_section(2), writer=people["correspondent"])
    reach(article, move, people, SIGNERS_2)
    press(client, people[role], article, move, comment="意见")
    took = SignOff.objects.current(article).filter(stage=chain.STAGE_MOVES[move])
    assert took.exists() is (SIGNERS_2[move] == role)
    published = Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert published is (move == "sign_second" and role == "chief")


def test_two_stage_section_has_no_third_stage(client, db):
    people = desk()
    article = story(chained_section(2))
    reach(article, "sign_third", people, SIGNERS_3)  # 初审, 复审 (publishes)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    _status, shown = press(client, people["director"], article, "sign_third")
    assert SignOff.objects.filter(article=article, stage="third").exists() is False
    assert shown and "不能签署终审" in shown[0]


@pytest.mark.parametrize("role", ["editor", "chief", "director"])
@pytest.mark.parametrize("stages", [2, 3])
def test_nobody_publishes_past_the_chain(client, db, role, stages):
    people = desk()
    article = story(chained_section(stages))
    client.force_login(people[role])
    assert 'value="publish"' not in client.get(change_url(article)).content.decode()
    _status, shown = press(client, people[role], article, "publish")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert any("不能直接发布" in message for message in shown), shown


def test_publish_action_on_the_list_is_refused_too(client, db):
    people = desk()
    article = story(chained_section(3))
    client.force_login(people["director"])
    client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_stages_go_in_order(client, db):
    people = desk()
    article = story(chained_section(3))
    _status, shown = press(client, people["director"], article, "sign_third")
    assert shown and "正在等待初审" in shown[0]
    assert signed(article) == []


def test_one_person_cannot_sign_two_stages(client, db):
    people = desk()
    both = people["chief"]
    both.groups.add(Group.objects.get(name="总编"))
    article = story(chained_section(3))
    chain.sign(article, "first", people["editor"])
    press(client, both, article, "sign_second", comment="同意")
    _status, shown = press(client, both, article, "sign_third", comment="签发")
    assert shown and "同一人不能签署同一稿件的两级审核" in shown[0]
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert signed(article) == [("first", people["editor"].pk), ("second", both.pk)]


def test_superuser_is_held_to_one_stage(client, db, admin_user):
    article = story(chained_section(3))
    press(client, admin_user, article, "sign_first")
    _status, shown = press(client, admin_user, article, "sign_second")
    assert "同一人不能签署" in shown[0]


@pytest.mark.parametrize("how", ["created", "byline"])
def test_director_cannot_sign_own_story(client, db, how):
    people = desk()
    director = people["director"]
    if how == "created":
        article = story(chained_section(3), writer=director)
    else:
        article = story(chained_section(3), authors=[director.author])
    reach(article, "sign_third", people, SIGNERS_3)
    _status, shown = press(client, director, article, "sign_third")
    assert shown and "不能审核自己的稿件" in shown[0]
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_return_at_any_stage_restarts_the_chain(client, db):
    people = desk()
    article = story(chained_section(3), writer=people["correspondent"])
    reach(article, "sign_third", people, SIGNERS_3)
    client.force_login(people["director"])
    page = client.get(change_url(article)).content.decode()
    assert 'value="return"' in page
    _status, shown = press(
        client, people["director"], article, "return", comment="数字需再核实。"
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert signed(article) == []
    assert SignOff.objects.filter(article=article, current=False).count() == 2
    press(client, people["correspondent"], article, "submit")
    assert chain.next_stage(Article.objects.get(pk=article.pk)) == "first"


def test_return_needs_a_comment(client, db):
    people = desk()
    article = story(chained_section(3))
    _status, shown = press(client, people["chief"], article, "return", comment=" ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert "请写明修改意见" in shown[0]


def test_final_signoff_schedules_without_cron(client, db):
    people = desk()
    article = story(chained_section(3))
    reach(article, "sign_third", people, SIGNERS_3)
    later = timezone.localtime() + timedelta(hours=2)
    press(
        client,
        people["director"],
        article,
        "sign_third",
        publish_at=later.strftime("%Y-%m-%dT%H:%M"),
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_scheduled is True
    assert Article.objects.published().filter(pk=article.pk).exists() is False
    # Nothing has to run: once the time passes the same query shows it.
    after = article.publish_at + timedelta(seconds=1)
    assert Article.objects.published(at=after).filter(pk=article.pk).exists() is True
    step = article.transitions.get(action=ArticleTransition.Action.SCHEDULE)
    assert step.by == people["director"]


def test_final_stage_form_has_one_publish_time_control(client, db):
    """The 总编's form offers 发布时间 once: the field above, which schedules."""
    from tests.workflow_helpers import form_data

    people = desk()
    article = story(chained_section(3))
    reach(article, "sign_third", people, SIGNERS_3)
    client.force_login(people["director"])
    page = client.get(change_url(article)).content.decode()
    assert 'value="sign_third"' in page
    assert 'name="publish_at_0"' in page
    assert 'name="publish_at"' not in page
    assert "发布时间在上面“发布”一栏设置" in page
    later = timezone.localtime() + timedelta(days=3)
    data = form_data(article)
    data.update(
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:00"),
        comment="同意，定时签发。",
        _workflow="sign_third",
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled is True
    assert timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M") == (
        later.strftime("%Y-%m-%d %H:%M")
    )


def test_one_stage_section_keeps_the_editors_flow(client, db):
    people = desk()
    article = story(chained_section(1), writer=people["correspondent"])
    client.force_login(people["editor"])
    page = client.get(change_url(article)).content.decode()
    assert 'value="publish"' in page
    assert "sign_first" not in page
    transition(client, article, "publish")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert SignOff.objects.filter(article=article).exists() is False


def test_add_staff_creates_chief_and_director(db):
    from django.core.management import call_command

    from articles.models import Author

    call_command("add_staff", "zhubian", "--role", "chief", "--name", "周主编")
    call_command("add_staff", "zongbian", "--role", "director", "--name", "吴总编")
    chief = Author.objects.get(name="周主编").user
    director = Author.objects.get(name="吴总编").user
    assert list(chief.groups.values_list("name", flat=True)) == ["主编"]
    assert list(director.groups.values_list("name", flat=True)) == ["总编"]
    assert chief.has_perm("review.sign_second") is True
    assert chief.has_perm("review.sign_third") is False
    assert director.has_perm("review.sign_third") is True
    assert director.has_perm("articles.publish_article") is True


def test_signoff_survives_a_deleted_draft(db):
    people = desk()
    article = story(chained_section(3), authors=[make_author("王芳")])
    chain.sign(article, "first", people["editor"], opinion="可")
    article.return_to_writer(people["editor"], "重写")
    article.delete()
    kept = SignOff.objects.get(by=people["editor"])
    assert kept.article is None
    assert kept.article_title == article.title


@pytest.mark.parametrize(
    ("stage", "expected"),
    [("first", {"new3", "new2"}), ("second", {"after_first"}), ("third", {"at_third"})],
)
def test_article_list_filters_by_waiting_stage(client, db, stage, expected):
    people = desk()
    three, two = chained_section(3), chained_section(2)
    stories = {
        "new3": story(three),
        "new2": story(two),
        "after_first": story(three),
        "at_third": story(three),
        "one_stage": story(chained_section(1)),
        "draft": story(three, status="draft"),
    }
    chain.sign(stories["after_first"], "first", people["editor"])
    chain.sign(stories["at_third"], "first", people["editor"])
    chain.sign(stories["at_third"], "second", people["chief"])
    client.force_login(people["director"])
    response = client.get("/admin/articles/article/", {"waiting": stage})
    shown = {a.pk for a in response.context["cl"].result_list}
    assert shown == {stories[name].pk for name in expected}


def test_next_signers_are_mailed(db, mailoutbox, django_capture_on_commit_callbacks):
    people = desk()
    for role in ("chief", "director"):
        people[role].email = f"{role}@example.com"
        people[role].save()
    article = story(chained_section(3), title="送清凉")
    with django_capture_on_commit_callbacks(execute=True):
        chain.sign(article, "first", people["editor"], opinion="属实")
    assert [m.to for m in mailoutbox] == [["chief@example.com"]]
    assert "等待复审：送清凉" in mailoutbox[0].subject
    assert "属实" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        chain.sign(article, "second", people["chief"])
    assert mailoutbox[-1].to == ["director@example.com"]
