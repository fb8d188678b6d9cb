"""从 Word 导入 in a real browser: a correspondent's two stories, one submitted."""

from articles.models import Article, Section
from tests.docx_builders import simple_document, story_document
from tests.factories import county, make_staff


def test_correspondent_imports_two_documents_and_submits_one(tab, tmp_path):
    Section.objects.create(name="新闻速递")
    correspondent = make_staff("correspondent", union=county("binhai"))
    first, second = tmp_path / "招聘会.docx", tmp_path / "送温暖.docx"
    story_document().save(first)
    simple_document().save(second)
    page = tab.page
    tab.log_in(correspondent)

    tab.goto("/admin/articles/article/")
    page.click("text=从 Word 导入")
    page.wait_for_selector("#word-import")
    problems = tab.axe("word import form (correspondent)")
    assert not problems, "\n".join(problems)
    page.set_input_files("#id_documents", [str(first), str(second)])
    tab.screenshot("word-import-chosen")
    page.click("#word-import input[type=submit]")

    page.wait_for_selector("#imported-drafts")
    links = page.locator("#imported-drafts a")
    assert links.all_inner_texts() == [
        "滨海县总工会举办春季招聘会",
        "阜宁县总工会开展送温暖活动",
    ]
    assert "已从 Word 导入 2 篇草稿" in page.inner_text(".messagelist")
    tab.screenshot("word-import-result")

    links.first.click()
    page.wait_for_selector("#workflow")
    assert page.input_value("#id_title") == "滨海县总工会举办春季招聘会"
    assert page.locator("#gallery-group img, #gallery-group select").count() > 0
    tab.screenshot("imported-draft")
    page.click("#workflow button[name=_workflow][value=submit]")
    page.wait_for_selector(".messagelist .success")
    tab.screenshot("imported-draft-submitted")

    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {
        "滨海县总工会举办春季招聘会": Article.Status.REVIEW,
        "阜宁县总工会开展送温暖活动": Article.Status.DRAFT,
    }
    tab.assert_clean()
