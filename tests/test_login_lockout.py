"""Admin log-in lock-out (django-axes) and password validation."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def attempt(client, username, password="wrong-password", address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_lock_the_account_with_a_chinese_message(client, settings):
    make_user("desk", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "desk").status_code == 200
    response = attempt(client, "desk")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录已被暂时锁定" in text
    assert f"密码连续输错 {settings.AXES_FAILURE_LIMIT} 次" in text


def test_a_locked_account_is_refused_even_with_the_right_password(client, settings):
    """Locked where it failed: the right password from there is refused too."""
    make_user("desk", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "desk", address="10.0.0.1")
    response = attempt(client, "desk", "pw-Strong-123", address="10.0.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_stranger_cannot_lock_a_named_editor_out(client, settings):
    """Failures for an account from other addresses (a stranger who knows
    the user name, from as many addresses as they like) do not lock the
    account where its owner logs in."""
    make_user("desk", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        attempt(client, "desk", address=f"10.0.{n}.1")
    response = attempt(client, "desk", "pw-Strong-123", address="10.9.9.9")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_one_address_trying_many_accounts_is_locked(client, settings):
    make_user("desk", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{n}", address="10.0.0.7")
    response = attempt(client, "desk", "pw-Strong-123", address="10.0.0.7")
    assert response.status_code == 429


def test_other_accounts_and_addresses_still_log_in(client, settings):
    make_user("desk", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "intruder", address="10.0.0.7")
    response = attempt(client, "desk", "pw-Strong-123", address="10.0.0.8")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_success_before_the_limit_resets_the_count(client, settings):
    make_user("desk", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "desk")
    assert attempt(client, "desk", "pw-Strong-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "desk")
    assert attempt(client, "desk", "pw-Strong-123").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["12345678901", "password123", "short1!", "desk@example.com"],
)
def test_weak_passwords_are_rejected(password):
    user = make_user("desk")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted():
    assert validate_password("盐城-工会-Bulletin-2024", make_user("desk")) is None


def test_the_admin_password_change_form_applies_the_validators(client):
    user = make_user("desk", is_staff=True)
    client.force_login(user)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "pw-Strong-123",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("pw-Strong-123") is True
