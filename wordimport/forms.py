"""The admin's Word uploads: stories (one or more .docx) and whole bulletins."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Issue, Section
from counties.models import CountyUnion

from .bulletin import import_docx_bulletin
from .document import MAX_DOCUMENT_BYTES, DocumentError, too_big
from .services import MAX_FILES, Upload, import_stories

DOCX_TYPES = (
    ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name, as Django's documentation shows."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        # An empty file is refused later by the reader, with its name, like
        # every other bad document, rather than by FileField's nameless check.
        return [
            one
            if getattr(one, "size", None) == 0 and getattr(one, "name", "")
            else super(MultipleFileField, self).clean(one, initial)
            for one in files
        ]


class WordImportForm(forms.Form):
    documents = MultipleFileField(
        label=_("Word 文档"),
        help_text=_(
            "可一次选择多个 .docx 文件，每个文件成为一篇草稿。"
            "旧版 .doc 请先在 Word 或 WPS 中另存为 .docx。"
        ),
        widget=MultipleFileInput(attrs={"accept": DOCX_TYPES}),
    )
    section = forms.ModelChoiceField(
        label=_("栏目"),
        queryset=Section.objects.exclude(kind=Section.Kind.PHOTO),
        empty_label=None,
    )
    county_union = forms.ModelChoiceField(
        label=_("县级工会"),
        queryset=CountyUnion.objects.all(),
        required=False,
        help_text=_("稿件所属的县级工会；留空则为市总工会稿件。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Correspondents write for their own county union; only editors pick.
        if not user.has_perm("articles.publish_article"):
            del self.fields["county_union"]

    def clean_documents(self):
        documents = self.cleaned_data["documents"]
        if len(documents) > MAX_FILES:
            raise forms.ValidationError(
                _("一次最多导入 %(limit)d 个文件。") % {"limit": MAX_FILES}
            )
        for document in documents:
            if document.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(str(too_big(document.name, document.size)))
        return documents

    def clean(self):
        cleaned = super().clean()
        if "county_union" not in self.fields:
            author = getattr(self.user, "author", None)
            if author is None or author.county_union is None:
                raise forms.ValidationError(
                    _("你的账号还没有所属的县级工会，请联系编辑设置后再导入。")
                )
            cleaned["county_union"] = author.county_union
        return cleaned

    def save(self):
        """Import the files as drafts; a bad file becomes this form's error."""
        data = self.cleaned_data
        uploads = [
            Upload(name=document.name, data=document.read())
            for document in data["documents"]
        ]
        try:
            return import_stories(
                uploads=uploads,
                by=self.user,
                county=data["county_union"],
                section=data["section"],
            )
        except DocumentError as error:
            self.add_error("documents", str(error))
            return None


class BulletinImportForm(forms.Form):
    """A whole bulletin from one .docx, as `import_bulletin FILE.docx` does."""

    document = forms.FileField(
        label=_("整期通讯（Word 文档）"),
        help_text=_(
            "“标题 1”（Heading 1）为栏目，“标题 2”（Heading 2）为稿件标题，"
            "稿件最后一段为署名；图说新闻中每张图片下是图片说明和“姓名 摄”。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": DOCX_TYPES}),
        allow_empty_file=True,
    )
    issue = forms.ModelChoiceField(
        label=_("期刊"),
        queryset=Issue.objects.order_by("-year", "-number"),
        required=False,
        help_text=_("导入的稿件按印刷顺序归入这一期；需要先在“期刊”中建好。"),
    )
    publish = forms.BooleanField(
        label=_("直接发布"), required=False, help_text=_("不勾选则全部导入为草稿。")
    )
    date = forms.DateField(
        label=_("发布日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为现在。"),
    )

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(str(too_big(document.name, document.size)))
        return document

    def save(self, *, by):
        """Import the bulletin; a bad document becomes this form's error."""
        data = self.cleaned_data
        try:
            return import_docx_bulletin(
                filename=data["document"].name,
                data=data["document"].read(),
                publish=data["publish"],
                by=by,
                date=data["date"],
                issue=data["issue"],
            )
        except DocumentError as error:
            self.add_error("document", str(error))
            return None
