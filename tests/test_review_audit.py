"""发稿记录: every story published or withdrawn, on the desk and exported."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from articles.models import Article
from review import audit, chain
from review.models import PublicationRecord, Term
from tests.factories import make_author
from tests.review_helpers import chained_section, desk, story

AUDIT = reverse("admin:review_publicationrecord_changelist")
XLSX = reverse("admin:review_publicationrecord_xlsx")
CSV = reverse("admin:review_publicationrecord_csv")


@pytest.fixture
def period(db):
    """A story through 三审 with a 提示 term, then withdrawn; and a 1-stage one."""
    people = desk()
    Term.objects.create(word="惟一", level="caution", suggestion="唯一")
    first = story(
        chained_section(3, name="要闻"),
        writer=people["correspondent"],
        title="惟一的冠军",
        authors=[make_author("王芳")],
    )
    chain.sign(first, "first", people["editor"], opinion="核实", acknowledged=True)
    chain.sign(first, "second", people["chief"], opinion="同意", acknowledged=True)
    chain.sign(first, "third", people["director"], opinion="签发", acknowledged=True)
    first.refresh_from_db()
    first.withdraw(people["director"], "数字有误")
    second = story(chained_section(1, name="基层"), title="职工书屋开放")
    second.publish(people["editor"])
    return people, first, second


def expected_rows():
    return [
        [audit._text(value) for value in row]
        for row in audit.rows(PublicationRecord.objects.order_by("at", "pk"))
    ]


def test_records_copy_story_signers_and_terms(period):
    people, first, second = period
    records = list(PublicationRecord.objects.order_by("at", "pk"))
    assert [(r.title, r.action) for r in records] == [
        ("惟一的冠军", "publish"),
        ("惟一的冠军", "withdraw"),
        ("职工书屋开放", "publish"),
    ]
    published = records[0]
    assert published.writers == "王芳"
    assert published.section == "要闻"
    assert [(s["stage"], s["opinion"]) for s in published.stages] == [
        ("first", "核实"),
        ("second", "同意"),
        ("third", "签发"),
    ]
    assert published.term_hits == [
        {"word": "惟一", "level": "caution", "place": "标题", "suggestion": "唯一"}
    ]
    assert all(s["acknowledged"][0]["word"] == "惟一" for s in published.stages)
    assert records[1].comment == "数字有误"
    assert records[2].stages == []


def test_xlsx_export_opens_and_matches(client, period):
    people, first, second = period
    client.force_login(people["chief"])
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"] == audit.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == audit.header()
    cells = [[audit._text(v) for v in row] for row in values[1:]]
    assert cells == expected_rows()
    assert [row[1] for row in values[1:]] == ["惟一的冠军", "惟一的冠军", "职工书屋开放"]
    published = values[1]
    header = audit.header()
    assert published[header.index("终审签署人")] == people["director"].username
    assert published[header.index("初审意见")] == "核实"
    assert "惟一（提示，标题）" in published[header.index("提示和禁用词")]
    assert published[header.index("已确认的提示词")].count("惟一") == 3


def test_csv_export_matches(client, period):
    people, *_ = period
    client.force_login(people["editor"])
    response = client.get(CSV)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [str(column) for column in audit.header()]
    assert rows[1:] == expected_rows()


def test_desk_page_lists_the_period(client, period):
    people, first, _second = period
    client.force_login(people["director"])
    page = client.get(AUDIT).content.decode()
    assert page.count("惟一的冠军") == 2 and "职工书屋开放" in page
    assert "3 条记录" in page
    assert f"?start={timezone.localdate():%Y-%m}-01&amp;end=" in page  # export links


def test_bad_period_falls_back_with_a_message(client, period):
    people, *_ = period
    client.force_login(people["editor"])
    page = client.get(AUDIT, {"start": "2024-13-01"}).content.decode()
    assert "日期格式应为" in page and "惟一的冠军" in page


def test_period_filters_by_day(client, period):
    people, *_ = period
    client.force_login(people["editor"])
    page = client.get(AUDIT, {"start": "2020-01-01", "end": "2020-01-31"})
    assert "这段时间没有发布或撤稿的稿件" in page.content.decode()


@pytest.mark.parametrize("role", ["correspondent", "photographer"])
def test_only_the_desk_sees_the_record(client, period, role):
    people, *_ = period
    client.force_login(people[role])
    assert client.get(AUDIT).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_records_outlive_the_story(period):
    _people, first, _second = period
    Article.objects.filter(pk=first.pk).delete()  # past the model's guard
    kept = PublicationRecord.objects.filter(article_number=first.pk)
    assert kept.count() == 2
    assert all(record.article is None for record in kept)
