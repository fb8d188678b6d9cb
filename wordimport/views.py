"""Admin pages of the Word import: the upload form and the list of drafts."""

from django.contrib import admin, messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView

from articles.models import Article

from .forms import BulletinImportForm, WordImportForm


class AdminPageMixin(PermissionRequiredMixin):
    """An admin page for those who may add articles, in the admin's frame."""

    permission_required = "articles.add_article"
    raise_exception = True

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            "opts": Article._meta,
            "title": self.title,
            **super().get_context_data(**kwargs),
        }


class WordImportView(AdminPageMixin, FormView):
    form_class = WordImportForm
    template_name = "admin/wordimport/upload.html"
    title = gettext_lazy("从 Word 导入")
    extra_context = {
        "form_id": "word-import",
        "intro": gettext_lazy(
            "选择记者或通讯员写好的 Word 文档（.docx），每个文件导入为一篇草稿："
            "标题、正文、署名和图片（含图片说明与“某某 摄”）会自动识别。"
            "导入后请打开草稿核对，再提交审核。"
        ),
        "submit_label": gettext_lazy("导入为草稿"),
    }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        articles = form.save()
        if articles is None:
            return self.render_to_response(
                self.get_context_data(form=form), status=400
            )
        messages.success(
            self.request,
            _("已从 Word 导入 %(count)d 篇草稿，请核对后再提交审核。")
            % {"count": len(articles)},
        )
        if len(articles) == 1:
            return redirect("admin:articles_article_change", articles[0].pk)
        ids = ",".join(str(article.pk) for article in articles)
        return redirect(f"{reverse('wordimport:imported')}?{urlencode({'ids': ids})}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportedListView(AdminPageMixin, ListView):
    """The drafts of one upload, each linked to its change form."""

    template_name = "admin/wordimport/imported.html"
    context_object_name = "articles"
    title = gettext_lazy("已导入的草稿")

    def get_queryset(self):
        ids = [
            int(pk) for pk in self.request.GET.get("ids", "").split(",") if pk.isdigit()
        ]
        return (
            Article.objects.visible_to(self.request.user)
            .filter(pk__in=ids)
            .select_related("section", "county_union", "cover_photo")
            .order_by("pk")
        )


class BulletinImportView(AdminPageMixin, FormView):
    """Editors import a whole issue from Word, like import_bulletin FILE.docx."""

    permission_required = "articles.publish_article"
    form_class = BulletinImportForm
    template_name = "admin/wordimport/form.html"
    title = gettext_lazy("从 Word 导入整期通讯")
    extra_context = {
        "form_id": "bulletin-import",
        "intro": gettext_lazy(
            "编辑部用 Word 排好的一期通讯（.docx），按栏目和稿件整期导入，"
            "与文本格式的导入结果相同；已导入过的稿件会跳过，不会重复。"
        ),
        "submit_label": gettext_lazy("导入整期"),
    }

    def form_valid(self, form):
        summary = form.save(by=self.request.user)
        if summary is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "完成：新建栏目 %(sections)d 个，稿件 %(articles)d 篇，图片 %(photos)d 张，"
                "作者 %(authors)d 位；跳过已导入的 %(skipped)d 项。"
            )
            % vars(summary),
        )
        return redirect("admin:articles_article_changelist")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
