import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.models import Author
from articles.roles import assign_role

DEMO_USERNAME = "editor"


class Command(BaseCommand):
    help = _("开发环境：创建（或重置）演示编辑账号并打印密码。仅在 DEBUG 下可用。")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("演示账号只能在 DEBUG 开启时创建。"))
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "editor@localhost"}
        )
        # A member of 编辑 like any real editor, so the demo shows the editor's
        # admin (desk, workflow buttons) rather than a superuser's.
        user.is_superuser = False
        user.set_password(password)
        user.save()
        assign_role(user, "editor")
        Author.objects.get_or_create(user=user, defaults={"name": "演示编辑"})
        self.stdout.write(
            self.style.SUCCESS(
                _("演示编辑账号：%(username)s  密码：%(password)s  登录：%(url)s")
                % {
                    "username": DEMO_USERNAME,
                    "password": password,
                    "url": "http://127.0.0.1:8000/admin/",
                }
            )
        )
