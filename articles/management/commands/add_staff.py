import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.authors import author_for_account
from articles.roles import ROLE_GROUPS, assign_role
from counties.models import CountyUnion


class Command(BaseCommand):
    help = _("创建或更新后台账号（编辑、通讯员、摄影）及其作者资料。")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("登录用户名"))
        parser.add_argument(
            "--role", required=True, choices=sorted(ROLE_GROUPS), help=_("角色")
        )
        parser.add_argument("--county", help=_("所属县级工会的网址名，如 xiangshui"))
        parser.add_argument("--name", help=_("署名用的姓名；默认同用户名"))
        parser.add_argument("--email", help=_("接收稿件通知的电子邮箱"))
        parser.add_argument("--password", help=_("密码；新账号不填则随机生成并打印"))

    def handle(
        self,
        *args,
        username,
        role,
        county=None,
        name=None,
        email=None,
        password=None,
        **options,
    ):
        union = None
        if county:
            union = CountyUnion.objects.filter(slug=county).first()
            if union is None:
                slugs = "、".join(CountyUnion.objects.values_list("slug", flat=True))
                raise CommandError(
                    _("没有网址名为 %(slug)s 的县级工会。可用：%(slugs)s")
                    % {"slug": county, "slugs": slugs}
                )
        elif role == "correspondent":
            raise CommandError(_("通讯员必须用 --county 指定所属县级工会。"))
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        created = user is None
        if created:
            user = user_model(username=username)
        generated = password is None and created
        if generated:
            password = secrets.token_urlsafe(12)
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user.set_password(password)
        if email is not None:
            user.email = email
        if name:
            # The admin header greets people by their short name, which is
            # the first name: "欢迎，王芳", not the login name.
            user.first_name = name
        with transaction.atomic():
            user.save()
            assign_role(user, role)
            author, linked = author_for_account(
                user, name=name or username, union=union
            )
            author.name = name or author.name or username
            if union is not None:
                author.county_union = union
            author.save()
        message = _("已创建") if created else _("已更新")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(message)s账号 %(username)s（%(role)s%(county)s）")
                % {
                    "message": message,
                    "username": username,
                    "role": ROLE_GROUPS[role],
                    "county": f"，{union.short_name}" if union else "",
                }
            )
        )
        if linked:
            self.stdout.write(
                _("已关联现有作者 %(author)s（作者页 %(url)s），没有新建作者。")
                % {"author": author, "url": author.get_absolute_url()}
            )
        if generated:
            self.stdout.write(_("随机密码：%(password)s") % {"password": password})
