"""信息工作考核: every figure of a known quarter, rules, targets, export."""

import io
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTransition, Issue, Section
from assessment.models import Headline, PointsRule, TakeUp, Target
from assessment.periods import Period
from assessment.scoring import build_report
from assessment.workbook import workbook_bytes
from tests.factories import (
    county,
    make_article,
    make_author,
    make_photo,
    make_section,
    make_staff,
)

Q1 = Period.parse("2024Q1")
RANKING = "admin:assessment_ranking_changelist"
# rules, unions, correspondents, targets, pieces, take-ups, headlines, steps,
# credited people: nine whatever the period holds.
REPORT_QUERIES = 9


def at(month, day, hour=10, minute=0, year=2024):
    """A moment in Beijing time."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def published(title, when, *, section, authors=(), **fields):
    article = make_article(title=title, section=section, authors=authors, **fields)
    Article.objects.filter(pk=article.pk).update(publish_at=when)
    return article


def date_steps(article, *moments):
    """Date an article's recorded steps, oldest first."""
    steps = article.transitions.order_by("at", "pk")
    for step, moment in zip(steps, moments, strict=True):
        ArticleTransition.objects.filter(pk=step.pk).update(at=moment)


@pytest.fixture
def quarter(db):
    """Q1 2024 with stories whose figures are worked out by hand in EXPECTED."""
    editor = make_staff("editor")
    news = make_section(name="新闻速递", kind=Section.Kind.NEWS)
    topic = make_section(name="谱写绿色盐城新篇章专栏", kind=Section.Kind.TOPIC)
    photo_news = make_section(name="图说新闻", kind=Section.Kind.PHOTO)
    xiangshui, binhai, funing = county("xiangshui"), county("binhai"), county("funing")
    people = {
        "a1": make_author("响水甲", county_union=xiangshui),
        "a2": make_author("响水乙", county_union=xiangshui),
        "b1": make_author("滨海甲", county_union=binhai),
        "c1": make_author("阜宁摄影甲", county_union=funing),
        "c2": make_author("阜宁摄影乙", county_union=funing),
        "x": make_author("市总编辑"),  # no county: assessed nowhere
    }
    a1, a2, b1, c1, c2, x = people.values()

    # N1: news by a1, submitted 9 Jan, published 10 Jan: 1 point to 响水.
    n1 = make_article(
        title="N1",
        section=news,
        authors=[a1],
        status=Article.Status.DRAFT,
        days_ago=None,
    )
    n1.submit(by=editor)
    n1.publish(by=editor)
    date_steps(n1, at(1, 9), at(1, 10))
    Article.objects.filter(pk=n1.pk).update(publish_at=at(1, 10))
    # N2: news by a1 and b1 (two counties), a headline: 1 + 1, half each.
    n2 = published("N2", at(2, 5), section=news, authors=[a1, b1, x])
    Headline.objects.create(article=n2)
    # T1: special-topic column by a1 and a2, taken up nationally and by the
    # province: 2 + 5 + 3 = 10, all 响水, 5 each.
    t1 = published("T1", at(3, 1), section=topic, authors=[a1, a2])
    TakeUp.objects.create(
        article=t1,
        outlet="学习强国",
        level=TakeUp.Level.NATIONAL,
        url="https://www.xuexi.cn/",
    )
    TakeUp.objects.create(
        article=t1, outlet="江苏工会网", level=TakeUp.Level.PROVINCIAL
    )
    # P1: a 图说新闻 item, photographers c1 and c2 (阜宁) and b1 (滨海) on its
    # photo: 1 point, half to each county; 阜宁's half split by two.
    cover = make_photo(credits=[c1, c2, b1])
    published("P1", at(3, 10), section=photo_news, authors=[c1], cover_photo=cover)
    # R1: a2's story, returned once then published: submitted once, returned.
    r1 = make_article(
        title="R1",
        section=news,
        authors=[a2],
        status=Article.Status.DRAFT,
        days_ago=None,
    )
    r1.submit(by=editor)
    r1.return_to_writer(by=editor, comment="请补充数据")
    r1.submit(by=editor)
    r1.publish(by=editor)
    date_steps(r1, at(1, 20), at(1, 21), at(2, 14), at(2, 15))
    Article.objects.filter(pk=r1.pk).update(publish_at=at(2, 15))
    # N3: news by a1 with a gallery photo by c1, late on the quarter's last
    # evening (Beijing time): half to 响水, half to 阜宁.
    published(
        "N3",
        at(3, 31, 23, 30),
        section=news,
        authors=[a1],
        photos=[make_photo(credits=[c1])],
    )
    # W1: b1's story, submitted, published and withdrawn: submitted only.
    w1 = make_article(
        title="W1",
        section=news,
        authors=[b1],
        status=Article.Status.DRAFT,
        days_ago=None,
    )
    w1.submit(by=editor)
    w1.publish(by=editor)
    w1.withdraw(by=editor, comment="信息有误")
    date_steps(w1, at(1, 20), at(1, 21), at(2, 1))
    Article.objects.filter(pk=w1.pk).update(publish_at=at(1, 21))
    # D1: a1's story still in review at the end of March.
    d1 = make_article(
        title="D1",
        section=news,
        authors=[a1],
        status=Article.Status.DRAFT,
        days_ago=None,
    )
    d1.submit(by=editor)
    date_steps(d1, at(3, 20))
    # Outside the quarter: New Year's Eve and April.
    published("Dec", at(12, 31, 23, 30, year=2023), section=news, authors=[a1])
    published("Apr", at(4, 5), section=news, authors=[a1])
    return {"editor": editor, "people": people, "sections": (news, topic, photo_news)}


EXPECTED_COUNTIES = {
    # name: (rank, submitted, published, returned, photos, points, use rate)
    "响水县": (1, 6, 5, 1, 0, Fraction(27, 2), 83.3),
    "滨海县": (2, 3, 2, 0, 1, Fraction(3, 2), 66.7),
    "阜宁县": (3, 2, 2, 0, 1, Fraction(1), 100.0),
    "射阳县": (4, 0, 0, 0, 0, Fraction(0), None),
}
EXPECTED_PEOPLE = {
    "响水甲": (1, 5, 4, 0, 0, Fraction(15, 2), 80.0),
    "响水乙": (2, 2, 2, 1, 0, Fraction(6), 100.0),
    "滨海甲": (3, 3, 2, 0, 1, Fraction(3, 2), 66.7),
    "阜宁摄影甲": (4, 2, 2, 0, 1, Fraction(3, 4), 100.0),
    "阜宁摄影乙": (5, 1, 1, 0, 1, Fraction(1, 4), 100.0),
}


def figures(row):
    return (
        row.rank,
        row.submitted,
        row.published,
        row.returned,
        row.photos,
        row.points,
        row.use_rate,
    )


def test_every_county_figure_of_the_quarter(quarter):
    report = build_report(Q1)
    rows = {row.name: row for row in report.counties}
    assert len(rows) == 9
    for name, expected in EXPECTED_COUNTIES.items():
        assert figures(rows[name]) == expected, name
    untouched = [row for row in report.counties if row.name not in EXPECTED_COUNTIES]
    assert {figures(row) for row in untouched} == {EXPECTED_COUNTIES["射阳县"]}
    assert [row.name for row in report.counties[:3]] == ["响水县", "滨海县", "阜宁县"]


def test_every_correspondent_figure_of_the_quarter(quarter):
    report = build_report(Q1)
    rows = {row.name: row for row in report.correspondents}
    assert set(rows) == set(EXPECTED_PEOPLE)  # 市总编辑 has no county
    for name, expected in EXPECTED_PEOPLE.items():
        assert figures(rows[name]) == expected, name


def test_county_points_are_the_sum_of_its_correspondents(quarter):
    report = build_report(Q1)
    for county_row in report.counties:
        people = [r for r in report.correspondents if r.union == county_row.union]
        assert sum((r.points for r in people), Fraction(0)) == county_row.points


def test_totals_add_up_the_county_rows(quarter):
    totals = build_report(Q1).totals
    assert (totals.submitted, totals.published, totals.returned, totals.photos) == (
        11,
        9,
        1,
        2,
    )
    # Every point of the quarter's pieces lands in exactly one county share.
    assert totals.points == 1 + 2 + 10 + 1 + 1 + 1


def test_ties_share_a_rank_and_pieces_break_equal_points(quarter):
    news = quarter["sections"][0]
    sheyang, jianhu = county("sheyang"), county("jianhu")
    s = make_author("射阳甲", county_union=sheyang)
    j = make_author("建湖甲", county_union=jianhu)
    # 射阳: one topic piece (2 points); 建湖: two news pieces (2 points).
    published("S1", at(2, 1), section=quarter["sections"][1], authors=[s])
    published("J1", at(2, 1), section=news, authors=[j])
    published("J2", at(2, 2), section=news, authors=[j])
    rows = {row.name: row for row in build_report(Q1).counties}
    assert (rows["建湖县"].rank, rows["射阳县"].rank, rows["滨海县"].rank) == (2, 3, 4)
    assert rows["阜宁县"].rank == 5
    assert rows["东台市"].rank == rows["大丰区"].rank == 6


def test_a_rules_change_recalculates_the_periods_it_covers(quarter):
    march_rule = PointsRule.objects.create(
        valid_from=date(2024, 3, 1),
        valid_to=date(2024, 3, 31),
        news=Decimal(1),
        topic=Decimal(4),
        photo=Decimal(1),
        headline=Decimal(1),
        provincial=Decimal(3),
        national=Decimal(10),
    )
    report = build_report(Q1)
    xiangshui = report.counties[0]
    # T1 now 4 + 10 + 3 = 17: 1 + 1 + 17 + 1 + 0.5.
    assert xiangshui.points == Fraction(41, 2)
    assert build_report(Period.parse("2024-01")).counties[0].points == 1
    # Moving the rule's end before March gives March its defaults back.
    march_rule.valid_to = date(2024, 2, 29)
    march_rule.save()
    assert build_report(Q1).counties[0].points == Fraction(27, 2)


def test_a_print_issue_bonus_applies_to_pieces_in_an_issue(quarter):
    PointsRule.objects.create(
        valid_from=date(2024, 1, 1),
        issue_piece=Decimal("0.5"),
        news=1,
        topic=2,
        photo=1,
        headline=1,
        provincial=3,
        national=5,
    )
    issue = Issue.objects.create(year=2024, number=1, published_on=date(2024, 1, 15))
    Article.objects.filter(title="N1").update(issue=issue)
    rows = {row.name: row for row in build_report(Q1).counties}
    assert rows["响水县"].points == Fraction(14)


def test_overlapping_rules_are_refused(db):
    PointsRule.objects.create(valid_from=date(2024, 1, 1))
    clash = PointsRule(valid_from=date(2023, 6, 1), valid_to=date(2024, 2, 1))
    with pytest.raises(ValidationError):
        clash.full_clean()
    backwards = PointsRule(valid_from=date(2022, 6, 1), valid_to=date(2022, 1, 1))
    with pytest.raises(ValidationError):
        backwards.full_clean()


def test_target_progress_mid_year(quarter):
    xiangshui = county("xiangshui")
    Target.objects.create(
        year=2024, county_union=xiangshui, submitted=20, published=10, points=50
    )
    Target.objects.create(
        year=2024, county_union=xiangshui, author=quarter["people"]["a1"], points=30
    )
    report = build_report(Period.parse("2024-06"))
    row = next(r for r in report.counties if r.name == "响水县")
    # January to June: Q1's 13.5 points, 5 published, 6 submitted, plus
    # April's news piece (published without a submit step).
    assert row.progress == {"submitted": 35.0, "published": 60.0, "points": 29.0}
    assert (row.published, row.points) == (0, 0)  # June itself was empty
    person = next(r for r in report.correspondents if r.name == "响水甲")
    assert person.points_progress == round(8.5 / 30 * 100, 1)
    assert report.elapsed == pytest.approx(182 / 366)


def test_a_quarter_after_the_target_year_starts_counts_only_that_year(quarter):
    Target.objects.create(year=2024, county_union=county("xiangshui"), published=10)
    row = build_report(Q1).counties[0]
    assert row.progress["published"] == 50.0  # not the December 2023 piece


def test_workbook_opens_with_title_ranked_counties_and_totals(quarter):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_report(Q1))))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "盐城市总工会 2024年第一季度信息工作通报"
    header = [cell.value for cell in sheet[3]]
    assert header[:8] == [
        "排名",
        "县级工会",
        "报送",
        "采用",
        "采用率",
        "退回",
        "图片",
        "积分",
    ]
    rows = [
        list(row) for row in sheet.iter_rows(min_row=4, max_row=12, values_only=True)
    ]
    assert [row[1] for row in rows[:3]] == ["响水县", "滨海县", "阜宁县"]
    assert len({row[1] for row in rows}) == 9
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    totals = [cell.value for cell in sheet[13]]
    assert totals[1] == "合计"
    for column in (2, 3, 5, 6, 7):
        assert totals[column] == sum(row[column] for row in rows)
    assert totals[7] == 16
    people = book.worksheets[1]
    names = [row[1] for row in people.iter_rows(min_row=4, max_row=8, values_only=True)]
    assert names == list(EXPECTED_PEOPLE)


def test_report_query_count_does_not_grow_with_the_period(
    quarter, django_assert_num_queries
):
    with django_assert_num_queries(REPORT_QUERIES):
        build_report(Q1)
    news = quarter["sections"][0]
    for n in range(20):
        published(f"More{n}", at(2, 3), section=news, authors=[quarter["people"]["b1"]])
    with django_assert_num_queries(REPORT_QUERIES):
        build_report(Q1)


def test_ranking_page_shows_the_tables_to_editors(
    client, quarter, django_assert_num_queries
):
    client.force_login(quarter["editor"])
    url = reverse(RANKING) + "?period=2024Q1"
    # Warm the session and content types with another period: this one's
    # report is built, not read from the cache.
    client.get(reverse(RANKING) + "?period=2024Q2")
    # session, user, the user's and the groups' permissions
    with django_assert_num_queries(REPORT_QUERIES + 4):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "盐城市总工会 2024年第一季度信息工作通报" in body
    assert body.count('<tr data-county="') == 9
    assert 'id="county-totals"' in body
    assert "<svg" in body and "13.5" in body


def test_an_ended_period_is_read_from_the_cache_until_something_changes(
    client, quarter, django_assert_num_queries
):
    client.force_login(quarter["editor"])
    export = reverse("admin:assessment_ranking_export") + "?period=2024Q1"
    url = reverse(RANKING) + "?period=2024Q1"
    client.get(url)
    with django_assert_num_queries(4):  # session, user, permissions
        assert "13.5" in client.get(url).content.decode()
    with django_assert_num_queries(4):  # the export reads the same report
        client.get(export)

    def xiangshui_points():
        book = openpyxl.load_workbook(io.BytesIO(client.get(export).content))
        return next(
            row[7]
            for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)
            if row[1] == "响水县"
        )

    assert xiangshui_points() == 13.5
    # A take-up (an assessment model) and a new piece (content) both show.
    TakeUp.objects.create(
        article=Article.objects.get(title="N1"),
        outlet="人民网",
        level="national",
        url="https://www.people.com.cn/",
        taken_on=date(2024, 1, 12),
    )
    assert xiangshui_points() == 18.5
    published(
        "N9",
        at(3, 1),
        section=quarter["sections"][0],
        authors=[quarter["people"]["a1"]],
    )
    assert xiangshui_points() == 19.5
    # A period not yet ended is built each time.
    current = reverse(RANKING) + f"?period={Period.current_quarter()}"
    client.get(current)
    with django_assert_num_queries(REPORT_QUERIES + 4):
        client.get(current)


def test_a_correspondent_sees_only_her_county(client, quarter):
    her = make_staff("correspondent", union=county("binhai"))
    client.force_login(her)
    response = client.get(reverse(RANKING) + "?period=2024Q1")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<tr data-county="') == 1
    assert 'data-county="binhai"' in body
    assert "响水甲" not in body and "滨海甲" in body
    book = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                reverse("admin:assessment_ranking_export") + "?period=2024Q1"
            ).content
        )
    )
    names = [
        row[1] for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)
    ]
    assert "滨海县" in names and "响水县" not in names
    xiangshui = county("xiangshui")
    stories = reverse("admin:assessment_ranking_stories")
    other = client.get(
        stories,
        {
            "period": "2024Q1",
            "kind": "county",
            "pk": xiangshui.pk,
            "measure": "published",
        },
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [("photographer", 403), ("correspondent", 403), (None, 302)]
)
def test_who_may_not_see_the_ranking(client, db, role, status):
    if role is not None:
        # A correspondent linked to no county union sees no figures either.
        client.force_login(make_staff(role))
    assert client.get(reverse(RANKING)).status_code == status


def test_each_figure_links_to_its_stories(client, quarter):
    client.force_login(quarter["editor"])
    stories = reverse("admin:assessment_ranking_stories")
    xiangshui = county("xiangshui")
    response = client.get(
        stories,
        {
            "period": "2024Q1",
            "kind": "county",
            "pk": xiangshui.pk,
            "measure": "published",
        },
    )
    titles = {a.title for a in response.context["page"].object_list}
    assert titles == {"N1", "N2", "T1", "R1", "N3"}
    body = client.get(reverse(RANKING) + "?period=2024Q1").content.decode()
    assert f"kind=county&amp;pk={xiangshui.pk}&amp;measure=returned" in body
    returned = client.get(
        stories,
        {
            "period": "2024Q1",
            "kind": "author",
            "pk": quarter["people"]["a2"].pk,
            "measure": "returned",
        },
    )
    assert [a.title for a in returned.context["page"].object_list] == ["R1"]
    bad = client.get(
        stories,
        {"period": "2024Q1", "kind": "county", "pk": "x", "measure": "published"},
    )
    assert bad.status_code == 404


def test_bad_period_falls_back_with_a_message(client, quarter):
    client.force_login(quarter["editor"])
    response = client.get(reverse(RANKING) + "?period=2024Q9")
    assert response.status_code == 200
    assert "写法不对" in response.content.decode()
    assert response.context["period"] == Period.current_quarter()


def test_printable_page(client, quarter):
    client.force_login(quarter["editor"])
    response = client.get(reverse("admin:assessment_ranking_print") + "?period=2024Q1")
    body = response.content.decode()
    assert response.status_code == 200
    assert "assessment-print.css" in body and "合计" in body


def test_report_command_prints_the_table_and_writes_the_workbook(quarter, tmp_path):
    out = io.StringIO()
    target = tmp_path / "q1.xlsx"
    call_command(
        "assessment_report", "--period", "2024Q1", "--output", str(target), stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "盐城市总工会 2024年第一季度信息工作通报"
    assert lines[2].split("\t")[:3] == ["1", "响水县", "6"]
    assert openpyxl.load_workbook(target).worksheets[0]["A1"].value == lines[0]
    with pytest.raises(CommandError, match="写法不对"):
        call_command("assessment_report", "--period", "24Q1")


@pytest.mark.parametrize(
    ("text", "label", "months"),
    [
        ("2024", "2024年", 12),
        ("2024Q1", "2024年第一季度", 3),
        ("2024-03", "2024年3月", 1),
    ],
)
def test_period_forms(text, label, months):
    period = Period.parse(text)
    assert (str(period), period.label, period.months) == (text, label, months)


def rule_form(**changes):
    data = {
        "valid_from": "2024-03-01",
        "valid_to": "2024-03-31",
        "note": "三月专项",
        "news": "1",
        "topic": "4",
        "photo": "1",
        "issue_piece": "0",
        "headline": "1",
        "provincial": "3",
        "national": "10",
    }
    return {**data, **changes}


def test_an_editor_changes_the_rules_in_the_admin_with_history(client, quarter):
    from reversion.models import Version

    client.force_login(quarter["editor"])
    add = reverse("admin:assessment_pointsrule_add")
    assert client.get(add).context["adminform"].form.initial["topic"] == 2
    response = client.post(add, rule_form())
    assert response.status_code == 302
    rule = PointsRule.objects.get()
    assert rule.updated_by == quarter["editor"]
    assert Version.objects.get_for_object(rule).count() == 1
    assert build_report(Q1).counties[0].points == Fraction(41, 2)
    overlapping = client.post(add, rule_form(valid_from="2024-01-01", valid_to=""))
    assert overlapping.status_code == 200
    assert "重叠" in overlapping.content.decode()
    assert PointsRule.objects.count() == 1


def test_an_editor_records_a_take_up_and_the_points_follow(client, quarter):
    client.force_login(quarter["editor"])
    n1 = Article.objects.get(title="N1")
    response = client.post(
        reverse("admin:assessment_takeup_add"),
        {
            "article": n1.pk,
            "outlet": "人民网",
            "level": "national",
            "url": "https://www.people.com.cn/",
            "taken_on": "2024-01-12",
        },
    )
    assert response.status_code == 302
    assert TakeUp.objects.get(outlet="人民网").created_by == quarter["editor"]
    assert build_report(Q1).counties[0].points == Fraction(37, 2)


def test_the_page_lists_the_top_correspondents_and_links_to_all(
    client, quarter, monkeypatch
):
    monkeypatch.setattr("assessment.admin.CORRESPONDENT_ROWS", 2)
    client.force_login(quarter["editor"])
    url = reverse(RANKING) + "?period=2024Q1"
    body = client.get(url).content.decode()
    assert body.count("<tr data-author=") == 2
    assert "另有 3 位通讯员" in body
    assert client.get(url + "&all=1").content.decode().count("<tr data-author=") == 5
