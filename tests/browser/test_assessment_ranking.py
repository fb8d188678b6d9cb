"""The quarter's ranking (信息工作考核) as an editor and a correspondent see it."""

from tests.browser import checks
from tests.factories import county, make_staff
from tests.test_assessment import quarter  # noqa: F401 - the known quarter


def test_editor_opens_the_quarters_ranking_on_a_desktop(open_tab, quarter):  # noqa: F811
    tab = open_tab("desktop", "editor")
    tab.log_in(quarter["editor"])
    page = tab.page
    tab.goto("/admin/")
    # From the desk's county statistics to the ranking, then to Q1 2024.
    page.locator("#editorial-desk").get_by_role("link", name="考核排名与通报").click()
    page.fill("#assessment-period", "2024Q1")
    page.get_by_role("button", name="查看").click()
    page.wait_for_selector("text=盐城市总工会 2024年第一季度信息工作通报")
    rows = page.locator("#county-ranking tbody tr")
    assert rows.count() == 9
    first = rows.first.inner_text()
    assert "响水县" in first and "13.5" in first
    assert "合计" in page.locator("#county-totals").inner_text()
    assert page.locator("svg.ranking-chart rect").count() == 9
    assert page.locator("svg.trend-chart rect").count() == 3
    assert page.locator("#correspondent-ranking tbody tr").count() == 5
    tab.screenshot("ranking-quarter")
    assert checks.horizontal_overflow(page) == []

    # The 响水县 row's 采用 figure lists the five stories behind it.
    rows.first.locator("td").nth(2).get_by_role("link").click()
    page.wait_for_selector("#assessment-stories")
    titles = page.locator("#assessment-stories tbody th").all_inner_texts()
    assert sorted(titles) == ["N1", "N2", "N3", "R1", "T1"]
    tab.screenshot("ranking-stories")

    # Back to the ranking, then the printable 通报.
    page.get_by_role("link", name="返回排名").click()
    page.get_by_role("link", name="打印版通报").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "盐城市总工会 2024年第一季度信息工作通报"
    assert page.locator("table").first.locator("tbody tr").count() == 9
    page.emulate_media(media="print")
    tab.screenshot("ranking-print")
    assert page.locator(".no-print").is_hidden()
    tab.assert_clean()


def test_a_correspondent_sees_only_her_county_on_a_phone(open_tab, quarter):  # noqa: F811
    her = make_staff("correspondent", union=county("binhai"))
    tab = open_tab("phone", "correspondent")
    tab.log_in(her)
    page = tab.page
    tab.goto("/admin/")
    page.get_by_role("link", name="考核排名与通报").click()
    page.fill("#assessment-period", "2024Q1")
    page.get_by_role("button", name="查看").click()
    page.wait_for_selector("text=滨海县的考核情况")
    assert page.locator("#county-ranking tbody tr").count() == 1
    assert page.locator("#county-totals").count() == 0
    summary = page.locator("#county-summary").inner_text()
    assert "积分\n1.5" in summary and "排名\n2" in summary
    people = page.locator("#correspondent-ranking tbody").inner_text()
    assert "滨海甲" in people and "响水甲" not in people
    tab.screenshot("ranking-own-county")
    assert checks.horizontal_overflow(page) == []
    tab.assert_clean()
