"""Builders shared by the 三审 tests: a chained section and its four desks."""

from django.contrib.messages import get_messages

from articles.models import Article
from review.models import SectionReview, SignOff
from tests.factories import county, make_article, make_section, make_staff
from tests.workflow_helpers import transition


def chained_section(stages=3, **fields):
    section = make_section(**fields)
    SectionReview.objects.create(section=section, stages=stages)
    return section


def desk():
    """The four accounts of the chain (and a photographer)."""
    union = county("xiangshui")
    return {
        "correspondent": make_staff("correspondent", union=union),
        "editor": make_staff("editor"),
        "chief": make_staff("chief"),
        "director": make_staff("director"),
        "photographer": make_staff("photographer"),
    }


def story(section, writer=None, status=Article.Status.REVIEW, **fields):
    return make_article(
        status=status,
        days_ago=None,
        section=section,
        county_union=county("xiangshui"),
        created_by=writer,
        **fields,
    )


def press(client, user, article, action, **data):
    """Log in as user and post a workflow button; return the messages shown."""
    client.force_login(user)
    response = transition(client, article, action, **data)
    if response.status_code != 302:
        return response.status_code, []
    # Read (and so use up) this step's messages on the page it leads to.
    page = client.get(response["Location"])
    return 302, [str(m) for m in get_messages(page.wsgi_request)]


def signed(article):
    return list(
        SignOff.objects.current(article).order_by("at").values_list("stage", "by")
    )
