"""add_staff creates and updates role accounts with their Author."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Author
from articles.roles import CORRESPONDENT, EDITOR, PHOTOGRAPHER
from tests.factories import county


def groups(username):
    user = get_user_model().objects.get(username=username)
    return sorted(user.groups.values_list("name", flat=True))


def test_add_correspondent_links_author_to_county(db):
    call_command(
        "add_staff", "wangfang", role="correspondent", county="binhai",
        password="Xy7-long-pass", name="王芳",
    )  # fmt: skip
    user = get_user_model().objects.get(username="wangfang")
    assert user.is_staff is True
    assert user.check_password("Xy7-long-pass") is True
    assert groups("wangfang") == [CORRESPONDENT]
    author = Author.objects.get(user=user)
    assert (author.name, author.county_union) == ("王芳", county("binhai"))


def test_add_staff_again_changes_role_without_duplicates(db):
    call_command("add_staff", "lili", role="photographer", password="Xy7-long-pass")
    call_command("add_staff", "lili", role="editor")
    assert groups("lili") == [EDITOR]
    assert Author.objects.filter(user__username="lili").count() == 1
    assert get_user_model().objects.get(username="lili").check_password("Xy7-long-pass")


def test_new_account_without_password_gets_a_printed_one(db, capsys):
    call_command("add_staff", "zhao", role="photographer")
    out = capsys.readouterr().out
    assert "随机密码" in out
    assert groups("zhao") == [PHOTOGRAPHER]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"role": "correspondent"}, "必须用 --county"),
        ({"role": "editor", "county": "nowhere"}, "没有网址名为 nowhere"),
        ({"role": "editor", "password": "123"}, "密码"),
    ],
)
def test_bad_input_is_refused_in_chinese(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_staff", "bad", **options)
    assert get_user_model().objects.filter(username="bad").exists() is False


def test_demo_editor_is_a_member_of_the_editor_group(db, settings):
    settings.DEBUG = True
    call_command("create_demo_editor")
    user = get_user_model().objects.get(username="editor")
    assert groups("editor") == [EDITOR]
    assert user.is_superuser is False
    assert user.has_perm("articles.publish_article") is True


def test_the_admin_header_greets_the_account_by_its_chinese_name(client, db):
    call_command(
        "add_staff", "binhai_wf", role="correspondent", county="binhai",
        password="Xy7-long-pass", name="王芳",
    )  # fmt: skip
    client.force_login(get_user_model().objects.get(username="binhai_wf"))
    page = client.get("/admin/").content.decode()
    assert '<strong class="staff-name">王芳</strong>' in page
    assert "<strong>binhai_wf</strong>" not in page
