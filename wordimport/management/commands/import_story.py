from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Section
from counties.models import CountyUnion
from wordimport.document import DocumentError
from wordimport.services import Upload, import_stories


class Command(BaseCommand):
    help = _("把 Word 文档（.docx）导入为草稿，每个文件一篇，并打印其后台网址。")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=_(".docx 文件的路径"))
        parser.add_argument(
            "--as", dest="username", required=True, help=_("以哪个账号的名义导入")
        )
        parser.add_argument(
            "--county", help=_("县级工会的网址名，如 binhai；默认该账号所属的县级工会")
        )
        parser.add_argument(
            "--section", help=_("栏目的网址名；默认第一个新闻列表栏目")
        )

    def handle(self, *args, paths, username, county=None, section=None, **options):
        user = self._user(username)
        union = self._county(user, county)
        uploads = []
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    uploads.append(Upload(name=path, data=handle.read()))
            except OSError:
                raise CommandError(_("找不到文件：%(path)s") % {"path": path}) from None
        try:
            articles = import_stories(
                uploads=uploads, by=user, county=union, section=self._section(section)
            )
        except DocumentError as error:
            raise CommandError(
                _("导入失败，未写入任何内容。%(error)s") % {"error": error}
            ) from error
        for article in articles:
            url = reverse("admin:articles_article_change", args=[article.pk])
            self.stdout.write(f"{settings.SITE_URL.rstrip('/')}{url}  {article.title}")

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有账号“%(name)s”。") % {"name": username})
        if not user.has_perm("articles.add_article"):
            raise CommandError(
                _("账号“%(name)s”没有新建稿件的权限。") % {"name": username}
            )
        return user

    def _county(self, user, slug):
        is_editor = user.has_perm("articles.publish_article")
        if slug:
            union = CountyUnion.objects.filter(slug=slug).first()
            if union is None:
                raise CommandError(_("没有县级工会“%(slug)s”。") % {"slug": slug})
            author = getattr(user, "author", None)
            own = author.county_union if author is not None else None
            if not is_editor and union != own:
                raise CommandError(_("通讯员只能导入到本人所属的县级工会。"))
            return union
        author = getattr(user, "author", None)
        if author is not None and author.county_union is not None:
            return author.county_union
        if is_editor:
            return None
        raise CommandError(
            _("账号“%(name)s”没有所属的县级工会，请用 --county 指定。")
            % {"name": user.get_username()}
        )

    def _section(self, slug):
        sections = Section.objects.exclude(kind=Section.Kind.PHOTO)
        section = sections.filter(slug=slug).first() if slug else sections.first()
        if section is None:
            raise CommandError(
                _("没有栏目“%(slug)s”。") % {"slug": slug}
                if slug
                else _("还没有任何新闻栏目，请先在后台建立栏目。")
            )
        return section
